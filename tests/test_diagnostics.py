"""Diagnostics help a bug report without leaking the person's notes or name."""

from __future__ import annotations

import json

from homeassistant.components.diagnostics import REDACTED
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.run_wellbeing.const import (
    DOMAIN,
    STORAGE_MINOR_VERSION,
    STORAGE_VERSION,
)
from custom_components.run_wellbeing.issues import (
    async_create_corrupt_storage_issue,
)

from .conftest import ProfileFactory

RUN_NOTE = "Cried on the last kilometre, felt lighter after"
MOOD_NOTE = "Argument with my sister"


async def _log_some(hass: HomeAssistant) -> None:
    for minutes in (20, 30, 40, 25, 35, 45, 50):
        await hass.services.async_call(
            DOMAIN,
            "log_run",
            {"duration": minutes, "distance": 5, "note": RUN_NOTE, "mood_after": 7},
            blocking=True,
        )
    await hass.services.async_call(
        DOMAIN, "log_mood", {"mood": 4, "note": MOOD_NOTE}, blocking=True
    )


async def test_entry_diagnostics_redact_notes_and_name(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, alex: MockConfigEntry
) -> None:
    await _log_some(hass)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, alex)

    dumped = json.dumps(diagnostics)
    assert RUN_NOTE not in dumped
    assert MOOD_NOTE not in dumped
    assert "Alex" not in dumped
    assert "alex" not in dumped
    assert diagnostics["counts"] == {
        "sessions": 7,
        "moods": 1,
        "plans": 0,
        "goal_changes": 1,
        "schedule_changes": 0,
        "goal_reached_weeks": 1,
    }
    assert diagnostics["storage"] == {
        "key": f"{DOMAIN}.{alex.entry_id}",
        "version": STORAGE_VERSION,
        "minor_version": STORAGE_MINOR_VERSION,
    }
    assert diagnostics["settings"]["weekly_goal"] == 3
    assert diagnostics["settings"]["counted_activities"] == ["run"]
    assert diagnostics["entry"]["title"] == REDACTED
    assert diagnostics["entry"]["data"] == {"name": REDACTED}
    assert diagnostics["entry"]["options"]["weekly_goal"] == 3
    assert diagnostics["summary"]["runs_this_week"] == 7
    sessions = diagnostics["last_records"]["sessions"]
    assert len(sessions) == 5  # only the latest few
    assert all(session["note"] == REDACTED for session in sessions)
    assert sessions[0]["duration"] == 50 * 60  # newest first
    assert diagnostics["last_records"]["moods"][0]["note"] == REDACTED
    assert diagnostics["last_records"]["moods"][0]["mood"] == 4


async def test_device_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    alex: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    await _log_some(hass)
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, alex.entry_id), alex.entry_id
    )
    assert device is not None

    diagnostics = await get_diagnostics_for_device(hass, hass_client, alex, device)

    dumped = json.dumps(diagnostics)
    assert RUN_NOTE not in dumped
    assert "Alex" not in dumped
    assert diagnostics["device"]["name"] == REDACTED
    assert diagnostics["counts"]["sessions"] == 7
    assert diagnostics["last_records"]["sessions"][0]["note"] == REDACTED


async def test_records_without_notes_stay_readable(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, alex: MockConfigEntry
) -> None:
    await hass.services.async_call(DOMAIN, "log_mood", {"mood": 6}, blocking=True)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, alex)

    assert diagnostics["last_records"]["moods"][0]["note"] is None
    assert diagnostics["last_records"]["sessions"] == []


async def test_download_redacts_person_and_name_in_repair_issues(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    add_profile: ProfileFactory,
) -> None:
    """The whole download, issues included, names neither person nor profile."""
    assert await async_setup_component(
        hass, "person", {"person": [{"id": "alex", "name": "Alex"}]}
    )
    entry = await add_profile("Alex", person="person.alex")
    await _log_some(hass)
    coordinator = entry.runtime_data
    async_create_corrupt_storage_issue(
        hass, entry.entry_id, coordinator.store, "/x.damaged-1", "s1: start"
    )
    assert await async_setup_component(hass, "diagnostics", {})
    client = await hass_client()
    response = await client.get(f"/api/diagnostics/config_entry/{entry.entry_id}")
    assert response.status == 200
    dumped = await response.text()
    payload = json.loads(dumped)
    assert payload["issues"]
    assert payload["data"]["entry"]["options"]["person"] == REDACTED
    assert "person.alex" not in dumped
    assert "Alex" not in dumped
    assert RUN_NOTE not in dumped
