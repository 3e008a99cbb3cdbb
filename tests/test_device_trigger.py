"""Device triggers: the four events on each profile's device."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.components.device_automation.exceptions import (
    InvalidDeviceAutomationConfig,
)
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
    async_mock_service,
)

from custom_components.run_wellbeing.const import DOMAIN

from .conftest import ProfileFactory

TYPES = ("session_logged", "mood_logged", "weekly_goal_reached", "streak_milestone")


def _device(hass: HomeAssistant, entry: MockConfigEntry) -> dr.DeviceEntry:
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert device is not None
    return device


async def _automations(
    hass: HomeAssistant, device: dr.DeviceEntry
) -> list[ServiceCall]:
    """Set up one automation per trigger type on the device."""
    calls = async_mock_service(hass, "test", "automation")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "triggers": {
                        "trigger": "device",
                        "domain": DOMAIN,
                        "device_id": device.id,
                        "type": trigger_type,
                    },
                    "actions": {
                        "action": "test.automation",
                        "data": {
                            "type": trigger_type,
                            "name": "{{ trigger.event.data.name }}",
                        },
                    },
                }
                for trigger_type in TYPES
            ]
        },
    )
    await hass.async_block_till_done()
    return calls


async def test_device_offers_the_four_triggers(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """The automation editor lists the four triggers, with translated names."""
    device = _device(hass, alex)
    triggers = [
        trigger
        for trigger in await async_get_device_automations(
            hass, DeviceAutomationType.TRIGGER, device.id
        )
        if trigger["domain"] == DOMAIN
    ]
    assert sorted(t["type"] for t in triggers) == sorted(TYPES)
    assert all(
        t["device_id"] == device.id and t["domain"] == DOMAIN and t["metadata"] == {}
        for t in triggers
    )
    translations = await async_get_translations(
        hass, "en", "device_automation", [DOMAIN]
    )
    prefix = f"component.{DOMAIN}.device_automation.trigger_type"
    assert translations[f"{prefix}.session_logged"] == "Session logged"
    assert all(f"{prefix}.{trigger_type}" in translations for trigger_type in TYPES)


async def test_triggers_fire_for_their_profile_only(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """Logging for Sam runs nothing; logging for Alex runs each matching trigger."""
    tz = dt_util.get_default_time_zone()
    freezer.move_to(datetime(2026, 6, 3, 20, 0, tzinfo=tz))  # Wednesday
    alex = await add_profile("Alex", weekly_goal=1)
    sam = await add_profile("Sam", weekly_goal=1)
    calls = await _automations(hass, _device(hass, alex))

    async def log(entry: MockConfigEntry, action: str, **data: Any) -> None:
        await hass.services.async_call(
            DOMAIN,
            action,
            {"config_entry_id": entry.entry_id, **data},
            blocking=True,
        )
        await hass.async_block_till_done()

    # Sam: a run that also reaches Sam's goal, and a mood. Nothing for Alex.
    await log(sam, "log_run", start="2026-05-27 07:00:00")
    await log(sam, "log_run")
    await log(sam, "log_mood", mood=6)
    assert calls == []

    await log(alex, "log_mood", mood=7)
    assert [(c.data["type"], c.data["name"]) for c in calls] == [
        ("mood_logged", "Alex")
    ]
    calls.clear()

    # Last week's run, then this week's: goal reached, and a 2-week streak.
    await log(alex, "log_run", start="2026-05-27 07:00:00")
    assert [c.data["type"] for c in calls] == ["session_logged"]
    calls.clear()
    await log(alex, "log_run")
    assert sorted(c.data["type"] for c in calls) == [
        "session_logged",
        "streak_milestone",
        "weekly_goal_reached",
    ]


async def test_unknown_device_has_no_triggers(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """A device of another integration is not a profile."""
    other = MockConfigEntry(domain="demo")
    other.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("demo", "x")}
    )
    from custom_components.run_wellbeing.device_trigger import async_get_triggers

    with pytest.raises(InvalidDeviceAutomationConfig) as caught:
        await async_get_triggers(hass, device.id)
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == "not_a_profile_device"
    assert str(caught.value) == (
        f"The device {device.id} is not a Run Wellbeing profile"
    )


async def test_invalid_trigger_type_is_refused(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """A type that does not exist leaves the automation unavailable."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "bad",
                "alias": "bad",
                "triggers": {
                    "trigger": "device",
                    "domain": DOMAIN,
                    "device_id": _device(hass, alex).id,
                    "type": "run_started",
                },
                "actions": {"action": "test.automation"},
            }
        },
    )
    await hass.async_block_till_done()
    assert hass.states.get("automation.bad").state == "unavailable"
