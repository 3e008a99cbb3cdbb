"""Binary sensors: ran today, weekly goal met and low mood."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import RunWellbeingConfigEntry
from .core.stats import Summary
from .entity import RunWellbeingEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class RunWellbeingBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A yes/no fact of the profile's summary."""

    is_on_fn: Callable[[Summary], bool]


BINARY_SENSORS: tuple[RunWellbeingBinarySensorEntityDescription, ...] = (
    RunWellbeingBinarySensorEntityDescription(
        key="ran_today", is_on_fn=lambda s: s.ran_today
    ),
    RunWellbeingBinarySensorEntityDescription(
        key="weekly_goal_met", is_on_fn=lambda s: s.weekly_goal_met
    ),
    RunWellbeingBinarySensorEntityDescription(
        key="low_mood", is_on_fn=lambda s: s.low_mood
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RunWellbeingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's binary sensors."""
    coordinator = entry.runtime_data
    async_add_entities(
        RunWellbeingBinarySensor(coordinator, description)
        for description in BINARY_SENSORS
    )


class RunWellbeingBinarySensor(RunWellbeingEntity, BinarySensorEntity):
    """A yes/no fact of the profile's summary."""

    entity_description: RunWellbeingBinarySensorEntityDescription

    def _state_key(self) -> Any:
        return self.is_on

    @property
    def is_on(self) -> bool:
        """Return the fact from the summary."""
        return self.entity_description.is_on_fn(self.coordinator.data)
