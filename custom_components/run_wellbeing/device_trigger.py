"""Device triggers: the integration's four events, offered on each profile's device."""

from __future__ import annotations

from typing import Final

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.device_automation.exceptions import (
    InvalidDeviceAutomationConfig,
)
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_EVENT_DATA,
    CONF_PLATFORM,
    CONF_TYPE,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType
import probatio as vol

from .const import (
    DOMAIN,
    EVENT_MOOD_LOGGED,
    EVENT_SESSION_LOGGED,
    EVENT_STREAK_MILESTONE,
    EVENT_WEEKLY_GOAL_REACHED,
)

TRIGGER_EVENTS: Final = {
    "session_logged": EVENT_SESSION_LOGGED,
    "mood_logged": EVENT_MOOD_LOGGED,
    "weekly_goal_reached": EVENT_WEEKLY_GOAL_REACHED,
    "streak_milestone": EVENT_STREAK_MILESTONE,
}

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {vol.Required(CONF_TYPE): vol.In(list(TRIGGER_EVENTS))}
)


def _entry_id(hass: HomeAssistant, device_id: str) -> str:
    """Return the profile (config entry) a device stands for."""
    device = dr.async_get(hass).async_get(device_id)
    if device is not None:
        for domain, identifier in device.identifiers:
            if domain == DOMAIN:
                return identifier
    raise InvalidDeviceAutomationConfig(
        translation_domain=DOMAIN,
        translation_key="not_a_profile_device",
        translation_placeholders={"device_id": device_id[:64]},
    )


async def async_get_triggers(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, str]]:
    """Return the triggers a profile's device offers."""
    _entry_id(hass, device_id)
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: trigger_type,
        }
        for trigger_type in TRIGGER_EVENTS
    ]


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Listen for the event of this profile only; events carry its entry id."""
    event_config = event_trigger.TRIGGER_SCHEMA(
        {
            CONF_PLATFORM: "event",
            event_trigger.CONF_EVENT_TYPE: TRIGGER_EVENTS[config[CONF_TYPE]],
            CONF_EVENT_DATA: {"entry_id": _entry_id(hass, config[CONF_DEVICE_ID])},
        }
    )
    return await event_trigger.async_attach_trigger(
        hass, event_config, action, trigger_info, platform_type="device"
    )
