"""Apple Health's export: its XML (named in the phone's language), streamed.

The XML is found by content, not by name (`export.xml`, `导出.xml`,
`eksport.xml`, `exportar.xml`…): the file whose start holds `<HealthData`.
It is parsed incrementally with expat, keeping nothing of the millions of
`Record` elements. The internal DTD subset is skipped (iOS 16 wrote one
that does not parse) but an entity declaration in it refuses the file, so
no entity is ever expanded. A workout's distance is its own total
(`totalDistance`, or its own `WorkoutStatistics`), not its first
`WorkoutActivity`'s.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
import math
import re

from ..core.models import METRES_PER_UNIT
from .base import (
    CHUNK,
    LIMIT_XML,
    Capped,
    ExportSource,
    Found,
    Item,
    Prefixed,
    Skipped,
    bad_file,
    chunks,
    entities,
    map_activity,
    positive,
)
from .gpx import checked_parser, feed

MARKER = b"<HealthData"
MAX_HEAD = 1 << 20
_DURATION = {"s": 1.0, "sec": 1.0, "min": 60.0, "hr": 3600.0, "h": 3600.0}
_DISTANCE = {
    "m": 1.0,
    "km": METRES_PER_UNIT["km"],
    "cm": 0.01,
    "mi": METRES_PER_UNIT["mi"],
    "yd": 0.9144,
    "ft": 0.3048,
}
_SUBSET_END = re.compile(rb"\]\s*>")


def is_apple_health(head: bytes) -> bool:
    """Return whether a file's first bytes are those of an Apple Health export."""
    return MARKER in head


def apple_date(text: str) -> datetime:
    """Read `2024-03-31 07:15:00 +0200`, the only form Apple writes."""
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z")


def without_dtd(stream: Capped, name: str) -> Prefixed:
    """Return the stream with its internal DTD subset left out.

    An entity declaration in the subset refuses the file.
    """
    head = b""
    while len(head) < MAX_HEAD and MARKER not in head:
        if not (data := stream.read(CHUNK)):
            break
        head += data
    doctype = head.find(b"<!DOCTYPE")
    root = head.find(MARKER)
    if doctype != -1 and (root == -1 or doctype < root):
        bracket = head.find(b"[", doctype)
        close = head.find(b">", doctype)
        if bracket != -1 and (close == -1 or bracket < close):
            end = _SUBSET_END.search(head, bracket)
            if end is None:
                raise bad_file(name)
            if b"<!ENTITY" in head[bracket : end.start()]:
                raise entities(name)
            head = head[:doctype] + head[end.end() :]
    return Prefixed(head, stream)


@dataclass(slots=True)
class _Workouts:
    depth: int = 0
    number: int = 0
    attrs: dict[str, str] | None = None
    own: list[dict[str, str]] = field(default_factory=list)
    parts: list[dict[str, str]] = field(default_factory=list)
    done: list[
        tuple[int, dict[str, str], list[dict[str, str]], list[dict[str, str]]]
    ] = field(default_factory=list)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if tag == "Workout" and self.depth == 2:
            self.number += 1
            self.attrs, self.own, self.parts = attrs, [], []
        elif self.attrs is not None and tag == "WorkoutStatistics":
            (self.own if self.depth == 3 else self.parts).append(attrs)

    def end(self, tag: str) -> None:
        if tag == "Workout" and self.depth == 2 and self.attrs is not None:
            self.done.append((self.number, self.attrs, self.own, self.parts))
            self.attrs = None
        self.depth -= 1


def _distance(stats: list[dict[str, str]]) -> float | None:
    values = [
        float(s["sum"]) * _DISTANCE[s.get("unit", "km")]
        for s in stats
        if s.get("type", "").startswith("HKQuantityTypeIdentifierDistance")
        and "sum" in s
    ]
    return sum(values) if values else None


def workout(
    attrs: dict[str, str], own: list[dict[str, str]], parts: list[dict[str, str]]
) -> Found:
    """Return the activity a `Workout` element and its statistics describe."""
    start = apple_date(attrs["startDate"])
    duration = None
    if (value := attrs.get("duration")) is not None:
        duration = float(value) * _DURATION[attrs.get("durationUnit", "min")]
    elif (end := attrs.get("endDate")) is not None:
        duration = (apple_date(end) - start).total_seconds()
    distance = None
    if (value := attrs.get("totalDistance")) is not None:
        distance = float(value) * _DISTANCE[attrs.get("totalDistanceUnit", "km")]
    else:
        distance = _distance(own)
        if distance is None:
            distance = _distance(parts)  # the intervals, summed
    if duration is not None and not math.isfinite(duration):
        raise ValueError(duration)
    if distance is not None and not (math.isfinite(distance) and distance >= 0):
        raise ValueError(distance)
    return Found(
        start,
        map_activity(attrs.get("workoutActivityType")),
        positive(duration),
        distance,
    )


def read_apple_health(source: ExportSource, xml_name: str) -> Iterator[Item]:
    """Yield the workouts of an Apple Health export's XML, streaming it."""
    state = _Workouts()
    parser = checked_parser(xml_name)
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    with source.open(xml_name, LIMIT_XML) as stream:
        for data in chunks(without_dtd(stream, xml_name)):
            feed(parser, xml_name, data)
            yield from _drain(state, xml_name)
        feed(parser, xml_name, b"", final=True)
    yield from _drain(state, xml_name)


def _drain(state: _Workouts, name: str) -> Iterator[Item]:
    done, state.done = state.done, []
    for number, attrs, own, parts in done:
        try:
            found = workout(attrs, own, parts)
        except ValueError, KeyError, OverflowError:
            yield Skipped(name, number, "unreadable_workout")
            continue
        yield Found(
            found.start, found.activity, found.duration, found.distance, name, number
        )
