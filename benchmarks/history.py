"""A synthetic, deterministic history: five sessions a week and a mood every day."""

from __future__ import annotations

from datetime import datetime, time, timedelta
import random
from zoneinfo import ZoneInfo

from custom_components.run_wellbeing.models import (
    Activity,
    GoalChange,
    History,
    MoodEntry,
    Session,
)

SESSIONS_PER_YEAR = 260
MOODS_PER_YEAR = 365
TZ = ZoneInfo("Europe/Amsterdam")


def make_history(years: int, end: datetime, seed: int = 1) -> History:
    """Return `years` of history ending just before `end`.

    Ten years give 2,600 sessions and 3,650 mood entries: five sessions every
    week (at least four runs, a goal of 3 always met, so the streak spans all ten
    years: the worst case for streak walks) and one mood every evening.
    """
    rng = random.Random(seed)
    history = History()
    first_day = (end - timedelta(days=MOODS_PER_YEAR * years)).astimezone(TZ).date()
    history.goal_changes.append(
        GoalChange(datetime.combine(first_day, time(), TZ) - timedelta(days=7), 3)
    )
    for index in range(MOODS_PER_YEAR * years):
        day = first_day + timedelta(days=index)
        moment = datetime.combine(day, time(21, rng.randrange(60)), TZ)
        mood = MoodEntry(f"mood{index:05d}", moment, rng.randrange(3, 10))
        history.moods[mood.id] = mood
    # Whole weeks back from last week, so the streak runs up to today.
    this_monday = end.astimezone(TZ).date() - timedelta(
        days=end.astimezone(TZ).weekday()
    )
    weeks = SESSIONS_PER_YEAR * years // 5
    for week in range(weeks):
        monday = this_monday - timedelta(weeks=weeks - week)
        for offset, day in enumerate(sorted(rng.sample(range(7), 5))):
            start = datetime.combine(
                monday + timedelta(days=day), time(rng.randrange(6, 20)), TZ
            )
            with_mood = rng.random() < 0.5
            session = Session(
                id=f"s{week:04d}{offset}",
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
    return history
