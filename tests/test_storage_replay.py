"""Replay: every change kind the journal holds comes back after a restart."""

from __future__ import annotations

from datetime import time
import json
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.run_wellbeing.const import DOMAIN
from custom_components.run_wellbeing.core.models import History
from custom_components.run_wellbeing.storage.store import read_files

from .reliability import profile_entry, snapshot_path

START = "2026-03-16T07:00:00+01:00"


def session(record_id: str, **fields: Any) -> dict[str, Any]:
    """Return a stored session."""
    return {"id": record_id, "activity": "run", "start": START} | fields


JOURNAL: list[dict[str, Any]] = [
    {"op": "session", "record": session("s1", distance=5000.0)},
    {"op": "session", "record": session("s2")},
    {"op": "session", "record": session("gone")},
    {"op": "mood", "record": {"id": "m1", "time": START, "mood": 6}},
    {"op": "mood", "record": {"id": "undone", "time": START, "mood": 2}},
    {"op": "plan", "record": {"id": "p1", "start": "2099-01-01T07:00:00+00:00"}},
    {"op": "plan", "record": {"id": "p2", "start": "2099-01-02T07:00:00+00:00"}},
    # An edit is the record again with its id.
    {"op": "session", "record": session("s1", distance=7000.0, effort=6)},
    {"op": "mood", "record": {"id": "m1", "time": START, "mood": 8}},
    # Delete, undo (a delete of the last record) and a cancelled plan.
    {"op": "delete", "id": "gone"},
    {"op": "delete", "id": "undone"},
    {"op": "delete", "id": "p2"},
    {"op": "goal", "record": {"effective": START, "goal": 5}},
    {
        "op": "schedule",
        "record": {
            "effective": START,
            "days": ["mon", "thu"],
            "at": "07:30:00",
            "duration": 2400,
        },
    },
    {"op": "week", "week": "2026-03-16"},
    {"op": "sleep", "nights": {"2026-03-15": 7.5, "2026-03-16": 6}},
    {
        "op": "records",
        "sessions": [session("i1", source="import")],
        "moods": [{"id": "im1", "time": START, "mood": 4}],
        "plans": [{"id": "ip1", "start": "2099-02-01T07:00:00+00:00"}],
    },
    {"op": "sessions", "records": [session("old-bulk")]},
    {"op": "from-a-newer-version", "whatever": 1},
]


def check(history: History) -> None:
    """Assert the history the journal above describes."""
    assert set(history.sessions) == {"s1", "s2", "i1", "old-bulk"}
    assert history.sessions["s1"].distance == 7000.0
    assert history.sessions["s1"].effort == 6
    assert set(history.moods) == {"m1", "im1"}
    assert history.moods["m1"].mood == 8
    assert set(history.plans) == {"p1", "ip1"}
    # The profile's options may add a change of their own after these.
    assert 5 in [change.goal for change in history.goal_changes]
    assert any(
        change.days == ("mon", "thu") and change.at == time(7, 30)
        for change in history.schedule_changes
    )
    assert "2026-03-16" in history.goal_reached_weeks
    assert history.sleep_nights == {"2026-03-15": 7.5, "2026-03-16": 6.0}


@pytest.mark.parametrize("twice", [False, True], ids=["once", "lines_replayed_twice"])
async def test_every_change_kind_is_replayed(
    hass: HomeAssistant, time_zone: str, twice: bool
) -> None:
    """Written as the journal, read back as the history; a line seen twice is harmless."""
    path = snapshot_path(hass, "replay")
    journal = path.with_name(path.name + ".journal")
    lines = [{"seq": number} | op for number, op in enumerate(JOURNAL, start=1)]
    if twice:  # a crash between the snapshot and the journal's reset
        lines += lines

    def write() -> None:
        journal.parent.mkdir(parents=True, exist_ok=True)
        journal.write_text("".join(json.dumps(line) + "\n" for line in lines))

    await hass.async_add_executor_job(write)
    history, damage = await hass.async_add_executor_job(read_files, str(path))
    assert not damage
    check(history)

    entry = profile_entry(entry_id="replay")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    check(entry.runtime_data.history)
    assert not ir.async_get(hass).async_get_issue(DOMAIN, "corrupt_storage_replay")

    # Compacted into the snapshot, the same history loads again.
    assert await hass.config_entries.async_unload(entry.entry_id)
    history, damage = await hass.async_add_executor_job(read_files, str(path))
    assert not damage
    check(history)
    assert await hass.async_add_executor_job(Path(path).exists)
