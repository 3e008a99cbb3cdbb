"""Actions to log runs and moods and to read a profile's history."""

from __future__ import annotations

from typing import Any

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.util.unit_system import METRIC_SYSTEM
import probatio as vol

from . import validation
from .const import (
    ATTR_ACTIVITY,
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DISTANCE,
    ATTR_DISTANCE_UNIT,
    ATTR_DURATION,
    ATTR_EFFORT,
    ATTR_END,
    ATTR_MOOD,
    ATTR_MOOD_AFTER,
    ATTR_MOOD_BEFORE,
    ATTR_NOTE,
    ATTR_PLAN_ID,
    ATTR_RECORD_ID,
    ATTR_START,
    ATTR_TIME,
    DOMAIN,
)
from .core.models import (
    METRES_PER_UNIT,
    MOOD_MAX,
    MOOD_MIN,
    Activity,
    Session,
)
from .history_actions import async_setup_history_services
from .ownership import async_check_may_manage, async_may_manage
from .sensor import summary_response
from .target import get_coordinator

SERVICE_LOG_RUN = "log_run"
SERVICE_LOG_MOOD = "log_mood"
SERVICE_DELETE_RECORD = "delete_record"
SERVICE_GET_SUMMARY = "get_summary"
SERVICE_GET_SESSIONS = "get_sessions"
SERVICE_PLAN_RUN = "plan_run"
SERVICE_CANCEL_PLAN = "cancel_plan"

DISTANCE_UNITS = tuple(METRES_PER_UNIT)

# Types and ranges are checked by the handlers (see validation.py), so that a
# refusal names the field and its range in the caller's language.
ANY = cv.match_all
ENTRY = {vol.Optional(ATTR_CONFIG_ENTRY_ID): ANY}

LOG_RUN_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Optional(ATTR_ACTIVITY, default=Activity.RUN.value): vol.In(
            [activity.value for activity in Activity]
        ),
        vol.Optional(ATTR_START): ANY,
        vol.Optional(ATTR_DURATION): ANY,
        vol.Optional(ATTR_DISTANCE): ANY,
        vol.Optional(ATTR_DISTANCE_UNIT): vol.In(list(DISTANCE_UNITS)),
        vol.Optional(ATTR_MOOD_BEFORE): ANY,
        vol.Optional(ATTR_MOOD_AFTER): ANY,
        vol.Optional(ATTR_EFFORT): ANY,
        vol.Optional(ATTR_NOTE): ANY,
    }
)
LOG_MOOD_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Required(ATTR_MOOD): ANY,
        vol.Optional(ATTR_TIME): ANY,
        vol.Optional(ATTR_NOTE): ANY,
    }
)
DELETE_RECORD_SCHEMA = vol.Schema({**ENTRY, vol.Required(ATTR_RECORD_ID): ANY})
PLAN_RUN_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Required(ATTR_START): ANY,
        vol.Optional(ATTR_DURATION): ANY,
        vol.Optional(ATTR_NOTE): ANY,
    }
)
CANCEL_PLAN_SCHEMA = vol.Schema({**ENTRY, vol.Required(ATTR_PLAN_ID): ANY})
GET_SUMMARY_SCHEMA = vol.Schema(ENTRY)
GET_SESSIONS_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Optional(ATTR_START): ANY,
        vol.Optional(ATTR_END): ANY,
    }
)


def default_distance_unit(hass: HomeAssistant) -> str:
    """Return the unit people of this home think in."""
    return "km" if hass.config.units is METRIC_SYSTEM else "mi"


def to_metres(hass: HomeAssistant, distance: float, unit: str | None) -> float:
    """Convert a distance in the caller's unit to metres."""
    return distance * METRES_PER_UNIT[unit or default_distance_unit(hass)]


def session_response(session: Session, *, with_note: bool = True) -> dict[str, Any]:
    """Return a session as actions show it (minutes and kilometres).

    Without ``with_note`` the note is null, for callers who may not read it.
    """
    return {
        "id": session.id,
        "activity": session.activity.value,
        "start": session.start.isoformat(),
        "duration": None if session.duration is None else session.duration / 60,
        "distance": None if session.distance is None else session.distance / 1000,
        "mood_before": session.mood_before,
        "mood_after": session.mood_after,
        "effort": session.effort,
        "note": session.note if with_note else None,
        "source": session.source.value,
    }


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions once, for every profile."""
    async_setup_history_services(hass)

    async def log_run(call: ServiceCall) -> ServiceResponse:
        coordinator = get_coordinator(hass, call)
        data = call.data
        distance = validation.optional_distance(data)
        session = await coordinator.async_log_session(
            start=validation.optional_moment(ATTR_START, call.data),
            activity=Activity(data[ATTR_ACTIVITY]),
            duration=validation.optional_minutes(call.data),
            distance=None
            if distance is None
            else to_metres(hass, distance, data.get(ATTR_DISTANCE_UNIT)),
            mood_before=validation.optional_mood(ATTR_MOOD_BEFORE, call.data),
            mood_after=validation.optional_mood(ATTR_MOOD_AFTER, call.data),
            effort=validation.optional_mood(ATTR_EFFORT, call.data),
            note=validation.note(data.get(ATTR_NOTE)),
            context=call.context,
        )
        return {"session_id": session.id} if call.return_response else None

    async def log_mood(call: ServiceCall) -> ServiceResponse:
        coordinator = get_coordinator(hass, call)
        mood = await coordinator.async_log_mood(
            mood=validation.whole_number(
                ATTR_MOOD, call.data[ATTR_MOOD], MOOD_MIN, MOOD_MAX
            ),
            when=validation.optional_moment(ATTR_TIME, call.data),
            note=validation.note(call.data.get(ATTR_NOTE)),
            context=call.context,
        )
        return {"mood_id": mood.id} if call.return_response else None

    async def delete_record(call: ServiceCall) -> None:
        coordinator = get_coordinator(hass, call)
        await async_check_may_manage(hass, coordinator.config_entry, call.context)
        record_id = validation.identifier(ATTR_RECORD_ID, call.data[ATTR_RECORD_ID])
        await coordinator.async_delete_record(record_id, call.context)

    @callback
    def get_summary(call: ServiceCall) -> ServiceResponse:
        return summary_response(get_coordinator(hass, call).data)

    async def get_sessions(call: ServiceCall) -> ServiceResponse:
        coordinator = get_coordinator(hass, call)
        sessions = coordinator.sessions_between(
            validation.optional_moment(ATTR_START, call.data),
            validation.optional_moment(ATTR_END, call.data),
        )
        # Notes are the owner's: others see that a session exists, not its note.
        may_read = await async_may_manage(
            hass, coordinator.config_entry, call.context.user_id
        )
        return {
            "sessions": [
                session_response(session, with_note=may_read) for session in sessions
            ]
        }

    async def plan_run(call: ServiceCall) -> ServiceResponse:
        coordinator = get_coordinator(hass, call)
        plan = await coordinator.async_plan_run(
            start=validation.moment(ATTR_START, call.data[ATTR_START]),
            duration=validation.optional_minutes(call.data),
            note=validation.note(call.data.get(ATTR_NOTE)),
        )
        return {"plan_id": plan.id} if call.return_response else None

    async def cancel_plan(call: ServiceCall) -> None:
        coordinator = get_coordinator(hass, call)
        await async_check_may_manage(hass, coordinator.config_entry, call.context)
        plan_id = validation.identifier(ATTR_PLAN_ID, call.data[ATTR_PLAN_ID])
        await coordinator.async_cancel_plan(plan_id)

    hass.services.async_register(
        DOMAIN, SERVICE_PLAN_RUN, plan_run, PLAN_RUN_SCHEMA, SupportsResponse.OPTIONAL
    )
    hass.services.async_register(
        DOMAIN, SERVICE_CANCEL_PLAN, cancel_plan, CANCEL_PLAN_SCHEMA
    )
    hass.services.async_register(
        DOMAIN, SERVICE_LOG_RUN, log_run, LOG_RUN_SCHEMA, SupportsResponse.OPTIONAL
    )
    hass.services.async_register(
        DOMAIN, SERVICE_LOG_MOOD, log_mood, LOG_MOOD_SCHEMA, SupportsResponse.OPTIONAL
    )
    hass.services.async_register(
        DOMAIN, SERVICE_DELETE_RECORD, delete_record, DELETE_RECORD_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_SUMMARY,
        get_summary,
        GET_SUMMARY_SCHEMA,
        SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_SESSIONS,
        get_sessions,
        GET_SESSIONS_SCHEMA,
        SupportsResponse.ONLY,
    )
