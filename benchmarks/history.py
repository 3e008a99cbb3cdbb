"""A realistic synthetic history, deterministic apart from its ULIDs.

Five sessions a week, a mood every day, a weekly schedule, a one-off plan a
month, and ids of real length (ULIDs).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
import random
from zoneinfo import ZoneInfo

from homeassistant.util.ulid import ulid_at_time

from custom_components.run_wellbeing.core.models import (
    Activity,
    GoalChange,
    History,
    MoodEntry,
    Plan,
    ScheduleChange,
    Session,
)

SESSIONS_PER_YEAR = 260
MAX_SPAN_YEARS = 55
MOODS_PER_YEAR = 365
TZ = ZoneInfo("Europe/Amsterdam")


def make_history(years: int, end: datetime, seed: int = 1) -> History:
    """Return `years` of history ending just before `end`.

    Stored dates lie in 1970-2100, so more than `MAX_SPAN_YEARS` of records
    cannot be laid out one year a year. "100 years" is then 100 years' worth of
    records (26,000 sessions, 36,500 moods, a plan a month): the last ten years
    as usual, so the recent weeks that per-record work looks at are exactly as
    dense as with one year, and the other 90 years' worth packed two a day (or
    week) into the 45 years before them.
    """
    if years <= MAX_SPAN_YEARS:
        return _make(years, end, seed, 1)
    recent = 2 * MAX_SPAN_YEARS - years
    history = _make(years - recent, end - timedelta(days=365 * recent), seed, 2)
    newer = _make(recent, end, seed + 1, 1)
    history.sessions.update(newer.sessions)
    history.moods.update(newer.moods)
    history.plans.update(newer.plans)
    return history


def _make(years: int, end: datetime, seed: int, factor: int) -> History:
    """Return `years` of history ending just before `end`.

    Ten years give 2,600 sessions and 3,650 mood entries: five sessions every
    week (at least four runs, a goal of 3 always met, so the streak spans all ten
    years: the worst case for streak walks) and one mood every evening.

    With `factor` 2, two of each a day (or week) over half as many years.
    """
    rng = random.Random(seed)
    history = History()
    span = years // factor
    first_day = (end - timedelta(days=MOODS_PER_YEAR * span)).astimezone(TZ).date()
    history.goal_changes.append(
        GoalChange(datetime.combine(first_day, time(), TZ) - timedelta(days=7), 3)
    )
    for index in range(MOODS_PER_YEAR * span * factor):
        day = first_day + timedelta(days=index // factor)
        hour = 21 - index % factor
        moment = datetime.combine(day, time(hour, rng.randrange(60)), TZ)
        mood = MoodEntry(ulid_at_time(moment.timestamp()), moment, rng.randrange(3, 10))
        history.moods[mood.id] = mood
    # Whole weeks back from last week, so the streak runs up to today.
    this_monday = end.astimezone(TZ).date() - timedelta(
        days=end.astimezone(TZ).weekday()
    )
    weeks = SESSIONS_PER_YEAR * span // 5
    for week in range(weeks * factor):
        monday = this_monday - timedelta(weeks=weeks - week // factor)
        for offset, day in enumerate(sorted(rng.sample(range(7), 5))):
            start = datetime.combine(
                monday + timedelta(days=day), time(rng.randrange(6, 20)), TZ
            )
            with_mood = rng.random() < 0.5
            session = Session(
                id=ulid_at_time(start.timestamp()),
                start=start,
                activity=Activity.WALK
                if offset == 4 and rng.random() < 0.5
                else Activity.RUN,
                duration=rng.randrange(20, 70) * 60.0,
                distance=rng.randrange(3000, 12000) * 1.0,
                mood_before=rng.randrange(3, 8) if with_mood else None,
                mood_after=rng.randrange(5, 10) if with_mood else None,
                effort=rng.randrange(3, 9),
                note="Felt good, nice weather" if rng.random() < 0.2 else None,
            )
            history.sessions[session.id] = session
    # The schedule (Mon/Wed/Fri 07:00) since the start, and a one-off plan on
    # the 15th of every month, past ones included.
    first = datetime.combine(first_day, time(), TZ)
    history.schedule_changes.append(
        ScheduleChange(first, ("mon", "wed", "fri"), time(7), 1800.0)
    )
    month = first_day.replace(day=15)
    while (start := datetime.combine(month, time(18), TZ)) < end + timedelta(days=60):
        for copy in range(factor):
            at = start + timedelta(hours=copy)
            plan = Plan(ulid_at_time(at.timestamp()), at, 2700.0, None)
            history.plans[plan.id] = plan
        month = (month.replace(day=1) + timedelta(days=32)).replace(day=15)
    return history
