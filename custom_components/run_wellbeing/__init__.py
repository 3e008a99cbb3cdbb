"""Run Wellbeing: make running, or any activity you enjoy, a habit that lifts your mood."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError, UnsupportedStorageVersionError
from homeassistant.helpers import config_validation as cv, issue_registry as ir
from homeassistant.helpers.typing import ConfigType

from .bundled_blueprints import async_install_blueprints
from .card import async_register_card
from .const import DOMAIN, PLATFORMS
from .coordinator import RunWellbeingConfigEntry, RunWellbeingCoordinator
from .issues import async_delete_issues, async_load_stored
from .models import History
from .sentences import async_setup_sentences, async_update_sentences
from .services import async_setup_services
from .store import (
    ProfileStore,
    async_discard_profile_store,
    async_forget_profile_store,
    async_get_profile_store,
)
from .websocket import async_setup_websocket

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and install the blueprints once, whatever profiles exist."""
    async_setup_services(hass)
    async_setup_websocket(hass)
    await async_register_card(hass)
    await async_setup_sentences(hass)
    await async_install_blueprints(hass)
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: RunWellbeingConfigEntry
) -> bool:
    """Load the profile's history and set up its entities."""
    store = async_get_profile_store(hass, entry.entry_id)
    try:
        stored = await async_load_stored(hass, entry, store)
        history = History.from_dict(stored or {})
    except (
        UnsupportedStorageVersionError,
        AttributeError,
        KeyError,
        TypeError,
        ValueError,
    ) as err:
        # Never overwrite what we cannot read: the file stays as it is.
        store.make_read_only()
        async_forget_profile_store(hass, entry.entry_id)
        ir.async_create_issue(
            hass,
            DOMAIN,
            f"unreadable_storage_{entry.entry_id}",
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key="unreadable_storage",
            translation_placeholders={"name": entry.title, "path": store.path},
        )
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="unreadable_storage",
            translation_placeholders={"name": entry.title},
        ) from err
    ir.async_delete_issue(hass, DOMAIN, f"unreadable_storage_{entry.entry_id}")

    coordinator = RunWellbeingCoordinator(hass, entry, store, history)
    entry.runtime_data = coordinator
    coordinator.async_start()
    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    # Assist sentences list the loaded profiles' names ("I ran 5 km for Alex").
    entry.async_on_unload(
        entry.async_on_state_change(lambda: async_update_sentences(hass))
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_entry_updated(
    hass: HomeAssistant, entry: RunWellbeingConfigEntry
) -> None:
    """Apply new options in place; a rename reloads so the device follows."""
    coordinator = entry.runtime_data
    if coordinator.profile_name != coordinator.device_name:
        hass.config_entries.async_schedule_reload(entry.entry_id)
        return
    coordinator.async_apply_options()


async def async_unload_entry(
    hass: HomeAssistant, entry: RunWellbeingConfigEntry
) -> bool:
    """Unload the profile; pending writes are flushed first."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.async_flush()
    return unloaded


async def async_remove_entry(
    hass: HomeAssistant, entry: RunWellbeingConfigEntry
) -> None:
    """Delete the profile's history with the profile."""
    async_discard_profile_store(hass, entry.entry_id)
    await ProfileStore(hass, entry.entry_id).async_remove()
    async_delete_issues(hass, entry.entry_id)
