"""Base entity shared by every platform of a profile."""

from __future__ import annotations

from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import RunWellbeingCoordinator


class RunWellbeingEntity(CoordinatorEntity[RunWellbeingCoordinator]):
    """An entity of one profile's device that reads the profile's summary."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: RunWellbeingCoordinator, description: EntityDescription
    ) -> None:
        """Name the entity after its key, on the profile's device."""
        super().__init__(coordinator)
        self.entity_description = description
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_translation_key = description.key
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            name=coordinator.profile_name,
            entry_type=DeviceEntryType.SERVICE,
            manufacturer="Run Wellbeing",
            model="Profile",
        )
        self._written: Any = None

    def _state_key(self) -> Any:
        """Return what the entity shows; unchanged means no state write."""
        raise NotImplementedError

    def _shown(self) -> Any:
        """Return everything a state write would show: availability included."""
        return (self.available, self._state_key())

    async def async_added_to_hass(self) -> None:
        """Remember the state the platform writes first."""
        await super().async_added_to_hass()
        self._written = self._shown()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what the entity shows has changed.

        A record changes a few values; the other entities keep their state
        object (and its `last_updated`), so nothing is written for them.
        """
        key = self._shown()
        if key != self._written:
            self._written = key
            if (context := self.coordinator.publish_context) is not None:
                self.async_set_context(context)
            self.async_write_ha_state()
