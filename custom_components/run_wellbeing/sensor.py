"""Sensors: weekly count, distance and time, streaks, mood and the last run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, UnitOfLength, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import RunWellbeingConfigEntry
from .core.stats import Summary
from .entity import RunWellbeingEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class RunWellbeingSensorEntityDescription(SensorEntityDescription):
    """A sensor that shows one value of the profile's summary."""

    value_fn: Callable[[Summary], float | int | datetime | None]
    last_reset_fn: Callable[[Summary], datetime | None] = lambda _: None
    attributes_fn: Callable[[Summary], dict[str, Any] | None] = lambda _: None


SENSORS: tuple[RunWellbeingSensorEntityDescription, ...] = (
    RunWellbeingSensorEntityDescription(
        key="runs_this_week",
        state_class=SensorStateClass.TOTAL,
        value_fn=lambda s: s.runs_this_week,
        last_reset_fn=lambda s: s.week_start,
    ),
    RunWellbeingSensorEntityDescription(
        key="weekly_goal_progress",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda s: s.weekly_goal_progress,
    ),
    RunWellbeingSensorEntityDescription(
        key="distance_this_week",
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=1,
        value_fn=lambda s: s.distance_this_week,
        last_reset_fn=lambda s: s.week_start,
    ),
    RunWellbeingSensorEntityDescription(
        key="duration_this_week",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=0,
        value_fn=lambda s: s.duration_this_week,
        last_reset_fn=lambda s: s.week_start,
    ),
    RunWellbeingSensorEntityDescription(
        key="streak",
        native_unit_of_measurement=UnitOfTime.WEEKS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda s: s.streak,
    ),
    RunWellbeingSensorEntityDescription(
        key="day_streak",
        native_unit_of_measurement=UnitOfTime.DAYS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda s: s.day_streak,
    ),
    RunWellbeingSensorEntityDescription(
        key="longest_streak",
        native_unit_of_measurement=UnitOfTime.WEEKS,
        value_fn=lambda s: s.longest_streak,
    ),
    RunWellbeingSensorEntityDescription(
        key="longest_day_streak",
        native_unit_of_measurement=UnitOfTime.DAYS,
        value_fn=lambda s: s.longest_day_streak,
    ),
    RunWellbeingSensorEntityDescription(
        key="mood_score",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda s: s.mood_score,
    ),
    RunWellbeingSensorEntityDescription(
        key="last_mood",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda s: s.last_mood,
    ),
    RunWellbeingSensorEntityDescription(
        key="mood_lift",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda s: s.mood_lift,
    ),
    RunWellbeingSensorEntityDescription(
        key="last_run",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda s: s.last_run,
    ),
    RunWellbeingSensorEntityDescription(
        key="next_planned_run",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda s: s.next_planned_run,
    ),
    RunWellbeingSensorEntityDescription(
        key="total_runs",
        state_class=SensorStateClass.TOTAL,
        value_fn=lambda s: s.total_runs,
    ),
    RunWellbeingSensorEntityDescription(
        key="sleep_after_runs",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.HOURS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda s: s.sleep_after_runs,
        attributes_fn=lambda s: {
            "nights_after_runs": s.sleep_nights_after_runs,
            "nights_after_rest": s.sleep_nights_after_rest,
        },
    ),
)


def summary_response(summary: Summary) -> dict[str, Any]:
    """Return every sensor value and the goal as `get_summary` answers them."""
    response: dict[str, Any] = {}
    for description in SENSORS:
        value = description.value_fn(summary)
        response[description.key] = (
            value.isoformat() if isinstance(value, datetime) else value
        )
    response["weekly_goal"] = summary.weekly_goal
    return response


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RunWellbeingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's sensors."""
    coordinator = entry.runtime_data
    async_add_entities(
        RunWellbeingSensor(coordinator, description) for description in SENSORS
    )


class RunWellbeingSensor(RunWellbeingEntity, SensorEntity):
    """One value of the profile's summary."""

    entity_description: RunWellbeingSensorEntityDescription

    def _state_key(self) -> Any:
        summary = self.coordinator.data
        description = self.entity_description
        return (
            description.value_fn(summary),
            description.last_reset_fn(summary),
            description.attributes_fn(summary),
        )

    @property
    def native_value(self) -> float | int | datetime | None:
        """Return the value from the summary."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def last_reset(self) -> datetime | None:
        """Return the start of the week for weekly totals."""
        return self.entity_description.last_reset_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return how many nights `sleep_after_runs` compared."""
        return self.entity_description.attributes_fn(self.coordinator.data)
