"""Diagnostics: what a bug report needs, without the person's notes or name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry

from .const import CONF_PERSON
from .coordinator import RunWellbeingConfigEntry
from .sensor import summary_response

# Free text is health data; the name and the linked person identify the person.
# Repair issues, which Home Assistant adds to diagnostics, carry no name either.
TO_REDACT = {"note", "name", "title", "unique_id", CONF_PERSON}
LAST_RECORDS = 5


def _last(records: Iterable[Any], key: str) -> list[dict[str, Any]]:
    """Return the latest records by their time, newest first, in stored form."""
    latest = sorted(records, key=lambda record: getattr(record, key), reverse=True)
    return [record.as_dict() for record in latest[:LAST_RECORDS]]


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: RunWellbeingConfigEntry
) -> dict[str, Any]:
    """Return counts, settings, storage version and the last records of a profile."""
    coordinator = entry.runtime_data
    history = coordinator.history
    store = coordinator.store
    settings = coordinator.stats.settings
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "version": entry.version,
                "minor_version": entry.minor_version,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "settings": {
                "weekly_goal": settings.weekly_goal,
                "week_start": settings.week_start.value,
                "counted_activities": sorted(settings.counted_activities),
                "low_mood_threshold": settings.low_mood_threshold,
                "time_zone": str(coordinator.stats.tz),
            },
            "storage": {
                "key": store.key,
                "version": store.version,
                "minor_version": store.minor_version,
            },
            "counts": {
                "sessions": len(history.sessions),
                "moods": len(history.moods),
                "plans": len(history.plans),
                "goal_changes": len(history.goal_changes),
                "schedule_changes": len(history.schedule_changes),
                "goal_reached_weeks": len(history.goal_reached_weeks),
            },
            "summary": summary_response(coordinator.data),
            "last_records": {
                "sessions": _last(history.sessions.values(), "start"),
                "moods": _last(history.moods.values(), "time"),
                "plans": _last(history.plans.values(), "start"),
                "goal_changes": [g.as_dict() for g in history.goal_changes[-3:]],
                "schedule_changes": [
                    c.as_dict() for c in history.schedule_changes[-3:]
                ],
            },
        },
        TO_REDACT,
    )


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: RunWellbeingConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """Return the profile's diagnostics; its device is the profile."""
    return {
        "device": async_redact_data(
            {
                "name": device.name,
                "name_by_user": device.name_by_user,
                "identifiers": sorted(list(i) for i in device.identifiers),
                "entry_type": device.entry_type,
                "disabled_by": device.disabled_by,
            },
            TO_REDACT | {"name_by_user"},
        ),
        **await async_get_config_entry_diagnostics(hass, entry),
    }
