"""Garmin Connect's `Activities.csv`, with its headers in the account's language.

Times are local (Home Assistant's zone). `--`, `--:--` and `--:--:--` mean
missing. Distances are in the account's unit: kilometres (miles when
imperial), swims in metres (yards). Numbers use the decimal mark of the
header's language (`vocab.DECIMAL_COMMA`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, tzinfo

from ..core.models import METRES_PER_UNIT, Activity
from .base import (
    ExportSource,
    Found,
    Header,
    Item,
    Skipped,
    bad_line,
    cell,
    clock,
    csv_rows,
    local_instant,
    map_activity,
    match_header,
    number,
    positive,
)
from .vocab import GARMIN_HEADERS

DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y %H:%M:%S")


def garmin_date(text: str) -> datetime:
    """Return a wall-clock time as Garmin writes it (ISO, or day first)."""
    text = text.strip()
    try:
        naive = datetime.fromisoformat(text)
    except ValueError:
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt)  # noqa: DTZ007 - local time
            except ValueError:
                continue
        raise
    if naive.tzinfo is not None:
        raise ValueError(text)
    return naive


def is_garmin(header: Header) -> bool:
    """Return whether a header row is Garmin's."""
    return header.at("type") is not None and header.at("date") is not None


def _row(header: Header, row: list[str], tz: tzinfo, imperial: bool) -> Found:
    comma = header.decimal_comma
    naive = garmin_date(cell(row, header.at("date")))
    activity = map_activity(cell(row, header.at("type")))
    duration = None
    for field in ("moving", "time", "elapsed"):
        if (at := header.at(field)) is not None and (
            duration := positive(clock(cell(row, at), decimal_comma=comma))
        ):
            break
    distance = None
    value = number(cell(row, header.at("distance")), decimal_comma=comma)
    if value is not None:
        if activity is Activity.SWIM:
            factor = 0.9144 if imperial else 1.0
        else:
            factor = METRES_PER_UNIT["mi" if imperial else "km"]
        distance = value * factor
    return Found(local_instant(naive, tz), activity, duration, distance)


def read_garmin(
    source: ExportSource, csv_name: str, tz: tzinfo, *, imperial: bool = False
) -> Iterator[Item]:
    """Yield the activities of Garmin Connect's `Activities.csv`."""
    rows = csv_rows(source, csv_name)
    first = next(rows, None)
    header = match_header(first[1], GARMIN_HEADERS) if first else None
    if header is None or not is_garmin(header):
        raise bad_line(csv_name, 1)
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        try:
            found = _row(header, row, tz, imperial)
        except (ValueError, IndexError, OverflowError) as err:
            reason = "nul_byte" if str(err) == "nul" else "unreadable_value"
            yield Skipped(csv_name, line, reason)
            continue
        yield Found(
            found.start, found.activity, found.duration, found.distance, csv_name, line
        )
