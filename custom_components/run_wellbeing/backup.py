"""Backup platform: a Home Assistant backup holds every acknowledged record.

Every acknowledged record is already fsynced in the profile's journal, which
lives in `.storage/` beside the snapshot and is part of any backup. Before a
backup is taken, each loaded profile is still compacted, so the backup holds
one up-to-date snapshot and an empty (or short) journal.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from .const import DOMAIN
from .coordinator import RunWellbeingConfigEntry


async def async_pre_backup(hass: HomeAssistant) -> None:
    """Write every profile's history into its snapshot before the backup."""
    entries: list[RunWellbeingConfigEntry] = hass.config_entries.async_loaded_entries(
        DOMAIN
    )
    for entry in entries:
        await entry.runtime_data.async_flush()


async def async_post_backup(hass: HomeAssistant) -> None:
    """Nothing to undo: writing goes on during and after the backup."""
