"""Strava's bulk export: `activities.csv` and the track files it names.

The columns repeat (a "Distance" in the athlete's unit, later one in
metres), so they are found by position, and their names come in the
athlete's language (`vocab.STRAVA_HEADERS`). Strava's dates are UTC. A row
with a start, a time and a distance needs no track; otherwise the named
GPX, TCX or FIT file is read, and only when the row is not a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import PurePosixPath
import re

from ..core.models import Activity
from .base import (
    ExportSource,
    Found,
    Header,
    ImportFileError,
    Item,
    Pending,
    Skipped,
    bad_line,
    cell,
    csv_rows,
    map_activity,
    match_header,
    number,
    positive,
)
from .tracks import read_track
from .vocab import MONTHS, STRAVA_HEADERS, normalize

DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
_TOKENS = re.compile(r"[^\W\d_]+|\d+")


def strava_date(text: str) -> datetime:
    """Return a start as Strava writes it, in English or the athlete's language."""
    text = text.strip().replace("\u202f", " ").replace("\xa0", " ")
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    tokens = _TOKENS.findall(text)
    numbers = [int(t) for t in tokens if t.isdigit()]
    words = [normalize(t) for t in tokens if not t.isdigit()]
    months = [MONTHS[w] for w in words if w in MONTHS]
    afternoon = "pm" in words
    if months:
        day, year = numbers[:2] if numbers[0] <= 31 else numbers[1::-1]
        month, clock = months[0], numbers[2:]
    else:
        day, month, year = numbers[:3] if numbers[0] <= 31 else numbers[2::-1]
        clock = numbers[3:]
    hour, minute, second = [*clock, 0, 0, 0][:3]
    if afternoon and hour < 12:
        hour += 12
    elif "am" in words and hour == 12:
        hour = 0
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _row(
    header: Header, row: list[str]
) -> tuple[datetime, str, float | None, float | None, str]:
    comma = header.decimal_comma
    start = strava_date(cell(row, header.at("date")))
    kind = cell(row, header.at("type"))
    duration = None
    for at in (header.at("moving"), header.at("elapsed", -1), header.at("elapsed")):
        if at is not None and (
            duration := positive(number(cell(row, at), decimal_comma=comma))
        ):
            break
    distance = None
    if (metres := header.at("distance", 1)) is not None:
        distance = number(cell(row, metres))  # the metres column is never localized
    elif (km := header.at("distance")) is not None:
        value = number(cell(row, km), decimal_comma=comma)
        distance = None if value is None else value * 1000
    return start, kind, duration, distance, cell(row, header.at("filename")).strip()


def read_strava(source: ExportSource, csv_name: str) -> Iterator[Item]:
    """Yield the activities of a Strava bulk export's `activities.csv`."""
    rows = csv_rows(source, csv_name)
    first = next(rows, None)
    header = match_header(first[1], STRAVA_HEADERS) if first else None
    if header is None or header.at("date") is None or header.at("type") is None:
        raise bad_line(csv_name, 1)
    folder = PurePosixPath(csv_name).parent
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        try:
            start, kind, duration, distance, filename = _row(header, row)
        except (ValueError, IndexError, OverflowError) as err:
            reason = "nul_byte" if str(err) == "nul" else "unreadable_value"
            yield Skipped(csv_name, line, reason)
            continue
        activity = map_activity(kind)
        if filename and (duration is None or distance is None):
            name = str(folder / filename) if str(folder) != "." else filename
            yield Pending(
                start,
                activity,
                _completer(source, name, start, activity, duration, distance, line),
                csv_name,
                line,
            )
            continue
        yield Found(start, activity, duration, distance, csv_name, line)


def _completer(  # noqa: PLR0917
    source: ExportSource,
    name: str,
    start: datetime,
    activity: Activity,
    duration: float | None,
    distance: float | None,
    line: int,
) -> Callable[[], list[Found]]:
    """Return what reads the row's track only if the row is kept."""

    def load() -> list[Found]:
        for found in read_track(source, name):
            return [
                Found(
                    start,
                    activity,
                    duration or found.duration,
                    distance if distance is not None else found.distance,
                    name,
                    line,
                )
            ]
        raise ImportFileError("import_bad_file", file=name)

    return load
