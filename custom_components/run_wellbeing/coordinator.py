"""Publishes a profile to Home Assistant: entities, timers, events and errors.

The profile's use cases live in `core.profile`; this adapter gives them Home
Assistant's clock, ids and store, turns refusals into translated errors and
announces what changed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Collection, Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import Any, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    CONF_NAME,
    EVENT_CORE_CONFIG_UPDATE,
    EVENT_HOMEASSISTANT_STOP,
)
from homeassistant.core import CALLBACK_TYPE, Context, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
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
    LOGGER,
    STREAK_MILESTONES,
)
from .core.models import (
    Activity,
    History,
    MoodEntry,
    Plan,
    RecordError,
    Session,
    Settings,
    Source,
    WeekStart,
)
from .core.profile import ALL_KINDS, AnyRecord, Profile
from .core.stats import ProfileStats, Summary
from .storage.store import ProfileStore

type RunWellbeingConfigEntry = ConfigEntry[RunWellbeingCoordinator]


class Follower(Protocol):
    """Something that follows the profile's options, e.g. its linked sensors."""

    def async_apply_options(self) -> None:
        """Follow the entry's current options."""

    def async_stop(self) -> None:
        """Stop following."""


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


def plan_duration_from_options(options: Mapping[str, Any]) -> float:
    """Return the planned runs' default duration in seconds."""
    return float(options.get(CONF_PLAN_DURATION, DEFAULT_PLAN_DURATION)) * 60


def refused(err: RecordError) -> ServiceValidationError:
    """Translate a refused record into the error a caller sees."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=err.translation_key,
        translation_placeholders=err.placeholders,
    )


def options_issue_id(entry_id: str) -> str:
    """Return the id of the repair issue of options that could not be saved."""
    return f"options_not_saved_{entry_id}"


class RunWellbeingCoordinator(DataUpdateCoordinator[Summary]):
    """Publishes a profile's summary and announces its changes."""

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
        self.profile = Profile(
            history,
            stats
            or ProfileStats(
                history,
                settings_from_options(entry.options),
                dt_util.get_default_time_zone(),
            ),
            store.async_append,
            clock=dt_util.utcnow,
            new_id=ulid_util.ulid_now,
        )
        self._unsub_refresh_at: CALLBACK_TYPE | None = None
        self._refresh_at: datetime | None = None
        self._stopped = False
        self.publish_context: Context | None = None
        self.device_name = self.profile_name
        self.data = self.stats.summary(dt_util.utcnow())
        self.followers: list[Follower] = []

    @property
    def history(self) -> History:
        """Return the profile's history: read only, change it through the actions."""
        return self.profile.history

    @property
    def stats(self) -> ProfileStats:
        """Return the profile's statistics."""
        return self.profile.stats

    @property
    def profile_name(self) -> str:
        """Return the person's name."""
        return str(self.config_entry.data[CONF_NAME])

    async def async_start(self, *followers: Follower) -> None:
        """Record option changes and follow time, the time zone and `followers`."""
        self.followers.extend(followers)
        entry = self.config_entry
        entry.async_on_unload(
            self.hass.bus.async_listen(
                EVENT_CORE_CONFIG_UPDATE, self._async_core_config
            )
        )
        # Home Assistant stopping does not unload entries: stop the timers then.
        entry.async_on_unload(
            self.hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, self._async_ha_stop)
        )
        entry.async_on_unload(self._async_stop)
        await self.async_apply_options()

    async def async_apply_options(self) -> None:
        """Follow the entry's options (the update listener's way).

        Goal and schedule changes are written before they are applied; when
        that fails nothing changes and a repair issue tells the user (the
        options are applied again at the next change or start).
        """
        try:
            await self.async_set_options(self.config_entry.options)
        except HomeAssistantError:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                options_issue_id(self.config_entry.entry_id),
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="options_not_saved",
                translation_placeholders={"name": self.profile_name},
            )
            return
        ir.async_delete_issue(
            self.hass, DOMAIN, options_issue_id(self.config_entry.entry_id)
        )

    async def async_set_options(self, options: Mapping[str, Any]) -> None:
        """Apply options to the profile; raises the translated `write_failed`."""
        await self._async_run(
            self.profile.apply_settings(
                settings_from_options(options),
                options.get(CONF_PLAN_DAYS, []),
                time.fromisoformat(options.get(CONF_PLAN_TIME, DEFAULT_PLAN_TIME)),
                plan_duration_from_options(options),
            )
        )
        self.async_publish()
        if not self._stopped:
            for follower in self.followers:
                follower.async_apply_options()

    async def async_record_sleep(
        self, readings: Sequence[tuple[datetime, float]], *, backfill: bool = False
    ) -> None:
        """Keep sleep readings as nights (written first) and show what they change."""
        record = self.profile.backfill_sleep if backfill else self.profile.record_sleep
        if await self._async_run(record(readings)):
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
    def _async_ha_stop(self, _event: Event) -> None:
        self._async_stop()

    @callback
    def _async_stop(self) -> None:
        """Stop following time; a write finishing after unload publishes nothing."""
        self._stopped = True
        self._async_cancel_refresh_at()
        for follower in self.followers:
            follower.async_stop()

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
        self.profile.follow_time_zone(dt_util.get_default_time_zone())
        self.async_publish()

    async def _async_run[T](self, use_case: Awaitable[T]) -> T:
        """Run a use case; refusals and failed writes become translated errors.

        A change that could not be written is not applied (nothing is kept
        that is not on disk).
        """
        try:
            return await use_case
        except RecordError as err:
            raise refused(err) from err
        except OSError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="write_failed",
                translation_placeholders={"name": self.profile_name},
            ) from err

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
        session = await self._async_run(
            self.profile.log_session(
                start=start,
                activity=activity,
                duration=duration,
                distance=distance,
                mood_before=mood_before,
                mood_after=mood_after,
                effort=effort,
                note=note,
                source=source,
            )
        )
        before = self.data
        after = self.async_publish(context)
        payload = session.as_dict()
        del payload["note"]
        self.hass.bus.async_fire(
            EVENT_SESSION_LOGGED, self._event_data() | payload, context=context
        )
        await self._async_fire_progress(before, after, context)
        return session

    async def _async_fire_progress(
        self, before: Summary, after: Summary, context: Context | None = None
    ) -> None:
        """Announce a weekly goal reached (once a week) and streak milestones."""
        week = after.week_key
        if (
            after.weekly_goal_met
            and before.runs_this_week < after.runs_this_week
            and week not in self.history.goal_reached_weeks
        ):
            try:
                first = await self.profile.mark_goal_reached(week)
            except OSError as err:
                # The run is kept; only "announced once" could not be: a later
                # run this week may announce the goal again.
                LOGGER.warning("Could not save the reached goal: %s", err)
                first = True
            if first:
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
        entry = await self._async_run(
            self.profile.log_mood(mood=mood, when=when, note=note)
        )
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
        await self._async_run(self.profile.delete_record(record_id))
        self.async_publish(context)

    async def async_undo_last(
        self,
        within: timedelta,
        context: Context | None = None,
        kinds: Collection[type[AnyRecord]] = ALL_KINDS,
    ) -> AnyRecord | None:
        """Remove the record of one of `kinds` logged last, if within the window.

        "Delete my last run" passes `kinds=(Session,)`: it never removes a mood.
        """
        record = await self._async_run(self.profile.undo_last(within, kinds))
        if record is not None:
            self.async_publish(context)
        return record

    async def async_update_record(
        self,
        record_id: str,
        changes: Mapping[str, Any],
        context: Context | None = None,
    ) -> Session | MoodEntry:
        """Change fields of a logged session or mood entry; its id stays the same.

        See `Profile.update_record` for the fields. Used by the card's day view
        and by the mood question asked after a run logged by voice.
        """
        record = await self._async_run(self.profile.update_record(record_id, changes))
        self.async_publish(context)
        return record

    async def async_plan_run(
        self,
        *,
        start: datetime,
        duration: float | None = None,
        note: str | None = None,
    ) -> Plan:
        """Validate and keep a one-off planned run (duration in s)."""
        if duration is None:
            duration = plan_duration_from_options(self.config_entry.options)
        plan = await self._async_run(
            self.profile.plan_run(start=start, duration=duration, note=note)
        )
        self.async_publish()
        return plan

    async def async_cancel_plan(self, plan_id: str) -> None:
        """Remove a one-off planned run; schedule slots change in the options."""
        await self._async_run(self.profile.cancel_plan(plan_id))
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

        They are published once, with no event per record.
        """
        if not (sessions or moods or plans):
            return
        await self._async_run(self.profile.add_records(sessions, moods, plans))
        self.async_publish(context)

    def has_session_near(
        self, activity: Activity, start: datetime, end: datetime
    ) -> bool:
        """Return True when a session of `activity` overlaps [start, end]."""
        return self.profile.has_session_near(activity, start, end)

    def sessions_between(
        self, start: datetime | None, end: datetime | None
    ) -> list[Session]:
        """Return sessions starting in [start, end), oldest first."""
        return self.stats.sessions_between(start, end)
