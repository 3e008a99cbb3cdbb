"""Local persistence of one profile in Home Assistant's storage helper."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, override

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store
from homeassistant.util.file import WriteError
from homeassistant.util.hass_dict import HassKey
from homeassistant.util.json import SerializationError

from .const import DOMAIN, LOGGER, STORAGE_MINOR_VERSION, STORAGE_VERSION

type StoredData = dict[str, Any]

DATA_STORES: HassKey[dict[str, ProfileStore]] = HassKey(f"{DOMAIN}_stores")
RETRY_DELAY_MIN = 10.0
RETRY_DELAY_MAX = 300.0


class ProfileStore(Store[StoredData]):
    """The profile's history, versioned so later releases can migrate it.

    Home Assistant's Store logs a failed write and drops the data it could not
    write. A profile's history must not be lost that way (a full disk is
    temporary), so a failed write is kept and retried with a growing delay,
    and a repair issue tells the user until a write succeeds.
    """

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
        self.entry_id = entry_id
        self.write_error: Exception | None = None
        self._file_lock = threading.Lock()
        self._retry_delay = RETRY_DELAY_MIN

    @callback
    def async_cancel_writes(self) -> None:
        """Drop pending data and timers, e.g. of a profile being removed."""
        self._data = None
        self._async_cleanup_delay_listener()
        self._async_cleanup_final_write_listener()

    async def async_flush(self) -> None:
        """Write pending data now instead of after the save delay."""
        if self._data is not None:
            await self._async_handle_write_data()  # type: ignore[no-untyped-call]

    @override
    async def _async_write_data(self, data: dict[str, Any]) -> None:
        """Write, and on failure keep the data to retry instead of dropping it."""
        try:
            await super()._async_write_data(data)
        except asyncio.CancelledError:
            # Home Assistant cancels executor jobs it does not track when it
            # stops (a delayed write starts eagerly, untracked), but the thread
            # goes on writing. Keep the data for the final write, which
            # _write_prepared_data makes wait for that thread, so the older
            # write can never land after the newer one.
            if self._data is None and "data" in data:
                self._data = data
                self._async_ensure_final_write_listener()
            raise
        except (OSError, SerializationError, WriteError) as err:
            self._async_write_failed(data.get("data"), err)
            return
        if self.write_error is not None:
            self.write_error = None
            self._retry_delay = RETRY_DELAY_MIN
            ir.async_delete_issue(self.hass, DOMAIN, write_issue_id(self.entry_id))

    @callback
    def _async_write_failed(self, stored: StoredData | None, err: Exception) -> None:
        """Schedule a retry of what could not be written and tell the user."""
        delay = self._retry_delay
        self._retry_delay = min(delay * 2, RETRY_DELAY_MAX)
        first = self.write_error is None
        self.write_error = err
        LOGGER.error(
            "Could not save the history of profile %s (retrying in %.0f s): %s",
            self.entry_id,
            delay,
            type(err).__name__ if isinstance(err, SerializationError) else err,
        )
        # A newer snapshot queued while this one was written holds everything.
        if self._data is None and stored is not None:
            self.async_delay_save(lambda: stored, delay)
        if first:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                write_issue_id(self.entry_id),
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="write_failed",
                # No name: issues are part of diagnostics, names stay out.
                translation_placeholders={"path": self.path},
            )

    @override
    def _write_prepared_data(self, mode: str, json_data: str | bytes) -> None:
        """Write in the executor, one write of this file at a time."""
        with self._file_lock:
            super()._write_prepared_data(mode, json_data)

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


def write_issue_id(entry_id: str) -> str:
    """Return the id of the repair issue of a profile whose history cannot be saved."""
    return f"write_failed_{entry_id}"


@callback
def async_get_profile_store(hass: HomeAssistant, entry_id: str) -> ProfileStore:
    """Return the profile's store, the same one across reloads.

    A write still waiting (or being retried) when the profile unloads is then
    what the reloaded profile reads, instead of the older file on disk.
    """
    stores = hass.data.setdefault(DATA_STORES, {})
    if (store := stores.get(entry_id)) is None:
        store = stores[entry_id] = ProfileStore(hass, entry_id)
    return store


@callback
def async_forget_profile_store(hass: HomeAssistant, entry_id: str) -> None:
    """Drop the cached store, e.g. one made read-only or of a removed profile."""
    hass.data.get(DATA_STORES, {}).pop(entry_id, None)


@callback
def async_discard_profile_store(hass: HomeAssistant, entry_id: str) -> None:
    """Cancel writes still pending for a removed profile and forget its store."""
    if (store := hass.data.get(DATA_STORES, {}).pop(entry_id, None)) is not None:
        store.async_cancel_writes()
    ir.async_delete_issue(hass, DOMAIN, write_issue_id(entry_id))
