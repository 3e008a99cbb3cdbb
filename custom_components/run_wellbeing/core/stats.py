"""Weeks, streaks and mood statistics of one profile, with no Home Assistant imports.

`ProfileStats` keeps small indexes of the history (counted sessions per local
day, mood observations sorted by time) that follow each added record in
O(log n), and are rebuilt from scratch when a record is removed or the time
zone or settings change. `ProfileStats.summary` derives every value of the
product's "Definitions" from them for a given moment.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from .models import GoalChange, History, MoodEntry, Plan, Session, Settings
from .plans import (
    MAX_LOOKBACK,
    Occurrence,
    current_or_next,
    next_occurrence,
    occurrences,
    schedule_slots,
)
from .sleep import sleep_after_runs

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
    sleep_after_runs: float | None = None
    sleep_nights_after_runs: int = 0
    sleep_nights_after_rest: int = 0

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


ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)


class _Runs:
    """Length of the run of consecutive units ending just before a unit.

    Counting back through a long streak costs one step per unit; the answer
    for "before today" (or "before this week") is kept until a record lands
    at or before that point.
    """

    __slots__ = ("_at", "_length")

    def __init__(self) -> None:
        self._at: date | None = None
        self._length = 0

    def invalidate(self, unit: date) -> None:
        """Forget the cached run if `unit` is part of it."""
        if self._at is not None and unit < self._at:
            self._at = None

    def before(
        self, unit: date, step: timedelta, active: Callable[[date], bool]
    ) -> int:
        """Return how many consecutive active units end at `unit - step`.

        Moving on by one unit (midnight, a new week) extends the kept answer
        in one step instead of counting back through the whole run.
        """
        if self._at is not None and self._at == unit - step:
            self._length = self._length + 1 if active(self._at) else 0
            self._at = unit
        elif self._at != unit:
            length = 0
            cursor = unit - step
            while active(cursor):
                length += 1
                cursor -= step
            self._at = unit
            self._length = length
        return self._length


class ProfileStats:
    """Indexes of one profile's history and the values derived from them."""

    def __init__(self, history: History, settings: Settings, tz: tzinfo) -> None:
        """Index the history for the given settings and time zone."""
        self.history = history
        self.settings = settings
        self.tz = tz
        self._days: dict[date, _Day] = {}
        self._weeks: dict[date, int] = {}
        self._observations: list[tuple[float, int]] = []
        self._lifts: list[tuple[float, int]] = []
        self._last_run: datetime | None = None
        self._total = 0
        self._longest_day_streak = 0
        self._longest_streak = 0
        # (start, order of arrival, id): sessions sorted by start, ties in the
        # order they were logged; `_keys` finds a session's entry to remove it.
        self._by_start: list[tuple[float, int, str]] = []
        self._keys: dict[str, tuple[float, int, str]] = {}
        self._order = 0
        # One-off plans by start, so past ones are skipped by a bisection.
        self._plans: list[tuple[float, str]] = []
        self._goal_dates: list[date] = []
        self._goals: list[int] = []
        self._week_start = settings.week_start.weekday
        self._day_runs = _Runs()
        self._week_runs = _Runs()
        # The card's year of day totals, updated per record (see `day_arrays`).
        self._arrays: tuple[date, list[int], list[int]] | None = None
        # Local dates of schedule slots in a range, until the range, the time
        # zone or the schedule changes (see `slot_days`).
        self._slots_key: tuple[Any, ...] | None = None
        self._slots: list[date] = []
        # The card's plan marks: the range and day they were made for, the
        # indexes of planned days (a record there changes its mark) and the
        # marks; one-off plans and mood observations count their changes.
        self._marks_key: tuple[Any, ...] | None = None
        self._planned_at: set[int] = set()
        self._marks: list[str] = []
        self._plans_version = 0
        self._moods_version = 0
        self._moods_key: tuple[Any, ...] | None = None
        self._moods: dict[date, float] = {}
        self.rebuild()

    def rebuild(
        self, settings: Settings | None = None, tz: tzinfo | None = None
    ) -> None:
        """Recompute every index from the records, e.g. after a delete."""
        if settings is not None:
            self.settings = settings
        if tz is not None:
            self.tz = tz
        self._week_start = self.settings.week_start.weekday
        self._days = {}
        self._weeks = {}
        self._observations = []
        self._lifts = []
        self._last_run = None
        self._total = 0
        self._day_runs = _Runs()
        self._week_runs = _Runs()
        self._arrays = None
        self._marks_key = None
        self._plans_version += 1
        self._moods_version += 1
        self._index_goals()
        keys = self._keys = {}
        for order, session in enumerate(self.history.sessions.values()):
            keys[session.id] = (session.start_ts, order, session.id)
            self._index_session(session, keep_sorted=False)
        self._by_start = sorted(keys.values())
        self._order = len(keys)
        self._plans = sorted(
            (plan.start.timestamp(), plan.id) for plan in self.history.plans.values()
        )
        self._observations.extend(
            (mood.time_ts, mood.mood) for mood in self.history.moods.values()
        )
        self._observations.sort()
        self._lifts.sort()
        self._longest_day_streak = _longest_run(sorted(self._days), ONE_DAY)
        self._longest_streak = _longest_run(
            sorted(week for week in self._weeks if self._week_met(week)), ONE_WEEK
        )

    def fingerprint(self) -> tuple[Any, ...]:
        """Return what changes whenever an index changes (see `adopt`)."""
        return (
            self._order,
            len(self._keys),
            self._plans_version,
            self._moods_version,
            id(self.settings),
            self.tz,
        )

    def adopt(self, rebuilt: ProfileStats) -> None:
        """Take the indexes `rebuilt` made from a copy of this history.

        A bulk change (an import) builds them in a thread, away from the
        event loop; the caller checks first that nothing changed here since
        (the same `fingerprint`). The history stays this one.
        """
        history = self.history
        plans_version = max(self._plans_version, rebuilt._plans_version) + 1
        moods_version = max(self._moods_version, rebuilt._moods_version) + 1
        vars(self).update(vars(rebuilt))
        self.history = history
        self._plans_version = plans_version
        self._moods_version = moods_version

    def reindex_goals(self, settings: Settings) -> None:
        """Follow a change of goal (or of settings that index nothing).

        Weeks are judged anew against their goals; the sessions' indexes stay.
        """
        self.settings = settings
        self._index_goals()
        self._week_runs = _Runs()
        self._longest_streak = _longest_run(
            sorted(week for week in self._weeks if self._week_met(week)), ONE_WEEK
        )

    def add_session(self, session: Session) -> None:
        """Follow a newly added session.

        Only a day that starts to count, or a week that reaches its goal, can
        lengthen a streak; a session on a day or week that already counted
        changes no run, so nothing is counted back.
        """
        key = self._keys[session.id] = (session.start_ts, self._order, session.id)
        self._order += 1
        insort(self._by_start, key)
        indexed = self._index_session(session, keep_sorted=True)
        if indexed is None:
            return
        day, day_new, week_new = indexed
        if day_new:
            self._longest_day_streak = max(
                self._longest_day_streak, self._run_through(day, ONE_DAY)
            )
        if week_new:
            self._longest_streak = max(
                self._longest_streak, self._run_through(self._week_of(day), ONE_WEEK)
            )

    def add_mood(self, mood: MoodEntry) -> None:
        """Follow a newly added mood entry."""
        insort(self._observations, (mood.time.timestamp(), mood.mood))
        self._moods_version += 1

    def add_plan(self, plan: Plan) -> None:
        """Follow a newly added one-off plan."""
        insort(self._plans, (plan.start.timestamp(), plan.id))
        self._plans_version += 1

    def remove_plan(self, plan: Plan) -> None:
        """Follow a removed one-off plan."""
        _remove_sorted(self._plans, (plan.start.timestamp(), plan.id))
        self._plans_version += 1

    def plans_between(self, start: datetime, end: datetime | None = None) -> list[Plan]:
        """Return the plans starting in [start, end): no scan of past plans."""
        index = self._plans
        low = bisect_left(index, (start.timestamp(),))
        high = len(index) if end is None else bisect_left(index, (end.timestamp(),))
        plans = self.history.plans
        return [plans[plan_id] for _ts, plan_id in index[low:high]]

    def remove_mood(self, mood: MoodEntry) -> None:
        """Follow a removed mood entry: one bisect, not a rebuild."""
        _remove_sorted(self._observations, (mood.time_ts, mood.mood))
        self._moods_version += 1

    def remove_session(self, session: Session) -> None:
        """Follow a removed session (already gone from the history).

        Days, weeks and mood observations are updated in place. The longest
        streaks are recounted only when the session's day or week stops
        counting, which scans the indexed days (not the sessions).
        """
        if (key := self._keys.pop(session.id, None)) is not None:
            _remove_sorted(self._by_start, key)
        start = session.start_ts
        if session.mood_before is not None or session.mood_after is not None:
            self._moods_version += 1
        if session.mood_before is not None:
            _remove_sorted(self._observations, (start, session.mood_before))
        if session.mood_after is not None:
            end = start + (session.duration or 0)
            _remove_sorted(self._observations, (end, session.mood_after))
            if session.mood_before is not None:
                _remove_sorted(
                    self._lifts, (start, session.mood_after - session.mood_before)
                )
        if session.activity not in self.settings.counted_activities:
            return
        local_day = session.start.astimezone(self.tz).date()
        week = self._week_of(local_day)
        was_met = self._week_met(week)
        day = self._days[local_day]
        day.count -= 1
        day.distance -= session.distance or 0.0
        day.duration -= session.duration or 0.0
        day_gone = day.count <= 0
        if day_gone:
            del self._days[local_day]
        self._touch_day(local_day)
        self._weeks[week] -= 1
        if not self._weeks[week]:
            del self._weeks[week]
        self._total -= 1
        self._day_runs = _Runs()
        self._week_runs = _Runs()
        if self._last_run == session.start:
            self._last_run = self._latest_counted_start()
        if day_gone:
            self._longest_day_streak = _longest_run(sorted(self._days), ONE_DAY)
        if was_met and not self._week_met(week):
            self._longest_streak = _longest_run(
                sorted(w for w in self._weeks if self._week_met(w)), ONE_WEEK
            )

    def _latest_counted_start(self) -> datetime | None:
        """Return the start of the latest counted session, newest first."""
        counted = self.settings.counted_activities
        sessions = self.history.sessions
        for _ts, _order, session_id in reversed(self._by_start):
            session = sessions[session_id]
            if session.activity in counted:
                return session.start
        return None

    def sessions_between(
        self, start: datetime | None, end: datetime | None
    ) -> list[Session]:
        """Return sessions starting in [start, end), oldest first: O(log n + k)."""
        index = self._by_start
        low = 0 if start is None else bisect_left(index, (start.timestamp(),))
        high = len(index) if end is None else bisect_left(index, (end.timestamp(),))
        sessions = self.history.sessions
        return [sessions[session_id] for _ts, _order, session_id in index[low:high]]

    def _index_goals(self) -> None:
        changes: Iterable[GoalChange] = sorted(
            self.history.goal_changes, key=lambda change: change.effective
        )
        self._goal_dates = []
        self._goals = []
        for change in changes:
            self._goal_dates.append(change.effective.astimezone(self.tz).date())
            self._goals.append(change.goal)

    def _index_session(
        self, session: Session, *, keep_sorted: bool
    ) -> tuple[date, bool, bool] | None:
        """Index a session; return what changed when it counts.

        That is its local day, whether the day just started to count and
        whether its week just reached its goal.
        """
        add = insort if keep_sorted else list.append
        start = session.start_ts
        if session.mood_before is not None or session.mood_after is not None:
            self._moods_version += 1
        if session.mood_before is not None:
            add(self._observations, (start, session.mood_before))
        if session.mood_after is not None:
            end = start + (session.duration or 0)
            add(self._observations, (end, session.mood_after))
            if session.mood_before is not None:
                add(self._lifts, (start, session.mood_after - session.mood_before))
        if session.activity not in self.settings.counted_activities:
            return None
        ordinal = session.start.astimezone(self.tz).toordinal()
        local_day = date.fromordinal(ordinal)
        day_new = (day := self._days.get(local_day)) is None
        if day is None:
            day = self._days[local_day] = _Day()
        day.count += 1
        day.distance += session.distance or 0.0
        day.duration += session.duration or 0.0
        if keep_sorted:
            self._touch_day(local_day)
        # Ordinal 1 (1 January of year 1) is a Monday, weekday 0.
        week = date.fromordinal(ordinal - (ordinal - 1 - self._week_start) % 7)
        runs = self._weeks[week] = self._weeks.get(week, 0) + 1
        week_new = keep_sorted and runs == self._goal_for_week(week)
        if keep_sorted:  # a rebuild starts with empty caches
            # A kept run changes only when a unit starts to count.
            if day_new:
                self._day_runs.invalidate(local_day)
            if week_new:
                self._week_runs.invalidate(week)
        self._total += 1
        if self._last_run is None or session.start > self._last_run:
            self._last_run = session.start
        return local_day, day_new, week_new

    def _week_of(self, day: date) -> date:
        return week_start_date(day, self._week_start)

    def _goal_for_week(self, week: date) -> int:
        """Return the goal in force at the end of the week starting on `week`."""
        goals = self._goals
        if len(goals) <= 1:
            return goals[0] if goals else self.settings.weekly_goal
        index = bisect_left(self._goal_dates, week + ONE_WEEK) - 1
        return goals[max(index, 0)]

    def _week_met(self, week: date) -> bool:
        return self._weeks.get(week, 0) >= self._goal_for_week(week)

    def _day_active(self, day: date) -> bool:
        return day in self._days

    def _run_through(self, unit: date, step: timedelta) -> int:
        """Return the length of the run of met weeks or active days holding `unit`."""
        active = self._day_active if step == ONE_DAY else self._week_met
        if not active(unit):
            return 0
        runs = self._day_runs if step == ONE_DAY else self._week_runs
        length = runs.before(unit, step, active) + 1
        later = unit + step
        while active(later):
            length += 1
            later += step
        return length

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

        streak = self._week_runs.before(week, ONE_WEEK, self._week_met) + (runs >= goal)
        day_streak = self._day_runs.before(today, ONE_DAY, self._day_active) + (
            today in self._days
        )
        one = ONE_DAY

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
            self.plans_between(now),
            self._days,
            tz,
            now,
        )
        sleep = (
            sleep_after_runs(self.history.sleep_nights, today, self._day_active)
            if self.history.sleep_nights
            else (None, 0, 0)
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
            sleep_after_runs=sleep[0],
            sleep_nights_after_runs=sleep[1],
            sleep_nights_after_rest=sleep[2],
        )

    def day_totals(self, day: date) -> tuple[int, float, float]:
        """Return counted sessions, distance (m) and duration (s) of a local day."""
        if (totals := self._days.get(day)) is None:
            return 0, 0.0, 0.0
        return totals.count, totals.distance, totals.duration

    def day_arrays(self, first: date, total: int) -> tuple[list[int], list[int]]:
        """Return counted sessions and distance (0.1 km, rounded) of `total` days.

        The arrays are kept: each added or removed session updates its day's
        slot, so only a new range (once a week for the card) rebuilds them.
        Copies are returned, so callers may keep them.
        """
        kept = self._arrays
        if kept is None or kept[0] != first or len(kept[1]) != total:
            counts: list[int] = []
            distances: list[int] = []
            days = self._days
            for offset in range(total):
                if (totals := days.get(first + timedelta(days=offset))) is None:
                    counts.append(0)
                    distances.append(0)
                else:
                    counts.append(totals.count)
                    distances.append(round(totals.distance / 100))
            kept = self._arrays = (first, counts, distances)
        return kept[1].copy(), kept[2].copy()

    def _touch_day(self, day: date) -> None:
        """Carry a day's new totals into the kept arrays and marks that hold it."""
        if (marks_key := self._marks_key) is not None:
            index = (day - marks_key[0]).days
            if index in self._planned_at:
                self._marks[index] = self._mark(day, marks_key[2])
        if (kept := self._arrays) is None:
            return
        index = (day - kept[0]).days
        if 0 <= index < len(kept[1]):
            totals = self._days.get(day)
            kept[1][index] = 0 if totals is None else totals.count
            kept[2][index] = 0 if totals is None else round(totals.distance / 100)

    def _mark(self, day: date, today: date) -> str:
        """Return a planned day's mark, as `plans.status_of` judges it."""
        if day in self._days:
            return "d"
        return "m" if day < today else "p"

    def plan_marks(self, first: date, last: date, today: date) -> str:
        """Return one mark per local day in [first, last] as of `today`.

        `d` a planned day with a counted session, `m` missed, `p` planned,
        `-` nothing planned. Every occurrence of a day has the status of the
        day (`plans.status_of`), so the marks are kept: a record changes the
        mark of its own day only, and they are made anew for another range,
        another day, or a change of plans or schedule.
        """
        tz = self.tz
        start = local_midnight(first, tz)
        end = local_midnight(last + ONE_DAY, tz)
        slots = self.slot_days(start, end)
        key = (first, last, today, self._slots_key, self._plans_version)
        if key != self._marks_key:
            total = (last - first).days + 1
            planned = [*slots]
            planned.extend(
                plan.start.astimezone(tz).date()
                for plan in self.plans_between(start, end)
            )
            marks = ["-"] * total
            self._planned_at = set()
            for day in planned:
                index = (day - first).days
                if 0 <= index < total:
                    self._planned_at.add(index)
                    marks[index] = self._mark(day, today)
            self._marks = marks
            self._marks_key = key
        return "".join(self._marks)

    def ran_on(self, day: date) -> bool:
        """Return whether a counted session started on this local day."""
        return day in self._days

    def slot_days(self, start: datetime, end: datetime) -> list[date]:
        """Return the local dates of the schedule slots starting in [start, end).

        Kept until the range, the time zone or the schedule changes: records
        never move a slot, only its status (see `plans.status_of`).
        """
        changes = self.history.schedule_changes
        key = (start, end, self.tz, tuple(changes))
        if key != self._slots_key:
            tz = self.tz
            self._slots = [
                slot.astimezone(tz).date()
                for slot, _duration in schedule_slots(changes, tz, start, end)
            ]
            self._slots_key = key
        return self._slots

    def daily_moods(self, first: date, last: date) -> dict[date, float]:
        """Return the mean mood observation of each local day in [first, last].

        Kept until the range, the time zone or an observation changes.
        """
        tz = self.tz
        key = (first, last, tz, self._moods_version)
        if key == self._moods_key:
            return self._moods.copy()
        observations = self._observations
        begin = bisect_left(observations, (local_midnight(first, tz).timestamp(),))
        end = bisect_left(
            observations, (local_midnight(last + ONE_DAY, tz).timestamp(),)
        )
        sums: dict[date, list[int]] = {}
        for moment, mood in observations[begin:end]:
            totals = sums.setdefault(datetime.fromtimestamp(moment, tz).date(), [0, 0])
            totals[0] += mood
            totals[1] += 1
        self._moods = {day: total / count for day, (total, count) in sums.items()}
        self._moods_key = key
        return self._moods.copy()

    def planned_now(self, now: datetime) -> Occurrence | None:
        """Return the planned occurrence under way at `now`, else the next one."""
        return current_or_next(
            self.history.schedule_changes,
            self.plans_between(now - MAX_LOOKBACK),
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
            self.plans_between(start - MAX_LOOKBACK, end),
            self._days,
            self.tz,
            now=now,
            start=start,
            end=end,
        )


def _remove_sorted[T: tuple[Any, ...]](items: list[T], item: T) -> None:
    """Remove one equal item from a sorted list, found by bisection."""
    index = bisect_left(items, item)
    if index < len(items) and items[index] == item:
        del items[index]


def _longest_run(units: list[date], step: timedelta) -> int:
    """Return the longest run of dates `step` apart in a sorted list."""
    longest = 0
    run = 0
    previous: date | None = None
    for unit in units:
        run = run + 1 if previous is not None and unit - previous == step else 1
        previous = unit
        longest = max(longest, run)
    return longest
