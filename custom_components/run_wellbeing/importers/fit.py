"""FIT files: each session message, or the records when the session is missing.

A FIT file truncated at the end, or one without a session message (some
phone apps and bike computers write none), still yields its activity from
the records read so far: first to last timestamp, the last distance.
Damaged content that `fitdecode` trips over (including its assertions)
refuses the file when nothing could be read before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
import io
import struct

import fitdecode

from ..core.models import Activity
from .base import LIMIT_FIT, ExportSource, Found, bad_file, map_activity, positive
from .vocab import FIT_SPORTS

_ERRORS = (
    fitdecode.FitError,
    ValueError,
    TypeError,
    EOFError,
    AssertionError,
    KeyError,
    IndexError,
    struct.error,
    OverflowError,
    AttributeError,
)


def fit_activity(sport: object) -> Activity:
    """Return the activity of a FIT sport value."""
    return FIT_SPORTS.get(str(sport), map_activity(str(sport)))


def _aware(value: object) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(slots=True)
class _Records:
    first: datetime | None = None
    last: datetime | None = None
    distance: float | None = None
    sport: object = None


def _frames(data: bytes) -> Iterator[fitdecode.FitDataMessage]:
    with fitdecode.FitReader(
        io.BytesIO(data), check_crc=fitdecode.CrcCheck.DISABLED
    ) as fit:
        for frame in fit:
            if isinstance(frame, fitdecode.FitDataMessage):
                yield frame


def read_fit(source: ExportSource, name: str) -> Iterator[Found]:
    """Yield each session of a FIT file (multisport files hold several)."""
    with source.open(name, LIMIT_FIT) as stream:
        data = b"".join(iter(stream.read, b""))
    found: list[Found] = []
    records = _Records()
    try:
        for frame in _frames(data):
            if frame.name == "session":
                start = _aware(frame.get_value("start_time", fallback=None))
                if start is None:
                    continue
                timer = frame.get_value("total_timer_time", fallback=None)
                elapsed = frame.get_value("total_elapsed_time", fallback=None)
                distance = frame.get_value("total_distance", fallback=None)
                found.append(
                    Found(
                        start,
                        fit_activity(frame.get_value("sport", fallback=None)),
                        positive(float(timer or 0)) or positive(float(elapsed or 0)),
                        None if distance is None else float(distance),
                        name,
                        len(found) + 1,
                    )
                )
            elif frame.name == "record":
                if (
                    moment := _aware(frame.get_value("timestamp", fallback=None))
                ) is None:
                    continue
                records.first = records.first or moment
                records.last = moment
                distance = frame.get_value("distance", fallback=None)
                if isinstance(distance, int | float):
                    records.distance = float(distance)
            elif frame.name == "sport" and records.sport is None:
                records.sport = frame.get_value("sport", fallback=None)
    except _ERRORS as err:
        if not found and records.first is None:
            raise bad_file(name) from err
    if found:
        yield from found
        return
    if records.first is None or records.last is None:
        raise bad_file(name)
    yield Found(
        records.first,
        fit_activity(records.sport),
        positive((records.last - records.first).total_seconds()),
        records.distance,
        name,
        1,
    )


def prescan_fit(source: ExportSource, name: str) -> tuple[datetime, Activity] | None:
    """Return a FIT file's start and sport from its first messages, if they hold them."""
    head = source.head(name, 64 * 1024)
    sport: object = None
    found: tuple[datetime | None, object] | None = None
    try:
        for frame in _frames(head):
            if frame.name == "sport":
                sport = frame.get_value("sport", fallback=None)
            elif frame.name == "record":
                start = _aware(frame.get_value("timestamp", fallback=None))
                return None if start is None else (start, fit_activity(sport))
            elif frame.name == "session":
                if found is not None:
                    return None  # several sessions: each is checked once read
                found = (
                    _aware(frame.get_value("start_time", fallback=None)),
                    frame.get_value("sport", fallback=sport),
                )
    except _ERRORS:
        return None
    if found is None or found[0] is None:
        return None
    return found[0], fit_activity(found[1])
