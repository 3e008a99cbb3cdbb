"""Repair issues that tell the person when their stored history could not be read."""

from __future__ import annotations

from homeassistant.core import DOMAIN as HOMEASSISTANT_DOMAIN, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .coordinator import RunWellbeingConfigEntry
from .core.models import History
from .storage.store import ProfileStore

# Home Assistant's Store names the issue it raises for a file it cannot parse so.
CORE_CORRUPTION_ISSUE = "storage_corruption_{key}_"


def corrupt_storage_issue_id(entry_id: str) -> str:
    """Return the id of the issue about a profile's damaged history."""
    return f"corrupt_storage_{entry_id}"


def _core_corruption_issues(hass: HomeAssistant, store: ProfileStore) -> set[str]:
    prefix = CORE_CORRUPTION_ISSUE.format(key=store.key)
    return {
        issue_id
        for domain, issue_id in ir.async_get(hass).issues
        if domain == HOMEASSISTANT_DOMAIN and issue_id.startswith(prefix)
    }


async def async_load_history(
    hass: HomeAssistant, entry: RunWellbeingConfigEntry, store: ProfileStore
) -> History:
    """Load a profile's stored data, turning a damaged file into a clear repair issue."""
    # Home Assistant's Store moves a file that is not valid JSON aside to
    # `<path>.corrupt.<time>` (its bytes are kept) and loads nothing, so the
    # profile starts with an empty history and logging keeps working. Its generic
    # issue names only the storage key; ours names the person, says the history
    # is empty for now and how to bring it back, and replaces the generic one.
    before = _core_corruption_issues(hass, store)
    history = await store.async_load_history()
    if not store.loaded_snapshot and (
        new := _core_corruption_issues(hass, store) - before
    ):
        registry = ir.async_get(hass)
        for issue_id in new:
            issue = registry.async_get_issue(HOMEASSISTANT_DOMAIN, issue_id)
            placeholders = (issue and issue.translation_placeholders) or {}
            _async_create_corrupt_storage_issue(
                hass, entry, store, placeholders.get("corrupt_path", "")
            )
            ir.async_delete_issue(hass, HOMEASSISTANT_DOMAIN, issue_id)
    return history


@callback
def _async_create_corrupt_storage_issue(
    hass: HomeAssistant,
    entry: RunWellbeingConfigEntry,
    store: ProfileStore,
    corrupt_path: str,
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        corrupt_storage_issue_id(entry.entry_id),
        is_fixable=True,
        is_persistent=True,
        severity=ir.IssueSeverity.ERROR,
        translation_key="corrupt_storage",
        translation_placeholders={
            "path": store.path,
            "corrupt_path": corrupt_path,
        },
    )


@callback
def async_delete_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Forget the issues of a profile that was removed."""
    ir.async_delete_issue(hass, DOMAIN, f"unreadable_storage_{entry_id}")
    ir.async_delete_issue(hass, DOMAIN, corrupt_storage_issue_id(entry_id))
