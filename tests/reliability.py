"""Helpers shared by the reliability tests: profiles, actions and stored data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers import storage
from homeassistant.helpers.storage import Store
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.config_flow import default_options
from custom_components.run_wellbeing.const import DOMAIN
from custom_components.run_wellbeing.storage.store import storage_key

# The real methods, taken before the `hass_storage` fixture mocks them.
REAL_LOAD = Store._async_load
REAL_WRITE = Store._async_write_data
REAL_REMOVE = Store.async_remove
REAL_ATOMIC_WRITE = storage.write_utf8_file_atomic


@contextmanager
def real_store_methods() -> Iterator[None]:
    """Read and write the profile files on disk, as a real installation does."""
    with (
        patch.object(Store, "_async_load", REAL_LOAD),
        patch.object(Store, "_async_write_data", REAL_WRITE),
        patch.object(Store, "async_remove", REAL_REMOVE),
    ):
        yield


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


def mock_stored(hass_storage: dict[str, Any], entry: MockConfigEntry) -> Any:
    """Return what the (mocked) storage holds for a profile."""
    return hass_storage.get(storage_key(entry.entry_id))
