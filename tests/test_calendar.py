"""Calendars: planned runs (done, missed, upcoming) and the run log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.run_wellbeing.const import DOMAIN

from .conftest import ProfileFactory, advance

PLANNED = "calendar.alex_planned_runs"
LOG = "calendar.alex_run_log"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=dt_util.get_default_time_zone())  # type: ignore[misc]


async def _events(
    hass: HomeAssistant, entity_id: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {
            "entity_id": entity_id,
            "start_date_time": start.isoformat(),
            "end_date_time": end.isoformat(),
        },
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return response[entity_id]["events"]  # type: ignore[no-any-return,index]


async def _move(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, moment: datetime
) -> None:
    freezer.move_to(moment)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def _log_run(hass: HomeAssistant, **data: Any) -> str:
    response = await hass.services.async_call(
        DOMAIN, "log_run", data, blocking=True, return_response=True
    )
    assert response is not None
    return str(response["session_id"])


async def test_dst_week_keeps_seven_oclock(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """Across the October DST change a 07:00 slot is 07:00 local on both sides."""
    freezer.move_to(local(2026, 10, 20, 12, 0))  # Tuesday
    await add_profile("Alex", plan_days=["fri", "sun", "mon"], plan_duration=45)
    events = await _events(hass, PLANNED, local(2026, 10, 19), local(2026, 10, 27))
    assert [(e["start"], e["end"]) for e in events] == [
        ("2026-10-23T07:00:00+02:00", "2026-10-23T07:45:00+02:00"),
        ("2026-10-25T07:00:00+01:00", "2026-10-25T07:45:00+01:00"),
        ("2026-10-26T07:00:00+01:00", "2026-10-26T07:45:00+01:00"),
    ]
    assert {e["summary"] for e in events} == {"Planned run"}
    assert {e["description"] for e in events} == {"Planned"}

    # Monday 26th, after the change: the next planned run is still 07:00 local.
    await _move(hass, freezer, local(2026, 10, 26, 1, 0))
    state = hass.states.get("sensor.alex_next_planned_run")
    assert dt_util.as_local(dt_util.parse_datetime(state.state)).hour == 7


async def test_done_early_missed_and_cancelled(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """Done by a run before the slot, missed when the day passed, cancelled gone."""
    freezer.move_to(local(2026, 6, 1, 5, 0))  # Monday
    await add_profile("Alex", plan_days=["mon", "tue"])
    response = await hass.services.async_call(
        DOMAIN,
        "plan_run",
        {"start": "2026-06-04 18:00:00", "note": "Track with Sam"},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    cancelled = await hass.services.async_call(
        DOMAIN,
        "plan_run",
        {"start": "2026-06-05 18:00:00"},
        blocking=True,
        return_response=True,
    )
    assert cancelled is not None
    await hass.services.async_call(
        DOMAIN, "cancel_plan", {"plan_id": cancelled["plan_id"]}, blocking=True
    )

    # Monday: a run at 06:40 makes the 07:00 slot done before it starts.
    await _move(hass, freezer, local(2026, 6, 1, 6, 40))
    await _log_run(hass, duration=25)
    # Tuesday passes without a run; Wednesday morning it is missed.
    await _move(hass, freezer, local(2026, 6, 3, 9, 0))

    events = await _events(hass, PLANNED, local(2026, 6, 1), local(2026, 6, 8))
    assert [(e["start"], e["description"]) for e in events] == [
        ("2026-06-01T07:00:00+02:00", "Done"),
        ("2026-06-02T07:00:00+02:00", "Missed"),
        ("2026-06-04T18:00:00+02:00", "Planned\n\nTrack with Sam"),
    ]

    # The state shows the next one without its note.
    state = hass.states.get(PLANNED)
    assert state.state == "off"
    assert state.attributes["message"] == "Planned run"
    assert state.attributes["start_time"] == "2026-06-04 18:00:00"
    assert state.attributes["description"] == "Planned"

    # During the run the calendar is on; afterwards it moves to next Monday.
    await _move(hass, freezer, local(2026, 6, 4, 18, 10))
    assert hass.states.get(PLANNED).state == "on"
    await _move(hass, freezer, local(2026, 6, 4, 18, 31))
    state = hass.states.get(PLANNED)
    assert state.state == "off"
    assert state.attributes["start_time"] == "2026-06-08 07:00:00"


async def test_planned_runs_start_at_first_plan_and_end_eight_weeks_ahead(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """Nothing before the schedule was saved; slots reach 8 weeks ahead."""
    freezer.move_to(local(2026, 6, 3, 12, 0))  # Wednesday
    await add_profile("Alex", plan_days=["mon"])
    events = await _events(hass, PLANNED, local(2025, 1, 1), local(2027, 1, 1))
    assert events[0]["start"] == "2026-06-08T07:00:00+02:00"
    assert events[-1]["start"] == "2026-07-27T07:00:00+02:00"
    assert len(events) == 8


async def test_run_log_shows_sessions_without_notes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, alex: MockConfigEntry
) -> None:
    """Sessions with activity, distance and duration; the note never shows."""
    freezer.move_to(local(2026, 6, 3, 20, 0))
    assert hass.states.get(LOG).state == "off"
    assert "message" not in hass.states.get(LOG).attributes
    first = await _log_run(
        hass,
        start="2026-06-01 07:00:00",
        duration=32,
        distance=5.2,
        note="Felt heavy",
    )
    await _log_run(hass, start="2026-06-02 18:00:00", activity="yoga")
    await _log_run(hass, start="2026-06-03 19:30:00", activity="walk", duration=60)

    events = await _events(hass, LOG, local(2026, 6, 1), local(2026, 6, 3))
    assert events == [
        {
            "start": "2026-06-01T07:00:00+02:00",
            "end": "2026-06-01T07:32:00+02:00",
            "summary": "Run · 5.20 km · 32 min",
            "description": "Activity: Run\nDistance: 5.20 km\nDuration: 32 min",
        },
        {
            "start": "2026-06-02T18:00:00+02:00",
            "end": "2026-06-02T18:00:00+02:00",
            "summary": "Yoga",
            "description": "Activity: Yoga",
        },
    ]
    walk = await _events(hass, LOG, local(2026, 6, 3, 19), local(2026, 6, 4))
    assert [e["summary"] for e in walk] == ["Walk · 60 min"]
    # A log has no upcoming event: its state stays off, with no attributes.
    state = hass.states.get(LOG)
    assert state.state == "off"
    assert "message" not in state.attributes
    assert "Felt heavy" not in str(
        await _events(hass, LOG, local(2026, 1, 1), local(2027, 1, 1))
    )

    await hass.services.async_call(
        DOMAIN, "delete_record", {"record_id": first}, blocking=True
    )
    assert len(await _events(hass, LOG, local(2026, 6, 1), local(2026, 6, 3))) == 1


async def test_run_log_distance_in_miles_for_us_homes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, alex: MockConfigEntry
) -> None:
    """Homes on US customary units read miles."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    freezer.move_to(local(2026, 6, 3, 20, 0))
    await _log_run(hass, start="2026-06-01 07:00:00", distance=3.1)
    events = await _events(hass, LOG, local(2026, 6, 1), local(2026, 6, 2))
    assert events[0]["summary"] == "Run · 3.10 mi"


async def test_calendar_panel_range_query(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    add_profile: ProfileFactory,
) -> None:
    """The calendar panel's HTTP range query gets the planned runs of the range.

    Real time here: the client's access token is only valid around now.
    """
    await add_profile("Alex", plan_days=["mon", "wed", "fri"])
    start = dt_util.start_of_local_day() + timedelta(days=1)
    end = start + timedelta(days=14)
    client = await hass_client()
    response = await client.get(
        f"/api/calendars/{PLANNED}",
        params={"start": start.isoformat(), "end": end.isoformat()},
    )
    assert response.status == 200
    body = await response.json()
    assert len(body) == 6
    starts = [dt_util.parse_datetime(e["start"]["dateTime"]) for e in body]
    assert all(
        moment is not None
        and moment.strftime("%a %H:%M") in {"Mon 07:00", "Wed 07:00", "Fri 07:00"}
        for moment in starts
    )
    assert {e["summary"] for e in body} == {"Planned run"}
    assert body[0]["uid"].startswith("slot-")


@pytest.mark.usefixtures("stop_automations")
async def test_calendar_trigger_with_negative_offset(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """The README's calendar trigger fires 45 minutes before a planned run."""
    freezer.move_to(local(2026, 6, 1, 5, 0))  # Monday
    await add_profile("Alex", plan_days=["tue"])
    calls = async_mock_service(hass, "test", "automation")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": {
                    "trigger": "calendar",
                    "event": "start",
                    "offset": "-0:45:0",
                    "entity_id": PLANNED,
                },
                "actions": {
                    "action": "test.automation",
                    "data": {
                        "start": "{{ trigger.calendar_event.start }}",
                        "at": "{{ now().strftime('%a %H:%M') }}",
                    },
                },
            }
        },
    )
    await hass.async_block_till_done()
    await advance(hass, freezer, local(2026, 6, 2, 6, 14))
    assert calls == []
    await advance(hass, freezer, local(2026, 6, 2, 9, 0))
    assert [(c.data["start"], c.data["at"]) for c in calls] == [
        ("2026-06-02T07:00:00+02:00", "Tue 06:15")
    ]


async def test_open_calendar_views_follow_changes(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    freezer: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
) -> None:
    """A calendar panel showing the week gets new runs and plans as they happen."""
    # Connect at the real time (the token is checked then), with the calendar
    # commands registered.
    assert await async_setup_component(hass, "calendar", {})
    client = await hass_ws_client(hass)
    freezer.move_to(local(2026, 6, 1, 5, 0))
    await add_profile("Alex", plan_days=["mon", "thu"])
    for number, entity_id in enumerate((LOG, PLANNED), start=1):
        await client.send_json_auto_id(
            {
                "type": "calendar/event/subscribe",
                "entity_id": entity_id,
                "start": local(2026, 6, 1).isoformat(),
                "end": local(2026, 6, 8).isoformat(),
            }
        )
        reply = await client.receive_json()
        assert reply["success"], reply
        first = await client.receive_json()
        assert first["id"] == number
    freezer.move_to(local(2026, 6, 1, 8, 0))
    await _log_run(hass, start="2026-06-01 07:10:00", duration=30)
    await hass.async_block_till_done()
    updates: dict[int, list[dict[str, Any]]] = {}
    # Planned runs may be pushed twice (state and list), and the log once
    # before the run is on disk (the planned slot's start passed meanwhile).
    while len(updates) < 2 or not updates[1]:
        message = await client.receive_json()
        updates[message["id"]] = message["event"]["events"]
    assert [e["summary"] for e in updates[1]] == ["Run · 30 min"]
    assert [(e["start"], e["description"]) for e in updates[2]] == [
        ("2026-06-01T07:00:00+02:00", "Done"),
        ("2026-06-04T07:00:00+02:00", "Planned"),
    ]


async def test_time_zone_change_moves_the_shown_times(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """After a move to another zone, slots stay 07:00 and plans keep their moment."""
    freezer.move_to(local(2026, 6, 1, 5, 0))
    await add_profile("Alex", plan_days=["wed"])
    await hass.services.async_call(
        DOMAIN, "plan_run", {"start": "2026-06-02 18:00:00"}, blocking=True
    )
    assert hass.states.get(PLANNED).attributes["start_time"] == "2026-06-02 18:00:00"
    await hass.config.async_update(time_zone="Europe/London")
    await hass.async_block_till_done()
    assert hass.states.get(PLANNED).attributes["start_time"] == "2026-06-02 17:00:00"
    events = await _events(hass, PLANNED, local(2026, 6, 2), local(2026, 6, 4))
    assert [e["start"] for e in events] == [
        "2026-06-02T17:00:00+01:00",
        "2026-06-03T07:00:00+01:00",
    ]
