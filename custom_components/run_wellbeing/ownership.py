"""Whose profile is whose: who may read its notes and remove its records.

A profile linked to a Home Assistant person belongs to that person's user.
The owner, administrators and calls without a user (automations, scripts,
voice satellites) may read notes and delete or cancel records; anyone else
may still log for the profile (a partner logging a run) but not read or
remove. Actions, entities and the card's websocket commands all ask here.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import Unauthorized

from .const import CONF_PERSON


def owner_user_id(hass: HomeAssistant, entry: ConfigEntry) -> str | None:
    """Return the user of the person the profile is linked to, if any."""
    if (person := entry.options.get(CONF_PERSON)) is None:
        return None
    if (state := hass.states.get(person)) is None:
        return None
    user_id = state.attributes.get("user_id")
    return user_id if isinstance(user_id, str) else None


async def async_may_manage(
    hass: HomeAssistant, entry: ConfigEntry, user_id: str | None
) -> bool:
    """Return whether this user may read the profile's notes and remove records."""
    if user_id is None:
        return True
    if (user := await hass.auth.async_get_user(user_id)) is None:
        return False
    if user.is_admin:
        return True
    # A profile not linked to a person has no owner: only admins manage it.
    owner = owner_user_id(hass, entry)
    return owner is not None and owner == user_id


async def async_check_may_manage(
    hass: HomeAssistant, entry: ConfigEntry, context: Context
) -> None:
    """Raise Unauthorized unless the caller may manage the profile's records."""
    if not await async_may_manage(hass, entry, context.user_id):
        raise Unauthorized(context=context, config_entry_id=entry.entry_id)
