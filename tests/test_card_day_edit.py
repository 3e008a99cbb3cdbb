"""Editing and deleting a session from the card's day view (issue 22)."""

from __future__ import annotations

from typing import Any

from homeassistant.auth.models import User
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.run_wellbeing.const import DOMAIN

from .conftest import ProfileFactory


async def _call(
    client: Any, events: list[dict[str, Any]] | None = None, **msg: Any
) -> dict[str, Any]:
    """Send a command; subscription events on the way land in `events`."""
    await client.send_json_auto_id(msg)
    while True:
        response: dict[str, Any] = await client.receive_json()
        if response["type"] == "result":
            return response
        if events is not None:
            events.append(response["event"])


async def _log(client: Any, entry: MockConfigEntry, **fields: Any) -> str:
    response = await _call(
        client, type="run_wellbeing/log_run", entry_id=entry.entry_id, **fields
    )
    assert response["success"], response
    return str(response["result"]["id"])


async def _day(client: Any, entry: MockConfigEntry) -> list[dict[str, Any]]:
    response = await _call(
        client,
        type="run_wellbeing/day",
        entry_id=entry.entry_id,
        date=dt_util.now().date().isoformat(),
    )
    assert response["success"], response
    sessions: list[dict[str, Any]] = response["result"]["sessions"]
    return sessions


async def _linked_profile(
    hass: HomeAssistant, add_profile: ProfileFactory, user_id: str
) -> MockConfigEntry:
    """Return Alex's profile, linked to a person of the given user."""
    assert await async_setup_component(
        hass, "person", {"person": [{"id": "alex", "name": "Alex", "user_id": user_id}]}
    )
    await hass.async_block_till_done()
    return await add_profile("Alex", person="person.alex")


async def test_edit_a_session_from_the_day_view(
    hass: HomeAssistant, alex: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    """Activity, duration, distance and note change; the id and start stay."""
    client = await hass_ws_client(hass)
    session_id = await _log(
        client, alex, duration=30, distance=5, distance_unit="km", note="windy"
    )
    before = alex.runtime_data.history.sessions[session_id]
    await client.send_json_auto_id(
        {"type": "run_wellbeing/subscribe", "entry_id": alex.entry_id}
    )
    assert (await client.receive_json())["success"]
    assert sum((await client.receive_json())["event"]["days"]["count"]) == 1

    events: list[dict[str, Any]] = []
    response = await _call(
        client,
        events,
        type="run_wellbeing/update_session",
        entry_id=alex.entry_id,
        record_id=session_id,
        activity="walk",
        duration=45,
        distance=3.5,
        distance_unit="km",
        note="calm",
    )
    assert response["success"], response
    result = response["result"]
    assert result["id"] == session_id
    assert result["activity"] == "walk"
    assert result["duration"] == 45
    assert result["distance"] == 3.5
    assert result["note"] == "calm"
    assert result["start"] == before.start.isoformat()
    after = alex.runtime_data.history.sessions[session_id]
    assert after.duration == 45 * 60
    assert after.distance == 3500
    # The subscription (heatmap and summary) follows the change.
    if not events:
        events.append((await client.receive_json())["event"])
    # A walk is not a counted run: the heatmap and the week drop it.
    assert sum(events[-1]["days"]["count"]) == 0
    assert events[-1]["summary"]["runs_this_week"] == 0

    # Left-out fields stay; null and an empty note clear optional fields.
    response = await _call(
        client,
        type="run_wellbeing/update_session",
        entry_id=alex.entry_id,
        record_id=session_id,
        distance=None,
        note="",
    )
    assert response["success"], response
    [shown] = await _day(client, alex)
    assert shown["distance"] is None
    assert shown["note"] is None
    assert shown["duration"] == 45
    assert shown["activity"] == "walk"

    # Metres and miles convert like log_run.
    response = await _call(
        client,
        type="run_wellbeing/update_session",
        entry_id=alex.entry_id,
        record_id=session_id,
        distance=2,
        distance_unit="mi",
    )
    assert response["success"], response
    assert alex.runtime_data.history.sessions[session_id].distance == pytest.approx(
        3218.688
    )


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"duration": 2000}, "invalid_duration"),
        ({"duration": 0}, "invalid_duration"),
        ({"duration": "long"}, "invalid_duration"),
        ({"duration": True}, "invalid_duration"),
        ({"distance": -1}, "invalid_distance"),
        ({"distance": 1001, "distance_unit": "km"}, "invalid_distance"),
        ({"distance": "far"}, "invalid_distance"),
        ({"mood_after": 6.5}, "invalid_mood_after"),
        ({"note": "x" * 501}, "note_too_long"),
        ({"start": "2200-01-01T07:00:00"}, "invalid_start"),
        # One bad value refuses the whole change, good ones included.
        ({"duration": 40, "distance": -3}, "invalid_distance"),
    ],
)
async def test_refused_edits_change_nothing(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    fields: dict[str, Any],
    key: str,
) -> None:
    """Bad values are refused with log_run's translated errors; nothing changes."""
    client = await hass_ws_client(hass)
    session_id = await _log(client, alex, duration=30, distance=5, note="keep")
    before = alex.runtime_data.history.sessions[session_id]
    day_before = await _day(client, alex)
    response = await _call(
        client,
        type="run_wellbeing/update_session",
        entry_id=alex.entry_id,
        record_id=session_id,
        **fields,
    )
    assert not response["success"]
    assert response["error"]["translation_key"].startswith(key), response
    assert response["error"]["translation_domain"] == DOMAIN
    assert alex.runtime_data.history.sessions[session_id] is before
    assert await _day(client, alex) == day_before


async def test_unknown_records_and_bad_activity_refused(
    hass: HomeAssistant, alex: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    """Only sessions of this profile are edited; an unknown activity is refused."""
    client = await hass_ws_client(hass)
    session_id = await _log(client, alex, duration=30)
    response = await _call(
        client, type="run_wellbeing/log_mood", entry_id=alex.entry_id, mood=6
    )
    mood_id = response["result"]["id"]
    mood = alex.runtime_data.history.moods[mood_id]
    for record_id in ("nope", mood_id):
        response = await _call(
            client,
            type="run_wellbeing/update_session",
            entry_id=alex.entry_id,
            record_id=record_id,
            duration=20,
        )
        assert response["error"]["translation_key"] == "record_not_found"
    assert alex.runtime_data.history.moods[mood_id] is mood
    response = await _call(
        client,
        type="run_wellbeing/update_session",
        entry_id=alex.entry_id,
        record_id="x" * 65,
        duration=20,
    )
    assert response["error"]["translation_key"].startswith("invalid_record_id")
    assert "x" * 65 not in str(response)
    response = await _call(
        client,
        type="run_wellbeing/update_session",
        entry_id=alex.entry_id,
        record_id=session_id,
        activity="fly",
    )
    assert not response["success"]
    assert alex.runtime_data.history.sessions[session_id].activity.value == "run"
    response = await _call(
        client,
        type="run_wellbeing/update_session",
        entry_id="nope",
        record_id=session_id,
        duration=20,
    )
    assert response["error"]["translation_key"] == "no_profile_loaded"


async def test_other_users_profile_refused(
    hass: HomeAssistant,
    add_profile: ProfileFactory,
    hass_ws_client: WebSocketGenerator,
    hass_owner_user: MockUser,
    hass_read_only_access_token: str,
) -> None:
    """A member who does not own the profile may neither edit nor delete."""
    alex_user: User = await hass.auth.async_create_user(
        "Alex", group_ids=["system-users"]
    )
    alex = await _linked_profile(hass, add_profile, alex_user.id)
    admin = await hass_ws_client(hass)
    session_id = await _log(admin, alex, duration=30, note="mine")
    before = alex.runtime_data.history.sessions[session_id]

    sam = await hass_ws_client(hass, access_token=hass_read_only_access_token)
    response = await _call(
        sam,
        type="run_wellbeing/update_session",
        entry_id=alex.entry_id,
        record_id=session_id,
        duration=10,
        note="not mine",
    )
    assert response["error"]["code"] == "unauthorized"
    response = await _call(
        sam, type="run_wellbeing/undo", entry_id=alex.entry_id, record_id=session_id
    )
    assert response["error"]["code"] == "unauthorized"
    assert alex.runtime_data.history.sessions[session_id] is before
    [shown] = await _day(admin, alex)
    assert shown["duration"] == 30
    assert shown["note"] == "mine"


async def test_owner_edits_and_deletes(
    hass: HomeAssistant,
    add_profile: ProfileFactory,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_user: MockUser,
    hass_read_only_access_token: str,
) -> None:
    """The profile's own (non-admin) user edits and then deletes a session."""
    alex = await _linked_profile(hass, add_profile, hass_read_only_user.id)
    client = await hass_ws_client(hass, access_token=hass_read_only_access_token)
    session_id = await _log(client, alex, duration=30)
    response = await _call(
        client,
        type="run_wellbeing/update_session",
        entry_id=alex.entry_id,
        record_id=session_id,
        duration=35,
    )
    assert response["success"], response
    assert response["result"]["duration"] == 35
    assert hass.states.get("sensor.alex_runs_this_week").state == "1"
    response = await _call(
        client, type="run_wellbeing/undo", entry_id=alex.entry_id, record_id=session_id
    )
    assert response["success"], response
    assert await _day(client, alex) == []
    assert hass.states.get("sensor.alex_runs_this_week").state == "0"
    # Editing a deleted session is refused.
    response = await _call(
        client,
        type="run_wellbeing/update_session",
        entry_id=alex.entry_id,
        record_id=session_id,
        duration=20,
    )
    assert response["error"]["translation_key"] == "record_not_found"
