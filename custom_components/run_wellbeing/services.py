"""Actions to log runs and moods and to read a profile's history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.const import UnitOfLength
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, service
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import DistanceConverter
from homeassistant.util.unit_system import METRIC_SYSTEM
import probatio as vol

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
from .coordinator import RunWellbeingConfigEntry, RunWellbeingCoordinator
from .models import (
    MAX_DURATION_S,
    MOOD_MAX,
    MOOD_MIN,
    NOTE_MAX_LENGTH,
    Activity,
    Session,
)
from .sensor import summary_response

SERVICE_LOG_RUN = "log_run"
SERVICE_LOG_MOOD = "log_mood"
SERVICE_DELETE_RECORD = "delete_record"
SERVICE_GET_SUMMARY = "get_summary"
SERVICE_GET_SESSIONS = "get_sessions"
SERVICE_PLAN_RUN = "plan_run"
SERVICE_CANCEL_PLAN = "cancel_plan"

DISTANCE_UNITS = {
    "km": UnitOfLength.KILOMETERS,
    "mi": UnitOfLength.MILES,
    "m": UnitOfLength.METERS,
}

MOOD = vol.All(vol.Coerce(int), vol.Range(min=MOOD_MIN, max=MOOD_MAX))
NOTE = vol.All(cv.string, vol.Length(max=NOTE_MAX_LENGTH))
ENTRY = {vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string}

LOG_RUN_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Optional(ATTR_ACTIVITY, default=Activity.RUN.value): vol.In(
            [activity.value for activity in Activity]
        ),
        vol.Optional(ATTR_START): cv.datetime,
        vol.Optional(ATTR_DURATION): vol.All(
            vol.Coerce(float),
            vol.Range(min=0, min_included=False, max=MAX_DURATION_S / 60),
        ),
        vol.Optional(ATTR_DISTANCE): vol.All(vol.Coerce(float), vol.Range(min=0)),
        vol.Optional(ATTR_DISTANCE_UNIT): vol.In(list(DISTANCE_UNITS)),
        vol.Optional(ATTR_MOOD_BEFORE): MOOD,
        vol.Optional(ATTR_MOOD_AFTER): MOOD,
        vol.Optional(ATTR_EFFORT): MOOD,
        vol.Optional(ATTR_NOTE): NOTE,
    }
)
LOG_MOOD_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Required(ATTR_MOOD): MOOD,
        vol.Optional(ATTR_TIME): cv.datetime,
        vol.Optional(ATTR_NOTE): NOTE,
    }
)
DELETE_RECORD_SCHEMA = vol.Schema(
    {**ENTRY, vol.Required(ATTR_RECORD_ID): vol.All(cv.string, vol.Length(min=1))}
)
PLAN_RUN_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Required(ATTR_START): cv.datetime,
        vol.Optional(ATTR_DURATION): vol.All(
            vol.Coerce(float),
            vol.Range(min=0, min_included=False, max=MAX_DURATION_S / 60),
        ),
        vol.Optional(ATTR_NOTE): NOTE,
    }
)
CANCEL_PLAN_SCHEMA = vol.Schema(
    {**ENTRY, vol.Required(ATTR_PLAN_ID): vol.All(cv.string, vol.Length(min=1))}
)
GET_SUMMARY_SCHEMA = vol.Schema(ENTRY)
GET_SESSIONS_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Optional(ATTR_START): cv.datetime,
        vol.Optional(ATTR_END): cv.datetime,
    }
)


def get_coordinator(hass: HomeAssistant, call: ServiceCall) -> RunWellbeingCoordinator:
    """Return the profile an action is for, refusing unknown or unloaded ones.

    Without an id the single loaded profile is meant; with several loaded the
    error names them, so the caller knows what to pass.
    """
    if (entry_id := call.data.get(ATTR_CONFIG_ENTRY_ID)) is not None:
        entry: RunWellbeingConfigEntry = service.async_get_config_entry(
            hass, DOMAIN, entry_id
        )
        return entry.runtime_data
    loaded: list[RunWellbeingConfigEntry] = hass.config_entries.async_loaded_entries(
        DOMAIN
    )
    if len(loaded) == 1:
        return loaded[0].runtime_data
    if not loaded:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_profile_loaded"
        )
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="several_profiles",
        translation_placeholders={
            "profiles": ", ".join(sorted(entry.title for entry in loaded))
        },
    )


def as_aware(value: datetime | None) -> datetime | None:
    """Read a time without a zone as Home Assistant's local time."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt_util.get_default_time_zone())


def default_distance_unit(hass: HomeAssistant) -> str:
    """Return the unit people of this home think in."""
    return "km" if hass.config.units is METRIC_SYSTEM else "mi"


def to_metres(hass: HomeAssistant, distance: float, unit: str | None) -> float:
    """Convert a distance in the caller's unit to metres."""
    unit = unit or default_distance_unit(hass)
    return DistanceConverter.convert(
        distance, DISTANCE_UNITS[unit], UnitOfLength.METERS
    )


def session_response(session: Session) -> dict[str, Any]:
    """Return a session as actions show it (minutes and kilometres)."""
    return {
        "id": session.id,
        "activity": session.activity.value,
        "start": session.start.isoformat(),
        "duration": None if session.duration is None else session.duration / 60,
        "distance": None if session.distance is None else session.distance / 1000,
        "mood_before": session.mood_before,
        "mood_after": session.mood_after,
        "effort": session.effort,
        "note": session.note,
        "source": session.source.value,
    }


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions once, for every profile."""
    from .history_actions import async_setup_history_services  # noqa: PLC0415

    async_setup_history_services(hass)

    async def log_run(call: ServiceCall) -> ServiceResponse:
        coordinator = get_coordinator(hass, call)
        data = call.data
        distance = data.get(ATTR_DISTANCE)
        session = await coordinator.async_log_session(
            start=as_aware(data.get(ATTR_START)),
            activity=Activity(data[ATTR_ACTIVITY]),
            duration=None
            if (minutes := data.get(ATTR_DURATION)) is None
            else minutes * 60,
            distance=None
            if distance is None
            else to_metres(hass, distance, data.get(ATTR_DISTANCE_UNIT)),
            mood_before=data.get(ATTR_MOOD_BEFORE),
            mood_after=data.get(ATTR_MOOD_AFTER),
            effort=data.get(ATTR_EFFORT),
            note=data.get(ATTR_NOTE),
            context=call.context,
        )
        return {"session_id": session.id} if call.return_response else None

    async def log_mood(call: ServiceCall) -> ServiceResponse:
        coordinator = get_coordinator(hass, call)
        mood = await coordinator.async_log_mood(
            mood=call.data[ATTR_MOOD],
            when=as_aware(call.data.get(ATTR_TIME)),
            note=call.data.get(ATTR_NOTE),
            context=call.context,
        )
        return {"mood_id": mood.id} if call.return_response else None

    async def delete_record(call: ServiceCall) -> None:
        await get_coordinator(hass, call).async_delete_record(
            call.data[ATTR_RECORD_ID], call.context
        )

    @callback
    def get_summary(call: ServiceCall) -> ServiceResponse:
        return summary_response(get_coordinator(hass, call).data)

    @callback
    def get_sessions(call: ServiceCall) -> ServiceResponse:
        sessions = get_coordinator(hass, call).sessions_between(
            as_aware(call.data.get(ATTR_START)), as_aware(call.data.get(ATTR_END))
        )
        return {"sessions": [session_response(session) for session in sessions]}

    async def plan_run(call: ServiceCall) -> ServiceResponse:
        start = as_aware(call.data[ATTR_START])
        assert start is not None
        plan = await get_coordinator(hass, call).async_plan_run(
            start=start,
            duration=None
            if (minutes := call.data.get(ATTR_DURATION)) is None
            else minutes * 60,
            note=call.data.get(ATTR_NOTE),
        )
        return {"plan_id": plan.id} if call.return_response else None

    async def cancel_plan(call: ServiceCall) -> None:
        await get_coordinator(hass, call).async_cancel_plan(call.data[ATTR_PLAN_ID])

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
    service.async_register_admin_service(
        hass, DOMAIN, SERVICE_DELETE_RECORD, delete_record, DELETE_RECORD_SCHEMA
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
