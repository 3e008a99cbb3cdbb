"""Faults on disk: a corrupt file, a newer file, a full disk. Nothing is lost."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
import errno
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import DOMAIN as HOMEASSISTANT_DOMAIN, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util.file import WriteError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.run_wellbeing.const import DOMAIN
from custom_components.run_wellbeing.storage.store import storage_key

from .reliability import (
    REAL_ATOMIC_WRITE,
    log_run,
    profile_entry,
    real_store_methods,
    stored_ids,
)


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """Give each test its own configuration directory on disk."""
    return hass_tmp_config_dir


@pytest.fixture
def real_storage(hass_storage: dict[str, Any]) -> Iterator[None]:
    """Read and write the profile files on disk, as a real installation does."""
    with real_store_methods():
        yield


class Disk:
    """A disk that can fill up: writes fail with ENOSPC while `full`."""

    def __init__(self) -> None:
        """Start with free space."""
        self.full = False
        self.failed_writes = 0

    def write(self, filename: str, *args: Any, **kwargs: Any) -> None:
        """Write through, or fail a profile's file as a full disk does."""
        # Other stores (auth, registries) write through: only ours are counted.
        if self.full and f"{DOMAIN}." in filename:
            self.failed_writes += 1
            raise WriteError(OSError(errno.ENOSPC, "No space left on device"))
        REAL_ATOMIC_WRITE(filename, *args, **kwargs)


@pytest.fixture
def disk(real_storage: None) -> Iterator[Disk]:
    """Return the disk the profile files are written to."""
    disk = Disk()
    with patch("homeassistant.helpers.storage.write_utf8_file_atomic", disk.write):
        yield disk


def profile_path(hass: HomeAssistant, entry_id: str) -> Path:
    """Return the file of a profile."""
    return Path(hass.config.path(".storage", storage_key(entry_id)))


def on_disk(hass: HomeAssistant, entry_id: str) -> dict[str, Any] | None:
    """Return the stored file of a profile, or None when there is none."""
    path = profile_path(hass, entry_id)
    return json.loads(path.read_text()) if path.exists() else None


async def setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add and set up a profile; it may fail to load."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def let_saves_run(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float = 2
) -> None:
    """Let the debounced (or retried) write happen."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def total_runs(hass: HomeAssistant) -> str:
    """Return what the profile's total runs sensor shows."""
    state = hass.states.get("sensor.alex_total_runs")
    assert state is not None
    return state.state


async def test_corrupt_file_keeps_its_bytes_and_raises_a_repair_issue(
    hass: HomeAssistant, real_storage: None, time_zone: str
) -> None:
    """A truncated file never stops Home Assistant; the user is told and can restore it."""
    garbage = b'{"version": 1, "minor_version": 1, "data": {"sessions": [{"id": '
    path = profile_path(hass, "corrupt")
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(garbage)

    entry = profile_entry(entry_id="corrupt")
    await setup(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    kept = list(path.parent.glob(f"{path.name}.corrupt.*"))
    assert [file.read_bytes() for file in kept] == [garbage]
    # Home Assistant's own issue, or ours in its place, points at the kept bytes.
    issues = [
        (domain, issue.translation_key)
        for (domain, _), issue in ir.async_get(hass).issues.items()
        if (issue.translation_placeholders or {}).get("corrupt_path") == str(kept[0])
    ]
    assert len(issues) == 1
    assert issues[0][0] in {HOMEASSISTANT_DOMAIN, DOMAIN}

    # Logging goes on in a fresh file; the damaged one stays for a restore.
    run = await log_run(hass, entry)
    await hass.config_entries.async_unload(entry.entry_id)
    assert stored_ids(on_disk(hass, "corrupt")) == {run}
    assert kept[0].read_bytes() == garbage


GOOD_SESSION = {"id": "s1", "start": "2026-03-02T07:00:00+01:00", "activity": "run"}


@pytest.mark.parametrize(
    ("version", "data"),
    [
        pytest.param(2, {"sessions": [GOOD_SESSION]}, id="newer_schema"),
        pytest.param(1, {"sessions": [GOOD_SESSION | {"start": "soon"}]}, id="date"),
        pytest.param(
            1,
            {"sessions": [GOOD_SESSION | {"start": "2026-03-02T07:00:00"}]},
            id="naive_date",
        ),
        pytest.param(
            1, {"sessions": [GOOD_SESSION | {"activity": "flying"}]}, id="activity"
        ),
        pytest.param(1, {"sessions": [{"start": GOOD_SESSION["start"]}]}, id="no_id"),
        pytest.param(1, {"sessions": "run"}, id="sessions_text"),
        pytest.param(1, ["sessions"], id="data_list"),
        pytest.param(
            1,
            {
                "moods": [
                    {"id": "m", "time": "2026-03-02T07:00:00+01:00", "mood": "happy"}
                ]
            },
            id="mood_text",
        ),
        pytest.param(
            1, {"sessions": [GOOD_SESSION | {"distance": "far"}]}, id="distance_text"
        ),
        pytest.param(1, {"goal_changes": [{"goal": 3}]}, id="goal_change"),
        pytest.param(1, {"sessions": [GOOD_SESSION | {"id": 7}]}, id="id_number"),
        pytest.param(1, {"sessions": [GOOD_SESSION | {"effort": True}]}, id="bool"),
        pytest.param(1, {"sessions": [GOOD_SESSION | {"note": 5}]}, id="note"),
        pytest.param(
            1,
            {"moods": [{"id": "m", "time": GOOD_SESSION["start"], "mood": None}]},
            id="mood_null",
        ),
        pytest.param(
            1, {"sessions": [GOOD_SESSION | {"source": "telepathy"}]}, id="source"
        ),
        pytest.param(1, {"plans": [{"id": "p"}]}, id="plan"),
        pytest.param(
            1,
            {"schedule_changes": [{"effective": GOOD_SESSION["start"], "days": []}]},
            id="schedule",
        ),
    ],
)
async def test_unreadable_file_is_left_untouched(
    hass: HomeAssistant, real_storage: None, time_zone: str, version: int, data: Any
) -> None:
    """A file we cannot read is never overwritten; the user gets a repair issue."""
    content = json.dumps(
        {
            "version": version,
            "minor_version": 1,
            "key": storage_key("unreadable"),
            "data": data,
        }
    )
    path = profile_path(hass, "unreadable")
    path.parent.mkdir(exist_ok=True)
    path.write_text(content)
    entry = profile_entry(entry_id="unreadable")
    other = profile_entry("Sam", entry_id="other")

    await setup(hass, entry)
    await setup(hass, other)

    assert entry.state is ConfigEntryState.SETUP_ERROR
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "unreadable_storage_unreadable")
    assert issue is not None
    placeholders = dict(issue.translation_placeholders or {})
    # No name: repair issues are part of diagnostics.
    assert "name" not in placeholders
    assert placeholders.pop("path") == str(path)
    # An impossible value is named by its record and field.
    assert set(placeholders) <= {"record", "field"}
    # Home Assistant and the other profile go on.
    run = await log_run(hass, other)
    assert hass.states.get("sensor.sam_total_runs").state == "1"  # type: ignore[union-attr]

    # A retry and a shutdown leave the file as it was.
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_stop()
    assert path.read_text() == content
    assert stored_ids(on_disk(hass, "other")) == {run}


async def test_file_from_a_newer_minor_version_loads(
    hass: HomeAssistant, real_storage: None, time_zone: str
) -> None:
    """A newer minor version only adds what older code may ignore: it loads."""
    path = profile_path(hass, "minor")
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "minor_version": 99,
                "key": storage_key("minor"),
                "data": {"sessions": [GOOD_SESSION], "new_kind": []},
            }
        )
    )
    entry = profile_entry(entry_id="minor")
    await setup(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert set(entry.runtime_data.history.sessions) == {"s1"}
    assert total_runs(hass) == "1"
