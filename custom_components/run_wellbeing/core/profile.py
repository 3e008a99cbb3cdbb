"""The use cases of one profile: every change it knows, in plain Python.

Each use case checks its input (raising `RecordError` with a translation
key), builds the journal line, awaits the writer and only then changes the
history and the statistics. A change the writer could not make durable is
never kept, so nothing is shown that a restart would lose. Time and ids come
from outside (a clock and an id factory), and so does the writer: in Home
Assistant the profile's store, in tests anything that awaits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
import dataclasses
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from .models import (
    FUTURE_TOLERANCE,
    MAX_DURATION_S,
    WEEKDAYS,
    Activity,
    GoalChange,
    History,
    MoodEntry,
    Plan,
    RecordError,
    ScheduleChange,
    Session,
    Settings,
    Source,
    check_in_range,
    check_mood,
    check_not_future,
    check_note,
    check_session,
)
from .sleep import night_of
from .stats import ProfileStats

type Op = dict[str, Any]
type Write = Callable[[Op], Awaitable[object]]
"""Make one journal line durable; raises `OSError` when it could not."""
type AnyRecord = Session | MoodEntry | Plan

BULK_REBUILD = 100
"""An import larger than this re-indexes once instead of inserting one by one."""
_FIXED = frozenset({"id", "source", "extra"})
SESSION_FIELDS = (
    frozenset(f.name for f in dataclasses.fields(Session) if f.init) - _FIXED
)
"""The fields of a session an edit may change."""
MOOD_FIELDS = (
    frozenset(f.name for f in dataclasses.fields(MoodEntry) if f.init) - _FIXED
)
ALL_KINDS: tuple[type[AnyRecord], ...] = (Session, MoodEntry, Plan)
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid_time_ms(record_id: str) -> int | None:
    """Return the moment (ms since 1970) a ULID was made, None for another id.

    A ULID's first ten characters are its first 48 bits: the time it was made.
    """
    if len(record_id) != 26:
        return None
    value = 0
    for char in record_id[:10].upper():
        if (digit := _CROCKFORD.find(char)) < 0:
            return None
        value = value * 32 + digit
    return value if value < 1 << 48 else None


def schedule_of(
    days: Collection[str], at: time, duration: float, effective: datetime
) -> ScheduleChange:
    """Return a weekly schedule; the days in week order, so order is no change."""
    return ScheduleChange(
        effective=effective,
        days=tuple(day for day in WEEKDAYS if day in days),
        at=at,
        duration=duration,
    )


async def _now[T](call: Callable[[], T]) -> T:
    """Return `call()` at once (a few records are not worth a thread)."""
    return call()


def _keep(
    history: History,
    batch: tuple[list[Session], list[MoodEntry], list[Plan]],
) -> None:
    """Put checked records into a history."""
    history.sessions.update((session.id, session) for session in batch[0])
    history.moods.update((mood.id, mood) for mood in batch[1])
    history.plans.update((plan.id, plan) for plan in batch[2])


class Profile:
    """One person's history, its statistics and every way to change them."""

    def __init__(
        self,
        history: History,
        stats: ProfileStats,
        write: Write,
        *,
        clock: Callable[[], datetime],
        new_id: Callable[[], str],
    ) -> None:
        """Change `history` (indexed by `stats`) only through `write`."""
        self._history = history
        self.stats = stats
        self._write = write
        self._clock = clock
        self._new_id = new_id
        self._settings_lock = asyncio.Lock()
        self._weeks_pending: set[str] = set()

    @property
    def history(self) -> History:
        """Return the history; read it, change it only through the use cases."""
        return self._history

    # Checks

    def _check_time(self, moment: datetime) -> None:
        """Refuse a moment outside 1970-2100 in the profile's time zone."""
        try:
            check_in_range(moment, self.stats.tz)
        except OverflowError as err:
            raise RecordError("time_too_late") from err

    def _check_session(self, session: Session, now: datetime) -> None:
        check_session(session, now, FUTURE_TOLERANCE)
        self._check_time(session.start)

    def _check_mood(self, mood: MoodEntry, now: datetime) -> None:
        check_mood(mood.mood)
        check_note(mood.note)
        check_not_future(mood.time, now, FUTURE_TOLERANCE)
        self._check_time(mood.time)

    def _check_plan(self, plan: Plan) -> None:
        if plan.start.tzinfo is None:
            raise RecordError("naive_time")
        self._check_time(plan.start)
        if plan.duration is not None and not 0 < plan.duration <= MAX_DURATION_S:
            raise RecordError("invalid_duration")
        check_note(plan.note)

    # Records

    async def log_session(
        self,
        *,
        start: datetime | None = None,
        activity: Activity = Activity.RUN,
        duration: float | None = None,
        distance: float | None = None,
        mood_before: int | None = None,
        mood_after: int | None = None,
        effort: int | None = None,
        note: str | None = None,
        source: Source = Source.ACTION,
    ) -> Session:
        """Check and keep a session (duration in s, distance in m)."""
        now = self._clock()
        session = Session(
            id=self._new_id(),
            start=start or now,
            activity=Activity(activity),
            duration=duration,
            distance=distance,
            mood_before=mood_before,
            mood_after=mood_after,
            effort=effort,
            note=note or None,
            source=source,
        )
        self._check_session(session, now)
        await self._write({"op": "session", "record": session.as_dict()})
        self._history.sessions[session.id] = session
        self.stats.add_session(session)
        return session

    async def log_mood(
        self, *, mood: int, when: datetime | None = None, note: str | None = None
    ) -> MoodEntry:
        """Check and keep a mood entry."""
        now = self._clock()
        entry = MoodEntry(
            id=self._new_id(), time=when or now, mood=mood, note=note or None
        )
        self._check_mood(entry, now)
        await self._write({"op": "mood", "record": entry.as_dict()})
        self._history.moods[entry.id] = entry
        self.stats.add_mood(entry)
        return entry

    async def update_record(
        self, record_id: str, changes: Mapping[str, Any]
    ) -> Session | MoodEntry:
        """Change fields of a session or mood entry; its id stays the same.

        `changes` holds field names of the record (a session's `start`,
        `activity`, `duration` in s, `distance` in m, `mood_before`,
        `mood_after`, `effort`, `note`; a mood entry's `time`, `mood`, `note`).
        The changed record is checked like a new one and journaled as a
        whole, so replay keeps the last version.
        """
        history = self._history
        now = self._clock()
        if (old_session := history.sessions.get(record_id)) is not None:
            fields = {k: v for k, v in changes.items() if k in SESSION_FIELDS}
            if "activity" in fields:
                if fields["activity"] not in Activity.__members__.values():
                    raise RecordError("invalid_activity")
                fields["activity"] = Activity(fields["activity"])
            session = dataclasses.replace(old_session, **fields)
            if session.note == "":
                session = dataclasses.replace(session, note=None)
            self._check_session(session, now)
            await self._write({"op": "session", "record": session.as_dict()})
            # Still the same record? A delete awaited alongside may have won.
            if history.sessions.get(record_id) is old_session:
                history.sessions[record_id] = session
                self.stats.remove_session(old_session)
                self.stats.add_session(session)
            return session
        if (old_mood := history.moods.get(record_id)) is not None:
            fields = {k: v for k, v in changes.items() if k in MOOD_FIELDS}
            mood = dataclasses.replace(old_mood, **fields)
            if mood.note == "":
                mood = dataclasses.replace(mood, note=None)
            self._check_mood(mood, now)
            await self._write({"op": "mood", "record": mood.as_dict()})
            if history.moods.get(record_id) is old_mood:
                history.moods[record_id] = mood
                self.stats.remove_mood(old_mood)
                self.stats.add_mood(mood)
            return mood
        raise RecordError("record_not_found", record_id=record_id)

    def find(self, record_id: str) -> AnyRecord | None:
        """Return the session, mood entry or plan with this id."""
        history = self._history
        return (
            history.sessions.get(record_id)
            or history.moods.get(record_id)
            or history.plans.get(record_id)
        )

    async def delete_record(self, record_id: str) -> AnyRecord:
        """Remove a session, mood entry or plan; longest streaks may drop."""
        if self.find(record_id) is None:
            raise RecordError("record_not_found", record_id=record_id)
        await self._write({"op": "delete", "id": record_id})
        return self._forget(record_id)

    def _forget(self, record_id: str) -> AnyRecord:
        history = self._history
        if (session := history.sessions.pop(record_id, None)) is not None:
            self.stats.remove_session(session)
            return session
        if (mood := history.moods.pop(record_id, None)) is not None:
            self.stats.remove_mood(mood)
            return mood
        plan = history.plans.pop(record_id)
        self.stats.remove_plan(plan)
        return plan

    def last_logged(
        self, within: timedelta, kinds: Collection[type[AnyRecord]] = ALL_KINDS
    ) -> AnyRecord | None:
        """Return the record of one of `kinds` logged last, if within the window.

        Record ids are ULIDs made when the record was logged, and the history
        keeps insertion order, so only the newest record of each kind is read.
        """
        since_ms = (self._clock() - within).timestamp() * 1000
        newest: tuple[int, AnyRecord] | None = None
        history = self._history
        records: dict[str, Session] | dict[str, MoodEntry] | dict[str, Plan]
        for kind, records in (
            (Session, history.sessions),
            (MoodEntry, history.moods),
            (Plan, history.plans),
        ):
            if kind not in kinds or not records:
                continue
            record = records[next(reversed(records))]
            if (logged_ms := ulid_time_ms(record.id)) is None:
                continue
            if logged_ms >= since_ms and (newest is None or logged_ms > newest[0]):
                newest = (logged_ms, record)
        return None if newest is None else newest[1]

    async def undo_last(
        self, within: timedelta, kinds: Collection[type[AnyRecord]] = ALL_KINDS
    ) -> AnyRecord | None:
        """Remove the record of one of `kinds` logged last within the window.

        "Delete my last run" passes `kinds=(Session,)`: it never removes a mood.
        """
        if (record := self.last_logged(within, kinds)) is None:
            return None
        await self.delete_record(record.id)
        return record

    async def plan_run(
        self, *, start: datetime, duration: float, note: str | None = None
    ) -> Plan:
        """Check and keep a one-off planned run (duration in s), in the future."""
        plan = Plan(
            id=self._new_id(), start=start, duration=duration, note=note or None
        )
        if start.tzinfo is None:
            raise RecordError("naive_time")
        if start <= self._clock():
            raise RecordError("plan_in_past")
        self._check_plan(plan)
        await self._write({"op": "plan", "record": plan.as_dict()})
        self._history.plans[plan.id] = plan
        self.stats.add_plan(plan)
        return plan

    async def cancel_plan(self, plan_id: str) -> Plan:
        """Remove a one-off planned run; schedule slots change in the settings."""
        if plan_id not in self._history.plans:
            raise RecordError("plan_not_found", plan_id=plan_id)
        await self._write({"op": "delete", "id": plan_id})
        plan = self._history.plans.pop(plan_id, None)
        if plan is None:  # cancelled by a call awaited alongside
            raise RecordError("plan_not_found", plan_id=plan_id)
        self.stats.remove_plan(plan)
        return plan

    async def add_records(
        self,
        sessions: Sequence[Session],
        moods: Sequence[MoodEntry],
        plans: Sequence[Plan],
    ) -> None:
        """Keep imported records, all or nothing, with one write.

        Every record is checked first; one refused refuses them all.
        """
        if not (sessions or moods or plans):
            return
        now = self._clock()
        stats = self.stats
        batch = (list(sessions), list(moods), list(plans))
        bulk = len(batch[0]) + len(batch[1]) + len(batch[2]) > BULK_REBUILD
        fingerprint = stats.fingerprint()
        future = self._history.copy() if bulk else None

        def prepare() -> tuple[dict[str, Any], ProfileStats | None]:
            """Check and encode the records; for many, index them anew."""
            for session in batch[0]:
                self._check_session(session, now)
            for mood in batch[1]:
                self._check_mood(mood, now)
            for plan in batch[2]:
                self._check_plan(plan)
            op = {
                "op": "records",
                "sessions": [s.as_dict() for s in batch[0]],
                "moods": [m.as_dict() for m in batch[1]],
                "plans": [p.as_dict() for p in batch[2]],
            }
            if future is None:
                return op, None
            _keep(future, batch)
            # One re-index is cheaper than thousands of sorted inserts.
            return op, ProfileStats(future, stats.settings, stats.tz)

        # An import of thousands is checked and indexed in a thread: nothing
        # else reads these records yet, and the event loop stays free.
        op, rebuilt = await (asyncio.to_thread(prepare) if bulk else _now(prepare))
        await self._write(op)
        _keep(self._history, batch)
        if rebuilt is not None:
            if stats.fingerprint() == fingerprint:
                stats.adopt(rebuilt)
            else:  # changed while the thread indexed: index again, here
                stats.rebuild()
            return
        for session in batch[0]:
            stats.add_session(session)
        for mood in batch[1]:
            stats.add_mood(mood)
        for plan in batch[2]:
            stats.add_plan(plan)

    # Settings, weeks and nights

    async def apply_settings(
        self,
        settings: Settings,
        schedule_days: Collection[str],
        schedule_at: time,
        schedule_duration: float,
    ) -> bool:
        """Follow new settings; goal and schedule changes count from now on.

        A changed goal or schedule is written (and awaited) before anything
        is applied, so a failed write leaves the profile as it was. Returns
        whether the goal or schedule changed.
        """
        async with self._settings_lock:
            now = self._clock()
            history = self._history
            ops: list[Op] = []
            goal: GoalChange | None = None
            if (
                not history.goal_changes
                or history.goal_changes[-1].goal != settings.weekly_goal
            ):
                goal = GoalChange(now, settings.weekly_goal)
                ops.append({"op": "goal", "record": goal.as_dict()})
            wanted = schedule_of(schedule_days, schedule_at, schedule_duration, now)
            last = history.schedule_changes[-1] if history.schedule_changes else None
            schedule: ScheduleChange | None = None
            if (wanted.days or last is not None) and (
                last is None
                or (last.days, last.at, last.duration)
                != (wanted.days, wanted.at, wanted.duration)
            ):
                schedule = wanted
                ops.append({"op": "schedule", "record": schedule.as_dict()})
            for op in ops:
                await self._write(op)
            if goal is not None:
                history.goal_changes.append(goal)
            if schedule is not None:
                history.schedule_changes.append(schedule)
            old = self.stats.settings
            if (settings.week_start, settings.counted_activities) != (
                old.week_start,
                old.counted_activities,
            ):
                # Days and weeks were indexed for the old settings: index anew.
                self.stats.rebuild(settings=settings)
            elif ops or settings != old:
                # A new goal or schedule: only the goals and the streaks they judge.
                self.stats.reindex_goals(settings)
            return bool(ops)

    async def mark_goal_reached(self, week: str) -> bool:
        """Remember that a week's goal was reached; True the first time only."""
        if week in self._history.goal_reached_weeks or week in self._weeks_pending:
            return False
        self._weeks_pending.add(week)
        try:
            await self._write({"op": "week", "week": week})
        finally:
            self._weeks_pending.discard(week)
        self._history.goal_reached_weeks.add(week)
        return True

    def _nights_of(
        self, readings: Sequence[tuple[datetime, float]]
    ) -> dict[str, float]:
        """Return each reading's night and value; the last report of a night wins."""
        nights: dict[str, float] = {}
        for reported, hours in readings:
            if (day := night_of(reported, self.stats.tz)) is not None:
                nights[day.isoformat()] = hours
        return nights

    async def _keep_nights(self, nights: Mapping[str, float]) -> bool:
        kept = self._history.sleep_nights
        changed = {day: h for day, h in nights.items() if kept.get(day) != h}
        if not changed:
            return False
        await self._write({"op": "sleep", "nights": changed})
        kept.update(changed)
        return True

    async def record_sleep(self, readings: Sequence[tuple[datetime, float]]) -> bool:
        """Keep sleep readings as their nights' values; True when a night changed.

        Only nights whose value changes are written.
        """
        return await self._keep_nights(self._nights_of(readings))

    async def backfill_sleep(self, readings: Sequence[tuple[datetime, float]]) -> bool:
        """Keep the nights the profile has not seen (read from the recorder)."""
        kept = self._history.sleep_nights
        found = self._nights_of(readings)
        return await self._keep_nights(
            {day: hours for day, hours in found.items() if day not in kept}
        )

    def follow_time_zone(self, tz: tzinfo) -> None:
        """Re-index when the time zone changes: local days moved."""
        if tz != self.stats.tz:
            self.stats.rebuild(tz=tz)

    # Reading

    def has_session_near(
        self, activity: Activity, start: datetime, end: datetime
    ) -> bool:
        """Return True when a session of `activity` overlaps [start, end]."""
        low, high = start.timestamp(), end.timestamp()
        return any(
            session.activity == activity
            and session.start_ts + (session.duration or 0) >= low
            for session in self.stats.sessions_between(
                start - timedelta(seconds=MAX_DURATION_S),
                end + timedelta(microseconds=1),
            )
            if session.start_ts <= high
        )
