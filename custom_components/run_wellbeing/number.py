"""The weekly goal as a number, so dashboards and automations can change it."""

from __future__ import annotations

from typing import Any

from homeassistant.components.number import (
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import EntityCategory
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import CONF_WEEKLY_GOAL
from .coordinator import RunWellbeingConfigEntry
from .core.models import GOAL_MAX, GOAL_MIN
from .entity import RunWellbeingEntity
from .ownership import async_check_may_manage
from .validation import whole_number

PARALLEL_UPDATES = 0

WEEKLY_GOAL = NumberEntityDescription(
    key=CONF_WEEKLY_GOAL,
    entity_category=EntityCategory.CONFIG,
    native_min_value=GOAL_MIN,
    native_max_value=GOAL_MAX,
    native_step=1,
    mode=NumberMode.BOX,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RunWellbeingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's weekly goal."""
    async_add_entities([WeeklyGoalNumber(entry.runtime_data, WEEKLY_GOAL)])


class WeeklyGoalNumber(RunWellbeingEntity, NumberEntity):
    """Runs per week the person aims for; a change is saved as the option."""

    def _state_key(self) -> Any:
        return self.native_value

    @property
    def native_value(self) -> float:
        """Return the goal in force this week."""
        return self.coordinator.data.weekly_goal

    async def async_set_native_value(self, value: float) -> None:
        """Store the new goal in the profile's options, which records the change.

        Only the profile's owner, admins and calls without a user may change
        it; a fraction is refused rather than truncated.
        """
        entry = self.coordinator.config_entry
        await async_check_may_manage(self.hass, entry, self._context or Context())
        goal = whole_number(CONF_WEEKLY_GOAL, value, GOAL_MIN, GOAL_MAX)
        options = {**entry.options, CONF_WEEKLY_GOAL: goal}
        # Written to the history first: a failed write refuses the change.
        await self.coordinator.async_set_options(options)
        self.hass.config_entries.async_update_entry(entry, options=options)
