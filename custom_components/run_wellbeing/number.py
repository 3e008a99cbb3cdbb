"""The weekly goal as a number, so dashboards and automations can change it."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

from homeassistant.components.number import (
    ATTR_VALUE,
    DOMAIN as NUMBER_DOMAIN,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.components.number.const import SERVICE_SET_VALUE
from homeassistant.const import (
    ATTR_DOMAIN,
    ATTR_SERVICE,
    ATTR_SERVICE_DATA,
    EVENT_CALL_SERVICE,
    EntityCategory,
)
from homeassistant.core import Context, Event, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import CONF_WEEKLY_GOAL
from .coordinator import RunWellbeingConfigEntry
from .core.models import GOAL_MAX, GOAL_MIN
from .entity import RunWellbeingEntity
from .ownership import async_check_may_manage
from .validation import weekly_goal

# How many recent `number.set_value` calls with a raw boolean are remembered.
RECENT_CALLS = 16

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

    _boolean_calls: deque[str]

    def _state_key(self) -> Any:
        return self.native_value

    async def async_added_to_hass(self) -> None:
        """Watch `number.set_value` calls for values Home Assistant would bend.

        The action coerces its value to a float before the entity sees it, so
        `true` would arrive as 1.0; the call's raw data is read here, keyed by
        the call's context, so that a boolean is refused like at every door.
        """
        await super().async_added_to_hass()
        self._boolean_calls = deque(maxlen=RECENT_CALLS)
        self.async_on_remove(
            self.hass.bus.async_listen(
                EVENT_CALL_SERVICE, self._remember_call, event_filter=_is_set_value
            )
        )

    @callback
    def _remember_call(self, event: Event[Mapping[str, Any]]) -> None:
        data = event.data.get(ATTR_SERVICE_DATA)
        if isinstance(data, Mapping) and isinstance(data.get(ATTR_VALUE), bool):
            self._boolean_calls.append(event.context.id)

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
        context = self._context or Context()
        await async_check_may_manage(self.hass, entry, context)
        goal = weekly_goal(True if context.id in self._boolean_calls else value)
        options = {**entry.options, CONF_WEEKLY_GOAL: goal}
        # Written to the history first: a failed write refuses the change.
        await self.coordinator.async_set_options(options)
        self.hass.config_entries.async_update_entry(entry, options=options)


@callback
def _is_set_value(data: Mapping[str, Any]) -> bool:
    return bool(
        data.get(ATTR_DOMAIN) == NUMBER_DOMAIN
        and data.get(ATTR_SERVICE) == SERVICE_SET_VALUE
    )
