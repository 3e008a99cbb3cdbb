"""Run Wellbeing: make running, or any activity you enjoy, a habit that lifts your mood."""

from __future__ import annotations

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv, issue_registry as ir
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util, ulid as ulid_util

from .bundled_blueprints import async_install_blueprints
from .card import async_register_card
from .const import DOMAIN, LOGGER, PLATFORMS
from .coordinator import (
    RunWellbeingConfigEntry,
    RunWellbeingCoordinator,
    settings_from_options,
)
from .core.stats import ProfileStats
from .http import async_register_views
from .issues import (
    async_create_unreadable_issue,
    async_delete_issues,
    async_load_history,
    async_profile_store,
    unreadable_issue_id,
)
from .linked_sensors import LinkedSensors
from .services import async_setup_services
from .storage.store import UnsupportedVersionError
from .voice.sentences import async_setup_sentences, async_update_sentences
from .websocket import async_setup_websocket

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and install the blueprints once, whatever profiles exist."""
    async_setup_services(hass)
    async_setup_websocket(hass)
    async_register_views(hass)
    await async_register_card(hass)
    await async_setup_sentences(hass)
    await async_install_blueprints(hass)
    return True


async def async_migrate_entry(
    hass: HomeAssistant, entry: RunWellbeingConfigEntry
) -> bool:
    """Move old profiles to a stable unique id that is not the person's name.

    Home Assistant itself refuses entries of a newer major version.
    """
    if entry.minor_version < 2:
        hass.config_entries.async_update_entry(
            entry, unique_id=ulid_util.ulid_now(), minor_version=2
        )
        LOGGER.debug("Profile %s now has a stable unique id", entry.entry_id)
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: RunWellbeingConfigEntry
) -> bool:
    """Load the profile's history and set up its entities."""
    store = async_profile_store(hass, entry.entry_id)
    try:
        history = await async_load_history(hass, entry, store)
    except (UnsupportedVersionError, OSError) as err:
        # Never overwrite what we cannot read: the files stay as they are, and
        # this store writes nothing.
        async_create_unreadable_issue(hass, entry.entry_id, store.path)
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="unreadable_storage",
            translation_placeholders={"name": entry.title},
        ) from err
    ir.async_delete_issue(hass, DOMAIN, unreadable_issue_id(entry.entry_id))

    # Indexing all of the past is the longest step: it runs in the executor,
    # before anything else can see the history.
    stats = await hass.async_add_executor_job(
        ProfileStats,
        history,
        settings_from_options(entry.options),
        dt_util.get_default_time_zone(),
    )
    coordinator = RunWellbeingCoordinator(hass, entry, store, history, stats)
    entry.runtime_data = coordinator
    await coordinator.async_start(LinkedSensors(hass, coordinator))

    async def _async_stop(_event: Event) -> None:
        # Compact at shutdown too: the next start reads one snapshot.
        await store.async_close()

    # `async_listen`, not `async_listen_once`: a once-listener removes itself
    # when it fires, and removing it again at unload logs an error.
    entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _async_stop))
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
    await coordinator.async_apply_options()


async def async_unload_entry(
    hass: HomeAssistant, entry: RunWellbeingConfigEntry
) -> bool:
    """Unload the profile; pending writes are flushed first."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        # Compact, so the next start reads one snapshot; a new store is made
        # at the next setup.
        await entry.runtime_data.store.async_close()
    return unloaded


async def async_remove_entry(
    hass: HomeAssistant, entry: RunWellbeingConfigEntry
) -> None:
    """Delete the profile's history with the profile."""
    await async_profile_store(hass, entry.entry_id).async_remove_files()
    async_delete_issues(hass, entry.entry_id)
