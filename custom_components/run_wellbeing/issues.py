"""The profile's repository in Home Assistant: its files, and repair issues about them."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, LOGGER
from .coordinator import RunWellbeingConfigEntry
from .core.models import History
from .storage.store import ProfileStore


def storage_key(entry_id: str) -> str:
    """Return the storage key (and file name in `.storage/`) of a profile."""
    return f"{DOMAIN}.{entry_id}"


def write_issue_id(entry_id: str) -> str:
    """Return the id of the repair issue of a profile whose history cannot be saved."""
    return f"write_failed_{entry_id}"


def corrupt_storage_issue_id(entry_id: str) -> str:
    """Return the id of the issue about a profile's damaged history."""
    return f"corrupt_storage_{entry_id}"


def unreadable_issue_id(entry_id: str) -> str:
    """Return the id of the issue about a profile whose history cannot be read."""
    return f"unreadable_storage_{entry_id}"


@callback
def async_profile_store(hass: HomeAssistant, entry_id: str) -> ProfileStore:
    """Return a repository of the profile's files that reports failed writes."""
    key = storage_key(entry_id)
    issue_id = write_issue_id(entry_id)

    @callback
    def write_failed(err: Exception, path: str) -> None:
        LOGGER.error(
            "Could not save the history of profile %s: %s",
            entry_id,
            err if isinstance(err, OSError) else type(err).__name__,
        )
        # No name: issues are part of diagnostics, names stay out.
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key="write_failed",
            translation_placeholders={"path": path},
        )

    @callback
    def write_succeeded() -> None:
        ir.async_delete_issue(hass, DOMAIN, issue_id)

    return ProfileStore(
        hass.config.path(".storage", key),
        key=key,
        executor=hass.async_add_executor_job,
        spawn=lambda coro, name: hass.async_create_task(
            coro, f"{name} {entry_id}", eager_start=False
        ),
        on_write_failed=write_failed,
        on_write_succeeded=write_succeeded,
    )


async def async_load_history(
    hass: HomeAssistant, entry: RunWellbeingConfigEntry, store: ProfileStore
) -> History:
    """Load a profile's history; damage becomes a repair issue, never a crash.

    What was damaged is named by file path and record id (never by the
    person's name) and its bytes are in the copies the store made.
    """
    history = await store.async_load_history()
    if damage := store.damage:
        LOGGER.warning(
            "The stored history of profile %s was damaged (%s); the damaged bytes "
            "were copied to %s",
            entry.entry_id,
            damage.describe(),
            ", ".join(damage.copies) or "nowhere (nothing was left to copy)",
        )
        async_create_corrupt_storage_issue(
            hass, entry.entry_id, store, ", ".join(damage.copies), damage.describe()
        )
    return history


@callback
def async_create_corrupt_storage_issue(
    hass: HomeAssistant,
    entry_id: str,
    store: ProfileStore,
    corrupt_path: str,
    problems: str,
) -> None:
    """Tell the user what was damaged, what was set aside, where the bytes are."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        corrupt_storage_issue_id(entry_id),
        is_fixable=True,
        is_persistent=True,
        severity=ir.IssueSeverity.ERROR,
        translation_key="corrupt_storage",
        translation_placeholders={
            "path": store.path,
            "corrupt_path": corrupt_path or "-",
            "problems": problems,
        },
    )


@callback
def async_create_unreadable_issue(
    hass: HomeAssistant, entry_id: str, path: str
) -> None:
    """Tell the user a history cannot be read at all and was left untouched."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        unreadable_issue_id(entry_id),
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="unreadable_storage",
        translation_placeholders={"path": path},
    )


@callback
def async_delete_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Forget the issues of a profile that was removed."""
    ir.async_delete_issue(hass, DOMAIN, unreadable_issue_id(entry_id))
    ir.async_delete_issue(hass, DOMAIN, corrupt_storage_issue_id(entry_id))
    ir.async_delete_issue(hass, DOMAIN, write_issue_id(entry_id))
