"""Assist intents: log runs and moods and ask about progress by voice.

The `intent` integration calls `async_setup_intents` for every loaded
integration with this platform. The same handlers serve the built-in agent
(sentences/en.yaml) and LLM agents (llm.py), so they validate what they get,
pick the speaker's profile, and answer with something short to say.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar, override

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import intent
from homeassistant.util import dt as dt_util
import probatio as vol

from .const import (
    INTENT_GET_NEXT_RUN,
    INTENT_GET_STREAK,
    INTENT_GET_WEEK,
    INTENT_LOG_MOOD,
    INTENT_LOG_RUN,
)
from .coordinator import RunWellbeingCoordinator, refused
from .models import MAX_DURATION_S, MOOD_MAX, MOOD_MIN, Activity, RecordError, Source
from .services import DISTANCE_UNITS, to_metres
from .voice import (
    RefusedError,
    home_distance_unit,
    loaded_profiles,
    logged_speech,
    mood_speech,
    next_run_speech,
    number,
    resolve_profile,
    streak_speech,
    week_speech,
)

SLOT_PROFILE = "profile"
SLOT_DISTANCE = "distance"
SLOT_DISTANCE_UNIT = "distance_unit"
SLOT_DURATION = "duration"
SLOT_ACTIVITY = "activity"
SLOT_MOOD = "mood"
SLOT_NEGATIVE = "negative"
"""Set by sentences like "I ran minus 3 km", so they can be refused aloud."""

MOOD_SLOT = vol.All(vol.Coerce(int), vol.Range(min=MOOD_MIN, max=MOOD_MAX))


class RunWellbeingIntentHandler(intent.IntentHandler):
    """Resolve the profile, run the request, and speak the answer or refusal."""

    response_type = intent.IntentResponseType.ACTION_DONE
    slots: ClassVar[dict[Any, Any]] = {}
    """What LLM agents are told they may pass, besides the profile's name."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Keep hass: the profile slot lists the loaded profiles."""
        self.hass = hass

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """Return the slots, with the names of the profiles loaded right now."""
        schema = dict(self.slots)
        if names := [entry.title for entry in loaded_profiles(self.hass)]:
            schema[
                vol.Optional(
                    SLOT_PROFILE,
                    description=(
                        "Whose profile. Leave out for the speaker's own; when "
                        "there are several and the answer says it is not "
                        "known, ask the user."
                    ),
                )
            ] = vol.In(names)
        return schema

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Answer the request, or refuse it aloud and store nothing."""
        values = {name: slot.get("value") for name, slot in intent_obj.slots.items()}
        response = intent_obj.create_response()
        try:
            entry = resolve_profile(
                self.hass, intent_obj, _text(values.get(SLOT_PROFILE))
            )
            speech = await self.answer(entry.runtime_data, values)
        except RefusedError as err:
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE, err.speech
            )
            return response
        except ServiceValidationError as err:
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE, f"{err}."
            )
            return response
        response.response_type = self.response_type
        response.async_set_speech(speech)
        return response

    async def answer(
        self, coordinator: RunWellbeingCoordinator, values: dict[str, Any]
    ) -> str:
        """Do what was asked and return what to say."""
        raise NotImplementedError


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


def _number(value: Any, field: str) -> float | None:
    """Read a number slot; the agent gives floats for digits and ints for words."""
    if value is None:
        return None
    try:
        return float(value)
    except TypeError, ValueError:
        raise RefusedError(f"I didn't understand the {field} {value}.") from None


def _mood(value: Any) -> int | None:
    """Read a mood slot, refusing anything but a whole number from 1 to 10."""
    mood = _number(value, "mood")
    if mood is None:
        return None
    if not mood.is_integer() or not MOOD_MIN <= mood <= MOOD_MAX:
        raise refused(RecordError("invalid_mood", value=number(mood)))
    return int(mood)


class LogRunHandler(RunWellbeingIntentHandler):
    """Log a run, or any other activity, that just finished."""

    intent_type = INTENT_LOG_RUN
    description = (
        "Logs a run, walk or other activity the user has just done, for their "
        "Run Wellbeing habit tracker. Give the distance with its unit, or the "
        "duration in minutes, or both. Answers with the week's progress."
    )
    slots: ClassVar[dict[Any, Any]] = {
        vol.Optional(SLOT_DISTANCE, description="How far, in distance_unit"): vol.All(
            vol.Coerce(float), vol.Range(min=0)
        ),
        vol.Optional(
            SLOT_DISTANCE_UNIT,
            description="Unit of the distance; defaults to the home's unit system",
        ): vol.In(list(DISTANCE_UNITS)),
        vol.Optional(
            SLOT_DURATION, description="How long it took, in minutes"
        ): vol.All(vol.Coerce(float), vol.Range(min=0, max=1440)),
        vol.Optional(
            SLOT_ACTIVITY, description="What was done; defaults to run"
        ): vol.In([activity.value for activity in Activity]),
        vol.Optional(
            SLOT_MOOD, description="How the user feels now, 1 to 10"
        ): MOOD_SLOT,
    }

    @override
    async def answer(
        self, coordinator: RunWellbeingCoordinator, values: dict[str, Any]
    ) -> str:
        """Store the session with source voice and report the week's progress."""
        distance = _number(values.get(SLOT_DISTANCE), "distance")
        minutes = _number(values.get(SLOT_DURATION), "duration")
        if values.get(SLOT_NEGATIVE) or (distance is not None and distance < 0):
            raise refused(RecordError("invalid_distance"))
        if distance is None and minutes is None:
            raise RefusedError(
                "Tell me how far or how long, for example “I ran 5 kilometres”."
            )
        unit = _text(values.get(SLOT_DISTANCE_UNIT)) or home_distance_unit(self.hass)
        if unit not in DISTANCE_UNITS:
            raise RefusedError(f"I don't know the distance unit {unit}.")
        try:
            activity = Activity(_text(values.get(SLOT_ACTIVITY)) or Activity.RUN)
        except ValueError:
            raise RefusedError(
                f"I don't know the activity {values[SLOT_ACTIVITY]}."
            ) from None
        start = None
        if minutes is not None and 0 < minutes <= MAX_DURATION_S / 60:
            # Said once it is over: it started that long ago.
            start = dt_util.utcnow() - timedelta(minutes=minutes)
        await coordinator.async_log_session(
            start=start,
            activity=activity,
            duration=None if minutes is None else minutes * 60,
            distance=None if distance is None else to_metres(self.hass, distance, unit),
            mood_after=_mood(values.get(SLOT_MOOD)),
            source=Source.VOICE,
        )
        return logged_speech(
            activity=activity,
            distance=distance,
            unit=unit,
            minutes=minutes,
            counted=activity in coordinator.stats.settings.counted_activities,
            summary=coordinator.data,
        )


class LogMoodHandler(RunWellbeingIntentHandler):
    """Log how the user feels right now."""

    intent_type = INTENT_LOG_MOOD
    description = (
        "Logs how the user feels right now, from 1 (very low) to 10 (great), "
        "in their Run Wellbeing habit tracker."
    )
    slots: ClassVar[dict[Any, Any]] = {
        vol.Required(SLOT_MOOD, description="Mood from 1 (very low) to 10 (great)"): (
            MOOD_SLOT
        ),
    }

    @override
    async def answer(
        self, coordinator: RunWellbeingCoordinator, values: dict[str, Any]
    ) -> str:
        """Store the mood entry."""
        mood = _mood(values.get(SLOT_MOOD))
        if mood is None:
            raise RefusedError("Tell me your mood from 1 to 10.")
        await coordinator.async_log_mood(mood=mood)
        return mood_speech(mood)


class QueryHandler(RunWellbeingIntentHandler):
    """A question about the profile; it changes nothing."""

    response_type = intent.IntentResponseType.QUERY_ANSWER


class GetStreakHandler(QueryHandler):
    """Tell the user their streak of weeks with the goal met."""

    intent_type = INTENT_GET_STREAK
    description = (
        "Tells the user their Run Wellbeing streak: consecutive weeks in which "
        "they reached their weekly running goal."
    )

    @override
    async def answer(
        self, coordinator: RunWellbeingCoordinator, values: dict[str, Any]
    ) -> str:
        """Say the streak in weeks."""
        return streak_speech(coordinator.data)


class GetWeekHandler(QueryHandler):
    """Tell the user how this week is going."""

    intent_type = INTENT_GET_WEEK
    description = (
        "Tells the user how many runs they have done this week against their "
        "weekly goal, and the distance covered."
    )

    @override
    async def answer(
        self, coordinator: RunWellbeingCoordinator, values: dict[str, Any]
    ) -> str:
        """Say the week's runs, goal and distance."""
        return week_speech(self.hass, coordinator.data)


class GetNextRunHandler(QueryHandler):
    """Tell the user when their next planned run is."""

    intent_type = INTENT_GET_NEXT_RUN
    description = "Tells the user when their next planned run is."

    @override
    async def answer(
        self, coordinator: RunWellbeingCoordinator, values: dict[str, Any]
    ) -> str:
        """Say the day and time of the next planned run."""
        return next_run_speech(coordinator.data.next_planned_run, dt_util.utcnow())


HANDLERS: tuple[type[RunWellbeingIntentHandler], ...] = (
    LogRunHandler,
    LogMoodHandler,
    GetStreakHandler,
    GetWeekHandler,
    GetNextRunHandler,
)


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the intents; the intent integration calls this once."""
    for handler in HANDLERS:
        intent.async_register(hass, handler(hass))
