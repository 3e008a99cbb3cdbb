"""Logging runs and moods through the actions, as a user or automation would."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta
import errno
import os
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import probatio
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)

from custom_components.run_wellbeing.const import DOMAIN

from .conftest import ProfileFactory, state
from .reliability import on_disk

REAL_WRITE = os.write
NOW = "2026-11-25T12:00:00+01:00"  # a Wednesday in Amsterdam


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    freezer.move_to(NOW)
    return freezer


async def call(
    hass: HomeAssistant, action: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> Any:
    return await hass.services.async_call(
        DOMAIN, action, data or {}, blocking=True, **kwargs
    )


def stored_sessions(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    return entry.runtime_data.history.sessions


async def test_logged_run_changes_every_affected_entity(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    before = {s.entity_id: s.state for s in hass.states.async_all()}
    assert before["sensor.alex_runs_this_week"] == "0"
    assert before["binary_sensor.alex_ran_today"] == "off"

    response = await call(
        hass,
        "log_run",
        {
            "distance": 5,
            "duration": 32,
            "mood_before": 4,
            "mood_after": 7,
            "effort": 6,
            "note": "felt heavy at first",
        },
        return_response=True,
    )
    assert set(response) == {"session_id"}

    assert state(hass, "sensor.alex_runs_this_week") == "1"
    assert state(hass, "sensor.alex_weekly_goal_progress") == "33.3"
    assert state(hass, "sensor.alex_distance_this_week") == "5.0"
    assert state(hass, "sensor.alex_duration_this_week") == "32.0"
    assert state(hass, "sensor.alex_day_streak") == "1"
    assert state(hass, "sensor.alex_longest_day_streak") == "1"
    assert state(hass, "sensor.alex_total_runs") == "1"
    assert state(hass, "sensor.alex_mood_score") == "5.5"
    assert state(hass, "sensor.alex_last_mood") == "7"
    assert state(hass, "sensor.alex_mood_lift") == "3.0"
    assert state(hass, "binary_sensor.alex_ran_today") == "on"
    assert dt_util.parse_datetime(state(hass, "sensor.alex_last_run")) == (
        dt_util.parse_datetime(NOW)
    )
    runs = hass.states.get("sensor.alex_runs_this_week")
    assert runs is not None
    assert runs.attributes["last_reset"] == "2026-11-23T00:00:00+01:00"
    # The note is health data: it is in no state or attribute.
    assert not [s for s in hass.states.async_all() if "heavy" in str(s.as_dict())]

    await call(hass, "log_run", {"distance": 3})
    await call(hass, "log_run", {"distance": 3})
    assert state(hass, "binary_sensor.alex_weekly_goal_met") == "on"
    assert state(hass, "sensor.alex_streak") == "1"
    assert state(hass, "sensor.alex_longest_streak") == "1"
    assert state(hass, "sensor.alex_weekly_goal_progress") == "100.0"


async def test_distance_units_follow_the_caller_and_the_unit_system(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await call(hass, "log_run", {"distance": 2, "distance_unit": "mi"})
    await call(hass, "log_run", {"distance": 800, "distance_unit": "m"})
    assert state(hass, "sensor.alex_distance_this_week") == "4.019"  # 3.219 + 0.8
    hass.config.units = US_CUSTOMARY_SYSTEM
    await call(hass, "log_run", {"distance": 1})  # miles by default now
    sessions = (await call(hass, "get_sessions", return_response=True))["sessions"]
    assert [round(s["distance"], 3) for s in sessions] == [3.219, 0.8, 1.609]


async def test_log_mood_and_events_carry_no_note(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    moods = async_capture_events(hass, "run_wellbeing_mood_logged")
    sessions = async_capture_events(hass, "run_wellbeing_session_logged")
    response = await call(
        hass, "log_mood", {"mood": 3, "note": "rough day"}, return_response=True
    )
    await call(hass, "log_run", {"duration": 20, "note": "secret"})
    assert state(hass, "sensor.alex_last_mood") == "3"
    assert moods[0].data["entry_id"] == alex.entry_id
    assert moods[0].data["name"] == "Alex"
    assert moods[0].data["id"] == response["mood_id"]
    assert "note" not in moods[0].data
    assert sessions[0].data["activity"] == "run"
    assert sessions[0].data["duration"] == 1200
    assert "note" not in sessions[0].data


async def test_weekly_goal_event_fires_once_a_week_and_streak_milestones(
    hass: HomeAssistant, alex: MockConfigEntry, frozen: FrozenDateTimeFactory
) -> None:
    reached = async_capture_events(hass, "run_wellbeing_weekly_goal_reached")
    milestones = async_capture_events(hass, "run_wellbeing_streak_milestone")
    last_week = dt_util.parse_datetime("2026-11-17T07:00:00+01:00")
    assert last_week is not None
    for day in range(3):
        await call(hass, "log_run", {"start": last_week + timedelta(days=day)})
    assert reached == []  # logging last week does not reach this week's goal
    for _ in range(3):
        await call(hass, "log_run", {})
    await call(hass, "log_run", {})
    assert len(reached) == 1
    assert reached[0].data["runs_this_week"] == 3
    assert [event.data["streak"] for event in milestones] == [2]


async def test_get_summary_returns_every_sensor_key(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await call(hass, "log_run", {"distance": 5})
    summary = await call(hass, "get_summary", return_response=True)
    assert summary == {
        "runs_this_week": 1,
        "weekly_goal_progress": 33.3,
        "distance_this_week": 5.0,
        "duration_this_week": 0.0,
        "streak": 0,
        "day_streak": 1,
        "longest_streak": 0,
        "longest_day_streak": 1,
        "mood_score": None,
        "last_mood": None,
        "mood_lift": None,
        "last_run": "2026-11-25T11:00:00+00:00",
        "next_planned_run": None,
        "total_runs": 1,
        "sleep_after_runs": None,
        "weekly_goal": 3,
    }


async def test_get_sessions_filters_by_range_and_returns_minutes_and_km(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await call(hass, "log_run", {"start": "2026-11-20 07:00", "duration": 30})
    await call(hass, "log_run", {"start": "2026-11-24 07:00", "distance": 4})
    result = await call(
        hass,
        "get_sessions",
        {"start": "2026-11-21 00:00", "end": "2026-11-25 00:00"},
        return_response=True,
    )
    assert len(result["sessions"]) == 1
    session = result["sessions"][0]
    assert session["start"] == "2026-11-24T07:00:00+01:00"
    assert session["distance"] == 4.0
    assert session["duration"] is None
    assert session["source"] == "action"


async def test_delete_record_recomputes_and_refuses_others(
    hass: HomeAssistant, alex: MockConfigEntry, hass_read_only_user: MockUser
) -> None:
    """A profile without a person: automations delete, other users may not."""
    first = await call(
        hass, "log_run", {"start": "2026-11-24 07:00"}, return_response=True
    )
    await call(hass, "log_run", {})
    mood = await call(hass, "log_mood", {"mood": 6}, return_response=True)
    assert state(hass, "sensor.alex_longest_day_streak") == "2"

    with pytest.raises(Unauthorized):
        await call(
            hass,
            "delete_record",
            {"record_id": first["session_id"]},
            context=Context(user_id=hass_read_only_user.id),
        )
    assert state(hass, "sensor.alex_total_runs") == "2"

    await call(hass, "delete_record", {"record_id": first["session_id"]})
    await call(hass, "delete_record", {"record_id": mood["mood_id"]})
    assert state(hass, "sensor.alex_total_runs") == "1"
    assert state(hass, "sensor.alex_longest_day_streak") == "1"
    assert state(hass, "sensor.alex_last_mood") == "unknown"


BAD_LOG_RUN = [
    {"mood_before": 0},
    {"mood_after": 11},
    {"effort": 0},
    {"distance": -1},
    {"distance": 1001},
    {"distance": 700, "distance_unit": "mi"},
    {"distance": 5, "distance_unit": "furlong"},
    {"duration": 0},
    {"duration": -5},
    {"duration": 1441},
    {"start": "2026-11-25T12:06:00+01:00"},
    {"start": "not a time"},
    {"activity": "teleport"},
    {"note": "x" * 501},
    {"unknown_field": 1},
]


@pytest.mark.parametrize("data", BAD_LOG_RUN)
async def test_bad_log_run_is_refused_and_stores_nothing(
    hass: HomeAssistant, alex: MockConfigEntry, data: dict[str, Any]
) -> None:
    with pytest.raises((ServiceValidationError, probatio.Invalid)) as err:
        await call(hass, "log_run", data)
    if isinstance(err.value, ServiceValidationError):
        assert err.value.translation_domain == DOMAIN
        assert str(err.value)  # translated message, not a bare key
    assert stored_sessions(hass, alex) == {}
    assert state(hass, "sensor.alex_total_runs") == "0"


async def test_translated_message_for_refused_distance(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError, match="between 0 and 1000 km"):
        await call(hass, "log_run", {"distance": 1001})
    with pytest.raises(ServiceValidationError, match="in the future"):
        await call(hass, "log_mood", {"mood": 5, "time": "2026-11-25T13:00:00+01:00"})


@pytest.mark.parametrize(
    "data", [{"mood": 0}, {"mood": 11}, {}, {"mood": 5, "note": "y" * 501}]
)
async def test_bad_log_mood_is_refused(
    hass: HomeAssistant, alex: MockConfigEntry, data: dict[str, Any]
) -> None:
    with pytest.raises((ServiceValidationError, probatio.Invalid)):
        await call(hass, "log_mood", data)
    assert alex.runtime_data.history.moods == {}


async def test_unknown_record_is_refused(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await call(hass, "log_run", {})
    with pytest.raises(ServiceValidationError, match="No session, mood entry or plan"):
        await call(hass, "delete_record", {"record_id": "nope"})
    assert len(stored_sessions(hass, alex)) == 1


async def test_profile_choice_with_several_profiles(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    alex = await add_profile("Alex")
    sam = await add_profile("Sam")
    with pytest.raises(ServiceValidationError, match=r"Several profiles.*Alex, Sam"):
        await call(hass, "log_run", {})
    with pytest.raises(ServiceValidationError):
        await call(hass, "log_run", {"config_entry_id": "missing"})
    await call(hass, "log_run", {"config_entry_id": sam.entry_id})
    await hass.config_entries.async_unload(sam.entry_id)
    with pytest.raises(ServiceValidationError):
        await call(hass, "log_run", {"config_entry_id": sam.entry_id})
    assert stored_sessions(hass, alex) == {}
    # With Sam unloaded, Alex is the one loaded profile and may be left out.
    await call(hass, "log_run", {})
    assert len(stored_sessions(hass, alex)) == 1


async def test_no_profile_loaded_is_refused(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await hass.config_entries.async_unload(alex.entry_id)
    with pytest.raises(ServiceValidationError, match="No Run Wellbeing profile"):
        await call(hass, "log_mood", {"mood": 5})


async def test_hundred_concurrent_log_runs_are_all_kept(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await asyncio.gather(*(call(hass, "log_run", {"distance": 1}) for _ in range(100)))
    assert state(hass, "sensor.alex_total_runs") == "100"
    await hass.config_entries.async_unload(alex.entry_id)
    stored = (await on_disk(hass, alex))["data"]["sessions"]
    assert len(stored) == 100
    assert len({s["id"] for s in stored}) == 100


async def test_naive_times_are_read_as_local_time(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await call(hass, "log_run", {"start": "2026-11-22 23:30"})
    session = next(iter(stored_sessions(hass, alex).values()))
    assert session.start == datetime.fromisoformat("2026-11-22T23:30:00+01:00")
    assert state(hass, "sensor.alex_runs_this_week") == "0"  # last week


class FullDisk:
    """A disk on which a profile's journal cannot grow while `full`."""

    def __init__(self) -> None:
        """Start with room."""
        self.full = False

    def write(self, fd: int, data: Any) -> int:
        """Write through, or fail a journal write while full."""
        if self.full:
            try:
                target = str(Path(f"/proc/self/fd/{fd}").readlink())
            except OSError:
                target = ""
            if target.endswith(".journal"):
                raise OSError(errno.ENOSPC, "No space left on device")
        return REAL_WRITE(fd, data)


@pytest.fixture
def disk() -> Iterator[FullDisk]:
    disk = FullDisk()
    with patch("os.write", disk.write):
        yield disk


async def test_a_goal_that_cannot_be_written_changes_nothing(
    hass: HomeAssistant, alex: MockConfigEntry, disk: FullDisk
) -> None:
    """The number entity refuses; the options flow's save raises a repair issue."""
    coordinator = alex.runtime_data
    goals = list(coordinator.history.goal_changes)
    disk.full = True

    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "number",
            "set_value",
            {"entity_id": "number.alex_weekly_goal", "value": 5},
            blocking=True,
        )
    assert err.value.translation_key == "write_failed"
    assert alex.options["weekly_goal"] == 3
    assert state(hass, "number.alex_weekly_goal") == "3"

    # Saved through the options flow: the entry holds it, the profile does not.
    hass.config_entries.async_update_entry(
        alex, options={**alex.options, "weekly_goal": 6, "plan_days": ["mon"]}
    )
    await hass.async_block_till_done()
    issue_id = f"options_not_saved_{alex.entry_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    assert coordinator.history.goal_changes == goals
    assert coordinator.history.schedule_changes == []
    assert state(hass, "sensor.alex_weekly_goal_progress") == "0.0"
    assert coordinator.data.weekly_goal == 3

    disk.full = False
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.alex_weekly_goal", "value": 4},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert state(hass, "number.alex_weekly_goal") == "4"
    assert [g.goal for g in coordinator.history.goal_changes] == [3, 4]
    assert coordinator.history.schedule_changes[-1].days == ("mon",)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
