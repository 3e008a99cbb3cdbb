"""Which night a sleep reading belongs to, and what run days do for sleep.

Plain Python with no Home Assistant imports, so the rules are easy to test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta, tzinfo

NIGHT_WINDOW_START = time(3)
NIGHT_WINDOW_END = time(14)
SLEEP_WINDOW_NIGHTS = 30
SLEEP_MIN_NIGHTS = 3
MAX_SLEEP_HOURS = 24.0

# Hours per unit as (numerator, denominator): dividing keeps 27000 s at 7.5 h.
_HOURS_PER_UNIT: dict[str, tuple[int, int]] = {
    "h": (1, 1),
    "min": (1, 60),
    "s": (1, 3600),
    "ms": (1, 3_600_000),
    "d": (24, 1),
}


def to_hours(value: str | float, unit: str | None) -> float | None:
    """Return a sleep duration in hours, None when it is no usable number.

    A sensor without a unit is taken to report hours, as most sleep sensors do.
    """
    factor = _HOURS_PER_UNIT.get(unit or "h")
    if factor is None:
        return None
    try:
        number = float(value)
    except TypeError, ValueError:
        return None
    hours = number * factor[0] / factor[1]
    if not 0 <= hours <= MAX_SLEEP_HOURS:  # also refuses nan
        return None
    return hours


def night_of(reported: datetime, tz: tzinfo) -> date | None:
    """Return the day whose night a value reported at this moment belongs to.

    A night belongs to the day before the local date on which its value is
    reported between 03:00 and 14:00; other reports belong to no night.
    """
    local = reported.astimezone(tz)
    if NIGHT_WINDOW_START <= local.time() < NIGHT_WINDOW_END:
        return local.date() - timedelta(days=1)
    return None


def sleep_after_runs(
    nights: Mapping[str, float],
    today: date,
    ran_on: Callable[[date], bool],
) -> tuple[float | None, int, int]:
    """Return mean sleep after run days minus after other days, and both counts.

    Over the last 30 calendar nights: the nights after the 30 days before
    today. Unknown (None) until there are at least 3 nights of each kind.
    """
    after_runs: list[float] = []
    after_rest: list[float] = []
    for offset in range(1, SLEEP_WINDOW_NIGHTS + 1):
        day = today - timedelta(days=offset)
        if (hours := nights.get(day.isoformat())) is None:
            continue
        (after_runs if ran_on(day) else after_rest).append(hours)
    if len(after_runs) < SLEEP_MIN_NIGHTS or len(after_rest) < SLEEP_MIN_NIGHTS:
        return None, len(after_runs), len(after_rest)
    difference = sum(after_runs) / len(after_runs) - sum(after_rest) / len(after_rest)
    return round(difference, 2), len(after_runs), len(after_rest)
