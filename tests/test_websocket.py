"""The card's websocket commands against a real Home Assistant."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.run_wellbeing.card import CARD_URL
from custom_components.run_wellbeing.const import DOMAIN

from .conftest import ProfileFactory


async def _call(client: Any, **msg: Any) -> dict[str, Any]:
    await client.send_json_auto_id(msg)
    response: dict[str, Any] = await client.receive_json()
    return response


async def test_profiles_and_card_registered(
    hass: HomeAssistant,
    add_profile: ProfileFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The editor lists loaded profiles; the bundle is served with a version."""
    assert await async_setup_component(hass, "frontend", {})
    zoe = await add_profile("Zoë O'Brien")
    alex = await add_profile("Alex")
    client = await hass_ws_client(hass)
    response = await _call(client, type="run_wellbeing/profiles")
    assert response["success"]
    assert response["result"]["profiles"] == [
        {"entry_id": alex.entry_id, "name": "Alex"},
        {"entry_id": zoe.entry_id, "name": "Zoë O'Brien"},
    ]
    urls = hass.data["frontend_extra_module_url"].urls
    assert any(url.startswith(f"{CARD_URL}?v=") for url in urls)


async def test_subscribe_log_undo(
    hass: HomeAssistant, alex: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    """A subscription sends the year, follows logging and undo."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "run_wellbeing/subscribe", "entry_id": alex.entry_id}
    )
    assert (await client.receive_json())["success"]
    first = (await client.receive_json())["event"]
    assert first["name"] == "Alex"
    assert first["summary"]["runs_this_week"] == 0
    assert first["summary"]["weekly_goal"] == 3
    days = first["days"]
    assert len(days["count"]) == len(days["distance"]) == len(days["plan"])
    assert len(days["count"]) >= 365
    assert sum(days["count"]) == 0
    assert first["may_manage"] is True

    response = await _call(
        client,
        type="run_wellbeing/log_run",
        entry_id=alex.entry_id,
        duration=30,
        distance=5.2,
        distance_unit="km",
        mood_before=4,
        mood_after=7,
        note="felt great",
    )
    # The subscription's update may arrive before the result.
    messages = [response, await client.receive_json()]
    result = next(m for m in messages if m["type"] == "result")
    update = next(m for m in messages if m["type"] == "event")["event"]
    assert result["success"]
    session_id = result["result"]["id"]
    assert update["summary"]["runs_this_week"] == 1
    assert sum(update["days"]["count"]) == 1
    assert sum(update["days"]["distance"]) == 52
    today = (
        dt_util.parse_date(update["today"])
        - dt_util.parse_date(update["days"]["first"])
    ).days
    assert update["days"]["count"][today] == 1
    assert update["moods"]["mean"][-1] == 5.5
    assert "felt great" not in json.dumps(update)
    assert hass.states.get("sensor.alex_runs_this_week").state == "1"

    response = await _call(
        client,
        type="run_wellbeing/day",
        entry_id=alex.entry_id,
        date=update["today"],
    )
    assert response["result"]["sessions"][0]["note"] == "felt great"
    assert response["result"]["sessions"][0]["distance"] == 5.2

    response = await _call(
        client, type="run_wellbeing/undo", entry_id=alex.entry_id, record_id=session_id
    )
    messages = [response, await client.receive_json()]
    assert next(m for m in messages if m["type"] == "result")["success"]
    update = next(m for m in messages if m["type"] == "event")["event"]
    assert sum(update["days"]["count"]) == 0
    assert hass.states.get("sensor.alex_runs_this_week").state == "0"

    response = await _call(
        client, type="run_wellbeing/log_mood", entry_id=alex.entry_id, mood=8
    )
    messages = [response, await client.receive_json()]
    assert next(m for m in messages if m["type"] == "result")["success"]
    update = next(m for m in messages if m["type"] == "event")["event"]
    assert update["summary"]["last_mood"] == 8


async def test_year_is_compact(
    hass: HomeAssistant, alex: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    """A year of daily runs with a schedule fits in 20 KB."""
    coordinator = alex.runtime_data
    now = dt_util.utcnow()
    for day in range(1, 366):
        await coordinator.async_log_session(
            start=now - timedelta(days=day), duration=1800, distance=12345.0
        )
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "run_wellbeing/subscribe", "entry_id": alex.entry_id}
    )
    assert (await client.receive_json())["success"]
    event = (await client.receive_json())["event"]
    assert sum(event["days"]["count"]) >= 365
    assert len(json.dumps(event, separators=(",", ":"))) <= 20_000


async def test_refused_input(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Bad input and unknown profiles are refused with translated errors."""
    client = await hass_ws_client(hass)
    response = await _call(
        client, type="run_wellbeing/log_mood", entry_id=alex.entry_id, mood=11
    )
    assert response["error"]["translation_key"] == "invalid_mood"
    # A fraction is refused, not cut down to a whole number.
    response = await _call(
        client,
        type="run_wellbeing/log_run",
        entry_id=alex.entry_id,
        mood_after=6.5,
        start="2200-01-01T07:00:00",
    )
    assert response["error"]["translation_key"] in {
        "invalid_mood_after",
        "invalid_start",
    }
    assert alex.runtime_data.history.moods == {}
    assert alex.runtime_data.history.sessions == {}
    response = await _call(
        client, type="run_wellbeing/log_run", entry_id=alex.entry_id, duration=2000
    )
    assert response["error"]["translation_key"] == "invalid_duration"
    response = await _call(
        client,
        type="run_wellbeing/log_run",
        entry_id=alex.entry_id,
        note="x" * 501,
    )
    assert response["error"]["translation_key"] == "note_too_long"
    assert response["error"]["translation_domain"] == DOMAIN
    response = await _call(client, type="run_wellbeing/subscribe", entry_id="nope")
    assert response["error"]["translation_key"] == "no_profile_loaded"
    response = await _call(
        client, type="run_wellbeing/undo", entry_id=alex.entry_id, record_id="nope"
    )
    assert response["error"]["translation_key"] == "record_not_found"


async def test_undo_needs_ownership(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
) -> None:
    """Anyone may log; only owners and admins undo or read notes."""
    client = await hass_ws_client(hass, access_token=hass_read_only_access_token)
    response = await _call(
        client,
        type="run_wellbeing/log_run",
        entry_id=alex.entry_id,
        duration=20,
        note="private",
    )
    assert response["success"]
    session_id = response["result"]["id"]
    response = await _call(
        client, type="run_wellbeing/undo", entry_id=alex.entry_id, record_id=session_id
    )
    assert response["error"]["code"] == "unauthorized"
    today = dt_util.now().date().isoformat()
    response = await _call(
        client, type="run_wellbeing/day", entry_id=alex.entry_id, date=today
    )
    assert response["result"]["sessions"][0]["note"] is None
    assert hass.states.get("sensor.alex_runs_this_week").state == "1"


async def test_planned_days_marked(
    hass: HomeAssistant,
    add_profile: ProfileFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Schedule slots show as planned; a day with a run as done."""
    entry = await add_profile(
        "Sam", plan_days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    )
    await entry.runtime_data.async_log_session(duration=600)
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "run_wellbeing/subscribe", "entry_id": entry.entry_id}
    )
    assert (await client.receive_json())["success"]
    event = (await client.receive_json())["event"]
    today = (
        dt_util.parse_date(event["today"]) - dt_util.parse_date(event["days"]["first"])
    ).days
    plan = event["days"]["plan"]
    assert plan[today] in "dp-"
    assert set(plan[:today]) <= {"-"}
    assert "p" in plan[today + 1 :] or today == len(plan) - 1


async def test_subscription_follows_reload(
    hass: HomeAssistant, alex: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    """After the profile reloads, the open card keeps getting updates."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "run_wellbeing/subscribe", "entry_id": alex.entry_id}
    )
    assert (await client.receive_json())["success"]
    await client.receive_json()
    assert await hass.config_entries.async_reload(alex.entry_id)
    await hass.async_block_till_done()
    while True:
        if (await client.receive_json())["event"]["summary"]["total_runs"] == 0:
            break
    await alex.runtime_data.async_log_session(duration=600)
    await hass.async_block_till_done()
    event = (await client.receive_json())["event"]
    while event["summary"]["total_runs"] != 1:
        event = (await client.receive_json())["event"]
    assert event["summary"]["total_runs"] == 1


async def test_run_ends_when_the_person_says(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A run 'just finished' started duration ago; yesterday's run can be logged."""
    client = await hass_ws_client(hass)
    before = dt_util.now()
    response = await _call(
        client,
        type="run_wellbeing/log_run",
        entry_id=alex.entry_id,
        duration=32,
        end=dt_util.now().isoformat(),
    )
    assert response["success"], response
    sessions = alex.runtime_data.history.sessions
    just = sessions[response["result"]["id"]]
    # It ended now, so it started 32 minutes ago, never 32 minutes ahead.
    assert before - timedelta(minutes=32, seconds=5) <= just.start
    assert just.start <= dt_util.now() - timedelta(minutes=31)

    yesterday_end = (dt_util.now() - timedelta(days=1)).replace(microsecond=0)
    response = await _call(
        client,
        type="run_wellbeing/log_run",
        entry_id=alex.entry_id,
        duration=45,
        end=yesterday_end.isoformat(),
    )
    assert response["success"], response
    earlier = sessions[response["result"]["id"]]
    assert earlier.start == yesterday_end - timedelta(minutes=45)
    assert earlier.duration == 45 * 60

    response = await _call(
        client,
        type="run_wellbeing/log_run",
        entry_id=alex.entry_id,
        duration=20,
        end="not a time",
    )
    assert response["error"]["translation_key"] == "invalid_end"
    assert len(sessions) == 2
