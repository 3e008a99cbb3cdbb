"""Profile lifecycle: restart, unload, removal, options and the passing of time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.run_wellbeing.config_flow import sectioned
from custom_components.run_wellbeing.const import DOMAIN

from .conftest import ProfileFactory, state
from .reliability import on_disk, read_snapshot, snapshot_path

NOW = "2026-11-25T12:00:00+01:00"


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    freezer.move_to(NOW)
    return freezer


async def log_run(hass: HomeAssistant, **data: Any) -> None:
    await hass.services.async_call(DOMAIN, "log_run", data, blocking=True)


async def advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, to: str) -> None:
    moment = dt_util.parse_datetime(to)
    assert moment is not None
    freezer.move_to(moment)
    async_fire_time_changed(hass, moment)
    await hass.async_block_till_done()


async def test_records_survive_unload_and_setup(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await log_run(
        hass,
        start="2026-11-25T08:00:00+01:00",
        distance=5,
        mood_before=5,
        mood_after=8,
        note="private",
    )
    await hass.services.async_call(DOMAIN, "log_mood", {"mood": 6}, blocking=True)
    assert await hass.config_entries.async_unload(alex.entry_id)
    stored = await on_disk(hass, alex)
    assert stored["version"] == 1
    assert len(stored["data"]["sessions"]) == 1
    assert state(hass, "sensor.alex_runs_this_week") == "unavailable"

    assert await hass.config_entries.async_setup(alex.entry_id)
    await hass.async_block_till_done()
    assert state(hass, "sensor.alex_runs_this_week") == "1"
    assert state(hass, "sensor.alex_last_mood") == "6"
    assert state(hass, "sensor.alex_mood_lift") == "3.0"


async def test_acknowledged_run_is_in_the_journal_on_disk(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """The action returns only once its record is written to the journal."""
    await log_run(hass, distance=5)
    journal = Path(hass.config.path(".storage", f"{DOMAIN}.{alex.entry_id}.journal"))
    text = await hass.async_add_executor_job(journal.read_text)
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["op"] for line in lines if line["op"] == "session"] == ["session"]
    assert lines[-1]["record"]["distance"] == 5000


async def test_final_write_at_shutdown(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await log_run(hass, distance=5)
    await hass.async_stop(force=True)
    assert len(read_snapshot(hass, alex)["data"]["sessions"]) == 1


async def test_reloads_then_a_stop_end_cleanly(
    hass: HomeAssistant, alex: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """Three reloads, then a stop: no listener error, the history compacted."""
    for _ in range(3):
        await log_run(hass, distance=5)
        assert await hass.config_entries.async_reload(alex.entry_id)
        await hass.async_block_till_done()
    await log_run(hass, distance=5)
    await hass.async_stop()
    # Unloading after the stop (as a later reload or teardown does) ends the
    # stop listener cleanly too.
    assert await hass.config_entries.async_unload(alex.entry_id)
    assert "Unable to remove unknown job listener" not in caplog.text
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(read_snapshot(hass, alex)["data"]["sessions"]) == 4
    # The test harness fails the test on a timer or task still scheduled.


async def test_removing_the_profile_removes_its_history(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await log_run(hass)
    await hass.config_entries.async_unload(alex.entry_id)
    assert await on_disk(hass, alex) is not None
    await hass.config_entries.async_remove(alex.entry_id)
    await hass.async_block_till_done()
    assert await on_disk(hass, alex) is None


async def test_midnight_and_week_rollover_without_new_records(
    hass: HomeAssistant, alex: MockConfigEntry, frozen: FrozenDateTimeFactory
) -> None:
    for day in (22, 23, 24, 25):  # Sunday .. Wednesday
        await log_run(hass, start=f"2026-11-{day}T07:00:00+01:00")
    assert state(hass, "sensor.alex_runs_this_week") == "3"
    assert state(hass, "sensor.alex_day_streak") == "4"
    assert state(hass, "binary_sensor.alex_ran_today") == "on"

    await advance(hass, frozen, "2026-11-26T00:00:01+01:00")  # Thursday
    assert state(hass, "binary_sensor.alex_ran_today") == "off"
    assert state(hass, "sensor.alex_day_streak") == "4"  # yesterday counts
    await advance(hass, frozen, "2026-11-27T00:00:01+01:00")  # Friday
    assert state(hass, "sensor.alex_day_streak") == "0"
    assert state(hass, "sensor.alex_longest_day_streak") == "4"
    assert state(hass, "sensor.alex_streak") == "1"
    for day in (28, 29, 30):
        await advance(hass, frozen, f"2026-11-{day}T00:00:01+01:00")
    # Monday: a new week, last week's met goal keeps the streak.
    assert state(hass, "sensor.alex_runs_this_week") == "0"
    assert state(hass, "binary_sensor.alex_weekly_goal_met") == "off"
    assert state(hass, "sensor.alex_streak") == "1"
    runs = hass.states.get("sensor.alex_runs_this_week")
    assert runs is not None
    assert runs.attributes["last_reset"] == "2026-11-30T00:00:00+01:00"
    await advance(hass, frozen, "2026-12-07T00:00:01+01:00")
    assert state(hass, "sensor.alex_streak") == "0"


async def test_time_zone_change_recomputes_local_days(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    # 09:00 in Amsterdam is 22:00 the same Wednesday in Kiritimati (UTC+14).
    await log_run(hass, start="2026-11-25T09:00:00+01:00")
    assert state(hass, "binary_sensor.alex_ran_today") == "on"
    await hass.config.async_update(time_zone="Pacific/Kiritimati")  # UTC+14
    await hass.async_block_till_done()
    # It is now Thursday 01:00 there; the run was on Wednesday: yesterday.
    assert state(hass, "binary_sensor.alex_ran_today") == "off"
    assert state(hass, "sensor.alex_day_streak") == "1"


async def test_options_change_what_counts_and_record_the_goal(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await log_run(hass, activity="yoga")
    assert state(hass, "sensor.alex_runs_this_week") == "0"
    result = await hass.config_entries.options.async_init(alex.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        sectioned(
            hass,
            {
                "weekly_goal": 1,
                "week_start": "sunday",
                "counted_activities": ["run", "yoga"],
                "plan_time": "07:00:00",
                "plan_duration": 30,
                "low_mood_threshold": 5.0,
            },
        ),
    )
    await hass.async_block_till_done()
    assert result["type"] == "create_entry"
    assert state(hass, "sensor.alex_runs_this_week") == "1"
    assert state(hass, "binary_sensor.alex_weekly_goal_met") == "on"
    assert state(hass, "number.alex_weekly_goal") == "1"
    goals = [change.goal for change in alex.runtime_data.history.goal_changes]
    assert goals == [3, 1]


async def test_number_entity_changes_the_goal_option(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await log_run(hass)
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.alex_weekly_goal", "value": 1},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert alex.options["weekly_goal"] == 1
    assert state(hass, "number.alex_weekly_goal") == "1"
    assert state(hass, "binary_sensor.alex_weekly_goal_met") == "on"
    assert state(hass, "sensor.alex_weekly_goal_progress") == "100.0"


async def test_each_profile_is_a_device_named_after_the_person(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    alex = await add_profile("Alex")
    await add_profile("Sam Lee")
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), alex.entry_id)
    assert [(d.name, d.identifiers) for d in devices] == [
        ("Alex", {(DOMAIN, alex.entry_id)})
    ]
    assert state(hass, "sensor.sam_lee_runs_this_week") == "0"


async def test_unreadable_storage_keeps_the_file_and_raises_a_repair(
    hass: HomeAssistant, time_zone: str
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, title="Alex", data={"name": "Alex"})
    future = {"version": 99, "minor_version": 1, "key": "x", "data": {"sessions": []}}
    path = snapshot_path(hass, entry.entry_id)
    await hass.async_add_executor_job(path.parent.mkdir)
    await hass.async_add_executor_job(path.write_text, json.dumps(future))
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert await on_disk(hass, entry) == future
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"unreadable_storage_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_key == "unreadable_storage"
