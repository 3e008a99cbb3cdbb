"""Websocket commands of the card: a live summary, logging and undo.

The card reads and writes through these commands rather than actions, so
notes travel only over the user's own websocket connection and never through
an action call (whose data other integrations and the logbook can see).
Logging is open to every user; reading notes, undo, and editing or deleting
a session from the day view follow `ownership.async_may_manage`, like the
actions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import (
    async_response,
    websocket_command,
)
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
    ConfigEntryState,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.util import dt as dt_util
import probatio as vol

from . import validation
from .const import DOMAIN
from .coordinator import RunWellbeingConfigEntry, RunWellbeingCoordinator
from .core.card_view import card_days
from .core.models import MOOD_MAX, MOOD_MIN, Activity, Session
from .core.stats import local_midnight
from .ownership import async_may_manage
from .sensor import summary_response
from .services import (
    DISTANCE_UNITS,
    default_distance_unit,
    session_response,
    to_metres,
)

ENTRY_ID = vol.All(str, vol.Length(min=1, max=64))
# Notes are checked in the handlers (validation.note), whose error never
# echoes them; a schema error would quote the value into the log.
NOTE = cv.match_all

# Numbers and dates are checked in the handlers, as the actions do, so a
# refusal names the field and its range in the user's language and never
# bends 6.5 into 6.
ANY_VALUE = cv.match_all
RECORD_ID = vol.All(str, vol.Length(min=1, max=64))


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register the card's commands once, for every profile."""
    for command in (
        ws_profiles,
        ws_subscribe,
        ws_log_run,
        ws_log_mood,
        ws_undo,
        ws_day,
        ws_update_session,
    ):
        async_register_command(hass, command)


def _coordinator(hass: HomeAssistant, entry_id: str) -> RunWellbeingCoordinator:
    """Return a loaded profile's coordinator or refuse with a translated error."""
    entry: RunWellbeingConfigEntry | None = hass.config_entries.async_get_entry(
        entry_id
    )
    if (
        entry is None
        or entry.domain != DOMAIN
        or entry.state is not ConfigEntryState.LOADED
    ):
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_profile_loaded"
        )
    return entry.runtime_data


def card_data(
    hass: HomeAssistant, coordinator: RunWellbeingCoordinator, *, may_manage: bool
) -> dict[str, Any]:
    """Return what the card shows: the summary and the year's daily aggregates."""
    summary = coordinator.data
    return {
        "name": coordinator.profile_name,
        "summary": summary_response(summary)
        | {"week_start": summary.week_start.isoformat()},
        "unit": default_distance_unit(hass),
        "may_manage": may_manage,
    } | card_days(coordinator.stats, dt_util.utcnow())


@websocket_command({vol.Required("type"): "run_wellbeing/profiles"})
@callback
def ws_profiles(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """List the loaded profiles, for the card's editor and stub config."""
    entries: list[RunWellbeingConfigEntry] = hass.config_entries.async_loaded_entries(
        DOMAIN
    )
    connection.send_result(
        msg["id"],
        {
            "profiles": sorted(
                (
                    {"entry_id": entry.entry_id, "name": entry.title}
                    for entry in entries
                ),
                key=lambda profile: profile["name"].casefold(),
            )
        },
    )


@websocket_command(
    {
        vol.Required("type"): "run_wellbeing/subscribe",
        vol.Required("entry_id"): ENTRY_ID,
    }
)
@async_response
async def ws_subscribe(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Send the card's data now and again whenever the profile changes."""
    coordinator = _coordinator(hass, msg["entry_id"])
    may_manage = await async_may_manage(
        hass, coordinator.config_entry, connection.user.id
    )
    msg_id = msg["id"]
    entry = coordinator.config_entry
    current = coordinator

    @callback
    def _send() -> None:
        connection.send_message(
            event_message(msg_id, card_data(hass, current, may_manage=may_manage))
        )

    unsub_listener = coordinator.async_add_listener(_send)

    @callback
    def _entry_changed(_change: ConfigEntryChange, changed: ConfigEntry) -> None:
        """Follow the profile across reloads (a rename, new options)."""
        nonlocal current, unsub_listener
        if changed is not entry or entry.state is not ConfigEntryState.LOADED:
            return
        if entry.runtime_data is current:
            return
        unsub_listener()
        current = entry.runtime_data
        unsub_listener = current.async_add_listener(_send)
        _send()

    unsub_changes = async_dispatcher_connect(
        hass, SIGNAL_CONFIG_ENTRY_CHANGED, _entry_changed
    )

    @callback
    def _unsubscribe() -> None:
        unsub_listener()
        unsub_changes()

    connection.subscriptions[msg_id] = _unsubscribe
    connection.send_result(msg_id)
    _send()


@websocket_command(
    {
        vol.Required("type"): "run_wellbeing/log_run",
        vol.Required("entry_id"): ENTRY_ID,
        vol.Optional("activity", default=Activity.RUN.value): vol.In(
            [activity.value for activity in Activity]
        ),
        vol.Optional("start"): ANY_VALUE,
        vol.Optional("end"): ANY_VALUE,
        vol.Optional("duration"): ANY_VALUE,
        vol.Optional("distance"): ANY_VALUE,
        vol.Optional("distance_unit"): vol.In(list(DISTANCE_UNITS)),
        vol.Optional("mood_before"): ANY_VALUE,
        vol.Optional("mood_after"): ANY_VALUE,
        vol.Optional("effort"): ANY_VALUE,
        vol.Optional("note"): NOTE,
    }
)
@async_response
async def ws_log_run(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Log a session (duration in minutes, distance in the given unit).

    A run ends when the person says it did: given `end` (the card sends now
    for "just finished"), it starts at end - duration.
    """
    coordinator = _coordinator(hass, msg["entry_id"])
    distance = validation.optional_distance(msg)
    duration = validation.optional_minutes(msg)
    start = validation.optional_moment("start", msg)
    if start is None and (end := validation.optional_moment("end", msg)) is not None:
        start = end - timedelta(seconds=duration or 0)
    session = await coordinator.async_log_session(
        start=start,
        activity=Activity(msg["activity"]),
        duration=duration,
        distance=None
        if distance is None
        else to_metres(hass, distance, msg.get("distance_unit")),
        mood_before=validation.optional_mood("mood_before", msg),
        mood_after=validation.optional_mood("mood_after", msg),
        effort=validation.optional_mood("effort", msg),
        note=validation.note(msg.get("note")),
        context=connection.context(msg),
    )
    connection.send_result(msg["id"], {"id": session.id})


@websocket_command(
    {
        vol.Required("type"): "run_wellbeing/log_mood",
        vol.Required("entry_id"): ENTRY_ID,
        vol.Required("mood"): ANY_VALUE,
        vol.Optional("time"): ANY_VALUE,
        vol.Optional("note"): NOTE,
    }
)
@async_response
async def ws_log_mood(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Log a mood entry."""
    coordinator = _coordinator(hass, msg["entry_id"])
    mood = await coordinator.async_log_mood(
        mood=validation.whole_number("mood", msg["mood"], MOOD_MIN, MOOD_MAX),
        when=validation.optional_moment("time", msg),
        note=validation.note(msg.get("note")),
        context=connection.context(msg),
    )
    connection.send_result(msg["id"], {"id": mood.id})


@websocket_command(
    {
        vol.Required("type"): "run_wellbeing/undo",
        vol.Required("entry_id"): ENTRY_ID,
        vol.Required("record_id"): RECORD_ID,
    }
)
@async_response
async def ws_undo(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Remove a record just logged; only its owner and admins may."""
    coordinator = _coordinator(hass, msg["entry_id"])
    entry = coordinator.config_entry
    if not await async_may_manage(hass, entry, connection.user.id):
        raise Unauthorized(
            context=connection.context(msg), config_entry_id=entry.entry_id
        )
    await coordinator.async_delete_record(msg["record_id"], connection.context(msg))
    connection.send_result(msg["id"])


@websocket_command(
    {
        vol.Required("type"): "run_wellbeing/day",
        vol.Required("entry_id"): ENTRY_ID,
        vol.Required("date"): ANY_VALUE,
    }
)
@async_response
async def ws_day(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Return the sessions of one local day; notes only for who may manage."""
    coordinator = _coordinator(hass, msg["entry_id"])
    may_manage = await async_may_manage(
        hass, coordinator.config_entry, connection.user.id
    )
    day = validation.day("date", msg["date"])
    tz = coordinator.stats.tz
    start: datetime = local_midnight(day, tz)
    sessions = []
    for session in coordinator.sessions_between(
        start, local_midnight(day + timedelta(days=1), tz)
    ):
        response = session_response(session)
        if not may_manage:
            response["note"] = None
        sessions.append(response)
    connection.send_result(msg["id"], {"date": day.isoformat(), "sessions": sessions})


@websocket_command(
    {
        vol.Required("type"): "run_wellbeing/update_session",
        vol.Required("entry_id"): ENTRY_ID,
        # Checked by validation.identifier, which never echoes a long id.
        vol.Required("record_id"): ANY_VALUE,
        vol.Optional("activity"): vol.In([activity.value for activity in Activity]),
        vol.Optional("start"): ANY_VALUE,
        vol.Optional("duration"): ANY_VALUE,
        vol.Optional("distance"): ANY_VALUE,
        vol.Optional("distance_unit"): vol.In(list(DISTANCE_UNITS)),
        vol.Optional("mood_before"): ANY_VALUE,
        vol.Optional("mood_after"): ANY_VALUE,
        vol.Optional("effort"): ANY_VALUE,
        vol.Optional("note"): NOTE,
    }
)
@async_response
async def ws_update_session(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Change a logged session from the day view; only its owner and admins may.

    Fields left out stay as they are; `null` (or an empty note) clears an
    optional field. Values are checked as `log_run` checks them (duration in
    minutes, distance in the given unit), and a refusal changes nothing.
    """
    coordinator = _coordinator(hass, msg["entry_id"])
    entry = coordinator.config_entry
    if not await async_may_manage(hass, entry, connection.user.id):
        raise Unauthorized(
            context=connection.context(msg), config_entry_id=entry.entry_id
        )
    record_id = validation.identifier("record_id", msg["record_id"])
    if record_id not in coordinator.history.sessions:
        # A mood entry or plan is not edited here, whatever its id.
        raise validation.refuse("record_not_found", record_id=record_id)
    changes: dict[str, Any] = {}
    if "activity" in msg:
        changes["activity"] = Activity(msg["activity"])
    if "start" in msg:
        changes["start"] = validation.moment("start", msg["start"])
    if "duration" in msg:
        changes["duration"] = validation.optional_minutes(msg)
    if "distance" in msg:
        distance = validation.optional_distance(msg)
        changes["distance"] = (
            None
            if distance is None
            else to_metres(hass, distance, msg.get("distance_unit"))
        )
    for field in ("mood_before", "mood_after", "effort"):
        if field in msg:
            changes[field] = validation.optional_mood(field, msg)
    if "note" in msg:
        changes["note"] = validation.note(msg["note"])
    session = await coordinator.async_update_record(
        record_id, changes, connection.context(msg)
    )
    assert isinstance(session, Session)
    connection.send_result(msg["id"], session_response(session))
