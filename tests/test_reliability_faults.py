"""Faults on disk: a corrupt file, impossible records, a full disk. Nothing is lost."""

from __future__ import annotations

from collections.abc import Iterator
import errno
import json
import os
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.const import DOMAIN
from custom_components.run_wellbeing.issues import storage_key, write_issue_id
from custom_components.run_wellbeing.storage import journal as journal_module, store

from .reliability import (
    log_mood,
    log_run,
    on_disk,
    profile_entry,
    snapshot_path,
    stored_ids,
)

REAL_WRITE = os.write


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """Give each test its own configuration directory on disk."""
    return hass_tmp_config_dir


class FullDisk:
    """`os.write` that fails with ENOSPC for the files named while `full`."""

    def __init__(self) -> None:
        """Start with room on the disk."""
        self.full: tuple[str, ...] = ()

    def write(self, fd: int, data: Any) -> int:
        """Write through, or fail as a full disk does."""
        if self.full:
            try:
                target = str(Path(f"/proc/self/fd/{fd}").readlink())
            except OSError:
                target = ""
            if any(part in target for part in self.full):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return REAL_WRITE(fd, data)


@pytest.fixture
def disk() -> Iterator[FullDisk]:
    """Return the disk the profile files are written to."""
    disk = FullDisk()
    with patch("os.write", disk.write):
        yield disk


async def setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add and set up a profile; it may fail to load."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def total_runs(hass: HomeAssistant) -> str:
    """Return what the profile's total runs sensor shows."""
    state = hass.states.get("sensor.alex_total_runs")
    assert state is not None
    return state.state


async def write(hass: HomeAssistant, path: Path, content: str) -> None:
    """Write a file in the executor."""

    def _write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)

    await hass.async_add_executor_job(_write)


GOOD_SESSION = {"id": "s1", "start": "2026-03-02T07:00:00+01:00", "activity": "run"}
KEPT = {"id": "kept", "start": "2026-03-03T07:00:00+01:00", "activity": "run"}


@pytest.mark.parametrize(
    ("data", "named"),
    [
        pytest.param(
            {"sessions": [GOOD_SESSION | {"start": "soon"}]}, "s1: start", id="date"
        ),
        pytest.param(
            {"sessions": [GOOD_SESSION | {"start": "2026-03-02T07:00:00"}]},
            "s1: start",
            id="naive_date",
        ),
        pytest.param(
            {"sessions": [GOOD_SESSION | {"activity": "flying"}]},
            "s1: activity",
            id="activity",
        ),
        pytest.param(
            {"sessions": [{"start": GOOD_SESSION["start"]}]},
            "sessions[0]: id",
            id="no_id",
        ),
        pytest.param(
            {
                "moods": [
                    {"id": "m", "time": "2026-03-02T07:00:00+01:00", "mood": "happy"}
                ]
            },
            "m: mood",
            id="mood_text",
        ),
        pytest.param(
            {"sessions": [GOOD_SESSION | {"distance": "far"}]},
            "s1: distance",
            id="distance_text",
        ),
        pytest.param(
            {"goal_changes": [{"goal": 3}]},
            "goal_changes[0]: effective",
            id="goal_change",
        ),
        pytest.param(
            {"sessions": [GOOD_SESSION | {"id": 7}]}, "sessions[0]", id="id_number"
        ),
        pytest.param(
            {"sessions": [GOOD_SESSION | {"effort": True}]}, "s1: effort", id="bool"
        ),
        pytest.param({"sessions": [GOOD_SESSION | {"note": 5}]}, "s1: note", id="note"),
        pytest.param(
            {"sessions": [GOOD_SESSION | {"source": "telepathy"}]},
            "s1: source",
            id="source",
        ),
        pytest.param({"plans": [{"id": "p"}]}, "p: start", id="plan"),
        pytest.param(
            {"schedule_changes": [{"effective": GOOD_SESSION["start"], "days": []}]},
            "schedule_changes[0]",
            id="schedule",
        ),
    ],
)
async def test_an_impossible_record_is_set_aside_and_the_rest_loads(
    hass: HomeAssistant, time_zone: str, data: dict[str, Any], named: str
) -> None:
    """One impossible record never takes the profile offline."""
    data = data | {"sessions": [*data.get("sessions", []), KEPT]}
    content = json.dumps(
        {"version": 1, "minor_version": 2, "key": storage_key("odd"), "data": data}
    )
    path = snapshot_path(hass, "odd")
    await write(hass, path, content)
    entry = profile_entry(entry_id="odd")
    await setup(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert set(entry.runtime_data.history.sessions) == {"kept"}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "corrupt_storage_odd")
    assert issue is not None
    placeholders = issue.translation_placeholders or {}
    assert named in placeholders["problems"]
    copy = Path(placeholders["corrupt_path"])
    assert await hass.async_add_executor_job(copy.read_text) == content


async def test_file_from_a_newer_minor_version_loads(
    hass: HomeAssistant, time_zone: str
) -> None:
    """A newer minor version only adds what older code may ignore: it loads."""
    path = snapshot_path(hass, "minor")
    await write(
        hass,
        path,
        json.dumps(
            {
                "version": 1,
                "minor_version": 99,
                "key": storage_key("minor"),
                "data": {"sessions": [GOOD_SESSION], "new_kind": [{"id": "n"}]},
            }
        ),
    )
    entry = profile_entry(entry_id="minor")
    await setup(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert set(entry.runtime_data.history.sessions) == {"s1"}
    assert total_runs(hass) == "1"
    assert not ir.async_get(hass).async_get_issue(DOMAIN, "corrupt_storage_minor")
    await hass.config_entries.async_unload(entry.entry_id)
    assert (await on_disk(hass, entry))["data"]["new_kind"] == [{"id": "n"}]


async def test_a_full_disk_fails_the_action_and_keeps_nothing(
    hass: HomeAssistant, disk: FullDisk, time_zone: str
) -> None:
    """ENOSPC from the journal write: translated `write_failed`, nothing kept."""
    entry = profile_entry(entry_id="full")
    await setup(hass, entry)
    first = await log_run(hass, entry)

    disk.full = (".journal",)
    with pytest.raises(HomeAssistantError) as raised:
        await log_run(hass, entry)
    assert raised.value.translation_key == "write_failed"
    with pytest.raises(HomeAssistantError):
        await log_mood(hass, entry, mood=4)
    assert set(entry.runtime_data.history.sessions) == {first}
    assert entry.runtime_data.history.moods == {}
    assert total_runs(hass) == "1"
    assert ir.async_get(hass).async_get_issue(DOMAIN, write_issue_id("full"))

    disk.full = ()
    await hass.config_entries.async_unload(entry.entry_id)
    assert stored_ids(await on_disk(hass, entry)) == {first}
    assert stored_ids(await on_disk(hass, entry), "moods") == set()


async def test_a_failed_snapshot_write_loses_nothing(
    hass: HomeAssistant, disk: FullDisk, time_zone: str
) -> None:
    """Compaction cannot write the snapshot: the journal still holds everything."""
    entry = profile_entry(entry_id="snap")
    await setup(hass, entry)
    runs = {await log_run(hass, entry) for _ in range(3)}
    mood = await log_mood(hass, entry, mood=7)
    before = await on_disk(hass, entry)

    disk.full = (".tmp-",)  # the snapshot's temporary file
    await entry.runtime_data.async_flush()
    issue = ir.async_get(hass).async_get_issue(DOMAIN, write_issue_id("snap"))
    assert issue is not None
    assert issue.translation_placeholders == {"path": str(snapshot_path(hass, "snap"))}
    # The old snapshot is untouched, no temporary file is left behind.
    assert await on_disk(hass, entry) == before
    leftovers = await hass.async_add_executor_job(
        lambda: list(snapshot_path(hass, "snap").parent.glob("*.tmp-*"))
    )
    assert leftovers == []

    # A crash now (no further write) and a restart: everything is there.
    disk.full = ()
    await hass.config_entries.async_unload(entry.entry_id)
    new = profile_entry(entry_id="snap2")
    del new
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert set(entry.runtime_data.history.sessions) == runs
    assert set(entry.runtime_data.history.moods) == {mood}
    # The next successful write clears the issue.
    await log_run(hass, entry)
    await entry.runtime_data.async_flush()
    assert not ir.async_get(hass).async_get_issue(DOMAIN, write_issue_id("snap"))


async def test_the_journal_is_compacted_at_its_size_threshold(
    hass: HomeAssistant, time_zone: str
) -> None:
    """Past `COMPACT_BYTES` the snapshot takes the journal in; below it, not."""
    entry = profile_entry(entry_id="grow")
    await setup(hass, entry)
    journal = snapshot_path(hass, "grow").with_name(f"{storage_key('grow')}.journal")
    size = (await hass.async_add_executor_job(journal.stat)).st_size
    runs: list[str] = []
    with patch.object(store, "COMPACT_BYTES", size + 400):
        # Each run's line is some 250 bytes: the second one crosses 400.
        for _ in range(2):
            assert stored_ids(await on_disk(hass, entry)) == set()
            runs.append(await log_run(hass, entry))
            await hass.async_block_till_done()
    assert stored_ids(await on_disk(hass, entry)) == set(runs)
    lines = (await hass.async_add_executor_job(journal.read_text)).splitlines()
    assert [json.loads(line)["op"] for line in lines] == [journal_module.BASE_OP]
