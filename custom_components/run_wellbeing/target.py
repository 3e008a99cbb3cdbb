"""Which profile an action is for: the one lookup every action module uses."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import service

from . import validation
from .const import ATTR_CONFIG_ENTRY_ID, DOMAIN
from .coordinator import RunWellbeingConfigEntry, RunWellbeingCoordinator


def get_config_entry(hass: HomeAssistant, call: ServiceCall) -> RunWellbeingConfigEntry:
    """Return the loaded profile an action names, or the only one loaded.

    An unknown, foreign or unloaded id is refused by Home Assistant's own
    translated check; without an id and with several profiles loaded the
    error names them, so the caller knows what to pass.
    """
    if (entry_id := call.data.get(ATTR_CONFIG_ENTRY_ID)) is not None:
        entry_id = validation.identifier(ATTR_CONFIG_ENTRY_ID, entry_id)
        entry: RunWellbeingConfigEntry = service.async_get_config_entry(
            hass, DOMAIN, entry_id
        )
        return entry
    loaded: list[RunWellbeingConfigEntry] = hass.config_entries.async_loaded_entries(
        DOMAIN
    )
    if len(loaded) == 1:
        return loaded[0]
    if not loaded:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_profile_loaded"
        )
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="several_profiles",
        translation_placeholders={
            "profiles": ", ".join(sorted(entry.title for entry in loaded))
        },
    )


def get_coordinator(hass: HomeAssistant, call: ServiceCall) -> RunWellbeingCoordinator:
    """Return the coordinator of the profile an action is for."""
    return get_config_entry(hass, call).runtime_data
