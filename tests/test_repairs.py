"""A history file that cannot be read never stops Home Assistant or loses its bytes."""

# These tests use the real storage on disk (not the in-memory mock of the test
# harness): corruption is a matter of files and bytes.

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import DOMAIN as HOMEASSISTANT_DOMAIN, CoreState, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.config_flow import default_options
from custom_components.run_wellbeing.const import DOMAIN

TRUNCATED = (
    b'{"version": 1, "minor_version": 1, "key": "k", "data": {"sessions": [{"id": "'
)


@pytest.fixture
def hass_storage() -> dict[str, Any]:
    """Use real files instead of the harness's in-memory storage."""
    return {}


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """Keep each test's files in its own temporary folder."""
    return hass_tmp_config_dir


def _entry(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Alex",
        data={"name": "Alex"},
        options=default_options(),
        unique_id="alex",
    )
    entry.add_to_hass(hass)
    return entry


def _path(hass: HomeAssistant, entry: MockConfigEntry) -> Path:
    return Path(hass.config.path(".storage", f"{DOMAIN}.{entry.entry_id}"))


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


async def test_corrupt_json_is_moved_aside_and_reported(
    hass: HomeAssistant, time_zone: str, issue_registry: ir.IssueRegistry
) -> None:
    entry = _entry(hass)
    path = _path(hass, entry)
    _write(path, TRUNCATED)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    # Home Assistant and the profile keep running, on an empty history.
    assert hass.state is CoreState.running
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.alex_total_runs").state == "0"
    # The damaged bytes are kept, moved aside.
    (moved,) = path.parent.glob(f"{path.name}.corrupt.*")
    assert moved.read_bytes() == TRUNCATED
    assert not path.exists()
    # One issue that names the person, instead of the generic one with a storage key.
    issue = issue_registry.async_get_issue(DOMAIN, f"corrupt_storage_{entry.entry_id}")
    assert issue is not None
    assert issue.is_fixable
    assert issue.is_persistent
    assert issue.translation_key == "corrupt_storage"
    # No name: Home Assistant puts repair issues into diagnostics.
    assert issue.translation_placeholders == {
        "path": str(path),
        "corrupt_path": str(moved),
    }
    assert not [
        issue_id
        for domain, issue_id in issue_registry.issues
        if domain == HOMEASSISTANT_DOMAIN and issue_id.startswith("storage_corruption")
    ]

    # Logging works and goes to a new file; the damaged copy stays as it was.
    await hass.services.async_call(DOMAIN, "log_run", {"duration": 30}, blocking=True)
    assert hass.states.get("sensor.alex_total_runs").state == "1"
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert path.exists()
    assert hass.states.get("sensor.alex_total_runs").state == "1"
    assert moved.read_bytes() == TRUNCATED
    # The issue stays until the person confirms it (a restart does not hide it).
    assert issue_registry.async_get_issue(DOMAIN, f"corrupt_storage_{entry.entry_id}")


async def test_corrupt_storage_issue_is_confirmed_by_the_user(
    hass: HomeAssistant, time_zone: str, issue_registry: ir.IssueRegistry
) -> None:
    entry = _entry(hass)
    _write(_path(hass, entry), b"\x00\x00\x00 garbage")
    assert await async_setup_component(hass, "repairs", {})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    issue_id = f"corrupt_storage_{entry.entry_id}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id)

    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, context={"issue_id": issue_id})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    assert "name" not in result["description_placeholders"]
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY

    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(
            b'{"version": 2, "minor_version": 1, "key": "k", "data": {}}',
            id="newer_version",
        ),
        pytest.param(
            b'{"version": 1, "minor_version": 1, "key": "k", "data": {"sessions": [{"activity": "run"}]}}',
            id="bad_schema",
        ),
        pytest.param(b"[1, 2, 3]", id="not_an_object"),
    ],
)
async def test_unreadable_history_is_left_untouched(
    hass: HomeAssistant,
    time_zone: str,
    issue_registry: ir.IssueRegistry,
    content: bytes,
) -> None:
    entry = _entry(hass)
    path = _path(hass, entry)
    _write(path, content)

    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert hass.state is CoreState.running
    assert entry.state is ConfigEntryState.SETUP_ERROR
    issue = issue_registry.async_get_issue(
        DOMAIN, f"unreadable_storage_{entry.entry_id}"
    )
    assert issue is not None
    placeholders = dict(issue.translation_placeholders or {})
    # No name: repair issues are part of diagnostics.
    assert "name" not in placeholders
    assert placeholders.pop("path") == str(path)
    # An impossible value is named by its record and field.
    assert set(placeholders) <= {"record", "field"}
    # Neither setup nor shutdown writes over what could not be read.
    await hass.async_stop()
    assert path.read_bytes() == content
    assert not list(path.parent.glob(f"{path.name}.corrupt.*"))


async def test_repaired_file_clears_the_issue(
    hass: HomeAssistant, time_zone: str, issue_registry: ir.IssueRegistry
) -> None:
    entry = _entry(hass)
    path = _path(hass, entry)
    _write(path, b'{"version": 9, "minor_version": 1, "key": "k", "data": {}}')
    assert not await hass.config_entries.async_setup(entry.entry_id)
    issue_id = f"unreadable_storage_{entry.entry_id}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id)

    # The person restores a readable file (say, from a backup) and retries.
    _write(path, b'{"version": 1, "minor_version": 1, "key": "k", "data": {}}')
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_removing_the_profile_removes_its_issues(
    hass: HomeAssistant, time_zone: str, issue_registry: ir.IssueRegistry
) -> None:
    entry = _entry(hass)
    _write(_path(hass, entry), TRUNCATED)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, f"corrupt_storage_{entry.entry_id}")

    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()

    assert not [
        issue
        for (domain, _), issue in issue_registry.issues.items()
        if domain == DOMAIN
    ]
