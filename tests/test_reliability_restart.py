"""Restarts at any point: every acknowledged record survives, nothing deleted returns."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
import random
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
)

from custom_components.run_wellbeing.const import DOMAIN

from .reliability import (
    log_mood,
    log_run,
    on_disk,
    profile_entry,
    read_snapshot,
    stored_ids,
)

NOW = datetime.fromisoformat("2026-03-18T19:30:00+01:00")


@asynccontextmanager
async def started(
    config_dir: str, entries: list[MockConfigEntry]
) -> AsyncIterator[tuple[HomeAssistant, list[MockConfigEntry]]]:
    """Start a new Home Assistant on the same storage and load the same profiles."""
    async with async_test_home_assistant(config_dir=config_dir) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        await hass.config.async_set_time_zone("Europe/Amsterdam")
        copies = []
        for entry in entries:
            copy = profile_entry(entry.title, entry_id=entry.entry_id)
            copy.add_to_hass(hass)
            hass.config_entries.async_update_entry(copy, options=dict(entry.options))
            copies.append(copy)
        # As at startup: the integration sets up every profile it has.
        assert await async_setup_component(hass, DOMAIN, {})
        await hass.async_block_till_done()
        assert all(copy.state is ConfigEntryState.LOADED for copy in copies)
        try:
            yield hass, copies
        finally:
            # As the hass fixture does: entries are not unloaded by a stop.
            for copy in copies:
                if copy.state is ConfigEntryState.LOADED:
                    await hass.config_entries.async_unload(copy.entry_id)
            await hass.async_stop(force=True)


async def sessions(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """Return the ids of a profile's sessions as the get_sessions action lists them."""
    response = await hass.services.async_call(
        DOMAIN,
        "get_sessions",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return {session["id"] for session in response["sessions"]}  # type: ignore[union-attr]


async def summary(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """Return the profile's summary as the get_summary action answers it."""
    response = await hass.services.async_call(
        DOMAIN,
        "get_summary",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return dict(response)


async def delete(hass: HomeAssistant, entry: MockConfigEntry, record_id: str) -> None:
    """Delete a record through the action."""
    await hass.services.async_call(
        DOMAIN,
        "delete_record",
        {"config_entry_id": entry.entry_id, "record_id": record_id},
        blocking=True,
    )


async def test_a_crash_right_after_an_action_keeps_it(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    time_zone: str,
) -> None:
    """What an action acknowledged is on disk: a new process reads it, no stop needed."""
    freezer.move_to(NOW)
    entry = profile_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    run = await log_run(hass, entry, distance=5, duration=30, mood_before=4)
    mood = await log_mood(hass, entry, mood=7)
    before = await summary(hass, entry)

    # No stop, no unload, no final write: as after kill -9 or a power cut.
    async with started(hass.config.config_dir, [entry]) as (restarted, [copy]):
        assert await sessions(restarted, copy) == {run}
        assert restarted.states.get("sensor.alex_last_mood").state == "7"  # type: ignore[union-attr]
        assert await summary(restarted, copy) == before
        assert mood
        state = restarted.states.get("sensor.alex_distance_this_week")
        assert state is not None
        assert state.state == "5.0"


async def test_unload_and_setup_keep_every_record(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    time_zone: str,
) -> None:
    """A reload (options, rename, user action) flushes first and reads it all back."""
    freezer.move_to(NOW)
    entry = profile_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    run = await log_run(hass, entry)

    assert await hass.config_entries.async_unload(entry.entry_id)
    assert stored_ids(await on_disk(hass, entry)) == {run}
    assert await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED
    assert await sessions(hass, entry) == {run}
    state = hass.states.get("sensor.alex_total_runs")
    assert state is not None
    assert state.state == "1"


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_restart_at_any_point_keeps_what_was_acknowledged(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    time_zone: str,
    seed: int,
) -> None:
    """Random actions with reloads, saves and stops in between lose nothing."""
    freezer.move_to(NOW)
    rng = random.Random(seed)
    entries = [profile_entry("Alex"), profile_entry("Sam")]
    expected: dict[str, set[str]] = {entry.entry_id: set() for entry in entries}
    for entry in entries:
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)

    async def step(current: HomeAssistant, entry: MockConfigEntry) -> str:
        known = expected[entry.entry_id]
        action = rng.choice(["run", "run", "run", "delete", "reload", "save", "stop"])
        if action == "run":
            start = NOW - timedelta(hours=rng.randrange(24 * 60))
            known.add(await log_run(current, entry, start=start.isoformat()))
        elif action == "delete" and known:
            record = rng.choice(sorted(known))
            await delete(current, entry, record)
            known.remove(record)
        elif action == "reload":
            assert await current.config_entries.async_reload(entry.entry_id)
        elif action == "save":
            freezer.tick(timedelta(seconds=2))
            async_fire_time_changed(current)
        await current.async_block_till_done()
        return action

    async def live(current: HomeAssistant, profiles: list[MockConfigEntry]) -> None:
        """Act until a stop is drawn, then stop this Home Assistant."""
        for _ in range(15):
            if await step(current, rng.choice(profiles)) == "stop":
                break
        for entry in profiles:
            assert await sessions(current, entry) == expected[entry.entry_id]
        await current.async_stop()
        for entry in entries:
            stored = read_snapshot(hass, entry)
            assert stored_ids(stored) == expected[entry.entry_id]

    await live(hass, entries)
    for _ in range(3):
        async with started(hass.config.config_dir, entries) as (current, profiles):
            for entry in profiles:
                assert await sessions(current, entry) == expected[entry.entry_id]
            await live(current, profiles)


async def test_a_goal_changed_on_the_dashboard_survives_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    time_zone: str,
) -> None:
    """The new goal and the moment it took effect are kept; past weeks keep theirs."""
    freezer.move_to(NOW)
    entry = profile_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    for day in (9, 10, 11):  # last week: three runs, the goal of three met
        await log_run(hass, entry, start=f"2026-03-{day}T07:00:00+01:00")

    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.alex_weekly_goal", "value": 5},
        blocking=True,
    )
    await hass.async_block_till_done()
    before = await summary(hass, entry)
    assert entry.options["weekly_goal"] == 5
    assert before["weekly_goal"] == 5
    assert before["streak"] == 1

    await hass.async_stop()
    async with started(hass.config.config_dir, [entry]) as (restarted, [copy]):
        assert await summary(restarted, copy) == before
        state = restarted.states.get("number.alex_weekly_goal")
        assert state is not None
        assert state.state == "5"
