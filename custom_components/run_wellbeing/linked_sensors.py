"""Linked sensors: notice a run from the phone or watch, and follow sleep.

The thin Home Assistant layer over `activity_detection` and `sleep`: state
listeners (no polling), a timer for the flicker window, the actionable
notification and its answer, and the recorder backfill of sleep nights.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import re
from typing import Any, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT
from homeassistant.core import (
    CALLBACK_TYPE,
    Context,
    Event,
    EventStateChangedData,
    EventStateReportedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
    async_track_state_change_event,
    async_track_state_report_event,
)
from homeassistant.helpers.recorder import get_instance
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util, ulid as ulid_util

from .const import (
    CONF_ACTIVITY_SENSOR,
    CONF_AUTO_LOG_MINUTES,
    CONF_NOTIFY_SERVICE,
    CONF_SLEEP_SENSOR,
    DEFAULT_AUTO_LOG_MINUTES,
    DOMAIN,
    LOGGER,
)
from .core.activity_detection import ActivityTracker, Bout, classify, confidence_trusted
from .core.models import Activity, Session, Source
from .core.sleep import SLEEP_WINDOW_NIGHTS, to_hours
from .core.stats import ProfileStats

EVENT_NOTIFICATION_ACTION = "mobile_app_notification_action"
PROMPT_LIFETIME = timedelta(hours=12)
REPLAY_WINDOW = timedelta(hours=6)
DUPLICATE_MARGIN = timedelta(minutes=2)
ACTION_PREFIX = "RUN_WELLBEING_"
ACTION_LOG = "LOG"
ACTION_MOOD = "MOOD"
ACTION_DISMISS = "DISMISS"
_ACTION = re.compile(rf"^{ACTION_PREFIX}(LOG|MOOD|DISMISS)_([0-9a-z]+)$")
_NUMBER = re.compile(r"\d+")

_ENGLISH = {
    "prompt_run": "Log a {minutes}-minute run?",
    "prompt_cycle": "Log a {minutes}-minute ride?",
    "prompt_walk": "Log a {minutes}-minute walk?",
    "prompt_other": "Log {minutes} minutes of {activity}?",
    "prompt_log": "Log it",
    "prompt_mood": "Log with how I feel",
    "prompt_mood_placeholder": "How do you feel, 1 to 10?",
    "prompt_dismiss": "Not a run",
}


@dataclass(slots=True)
class Prompt:
    """A notification waiting for an answer."""

    id: str
    bout: Bout
    unsub_expire: CALLBACK_TYPE


def mood_from_reply(text: Any) -> int | None:
    """Return the 1-10 mood in a typed reply, None when there is none."""
    if not isinstance(text, str) or (match := _NUMBER.search(text[:50])) is None:
        return None
    mood = int(match.group())
    return mood if 1 <= mood <= 10 else None


class LinkedProfile(Protocol):
    """The use cases of a profile that its linked sensors call."""

    @property
    def config_entry(self) -> ConfigEntry[Any]:
        """Return the profile's entry; its options name the sensors."""

    @property
    def stats(self) -> ProfileStats:
        """Return the statistics: settings and time zone."""

    async def async_log_session(
        self,
        *,
        start: datetime | None = None,
        activity: Activity = Activity.RUN,
        duration: float | None = None,
        mood_after: int | None = None,
        source: Source = Source.ACTION,
        context: Context | None = None,
    ) -> Session:
        """Keep and announce a session."""

    async def async_record_sleep(
        self, readings: list[tuple[datetime, float]], *, backfill: bool = False
    ) -> None:
        """Keep sleep readings as their nights' values."""

    def has_session_near(
        self, activity: Activity, start: datetime, end: datetime
    ) -> bool:
        """Return True when a session of `activity` overlaps [start, end]."""


class LinkedSensors:
    """Follows a profile's linked activity and sleep sensors."""

    def __init__(self, hass: HomeAssistant, coordinator: LinkedProfile) -> None:
        """Keep what is needed; `async_apply_options` subscribes."""
        self.hass = hass
        self.coordinator = coordinator
        self._unsubs: list[CALLBACK_TYPE] = []
        self._unsub_deadline: CALLBACK_TYPE | None = None
        self._tracker = ActivityTracker()
        self.prompts: dict[str, Prompt] = {}
        self._linked: tuple[Any, ...] | None = None
        self._unsub_event: CALLBACK_TYPE | None = None
        self._generation = 0
        self._since = dt_util.utcnow()
        # Live readings held back while the recorder's history is read.
        self._buffer: list[State] | None = None

    @property
    def _options(self) -> dict[str, Any]:
        return dict(self.coordinator.config_entry.options)

    @callback
    def async_apply_options(self) -> None:
        """Start following the linked sensors, or follow new ones."""
        options = self._options
        linked = (
            options.get(CONF_ACTIVITY_SENSOR),
            options.get(CONF_SLEEP_SENSOR),
        )
        if linked == self._linked:
            return
        self.async_stop(keep_prompts=True)
        self._linked = linked
        self._generation += 1
        activity_sensor, sleep_sensor = linked
        if activity_sensor:
            self._tracker = ActivityTracker()
            self._unsubs.append(
                async_track_state_change_event(
                    self.hass, activity_sensor, self._async_activity_changed
                )
            )
            self._since = dt_util.utcnow()
            current = self.hass.states.get(activity_sensor)
            if current is not None and self._recorder_loaded and self._moving(current):
                # Under way already (e.g. after a restart): the recorder knows
                # when it began. Live readings wait until the past is replayed.
                self._buffer = []
                self.coordinator.config_entry.async_create_background_task(
                    self.hass,
                    self._async_replay(activity_sensor, current, self._generation),
                    f"{DOMAIN} activity history",
                )
            elif current is not None:
                self._observe(current, current.last_changed)
        if sleep_sensor:
            self._unsubs.append(
                async_track_state_change_event(
                    self.hass, sleep_sensor, self._async_sleep_reported
                )
            )
            self._unsubs.append(
                async_track_state_report_event(
                    self.hass, sleep_sensor, self._async_sleep_reported
                )
            )
            self.coordinator.config_entry.async_create_background_task(
                self.hass,
                self._async_backfill(sleep_sensor),
                f"{DOMAIN} sleep backfill",
            )
        if self._unsub_event is None:
            self._unsub_event = self.hass.bus.async_listen(
                EVENT_NOTIFICATION_ACTION, self._async_notification_action
            )

    @callback
    def async_stop(self, *, keep_prompts: bool = False) -> None:
        """Stop listening; without `keep_prompts` pending prompts are forgotten."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        self._cancel_deadline()
        self._linked = None
        self._buffer = None
        self._generation += 1
        if not keep_prompts:
            for prompt in self.prompts.values():
                prompt.unsub_expire()
            self.prompts.clear()
            if self._unsub_event is not None:
                self._unsub_event()
                self._unsub_event = None

    # Activity

    @property
    def _recorder_loaded(self) -> bool:
        return "recorder" in self.hass.config.components

    @staticmethod
    def _moving(state: State) -> bool:
        return confidence_trusted(state.attributes) and (
            classify(state.state, state.attributes) is not None
        )

    @callback
    def _async_activity_changed(self, event: Event[EventStateChangedData]) -> None:
        if (new_state := event.data["new_state"]) is None:
            return
        if self._buffer is not None:
            self._buffer.append(new_state)
            return
        self._observe(new_state, new_state.last_updated)

    async def _async_replay(
        self, entity_id: str, current: State, generation: int
    ) -> None:
        """Seed the bout under way from the recorder, then follow live readings."""
        from homeassistant.components.recorder import history  # noqa: PLC0415

        recorded: dict[str, list[State]] = {}
        try:
            recorded = await get_instance(self.hass).async_add_executor_job(
                history.state_changes_during_period,
                self.hass,
                dt_util.utcnow() - REPLAY_WINDOW,
                None,
                entity_id,
                False,
                False,
                None,
                False,
            )
        except Exception:  # noqa: BLE001 - live readings must go on regardless
            LOGGER.warning("Could not read the history of %s", entity_id)
        if generation != self._generation or self._buffer is None:
            return
        buffered, self._buffer = self._buffer, None
        states = [*recorded.get(entity_id, []), current, *buffered]
        for state in sorted(states, key=lambda state: state.last_updated):
            self._observe(state, state.last_updated)

    @callback
    def _observe(self, state: State, when: datetime) -> None:
        if not confidence_trusted(state.attributes):
            return
        bout = self._tracker.observe(when, classify(state.state, state.attributes))
        self._schedule_deadline()
        # A bout that ended before we were following (replayed from the
        # recorder) was asked about then, or is not ours to ask about now.
        if bout is not None and bout.end >= self._since:
            self._async_bout_ended(bout)

    @callback
    def _schedule_deadline(self) -> None:
        self._cancel_deadline()
        if (deadline := self._tracker.deadline) is not None:
            self._unsub_deadline = async_track_point_in_utc_time(
                self.hass, self._async_deadline, deadline
            )

    @callback
    def _cancel_deadline(self) -> None:
        if self._unsub_deadline is not None:
            self._unsub_deadline()
            self._unsub_deadline = None

    @callback
    def _async_deadline(self, now: datetime) -> None:
        self._unsub_deadline = None
        bout = self._tracker.expire(now)
        self._schedule_deadline()
        if bout is not None:
            self._async_bout_ended(bout)

    @callback
    def _async_bout_ended(self, bout: Bout) -> None:
        """Ask about (or log) a bout of a counted activity that lasted long enough."""
        options = self._options
        minutes = float(options.get(CONF_AUTO_LOG_MINUTES, DEFAULT_AUTO_LOG_MINUTES))
        if bout.activity not in self.coordinator.stats.settings.counted_activities:
            return
        if bout.duration < timedelta(minutes=minutes) or self._already_logged(bout):
            return
        entry = self.coordinator.config_entry
        if not (service := options.get(CONF_NOTIFY_SERVICE)):
            entry.async_create_background_task(
                self.hass, self._async_log(bout), f"{DOMAIN} sensor log"
            )
            return
        prompt_id = ulid_util.ulid_now().lower()

        @callback
        def _expire(_now: datetime) -> None:
            self._async_expire(prompt_id, service)

        self.prompts[prompt_id] = Prompt(
            prompt_id, bout, async_call_later(self.hass, PROMPT_LIFETIME, _expire)
        )
        entry.async_create_background_task(
            self.hass,
            self._async_send_prompt(service, prompt_id, bout),
            f"{DOMAIN} sensor prompt",
        )

    def _already_logged(self, bout: Bout) -> bool:
        """Return True when a session of the same activity stands for this bout.

        That is one overlapping the bout (2 min either side), or one logged
        since and starting before now: "log a 25 minute run" said after the
        run starts now, and still is this run.
        """
        return self.coordinator.has_session_near(
            bout.activity,
            bout.start - DUPLICATE_MARGIN,
            max(bout.end + DUPLICATE_MARGIN, dt_util.utcnow()),
        )

    async def _async_log(
        self, bout: Bout, mood: int | None = None, context: Context | None = None
    ) -> None:
        if self._already_logged(bout):
            return
        try:
            await self.coordinator.async_log_session(
                start=bout.start,
                activity=bout.activity,
                duration=round(bout.duration.total_seconds()),
                mood_after=mood,
                source=Source.SENSOR,
                context=context,
            )
        except HomeAssistantError as err:
            LOGGER.warning("Could not log the session from the linked sensor: %s", err)

    async def _async_texts(self) -> dict[str, str]:
        translations = await async_get_translations(
            self.hass, self.hass.config.language, "exceptions", {DOMAIN}
        )
        prefix = f"component.{DOMAIN}.exceptions."
        return {
            key: translations.get(f"{prefix}{key}.message") or english
            for key, english in _ENGLISH.items()
        }

    async def _async_activity_name(self, activity: Activity) -> str:
        translations = await async_get_translations(
            self.hass, self.hass.config.language, "selector", {DOMAIN}
        )
        key = f"component.{DOMAIN}.selector.activity.options.{activity.value}"
        return (translations.get(key) or activity.value).lower()

    async def _async_send_prompt(
        self, service: str, prompt_id: str, bout: Bout
    ) -> None:
        texts = await self._async_texts()
        minutes = round(bout.duration.total_seconds() / 60)
        message_key = f"prompt_{bout.activity.value}"
        message = texts.get(message_key, texts["prompt_other"]).format(
            minutes=minutes,
            activity=await self._async_activity_name(bout.activity),
        )
        data = {
            "title": "Run Wellbeing",
            "message": message,
            "data": {
                "tag": f"{DOMAIN}_{prompt_id}",
                "actions": [
                    {
                        "action": f"{ACTION_PREFIX}{ACTION_LOG}_{prompt_id}",
                        "title": texts["prompt_log"],
                    },
                    {
                        "action": f"{ACTION_PREFIX}{ACTION_MOOD}_{prompt_id}",
                        "title": texts["prompt_mood"],
                        "behavior": "textInput",
                        "textInputButtonTitle": texts["prompt_log"],
                        "textInputPlaceholder": texts["prompt_mood_placeholder"],
                    },
                    {
                        "action": f"{ACTION_PREFIX}{ACTION_DISMISS}_{prompt_id}",
                        "title": texts["prompt_dismiss"],
                    },
                ],
            },
        }
        await self._async_notify(service, data)

    async def _async_notify(self, service: str, data: dict[str, Any]) -> None:
        domain, _, name = service.partition(".")
        try:
            await self.hass.services.async_call(domain, name, data, blocking=True)
        except HomeAssistantError as err:
            LOGGER.warning("Could not notify through %s: %s", service, err)

    @callback
    def _async_expire(self, prompt_id: str, service: str) -> None:
        """Forget an unanswered prompt and take it off the phone."""
        if self.prompts.pop(prompt_id, None) is None:
            return
        self.coordinator.config_entry.async_create_background_task(
            self.hass,
            self._async_notify(
                service,
                {
                    "message": "clear_notification",
                    "data": {"tag": f"{DOMAIN}_{prompt_id}"},
                },
            ),
            f"{DOMAIN} clear prompt",
        )

    @callback
    def _async_notification_action(self, event: Event[dict[str, Any]]) -> None:
        action = event.data.get("action")
        if not isinstance(action, str) or (match := _ACTION.match(action)) is None:
            return
        kind, prompt_id = match.groups()
        if (prompt := self.prompts.pop(prompt_id, None)) is None:
            return
        prompt.unsub_expire()
        if kind == ACTION_DISMISS:
            return
        mood = (
            mood_from_reply(event.data.get("reply_text"))
            if kind == ACTION_MOOD
            else None
        )
        self.coordinator.config_entry.async_create_background_task(
            self.hass,
            self._async_log(prompt.bout, mood, event.context),
            f"{DOMAIN} sensor log",
        )

    # Sleep

    @callback
    def _async_sleep_reported(
        self, event: Event[EventStateChangedData] | Event[EventStateReportedData]
    ) -> None:
        if (new_state := event.data["new_state"]) is None:
            return
        hours = to_hours(
            new_state.state, new_state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
        )
        if hours is None:
            return
        self.coordinator.config_entry.async_create_background_task(
            self.hass,
            self._async_keep_sleep([(new_state.last_reported, hours)]),
            f"{DOMAIN} sleep night",
        )

    async def _async_keep_sleep(
        self, readings: list[tuple[datetime, float]], *, backfill: bool = False
    ) -> None:
        try:
            await self.coordinator.async_record_sleep(readings, backfill=backfill)
        except HomeAssistantError as err:
            LOGGER.warning("Could not keep the sleep of the linked sensor: %s", err)

    async def _async_backfill(self, entity_id: str) -> None:
        """Fill nights the profile has not seen from what the recorder still has."""
        if "recorder" not in self.hass.config.components:
            return
        from homeassistant.components.recorder import history  # noqa: PLC0415

        start = dt_util.utcnow() - timedelta(days=SLEEP_WINDOW_NIGHTS + 2)
        states = await get_instance(self.hass).async_add_executor_job(
            history.state_changes_during_period,
            self.hass,
            start,
            None,
            entity_id,
            False,
            False,
            None,
            False,
        )
        readings: list[tuple[datetime, float]] = []
        for state in states.get(entity_id, []):
            hours = to_hours(
                state.state, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
            )
            if hours is not None:
                readings.append((state.last_reported, hours))
        await self._async_keep_sleep(readings, backfill=True)
