"""Helpers shared by the reliability tests: profiles, actions and stored data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.config_flow import default_options
from custom_components.run_wellbeing.const import DOMAIN
from custom_components.run_wellbeing.issues import storage_key


def snapshot_path(hass: HomeAssistant, entry_id: str) -> Path:
    """Return the path of a profile's snapshot in the test's config folder."""
    return Path(hass.config.path(".storage", storage_key(entry_id)))


def read_snapshot(hass: HomeAssistant, entry: MockConfigEntry) -> Any:
    """Return the profile's snapshot as stored on disk (None: no file); blocking."""
    path = snapshot_path(hass, entry.entry_id)
    return json.loads(path.read_bytes()) if path.exists() else None


async def on_disk(hass: HomeAssistant, entry: MockConfigEntry) -> Any:
    """Return the profile's snapshot as stored on disk (None: no file)."""
    return await hass.async_add_executor_job(read_snapshot, hass, entry)


def profile_entry(name: str = "Alex", entry_id: str | None = None) -> MockConfigEntry:
    """Return a profile's config entry, not yet added to Home Assistant."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=name,
        data={"name": name},
        options=default_options(),
        unique_id=name.lower(),
        entry_id=entry_id,
    )


async def log_run(hass: HomeAssistant, entry: MockConfigEntry, **data: Any) -> str:
    """Log a run through the action, as a user does, and return its id."""
    response = await hass.services.async_call(
        DOMAIN,
        "log_run",
        {"config_entry_id": entry.entry_id, **data},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return str(response["session_id"])


async def log_mood(hass: HomeAssistant, entry: MockConfigEntry, **data: Any) -> str:
    """Log a mood through the action and return its id."""
    response = await hass.services.async_call(
        DOMAIN,
        "log_mood",
        {"config_entry_id": entry.entry_id, **data},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return str(response["mood_id"])


def stored_ids(stored: dict[str, Any] | None, kind: str = "sessions") -> set[str]:
    """Return the ids of one kind of record in a stored profile file."""
    if stored is None:
        return set()
    return {record["id"] for record in stored["data"][kind]}
