"""
Weeks, streaks and mood statistics of one profile, with no Home Assistant imports.

`ProfileStats` keeps small indexes of the history (counted sessions per local
day, mood observations sorted by time) that follow each added record in
O(log n), and are rebuilt from scratch when a record is removed or the time
zone or settings change. `ProfileStats.summary` derives every value of the
product's "Definitions" from them for a given moment.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from .models import GoalChange, History, MoodEntry, Session, Settings
from .plans import Occurrence, current_or_next, next_occurrence, occurrences

MOOD_WINDOW_DAYS = 7
LIFT_WINDOW_DAYS = 30
LOW_MOOD_MIN_OBSERVATIONS = 3


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """Return the aware start of a local day."""
    return datetime.combine(day, time(), tzinfo=tz)


def week_start_date(day: date, week_start_weekday: int) -> date:
    """Return the first day of the week that holds `day`."""
    return day - timedelta(days=(day.weekday() - week_start_weekday) % 7)


@dataclass(frozen=True, slots=True)
class Summary:
    """Every computed value of a profile at one moment."""

    week_start: datetime
    weekly_goal: int
    runs_this_week: int
    weekly_goal_progress: float
    distance_this_week: float
    duration_this_week: float
    streak: int
    day_streak: int
    longest_streak: int
    longest_day_streak: int
    mood_score: float | None
    mood_score_exact: float | None
    last_mood: int | None
    mood_lift: float | None
    last_run: datetime | None
    total_runs: int
    ran_today: bool
    weekly_goal_met: bool
    low_mood: bool
    refresh_at: datetime
    next_planned_run: datetime | None = None

    @property
    def week_key(self) -> str:
        """Return an id of the current week, for once-per-week events."""
        return self.week_start.date().isoformat()


@dataclass(slots=True)
class _Day:
    """Counted sessions of one local day."""

    count: int = 0
    distance: float = 0.0
    duration: float = 0.0


class ProfileStats:
    """Indexes of one profile's history and the values derived from them."""

    def __init__(self, history: History, settings: Settings, tz: tzinfo) -> None:
        """Index the history for the given settings and time zone."""
        self.history = history
        self.settings = settings
        self.tz = tz
        self._days: dict[date, _Day] = {}
        self._observations: list[tuple[float, int]] = []
        self._lifts: list[tuple[float, int]] = []
        self._last_run: datetime | None = None
        self._total = 0
        self._longest_day_streak = 0
        self._longest_streak = 0
        self._goal_dates: list[date] = []
        self._goals: list[int] = []
        self.rebuild()

    def rebuild(
        self, settings: Settings | None = None, tz: tzinfo | None = None
    ) -> None:
        """Recompute every index from the records, e.g. after a delete."""
        if settings is not None:
            self.settings = settings
        if tz is not None:
            self.tz = tz
        self._days = {}
        self._observations = []
        self._lifts = []
        self._last_run = None
        self._total = 0
        self._index_goals()
        for session in self.history.sessions.values():
            self._index_session(session, keep_sorted=False)
        self._observations.extend(
            (mood.time.timestamp(), mood.mood) for mood in self.history.moods.values()
        )
        self._observations.sort()
        self._lifts.sort()
        self._longest_day_streak = _longest_run(sorted(self._days))
        self._longest_streak = self._longest_week_streak()

    def add_session(self, session: Session) -> None:
        """Follow a newly added session."""
        self._index_session(session, keep_sorted=True)
        if session.activity in self.settings.counted_activities:
            day = session.start.astimezone(self.tz).date()
            self._longest_day_streak = max(
                self._longest_day_streak, self._day_run_through(day)
            )
            self._longest_streak = max(
                self._longest_streak, self._week_run_through(self._week_of(day))
            )

    def add_mood(self, mood: MoodEntry) -> None:
        """Follow a newly added mood entry."""
        insort(self._observations, (mood.time.timestamp(), mood.mood))

    def _index_goals(self) -> None:
        changes: Iterable[GoalChange] = sorted(
            self.history.goal_changes, key=lambda change: change.effective
        )
        self._goal_dates = []
        self._goals = []
        for change in changes:
            self._goal_dates.append(change.effective.astimezone(self.tz).date())
            self._goals.append(change.goal)

    def _index_session(self, session: Session, *, keep_sorted: bool) -> None:
        add = insort if keep_sorted else list.append
        if session.mood_before is not None:
            add(self._observations, (session.start.timestamp(), session.mood_before))
        if session.mood_after is not None:
            add(self._observations, (session.end.timestamp(), session.mood_after))
        if session.mood_before is not None and session.mood_after is not None:
            add(
                self._lifts,
                (session.start.timestamp(), session.mood_after - session.mood_before),
            )
        if session.activity not in self.settings.counted_activities:
            return
        day = self._days.setdefault(session.start.astimezone(self.tz).date(), _Day())
        day.count += 1
        day.distance += session.distance or 0.0
        day.duration += session.duration or 0.0
        self._total += 1
        if self._last_run is None or session.start > self._last_run:
            self._last_run = session.start

    def _week_of(self, day: date) -> date:
        return week_start_date(day, self.settings.week_start.weekday)

    def _goal_for_week(self, week: date) -> int:
        """Return the goal in force at the end of the week starting on `week`."""
        if not self._goals:
            return self.settings.weekly_goal
        index = bisect_left(self._goal_dates, week + timedelta(days=7)) - 1
        return self._goals[max(index, 0)]

    def _week_count(self, week: date) -> int:
        days = self._days
        total = 0
        for offset in range(7):
            if (day := days.get(week + timedelta(days=offset))) is not None:
                total += day.count
        return total

    def _week_met(self, week: date) -> bool:
        return self._week_count(week) >= self._goal_for_week(week)

    def _week_run_through(self, week: date) -> int:
        """Return the length of the run of met weeks that holds `week`."""
        if not self._week_met(week):
            return 0
        length = 1
        step = timedelta(days=7)
        earlier = week - step
        while self._week_met(earlier):
            length += 1
            earlier -= step
        later = week + step
        while self._week_met(later):
            length += 1
            later += step
        return length

    def _day_run_through(self, day: date) -> int:
        """Return the length of the run of active days that holds `day`."""
        if day not in self._days:
            return 0
        one = timedelta(days=1)
        start = day
        while start - one in self._days:
            start -= one
        end = day
        while end + one in self._days:
            end += one
        return (end - start).days + 1

    def _longest_week_streak(self) -> int:
        if not self._days:
            return 0
        weeks = sorted({self._week_of(day) for day in self._days})
        longest = 0
        run = 0
        previous: date | None = None
        for week in weeks:
            if not self._week_met(week):
                run = 0
            elif previous is not None and run and week - previous == timedelta(days=7):
                run += 1
            else:
                run = 1
            previous = week
            longest = max(longest, run)
        return longest

    def summary(self, now: datetime) -> Summary:
        """Return every value as it stands at `now`."""
        tz = self.tz
        today = now.astimezone(tz).date()
        week = self._week_of(today)
        goal = self._goal_for_week(week)
        runs = 0
        distance = 0.0
        duration = 0.0
        for offset in range(7):
            if (day := self._days.get(week + timedelta(days=offset))) is not None:
                runs += day.count
                distance += day.distance
                duration += day.duration

        step = timedelta(days=7)
        streak = 0
        cursor = week if runs >= goal else week - step
        while self._week_met(cursor):
            streak += 1
            cursor -= step

        one = timedelta(days=1)
        day_streak = 0
        cursor = today if today in self._days else today - one
        while cursor in self._days:
            day_streak += 1
            cursor -= one

        window_start = local_midnight(today - timedelta(days=MOOD_WINDOW_DAYS - 1), tz)
        window_end = local_midnight(today + one, tz)
        window = self._observations[
            bisect_left(self._observations, (window_start.timestamp(),)) : bisect_left(
                self._observations, (window_end.timestamp(),)
            )
        ]
        mood_exact = sum(v for _, v in window) / len(window) if window else None
        # Sorted by time, so the window spans two days exactly when its ends do.
        low_mood = (
            mood_exact is not None
            and mood_exact <= self.settings.low_mood_threshold
            and len(window) >= LOW_MOOD_MIN_OBSERVATIONS
            and datetime.fromtimestamp(window[0][0], tz).date()
            != datetime.fromtimestamp(window[-1][0], tz).date()
        )

        lift_start = local_midnight(today - timedelta(days=LIFT_WINDOW_DAYS - 1), tz)
        lifts = self._lifts[
            bisect_left(self._lifts, (lift_start.timestamp(),)) : bisect_left(
                self._lifts, (window_end.timestamp(),)
            )
        ]
        mood_lift = round(sum(v for _, v in lifts) / len(lifts), 1) if lifts else None

        next_run = next_occurrence(
            self.history.schedule_changes,
            self.history.plans.values(),
            self._days,
            tz,
            now,
        )
        refresh_at = window_end
        if next_run is not None and next_run.start < refresh_at:
            # The next planned run moves on by itself once it starts.
            refresh_at = next_run.start

        return Summary(
            week_start=local_midnight(week, tz),
            weekly_goal=goal,
            runs_this_week=runs,
            weekly_goal_progress=round(runs / goal * 100, 1),
            distance_this_week=round(distance / 1000, 3),
            duration_this_week=round(duration / 60, 1),
            streak=streak,
            day_streak=day_streak,
            longest_streak=max(self._longest_streak, streak),
            longest_day_streak=max(self._longest_day_streak, day_streak),
            mood_score=None if mood_exact is None else round(mood_exact, 1),
            mood_score_exact=mood_exact,
            last_mood=self._observations[-1][1] if self._observations else None,
            mood_lift=mood_lift,
            last_run=self._last_run,
            total_runs=self._total,
            ran_today=today in self._days,
            weekly_goal_met=runs >= goal,
            low_mood=low_mood,
            refresh_at=refresh_at,
            next_planned_run=None if next_run is None else next_run.start,
        )

    def planned_now(self, now: datetime) -> Occurrence | None:
        """Return the planned occurrence under way at `now`, else the next one."""
        return current_or_next(
            self.history.schedule_changes,
            self.history.plans.values(),
            self._days,
            self.tz,
            now,
        )

    def planned(
        self, start: datetime, end: datetime, now: datetime
    ) -> list[Occurrence]:
        """Return the planned occurrences overlapping [start, end) as of `now`."""
        return occurrences(
            self.history.schedule_changes,
            self.history.plans.values(),
            self._days,
            self.tz,
            now=now,
            start=start,
            end=end,
        )


def _longest_run(days: list[date]) -> int:
    """Return the longest run of consecutive dates in a sorted list."""
    longest = 0
    run = 0
    previous: date | None = None
    one = timedelta(days=1)
    for day in days:
        run = run + 1 if previous is not None and day - previous == one else 1
        previous = day
        longest = max(longest, run)
    return longest
