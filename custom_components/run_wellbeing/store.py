"""Local persistence of one profile in Home Assistant's storage helper."""

from __future__ import annotations

from typing import Any, override

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN, STORAGE_MINOR_VERSION, STORAGE_VERSION

type StoredData = dict[str, Any]


class ProfileStore(Store[StoredData]):
    """The profile's history, versioned so later releases can migrate it."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Keep one private file per profile."""
        super().__init__(
            hass,
            STORAGE_VERSION,
            storage_key(entry_id),
            private=True,
            atomic_writes=True,
            minor_version=STORAGE_MINOR_VERSION,
        )

    @override
    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: StoredData
    ) -> StoredData:
        """Bring data written by an older release up to the current layout."""
        # Version 1.1 is the first layout; later layouts add their steps here.
        return old_data


def storage_key(entry_id: str) -> str:
    """Return the storage key of a profile."""
    return f"{DOMAIN}.{entry_id}"
