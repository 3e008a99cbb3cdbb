"""The one place that holds a profile's records and computed state."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
import dataclasses
from datetime import datetime, time, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_NAME, EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import CALLBACK_TYPE, Context, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util, ulid as ulid_util

from .const import (
    CONF_COUNTED_ACTIVITIES,
    CONF_LOW_MOOD_THRESHOLD,
    CONF_PLAN_DAYS,
    CONF_PLAN_DURATION,
    CONF_PLAN_TIME,
    CONF_WEEK_START,
    CONF_WEEKLY_GOAL,
    DEFAULT_COUNTED_ACTIVITIES,
    DEFAULT_LOW_MOOD_THRESHOLD,
    DEFAULT_PLAN_DURATION,
    DEFAULT_PLAN_TIME,
    DEFAULT_WEEK_START,
    DEFAULT_WEEKLY_GOAL,
    DOMAIN,
    EVENT_MOOD_LOGGED,
    EVENT_SESSION_LOGGED,
    EVENT_STREAK_MILESTONE,
    EVENT_WEEKLY_GOAL_REACHED,
    FUTURE_TOLERANCE_S,
    LOGGER,
    STREAK_MILESTONES,
)
from .core.models import (
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
    WeekStart,
    check_in_range,
    check_mood,
    check_not_future,
    check_note,
    check_session,
)
from .core.stats import ProfileStats, Summary
from .linked_sensors import LinkedSensors
from .storage.store import ProfileStore

type RunWellbeingConfigEntry = ConfigEntry[RunWellbeingCoordinator]

FUTURE_TOLERANCE = timedelta(seconds=FUTURE_TOLERANCE_S)
BULK_REBUILD = 100
SESSION_FIELDS = frozenset(
    {
        "start",
        "activity",
        "duration",
        "distance",
        "mood_before",
        "mood_after",
        "effort",
        "note",
    }
)
MOOD_FIELDS = frozenset({"time", "mood", "note"})
SLEEP_JOURNAL_NIGHTS = 40


def settings_from_options(options: Mapping[str, Any]) -> Settings:
    """Return the statistics settings held in a config entry's options."""
    return Settings(
        weekly_goal=int(options.get(CONF_WEEKLY_GOAL, DEFAULT_WEEKLY_GOAL)),
        week_start=WeekStart(options.get(CONF_WEEK_START, DEFAULT_WEEK_START)),
        counted_activities=frozenset(
            Activity(activity)
            for activity in options.get(
                CONF_COUNTED_ACTIVITIES, DEFAULT_COUNTED_ACTIVITIES
            )
        ),
        low_mood_threshold=float(
            options.get(CONF_LOW_MOOD_THRESHOLD, DEFAULT_LOW_MOOD_THRESHOLD)
        ),
    )


def schedule_from_options(
    options: Mapping[str, Any], effective: datetime
) -> ScheduleChange:
    """Return the weekly schedule held in a config entry's options."""
    return ScheduleChange(
        effective=effective,
        # In week order, so picking the same days in another order is no change.
        days=tuple(day for day in WEEKDAYS if day in options.get(CONF_PLAN_DAYS, [])),
        at=time.fromisoformat(options.get(CONF_PLAN_TIME, DEFAULT_PLAN_TIME)),
        duration=float(options.get(CONF_PLAN_DURATION, DEFAULT_PLAN_DURATION)) * 60,
    )


def refused(err: RecordError) -> ServiceValidationError:
    """Translate a refused record into the error a caller sees."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=err.translation_key,
        translation_placeholders=err.placeholders,
    )


class RunWellbeingCoordinator(DataUpdateCoordinator[Summary]):
    """Owns a profile's history, keeps its summary current and stores changes."""

    config_entry: RunWellbeingConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RunWellbeingConfigEntry,
        store: ProfileStore,
        history: History,
        stats: ProfileStats | None = None,
    ) -> None:
        """Index the loaded history (unless given indexed); `async_start` follows time."""
        super().__init__(hass, LOGGER, config_entry=entry, name=entry.title)
        self.store = store
        self.history = history
        self.stats = stats or ProfileStats(
            history,
            settings_from_options(entry.options),
            dt_util.get_default_time_zone(),
        )
        self._unsub_refresh_at: CALLBACK_TYPE | None = None
        self._refresh_at: datetime | None = None
        self._stopped = False
        self.publish_context: Context | None = None
        self.device_name = self.profile_name
        self.data = self.stats.summary(dt_util.utcnow())
        self.linked = LinkedSensors(hass, self)

    @property
    def profile_name(self) -> str:
        """Return the person's name."""
        return str(self.config_entry.data[CONF_NAME])

    @callback
    def async_start(self) -> None:
        """Record option changes and follow midnight and time zone changes."""
        self.async_apply_options()
        self.config_entry.async_on_unload(
            self.hass.bus.async_listen(
                EVENT_CORE_CONFIG_UPDATE, self._async_core_config
            )
        )
        self.config_entry.async_on_unload(self._async_stop)

    @callback
    def async_apply_options(self) -> None:
        """Follow the entry's options, recording goal and schedule changes from now on."""
        options = self.config_entry.options
        now = dt_util.utcnow()
        settings = settings_from_options(options)
        history = self.history
        changed = False
        if (
            not history.goal_changes
            or history.goal_changes[-1].goal != settings.weekly_goal
        ):
            history.goal_changes.append(GoalChange(now, settings.weekly_goal))
            changed = True
        schedule = schedule_from_options(options, now)
        last = history.schedule_changes[-1] if history.schedule_changes else None
        if (schedule.days or last is not None) and (
            last is None
            or (last.days, last.at, last.duration)
            != (schedule.days, schedule.at, schedule.duration)
        ):
            history.schedule_changes.append(schedule)
            changed = True
        if changed:
            for goal in history.goal_changes[-1:]:
                if goal.effective == now:
                    self.store.async_append({"op": "goal", "record": goal.as_dict()})
            if history.schedule_changes and history.schedule_changes[-1] is schedule:
                self.store.async_append(
                    {"op": "schedule", "record": schedule.as_dict()}
                )
        if settings.week_start != self.stats.settings.week_start or (
            settings.counted_activities != self.stats.settings.counted_activities
        ):
            # Days and weeks were indexed for the old settings: index them anew.
            self.stats.rebuild(settings=settings)
        elif changed or settings != self.stats.settings:
            # A new goal or schedule: only the goals and the streaks they judge.
            self.stats.reindex_goals(settings)
        self.async_publish()
        if not self._stopped:
            self.linked.async_apply_options()

    @callback
    def async_sleep_changed(self) -> None:
        """Keep newly observed nights and show what they change.

        The nights are already in memory; the journal line holds the recent
        ones (a bounded number), and the next compaction holds them all.
        """
        recent = sorted(self.history.sleep_nights.items())[-SLEEP_JOURNAL_NIGHTS:]
        self.store.async_append({"op": "sleep", "nights": dict(recent)})
        self.async_publish()

    @callback
    def async_publish(self, context: Context | None = None) -> Summary:
        """Recompute the summary, push it to the entities and schedule the next refresh.

        With the context of the action that caused it, the state changes are
        attributed to that action (and its user) and share one context.
        """
        summary = self.stats.summary(dt_util.utcnow())
        if self._stopped:
            return summary
        if self._unsub_refresh_at is None or summary.refresh_at != self._refresh_at:
            self._async_cancel_refresh_at()
            self._refresh_at = summary.refresh_at
            self._unsub_refresh_at = async_track_point_in_utc_time(
                self.hass, self._async_refresh_at, summary.refresh_at
            )
        self.publish_context = context
        try:
            self.async_set_updated_data(summary)
        finally:
            self.publish_context = None
        return summary

    @callback
    def _async_stop(self) -> None:
        """Stop following time; a write finishing after unload publishes nothing."""
        self._stopped = True
        self._async_cancel_refresh_at()
        self.linked.async_stop()

    @callback
    def _async_refresh_at(self, _now: datetime) -> None:
        self._unsub_refresh_at = None
        self.async_publish()

    @callback
    def _async_cancel_refresh_at(self) -> None:
        if self._unsub_refresh_at is not None:
            self._unsub_refresh_at()
            self._unsub_refresh_at = None

    @callback
    def _async_core_config(self, _event: Event[Any]) -> None:
        """Re-index when the time zone changes; local days moved."""
        tz = dt_util.get_default_time_zone()
        if tz != self.stats.tz:
            self.stats.rebuild(tz=tz)
        self.async_publish()

    async def _async_record(
        self, op: dict[str, Any], apply: Callable[[], None]
    ) -> None:
        """Write a change to the journal, then apply it; answer once it is on disk.

        When the write fails, the change is not applied (nothing is kept that
        is not on disk) and the caller gets a translated error.
        """
        try:
            await self.store.async_append(op, apply)
        except RecordError as err:  # this change alone cannot be written
            raise refused(err) from err
        except OSError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="write_failed",
                translation_placeholders={"name": self.profile_name},
            ) from err

    def _check_time(self, moment: datetime) -> None:
        """Refuse a moment outside 1970-2100 in the home's time zone."""
        try:
            check_in_range(moment, self.stats.tz)
        except OverflowError as err:
            raise RecordError("time_too_late") from err

    async def async_flush(self) -> None:
        """Write everything into the snapshot now, e.g. before a backup."""
        await self.store.async_flush()

    def _event_data(self) -> dict[str, Any]:
        return {"entry_id": self.config_entry.entry_id, "name": self.profile_name}

    async def async_log_session(
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
        context: Context | None = None,
    ) -> Session:
        """Validate, keep and announce a session (duration in s, distance in m)."""
        now = dt_util.utcnow()
        session = Session(
            id=ulid_util.ulid_now(),
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
        try:
            check_session(session, now, FUTURE_TOLERANCE)
            self._check_time(session.start)
        except RecordError as err:
            raise refused(err) from err

        def apply() -> None:
            self.history.sessions[session.id] = session
            self.stats.add_session(session)

        await self._async_record({"op": "session", "record": session.as_dict()}, apply)
        before = self.data
        after = self.async_publish(context)
        payload = session.as_dict()
        del payload["note"]
        self.hass.bus.async_fire(
            EVENT_SESSION_LOGGED, self._event_data() | payload, context=context
        )
        self._async_fire_progress(before, after, context)
        return session

    @callback
    def _async_fire_progress(
        self, before: Summary, after: Summary, context: Context | None = None
    ) -> None:
        """Announce a weekly goal reached (once a week) and streak milestones."""
        week = after.week_key
        if (
            after.weekly_goal_met
            and before.runs_this_week < after.runs_this_week
            and week not in self.history.goal_reached_weeks
        ):
            self.history.goal_reached_weeks.add(week)
            self.store.async_append({"op": "week", "week": week})
            self.hass.bus.async_fire(
                EVENT_WEEKLY_GOAL_REACHED,
                self._event_data()
                | {
                    "week_start": after.week_start.isoformat(),
                    "runs_this_week": after.runs_this_week,
                    "weekly_goal": after.weekly_goal,
                },
                context=context,
            )
        crossed = [m for m in STREAK_MILESTONES if before.streak < m <= after.streak]
        if crossed:
            self.hass.bus.async_fire(
                EVENT_STREAK_MILESTONE,
                self._event_data() | {"streak": after.streak, "milestone": crossed[-1]},
                context=context,
            )

    async def async_log_mood(
        self,
        *,
        mood: int,
        when: datetime | None = None,
        note: str | None = None,
        context: Context | None = None,
    ) -> MoodEntry:
        """Validate, keep and announce a mood entry."""
        now = dt_util.utcnow()
        entry = MoodEntry(
            id=ulid_util.ulid_now(), time=when or now, mood=mood, note=note or None
        )
        try:
            check_mood(entry.mood)
            check_note(entry.note)
            check_not_future(entry.time, now, FUTURE_TOLERANCE)
            self._check_time(entry.time)
        except RecordError as err:
            raise refused(err) from err

        def apply() -> None:
            self.history.moods[entry.id] = entry
            self.stats.add_mood(entry)

        await self._async_record({"op": "mood", "record": entry.as_dict()}, apply)
        self.async_publish(context)
        self.hass.bus.async_fire(
            EVENT_MOOD_LOGGED,
            self._event_data()
            | {"id": entry.id, "time": entry.time.isoformat(), "mood": entry.mood},
            context=context,
        )
        return entry

    async def async_delete_record(
        self, record_id: str, context: Context | None = None
    ) -> None:
        """Remove a session, mood entry or plan; longest streaks may drop."""
        history = self.history
        if not any(
            record_id in records
            for records in (history.sessions, history.moods, history.plans)
        ):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="record_not_found",
                translation_placeholders={"record_id": record_id},
            )

        def apply() -> None:
            if (session := history.sessions.pop(record_id, None)) is not None:
                self.stats.remove_session(session)
            elif (mood := history.moods.pop(record_id, None)) is not None:
                self.stats.remove_mood(mood)
            elif (plan := history.plans.pop(record_id, None)) is not None:
                self.stats.remove_plan(plan)

        await self._async_record({"op": "delete", "id": record_id}, apply)
        self.async_publish(context)

    async def async_undo_last(
        self,
        within: timedelta,
        context: Context | None = None,
        kinds: Collection[type[Session | MoodEntry | Plan]] = (
            Session,
            MoodEntry,
            Plan,
        ),
    ) -> Session | MoodEntry | Plan | None:
        """Remove the record of one of `kinds` logged last, if within the window.

        Record ids are ULIDs made when the record was logged, and the history
        keeps insertion order, so only the newest record of each kind is read.
        "Delete my last run" passes `kinds=(Session,)`: it never removes a mood.
        """
        since_ms = (dt_util.utcnow() - within).timestamp() * 1000
        newest: tuple[int, Session | MoodEntry | Plan] | None = None
        history = self.history
        records: dict[str, Session] | dict[str, MoodEntry] | dict[str, Plan]
        for kind, records in (
            (Session, history.sessions),
            (MoodEntry, history.moods),
            (Plan, history.plans),
        ):
            if kind not in kinds or not records:
                continue
            record = records[next(reversed(records))]
            if (raw := ulid_util.ulid_to_bytes_or_none(record.id)) is None:
                continue
            logged_ms = int.from_bytes(raw[:6])  # a ULID starts with its time
            if logged_ms >= since_ms and (newest is None or logged_ms > newest[0]):
                newest = (logged_ms, record)
        if newest is None:
            return None
        await self.async_delete_record(newest[1].id, context)
        return newest[1]

    async def async_update_record(
        self,
        record_id: str,
        changes: Mapping[str, Any],
        context: Context | None = None,
    ) -> Session | MoodEntry:
        """Change fields of a logged session or mood entry; its id stays the same.

        `changes` holds field names of the record (a session's `start`,
        `activity`, `duration` in s, `distance` in m, `mood_before`,
        `mood_after`, `effort`, `note`; a mood entry's `time`, `mood`, `note`).
        The changed record is checked like a new one and journaled as a
        whole, so replay keeps the last version. Used by the card's day view
        and by the mood question asked after a run logged by voice.
        """
        history = self.history
        now = dt_util.utcnow()
        try:
            if (old_session := history.sessions.get(record_id)) is not None:
                fields = {k: v for k, v in changes.items() if k in SESSION_FIELDS}
                if "activity" in fields:
                    if fields["activity"] not in Activity.__members__.values():
                        raise RecordError("invalid_activity")
                    fields["activity"] = Activity(fields["activity"])
                session = dataclasses.replace(old_session, **fields)
                if session.note == "":
                    session = dataclasses.replace(session, note=None)
                check_session(session, now, FUTURE_TOLERANCE)
                self._check_time(session.start)

                def apply_session() -> None:
                    history.sessions[record_id] = session
                    self.stats.remove_session(old_session)
                    self.stats.add_session(session)

                await self._async_record(
                    {"op": "session", "record": session.as_dict()}, apply_session
                )
                self.async_publish(context)
                return session
            if (old_mood := history.moods.get(record_id)) is not None:
                fields = {k: v for k, v in changes.items() if k in MOOD_FIELDS}
                mood = dataclasses.replace(old_mood, **fields)
                if mood.note == "":
                    mood = dataclasses.replace(mood, note=None)
                check_mood(mood.mood)
                check_note(mood.note)
                check_not_future(mood.time, now, FUTURE_TOLERANCE)
                self._check_time(mood.time)

                def apply_mood() -> None:
                    history.moods[record_id] = mood
                    self.stats.remove_mood(old_mood)
                    self.stats.add_mood(mood)

                await self._async_record(
                    {"op": "mood", "record": mood.as_dict()}, apply_mood
                )
                self.async_publish(context)
                return mood
        except RecordError as err:
            raise refused(err) from err
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="record_not_found",
            translation_placeholders={"record_id": record_id},
        )

    async def async_plan_run(
        self,
        *,
        start: datetime,
        duration: float | None = None,
        note: str | None = None,
    ) -> Plan:
        """Validate and keep a one-off planned run (duration in s)."""
        now = dt_util.utcnow()
        if duration is None:
            options = self.config_entry.options
            duration = (
                float(options.get(CONF_PLAN_DURATION, DEFAULT_PLAN_DURATION)) * 60
            )
        plan = Plan(
            id=ulid_util.ulid_now(), start=start, duration=duration, note=note or None
        )
        try:
            if start.tzinfo is None:
                raise RecordError("naive_time")
            if start <= now:
                raise RecordError("plan_in_past")
            self._check_time(start)
            if not 0 < duration <= MAX_DURATION_S:
                raise RecordError("invalid_duration")
            check_note(plan.note)
        except RecordError as err:
            raise refused(err) from err

        def apply() -> None:
            self.history.plans[plan.id] = plan
            self.stats.add_plan(plan)

        await self._async_record({"op": "plan", "record": plan.as_dict()}, apply)
        self.async_publish()
        return plan

    async def async_cancel_plan(self, plan_id: str) -> None:
        """Remove a one-off planned run; schedule slots change in the options."""
        plans = self.history.plans
        if plan_id not in plans:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="plan_not_found",
                translation_placeholders={"plan_id": plan_id},
            )

        def apply() -> None:
            if (plan := plans.pop(plan_id, None)) is not None:
                self.stats.remove_plan(plan)

        await self._async_record({"op": "delete", "id": plan_id}, apply)
        self.async_publish()

    async def async_add_sessions(
        self, sessions: Sequence[Session], context: Context | None = None
    ) -> None:
        """Keep many sessions at once (an import): all or nothing, one write."""
        await self.async_add_records(sessions, (), (), context)

    async def async_add_records(
        self,
        sessions: Sequence[Session],
        moods: Sequence[MoodEntry],
        plans: Sequence[Plan],
        context: Context | None = None,
    ) -> None:
        """Keep imported sessions, moods and plans, all or nothing, with one write.

        Every record is checked first; one refused refuses them all. They are
        then written as one journal line, indexed, and published once, with no
        event per record.
        """
        if not (sessions or moods or plans):
            return
        now = dt_util.utcnow()
        try:
            for session in sessions:
                check_session(session, now, FUTURE_TOLERANCE)
                self._check_time(session.start)
            for mood in moods:
                check_mood(mood.mood)
                check_note(mood.note)
                check_not_future(mood.time, now, FUTURE_TOLERANCE)
                self._check_time(mood.time)
            for plan in plans:
                if plan.start.tzinfo is None:
                    raise RecordError("naive_time")
                if (
                    plan.duration is not None
                    and not 0 < plan.duration <= MAX_DURATION_S
                ):
                    raise RecordError("invalid_duration")
                check_note(plan.note)
                self._check_time(plan.start)
        except RecordError as err:
            raise refused(err) from err
        batch = (list(sessions), list(moods), list(plans))

        def apply() -> None:
            history = self.history
            for session in batch[0]:
                history.sessions[session.id] = session
            for mood in batch[1]:
                history.moods[mood.id] = mood
            for plan in batch[2]:
                history.plans[plan.id] = plan
            if len(batch[0]) + len(batch[1]) + len(batch[2]) > BULK_REBUILD:
                # One re-index is cheaper than thousands of sorted inserts.
                self.stats.rebuild()
                return
            for session in batch[0]:
                self.stats.add_session(session)
            for mood in batch[1]:
                self.stats.add_mood(mood)
            for plan in batch[2]:
                self.stats.add_plan(plan)

        await self._async_record(
            {
                "op": "records",
                "sessions": [s.as_dict() for s in batch[0]],
                "moods": [m.as_dict() for m in batch[1]],
                "plans": [p.as_dict() for p in batch[2]],
            },
            apply,
        )
        self.async_publish(context)

    def sessions_between(
        self, start: datetime | None, end: datetime | None
    ) -> list[Session]:
        """Return sessions starting in [start, end), oldest first."""
        return self.stats.sessions_between(start, end)
