"""What the card's heatmap and mood line show, computed from a profile's statistics.

Plain Python: the websocket command adds the summary and the caller's rights.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .stats import ProfileStats, week_start_date

YEAR_DAYS = 365
MOOD_DAYS = 30


def card_days(stats: ProfileStats, now: datetime) -> dict[str, Any]:
    """Return the year's daily aggregates and the last 30 days' mood means.

    Days run from the start of the week a year ago to the end of the current
    week, one array slot per day: counted sessions, distance in 0.1 km
    (rounded) and a plan mark (`d` done, `m` missed, `p` planned, `-` none).
    Mood means cover the last 30 days, one decimal, null without observations.
    """
    tz = stats.tz
    today = now.astimezone(tz).date()
    week_start = stats.settings.week_start
    first = week_start_date(today - timedelta(days=YEAR_DAYS), week_start.weekday)
    last = week_start_date(today, week_start.weekday) + timedelta(days=6)
    total = (last - first).days + 1
    counts, distances = stats.day_arrays(first, total)
    marks = stats.plan_marks(first, last, today)
    mood_first = today - timedelta(days=MOOD_DAYS - 1)
    means = stats.daily_moods(mood_first, today)
    moods = [
        None
        if (mean := means.get(mood_first + timedelta(days=i))) is None
        else round(mean, 1)
        for i in range(MOOD_DAYS)
    ]
    return {
        "week_start": week_start.value,
        "today": today.isoformat(),
        "days": {
            "first": first.isoformat(),
            "count": counts,
            "distance": distances,
            "plan": marks,
        },
        "moods": {"first": mood_first.isoformat(), "mean": moods},
    }
