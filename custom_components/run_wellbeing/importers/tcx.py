"""TCX files: each `Activity`, its laps' timer time and distance summed.

Parsed incrementally (defusedxml's iterparse over a chunked stream) with
the track points dropped as they are read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
import re

from defusedxml import DefusedXmlException, ElementTree as SafeET

from ..core.models import Activity
from .base import (
    CHUNK,
    LIMIT_TRACK,
    ExportSource,
    Found,
    Prefixed,
    bad_element,
    bad_file,
    bad_line,
    entities,
    positive,
    xml_time,
)
from .vocab import TCX_SPORTS


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def read_tcx(source: ExportSource, name: str) -> Iterator[Found]:
    """Yield each `Activity` of a TCX file."""
    activities = 0
    start: datetime | None = None
    duration = 0.0
    distance: float | None = None
    sport = Activity.OTHER
    depth_in_lap = 0
    track: object | None = None
    with source.open(name, LIMIT_TRACK) as stream:
        # Strava writes its TCX files with blanks before the XML declaration.
        head = stream.read(CHUNK).lstrip()
        try:
            for event, element in SafeET.iterparse(
                Prefixed(head, stream), events=("start", "end")
            ):
                tag = _local(element.tag)
                if event == "start":
                    if tag == "Activity":
                        activities += 1
                        start, duration, distance = None, 0.0, None
                        sport = TCX_SPORTS.get(
                            element.get("Sport", "").lower(), Activity.OTHER
                        )
                    elif tag == "Lap":
                        depth_in_lap = 0
                        if start is None and element.get("StartTime"):
                            start = xml_time(element.attrib["StartTime"])
                    elif tag == "Track":
                        depth_in_lap += 1
                        track = element
                    continue
                if tag == "Id" and start is None and element.text:
                    start = xml_time(element.text)
                elif tag == "TotalTimeSeconds" and element.text:
                    duration += float(element.text)
                elif tag == "DistanceMeters" and not depth_in_lap and element.text:
                    distance = (distance or 0.0) + float(element.text)
                elif tag == "Trackpoint" and track is not None:
                    del track[:]  # type: ignore[attr-defined]
                elif tag == "Track":
                    depth_in_lap -= 1
                    element.clear()
                    track = None
                elif tag == "Activity":
                    if start is None:
                        raise bad_element(name, tag, activities)
                    yield Found(
                        start, sport, positive(duration), distance, name, activities
                    )
                    element.clear()
        except SafeET.ParseError as err:
            raise bad_line(name, err.position[0]) from err
        except DefusedXmlException as err:
            raise entities(name) from err
        except (ValueError, OverflowError) as err:
            raise bad_element(name, "Activity", activities) from err
    if not activities:
        raise bad_file(name)


_SPORT = re.compile(rb'<Activity\s+Sport="([^"]*)"')
_ID = re.compile(rb"<Id>([^<]*)</Id>")


def prescan_tcx(head: bytes) -> tuple[datetime, Activity] | None:
    """Return a TCX file's start and sport from its first bytes, if they hold them."""
    sport = _SPORT.search(head)
    ident = _ID.search(head)
    if sport is None or ident is None:
        return None
    try:
        start = xml_time(ident.group(1).decode())
    except ValueError, UnicodeDecodeError:
        return None
    return start, TCX_SPORTS.get(
        sport.group(1).decode(errors="replace").lower(), Activity.OTHER
    )
