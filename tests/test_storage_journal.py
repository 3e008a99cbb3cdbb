"""The journal: acknowledged means on disk, a failed write keeps nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
import errno
import json
import os
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import ulid as ulid_util
import pytest

from custom_components.run_wellbeing import backup
from custom_components.run_wellbeing.const import DOMAIN, STORAGE_MINOR_VERSION
from custom_components.run_wellbeing.core.models import Activity, Session, Source
from custom_components.run_wellbeing.issues import storage_key, write_issue_id

from .reliability import log_mood, log_run, profile_entry

GOOD_SESSION = {
    "id": "s1",
    "activity": "run",
    "start": "2026-03-16T07:00:00+01:00",
    "duration": 1800.0,
    "distance": 5000.0,
}
REAL_WRITE = os.write


def only_base_line(journal: str) -> bool:
    """Return whether a compacted journal holds just its base line."""
    lines = journal.splitlines()
    return len(lines) == 1 and json.loads(lines[0])["op"] == "base"


class Disk:
    """The journal's disk: writes fail with an OS error while `error` is set."""

    def __init__(self) -> None:
        """Start healthy."""
        self.error: int | None = None
        self.journal_writes = 0

    def write(self, fd: int, data: Any) -> int:
        """Write through, or fail a write of a profile's journal."""
        try:
            target = str(Path(f"/proc/self/fd/{fd}").readlink())
        except OSError:
            target = ""
        if target.endswith(".journal"):
            if self.error is not None:
                raise OSError(self.error, os.strerror(self.error))
            self.journal_writes += 1
        return REAL_WRITE(fd, data)


@pytest.fixture
def disk() -> Iterator[Disk]:
    """Return the disk the journal is written to."""
    disk = Disk()
    with patch("os.write", disk.write):
        yield disk


def paths(hass: HomeAssistant, entry_id: str) -> tuple[Path, Path]:
    """Return the snapshot and the journal of a profile."""
    snapshot = Path(hass.config.path(".storage", storage_key(entry_id)))
    return snapshot, snapshot.with_name(snapshot.name + ".journal")


async def setup(hass: HomeAssistant, entry: Any) -> None:
    """Add and set up a profile; it may fail to load."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def total_runs(hass: HomeAssistant) -> str:
    """Return the total runs sensor's state."""
    state = hass.states.get("sensor.alex_total_runs")
    assert state is not None
    return state.state


async def session_ids(hass: HomeAssistant, entry: Any) -> set[str]:
    """Return the session ids get_sessions lists."""
    response = await hass.services.async_call(
        DOMAIN,
        "get_sessions",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return {session["id"] for session in response["sessions"]}  # type: ignore[union-attr]


async def read(hass: HomeAssistant, path: Path) -> str:
    """Read a file in the executor."""
    return await hass.async_add_executor_job(path.read_text)


async def write(hass: HomeAssistant, path: Path, text: str) -> None:
    """Write a file in the executor."""

    def _write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    await hass.async_add_executor_job(_write)


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS, errno.EACCES])
async def test_a_failed_write_refuses_the_record_and_keeps_nothing(
    hass: HomeAssistant, disk: Disk, time_zone: str, error: int
) -> None:
    """Disk full, read-only or no permission: the action fails, nothing is kept."""
    entry = profile_entry(entry_id="full")
    await setup(hass, entry)
    first = await log_run(hass, entry)

    disk.error = error
    with pytest.raises(HomeAssistantError) as raised:
        await log_run(hass, entry)
    assert raised.value.translation_key == "write_failed"
    assert raised.value.translation_placeholders == {"name": "Alex"}
    with pytest.raises(HomeAssistantError):
        await log_mood(hass, entry, mood=5)
    assert total_runs(hass) == "1"
    assert await session_ids(hass, entry) == {first}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, write_issue_id("full"))
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert "name" not in issue.translation_placeholders  # diagnostics show issues

    disk.error = None
    third = await log_run(hass, entry)
    assert ir.async_get(hass).async_get_issue(DOMAIN, write_issue_id("full")) is None
    assert await session_ids(hass, entry) == {first, third}

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert await session_ids(hass, entry) == {first, third}


async def test_concurrent_records_share_a_write(
    hass: HomeAssistant, disk: Disk, time_zone: str
) -> None:
    """Group commit: records arriving during a write go into the next one."""
    entry = profile_entry(entry_id="busy")
    await setup(hass, entry)
    before = disk.journal_writes
    ids = await asyncio.gather(*(log_run(hass, entry) for _ in range(50)))
    assert len(set(ids)) == 50
    assert disk.journal_writes - before < 50
    assert await session_ids(hass, entry) == set(ids)
    assert total_runs(hass) == "50"


async def test_a_torn_last_line_is_ignored(hass: HomeAssistant, time_zone: str) -> None:
    """A crash mid-append leaves part of a line: it was never acknowledged."""
    _snapshot, journal = paths(hass, "torn")
    good = {"seq": 1, "op": "session", "record": GOOD_SESSION}
    torn = json.dumps(
        {"seq": 2, "op": "session", "record": GOOD_SESSION | {"id": "s2"}}
    )
    await write(hass, journal, json.dumps(good) + "\n" + torn[:30])
    entry = profile_entry(entry_id="torn")
    await setup(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert await session_ids(hass, entry) == {"s1"}

    # Appending after the cut does not glue a record onto the torn bytes.
    run = await log_run(hass, entry)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert await session_ids(hass, entry) == {"s1", run}


async def test_a_damaged_journal_is_kept_and_reported(
    hass: HomeAssistant, time_zone: str
) -> None:
    """A damaged line in the middle: reported, its bytes kept, the rest loads."""
    _snapshot, journal = paths(hass, "damaged")
    good = json.dumps({"seq": 2, "op": "session", "record": GOOD_SESSION})
    content = "{not json\n" + good + "\n"
    await write(hass, journal, content)
    entry = profile_entry(entry_id="damaged")
    await setup(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert await session_ids(hass, entry) == {"s1"}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "corrupt_storage_damaged")
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert "journal line 1" in issue.translation_placeholders["problems"]
    copy = Path(issue.translation_placeholders["corrupt_path"])
    assert copy.name.startswith(journal.name + ".damaged-")
    assert await read(hass, copy) == content


async def test_lines_already_in_the_snapshot_are_not_applied_twice(
    hass: HomeAssistant, time_zone: str
) -> None:
    """A crash between writing the snapshot and emptying the journal."""
    snapshot, journal = paths(hass, "twice")
    data = {
        "sessions": [GOOD_SESSION],
        "goal_changes": [{"effective": GOOD_SESSION["start"], "goal": 3}],
        "journal_seq": 2,
    }
    stored = {"version": 1, "minor_version": 2, "key": storage_key("twice")}
    await write(hass, snapshot, json.dumps(stored | {"data": data}))
    lines = [
        {"seq": 1, "op": "session", "record": GOOD_SESSION},
        {"seq": 2, "op": "delete", "id": "s1"},
    ]
    await write(hass, journal, "".join(json.dumps(line) + "\n" for line in lines))
    entry = profile_entry(entry_id="twice")
    await setup(hass, entry)
    assert await session_ids(hass, entry) == {"s1"}


async def test_a_file_of_version_1_1_loads_and_is_migrated(
    hass: HomeAssistant, time_zone: str
) -> None:
    """Existing users' files load; the next compaction writes the new version."""
    snapshot, journal = paths(hass, "old")
    old = {
        "version": 1,
        "minor_version": 1,
        "key": storage_key("old"),
        "data": {"sessions": [GOOD_SESSION]},
    }
    await write(hass, snapshot, json.dumps(old))
    entry = profile_entry(entry_id="old")
    await setup(hass, entry)
    run = await log_run(hass, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)

    stored = json.loads(await read(hass, snapshot))
    assert stored["minor_version"] == STORAGE_MINOR_VERSION
    assert {s["id"] for s in stored["data"]["sessions"]} == {"s1", run}
    assert only_base_line(await read(hass, journal))


async def test_unknown_fields_of_a_newer_version_survive_a_rewrite(
    hass: HomeAssistant, time_zone: str
) -> None:
    """Top-level and per-record fields this version does not know are kept."""
    snapshot, _journal = paths(hass, "newer")
    newer = {
        "version": 1,
        "minor_version": 99,
        "key": storage_key("newer"),
        "data": {
            "sessions": [GOOD_SESSION | {"heart_rate": 151}],
            "moods": [
                {"id": "m1", "time": GOOD_SESSION["start"], "mood": 6, "tag": "x"}
            ],
            "plans": [
                {"id": "p1", "start": "2026-03-20T07:00:00+01:00", "place": "park"}
            ],
            "new_kind": [{"id": "n1"}],
        },
    }
    await write(hass, snapshot, json.dumps(newer))
    entry = profile_entry(entry_id="newer")
    await setup(hass, entry)
    await log_run(hass, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)

    data = json.loads(await read(hass, snapshot))["data"]
    assert data["new_kind"] == [{"id": "n1"}]
    session = next(s for s in data["sessions"] if s["id"] == "s1")
    assert session["heart_rate"] == 151
    assert data["moods"][0]["tag"] == "x"
    assert data["plans"][0]["place"] == "park"


@pytest.mark.parametrize(
    ("data", "record", "field"),
    [
        (
            {"sessions": [GOOD_SESSION | {"start": "9999-06-01T07:00:00+00:00"}]},
            "s1",
            "start",
        ),
        (
            {"sessions": [GOOD_SESSION | {"start": "1969-06-01T07:00:00+00:00"}]},
            "s1",
            "start",
        ),
        ({"sessions": [GOOD_SESSION | {"duration": "abc"}]}, "s1", "duration"),
        ({"sessions": [GOOD_SESSION | {"mood_before": 11}]}, "s1", "mood_before"),
        (
            {"goal_changes": [{"effective": GOOD_SESSION["start"], "goal": 0}]},
            "goal_changes[0]",
            "goal",
        ),
        (
            {
                "plans": [
                    {"id": "p1", "start": GOOD_SESSION["start"], "duration": "abc"}
                ]
            },
            "p1",
            "duration",
        ),
        (
            {"plans": [{"id": "p1", "start": "9999-12-31T23:50:00+00:00"}]},
            "p1",
            "start",
        ),
        (
            {
                "schedule_changes": [
                    {
                        "effective": GOOD_SESSION["start"],
                        "days": ["monday"],
                        "at": "07:00:00",
                        "duration": 1800,
                    }
                ]
            },
            "schedule_changes[0]",
            "days",
        ),
        (
            {"moods": [{"id": "m1", "time": GOOD_SESSION["start"], "mood": 0}]},
            "m1",
            "mood",
        ),
    ],
)
async def test_impossible_values_are_set_aside_and_named(
    hass: HomeAssistant,
    time_zone: str,
    data: dict[str, Any],
    record: str,
    field: str,
) -> None:
    """One impossible record never takes the profile offline: it is set aside."""
    snapshot, _journal = paths(hass, "bad")
    data = data | {"sessions": [*data.get("sessions", []), GOOD_SESSION | {"id": "ok"}]}
    content = json.dumps(
        {"version": 1, "minor_version": 2, "key": storage_key("bad"), "data": data}
    )
    await write(hass, snapshot, content)
    entry = profile_entry(entry_id="bad")
    await setup(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert "ok" in await session_ids(hass, entry)
    assert record not in await session_ids(hass, entry)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "corrupt_storage_bad")
    assert issue is not None
    assert issue.translation_key == "corrupt_storage"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["problems"] == f"{record}: {field}"
    assert "Alex" not in str(issue.translation_placeholders)
    copy = Path(issue.translation_placeholders["corrupt_path"])
    assert await read(hass, copy) == content


async def test_a_far_future_plan_is_refused_and_nothing_breaks(
    hass: HomeAssistant, time_zone: str
) -> None:
    """The 9999 plan never reaches storage; logging and a restart keep working."""
    entry = profile_entry(entry_id="future")
    await setup(hass, entry)
    for start in ("9999-12-31T23:50:00+00:00", "2101-01-02T07:00:00+00:00"):
        with pytest.raises(ServiceValidationError) as raised:
            await hass.services.async_call(
                DOMAIN,
                "plan_run",
                {"config_entry_id": entry.entry_id, "start": start},
                blocking=True,
            )
        # The action names the field and the range (the coordinator refuses too).
        assert raised.value.translation_key == "invalid_start"
    assert entry.runtime_data.history.plans == {}
    run = await log_run(hass, entry)
    await log_mood(hass, entry, mood=6)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert await session_ids(hass, entry) == {run}


async def test_bulk_add_is_one_write_and_all_or_nothing(
    hass: HomeAssistant, disk: Disk, time_zone: str
) -> None:
    """An import's sessions land together in one write, or not at all."""
    entry = profile_entry(entry_id="bulk")
    await setup(hass, entry)
    coordinator = entry.runtime_data
    sessions = [
        Session(
            id=ulid_util.ulid_now(),
            start=coordinator.data.week_start.replace(hour=7 + index),
            activity=Activity.RUN,
            distance=5000.0,
            source=Source.IMPORT,
        )
        for index in range(3)
    ]
    bad = Session(
        id=ulid_util.ulid_now(),
        start=sessions[0].start.replace(year=1960),
        source=Source.IMPORT,
    )
    with pytest.raises(ServiceValidationError):
        await coordinator.async_add_sessions([*sessions, bad])
    assert total_runs(hass) == "0"

    before = disk.journal_writes
    await coordinator.async_add_sessions(sessions)
    assert disk.journal_writes - before == 1
    assert total_runs(hass) == "3"
    assert await session_ids(hass, entry) == {s.id for s in sessions}

    disk.error = errno.ENOSPC
    with pytest.raises(HomeAssistantError):
        await coordinator.async_add_sessions(
            [Session(id=ulid_util.ulid_now(), start=sessions[0].start)]
        )
    assert total_runs(hass) == "3"


async def test_removing_the_profile_removes_both_files(
    hass: HomeAssistant, time_zone: str
) -> None:
    """The snapshot and the journal go with the profile."""
    entry = profile_entry(entry_id="gone")
    await setup(hass, entry)
    await log_run(hass, entry)
    snapshot, journal = paths(hass, "gone")
    assert await hass.async_add_executor_job(journal.exists)
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert not await hass.async_add_executor_job(snapshot.exists)
    assert not await hass.async_add_executor_job(journal.exists)


async def test_a_backup_holds_every_acknowledged_record(
    hass: HomeAssistant, time_zone: str
) -> None:
    """The backup platform compacts each profile into its snapshot first."""
    entry = profile_entry(entry_id="backup")
    await setup(hass, entry)
    runs = {await log_run(hass, entry) for _ in range(3)}
    mood = await log_mood(hass, entry, mood=7)
    snapshot, journal = paths(hass, "backup")

    await backup.async_pre_backup(hass)
    stored = json.loads(await read(hass, snapshot))["data"]
    assert {s["id"] for s in stored["sessions"]} == runs
    assert {m["id"] for m in stored["moods"]} == {mood}
    assert only_base_line(await read(hass, journal))
    await backup.async_post_backup(hass)
    # Logging goes on after the backup.
    assert await log_run(hass, entry)


async def test_a_poisoned_import_fails_alone_among_50_runs(
    hass: HomeAssistant, time_zone: str
) -> None:
    """A record that cannot be written fails its own call; the batch goes on."""
    entry = profile_entry(entry_id="poison")
    await setup(hass, entry)
    poisoned = {
        "format": "run_wellbeing",
        "sessions": [GOOD_SESSION | {"id": "p1", "x": 10**30}],
    }
    await write(hass, Path(hass.config.path("poison.json")), json.dumps(poisoned))

    async def import_poison() -> None:
        await hass.services.async_call(
            DOMAIN,
            "import_history",
            {"config_entry_id": entry.entry_id, "path": "poison.json"},
            blocking=True,
        )

    results = await asyncio.gather(
        *(log_run(hass, entry) for _ in range(25)),
        import_poison(),
        *(log_run(hass, entry) for _ in range(25)),
        return_exceptions=True,
    )
    refused = results.pop(25)
    assert isinstance(refused, ServiceValidationError)
    assert refused.translation_key == "unwritable_record"
    assert all(isinstance(result, str) for result in results)
    assert len(set(results)) == 50
    assert total_runs(hass) == "50"

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert await session_ids(hass, entry) == set(results)
