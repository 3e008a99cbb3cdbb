"""Many actions at once across two profiles: every one kept, none in the wrong profile."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Context, Event, HomeAssistant, ServiceResponse, callback
from homeassistant.exceptions import ServiceValidationError
import pytest

from custom_components.run_wellbeing.const import (
    DOMAIN,
    EVENT_MOOD_LOGGED,
    EVENT_SESSION_LOGGED,
)

from .conftest import ProfileFactory
from .reliability import on_disk, snapshot_path, stored_ids


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """Give each test its own configuration directory on disk."""
    return hass_tmp_config_dir


NOW = datetime.fromisoformat("2026-03-18T19:30:00+01:00")
ACTIONS = 500


async def test_500_concurrent_actions_across_two_profiles(
    hass: HomeAssistant,
    add_profile: ProfileFactory,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Every acknowledged run and mood is kept, in its own profile, and stored."""
    freezer.move_to(NOW)
    alex = await add_profile("Alex")
    sam = await add_profile("Sam")
    profiles = [alex, sam]
    events: list[Event[Any]] = []
    changes: list[Event[Any]] = []

    @callback
    def record(event: Event[Any]) -> None:
        (changes if event.event_type == EVENT_STATE_CHANGED else events).append(event)

    for event_type in (EVENT_SESSION_LOGGED, EVENT_MOOD_LOGGED, EVENT_STATE_CHANGED):
        hass.bus.async_listen(event_type, record)

    calls = []
    for index in range(ACTIONS):
        entry = profiles[index % 3 % 2]  # an uneven mix: 2/3 Alex, 1/3 Sam
        if index % 5 == 4:
            service, data = "log_mood", {"mood": index % 10 + 1}
        else:
            # The duration (minutes) tells each run apart.
            service = "log_run"
            data = {
                "duration": index + 1,
                "distance": 1,
                "start": (NOW - timedelta(minutes=index)).isoformat(),
            }
        calls.append((entry, service, data, Context()))

    responses: list[ServiceResponse] = await asyncio.gather(
        *(
            hass.services.async_call(
                DOMAIN,
                service,
                {"config_entry_id": entry.entry_id, **data},
                blocking=True,
                return_response=True,
                context=context,
            )
            for entry, service, data, context in calls
        )
    )
    await hass.async_block_till_done()

    for entry in profiles:
        mine = [
            (service, data, response)
            for (owner, service, data, _), response in zip(
                calls, responses, strict=True
            )
            if owner is entry
        ]
        runs = {r["session_id"]: d for s, d, r in mine if s == "log_run"}  # type: ignore[index]
        moods = {r["mood_id"] for s, _, r in mine if s == "log_mood"}  # type: ignore[index]
        history = entry.runtime_data.history
        assert set(history.sessions) == set(runs)
        assert set(history.moods) == moods
        for session_id, data in runs.items():
            assert history.sessions[session_id].duration == data["duration"] * 60

        name = entry.title.lower()
        total = hass.states.get(f"sensor.{name}_total_runs")
        assert total is not None
        assert total.state == str(len(runs))
        distance = hass.states.get(f"sensor.{name}_distance_this_week")
        assert distance is not None
        assert float(distance.state) == len(runs)
        announced = [e for e in events if e.data["entry_id"] == entry.entry_id]
        assert len(announced) == len(runs) + len(moods)
        assert {e.data["name"] for e in announced} == {entry.title}
        # Every change of this profile's entities and every event it fired
        # carries the context of an action sent to this profile.
        owner = {context.id: owner.entry_id for owner, _, _, context in calls}
        mine = [
            change
            for change in changes
            if change.data["entity_id"].split(".")[1].startswith(f"{name}_")
        ]
        assert mine
        assert {owner[change.context.id] for change in mine} == {entry.entry_id}
        assert {owner[event.context.id] for event in announced} == {entry.entry_id}

    # The snapshot holds them all.
    for entry in profiles:
        await entry.runtime_data.async_flush()
        stored = await on_disk(hass, entry)
        assert stored_ids(stored) == set(entry.runtime_data.history.sessions)
        assert stored_ids(stored, "moods") == set(entry.runtime_data.history.moods)
    assert len(events) == ACTIONS


async def test_actions_racing_a_reload_are_kept_or_refused(
    hass: HomeAssistant,
    add_profile: ProfileFactory,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An action during a reload is refused or kept, never acknowledged and lost.

    With the file on disk the reload waits for the disk twice (the flush on
    unload, the read on setup), so actions land before, during and after it.
    """
    freezer.move_to(NOW)
    alex = await add_profile("Alex")

    async def log(index: int) -> str | None:
        for _ in range(index):  # spread the calls over the reload's steps
            await asyncio.sleep(0)
        try:
            response = await hass.services.async_call(
                DOMAIN,
                "log_run",
                {"config_entry_id": alex.entry_id, "duration": index + 1},
                blocking=True,
                return_response=True,
            )
        except ServiceValidationError:
            return None
        assert response is not None
        return str(response["session_id"])

    results = await asyncio.gather(
        *(log(index) for index in range(300)),
        hass.config_entries.async_reload(alex.entry_id),
    )
    await hass.async_block_till_done()
    acknowledged = {result for result in results if isinstance(result, str)}
    refused = [result for result in results[:-1] if result is None]

    assert acknowledged
    # Whether any land in the unloaded gap depends on timing; none may be lost.
    del refused
    assert set(alex.runtime_data.history.sessions) == acknowledged
    assert await hass.config_entries.async_unload(alex.entry_id)
    path = snapshot_path(hass, alex.entry_id)
    stored = json.loads(await hass.async_add_executor_job(path.read_text))
    assert stored_ids(stored) == acknowledged
