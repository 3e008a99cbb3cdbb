"""Damaged files never stop Home Assistant, never lose their bytes, never go unreported.

Every shape of damage the contract names is tried on real files: the profile
loads what is valid, the damaged bytes are copied aside, and a repair issue
names the file and what was set aside (never the person).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CoreState, HomeAssistant
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
START = "2026-03-16T07:00:00+01:00"


def session(record_id: str) -> dict[str, Any]:
    """Return a stored session."""
    return {"id": record_id, "activity": "run", "start": START, "duration": 1800.0}


def snapshot(data: Any, minor: int = 3) -> bytes:
    """Return a snapshot file holding `data`."""
    return json.dumps(
        {"version": 1, "minor_version": minor, "key": "k", "data": data}
    ).encode()


def journal(*entries: dict[str, Any]) -> bytes:
    """Return journal lines, numbered from 1 unless an entry says otherwise."""
    return b"".join(
        json.dumps({"seq": number} | entry).encode() + b"\n"
        for number, entry in enumerate(entries, start=1)
    )


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


def _journal(hass: HomeAssistant, entry: MockConfigEntry) -> Path:
    path = _path(hass, entry)
    return path.with_name(path.name + ".journal")


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


async def _sessions(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    response = await hass.services.async_call(
        DOMAIN,
        "get_sessions",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return {s["id"] for s in response["sessions"]}  # type: ignore[union-attr]


# (snapshot, journal, what the issue names, which file is copied, sessions kept)
DAMAGE = {
    "data_null": (
        snapshot(None),
        journal({"op": "session", "record": session("j1")}),
        "data",
        "snapshot",
        {"j1"},
    ),
    "data_zero": (
        snapshot(0),
        journal({"op": "session", "record": session("j1")}),
        "data",
        "snapshot",
        {"j1"},
    ),
    "data_list": (
        snapshot([session("s1")]),
        journal({"op": "session", "record": session("j1")}),
        "data",
        "snapshot",
        {"j1"},
    ),
    "not_json": (
        TRUNCATED,
        journal({"op": "session", "record": session("j1")}),
        "snapshot is no JSON",
        "snapshot",
        {"j1"},
    ),
    "not_an_object": (b"[1, 2, 3]", b"", "snapshot is no JSON", "snapshot", set()),
    "duplicate_ids": (
        snapshot(
            {
                "sessions": [
                    session("s1"),
                    session("s1") | {"duration": 60.0},
                    session("s2"),
                ]
            }
        ),
        b"",
        "s1: id",
        "snapshot",
        {"s1", "s2"},
    ),
    "impossible_record": (
        snapshot(
            {
                "sessions": [
                    session("s1"),
                    session("bad") | {"start": "9999-06-01T07:00:00+00:00"},
                ]
            }
        ),
        b"",
        "bad: start",
        "snapshot",
        {"s1"},
    ),
    "wrong_type": (
        snapshot({"sessions": [session("s1"), session("bad") | {"duration": "long"}]}),
        b"",
        "bad: duration",
        "snapshot",
        {"s1"},
    ),
    "record_without_id": (
        snapshot({"sessions": [session("s1"), {"activity": "run"}]}),
        b"",
        "sessions[1]: id",
        "snapshot",
        {"s1"},
    ),
    "garbled_line_in_the_middle": (
        snapshot({"sessions": [session("s1")], "journal_seq": 1}),
        journal({"op": "base"}, {"op": "session", "record": session("j2")})
        + b"{garbled\n"
        + json.dumps({"seq": 4, "op": "session", "record": session("j4")}).encode()
        + b"\n",
        "journal line 3",
        "journal",
        {"s1", "j2", "j4"},
    ),
    "5000_digit_number": (
        snapshot({"sessions": [session("s1")]}),
        journal({"op": "session", "record": session("j1")})
        + b'{"seq": 2, "op": "session", "record": {"id": "j2", "start": "'
        + START.encode()
        + b'", "distance": '
        + b"9" * 5000
        + b"}}\n"
        + json.dumps({"seq": 3, "op": "session", "record": session("j3")}).encode()
        + b"\n",
        "journal line 2",
        "journal",
        {"s1", "j1", "j3"},
    ),
    "impossible_record_in_the_journal": (
        snapshot({"sessions": [session("s1")]}),
        journal(
            {"op": "session", "record": session("j1") | {"mood_before": 11}},
            {"op": "session", "record": session("j2")},
        ),
        "j1: mood_before",
        "journal",
        {"s1", "j2"},
    ),
    "journal_truncated_to_0_bytes": (
        snapshot({"sessions": [session("s1")], "journal_seq": 7}),
        b"",
        "journal empty",
        None,
        {"s1"},
    ),
    "journal_behind_the_snapshot": (
        snapshot({"sessions": [session("s1")], "journal_seq": 7}),
        journal({"op": "base"}, {"op": "session", "record": session("j2")}),
        "journal behind the snapshot",
        "journal",
        {"s1"},
    ),
}


@pytest.mark.parametrize(
    ("stored", "lines", "problem", "copied", "kept"),
    list(DAMAGE.values()),
    ids=list(DAMAGE),
)
async def test_damage_is_reported_kept_aside_and_never_compacted_over(  # noqa: PLR0917
    hass: HomeAssistant,
    time_zone: str,
    issue_registry: ir.IssueRegistry,
    stored: bytes,
    lines: bytes,
    problem: str,
    copied: str | None,
    kept: set[str],
) -> None:
    """Each damaged shape: issue raised, bytes kept aside, nothing valid lost."""
    entry = _entry(hass)
    path, journal_path = _path(hass, entry), _journal(hass, entry)
    _write(path, stored)
    _write(journal_path, lines)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert hass.state is CoreState.running
    assert entry.state is ConfigEntryState.LOADED
    assert await _sessions(hass, entry) == kept
    issue = issue_registry.async_get_issue(DOMAIN, f"corrupt_storage_{entry.entry_id}")
    assert issue is not None
    assert issue.is_fixable
    assert issue.is_persistent
    assert issue.translation_key == "corrupt_storage"
    placeholders = issue.translation_placeholders or {}
    assert problem in placeholders["problems"]
    assert placeholders["path"] == str(path)
    # No name: Home Assistant puts repair issues into diagnostics.
    assert "Alex" not in json.dumps(placeholders)
    if copied is None:
        assert placeholders["corrupt_path"] == "-"
    else:
        original = path if copied == "snapshot" else journal_path
        copy = Path(placeholders["corrupt_path"])
        assert copy.parent == original.parent
        assert copy.name.startswith(f"{original.name}.damaged-")
        kept_aside = await hass.async_add_executor_job(copy.read_bytes)
        assert kept_aside == (stored if copied == "snapshot" else lines)

    # Logging goes on; what loaded survives a restart, the issue stays.
    await hass.services.async_call(DOMAIN, "log_run", {"duration": 30}, blocking=True)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert len(await _sessions(hass, entry)) == len(kept) + 1
    assert issue_registry.async_get_issue(DOMAIN, f"corrupt_storage_{entry.entry_id}")


async def test_a_torn_last_line_is_dropped_quietly(
    hass: HomeAssistant, time_zone: str, issue_registry: ir.IssueRegistry
) -> None:
    """A last line without its newline was never acknowledged: no issue, no copy."""
    entry = _entry(hass)
    path, journal_path = _path(hass, entry), _journal(hass, entry)
    _write(path, snapshot({"sessions": [session("s1")], "journal_seq": 1}))
    whole = journal({"op": "base"}, {"op": "session", "record": session("j2")})
    _write(journal_path, whole + b'{"seq": 3, "op": "sess')

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert await _sessions(hass, entry) == {"s1", "j2"}
    assert not issue_registry.async_get_issue(
        DOMAIN, f"corrupt_storage_{entry.entry_id}"
    )
    assert not list(path.parent.glob("*.damaged-*"))


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


async def test_a_newer_major_version_is_left_untouched(
    hass: HomeAssistant, time_zone: str, issue_registry: ir.IssueRegistry
) -> None:
    entry = _entry(hass)
    path, journal_path = _path(hass, entry), _journal(hass, entry)
    content = b'{"version": 2, "minor_version": 1, "key": "k", "data": {}}'
    _write(path, content)
    _write(journal_path, journal({"op": "session", "record": session("j1")}))

    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert hass.state is CoreState.running
    assert entry.state is ConfigEntryState.SETUP_ERROR
    issue = issue_registry.async_get_issue(
        DOMAIN, f"unreadable_storage_{entry.entry_id}"
    )
    assert issue is not None
    # No name: repair issues are part of diagnostics.
    assert issue.translation_placeholders == {"path": str(path)}
    # Neither setup nor shutdown writes over what could not be read.
    await hass.async_stop()
    assert path.read_bytes() == content
    assert journal_path.read_bytes() == journal(
        {"op": "session", "record": session("j1")}
    )
    assert not list(path.parent.glob("*.damaged-*"))


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
