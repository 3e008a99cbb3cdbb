"""The repository on its own: plain Python and asyncio, no Home Assistant."""
# ruff: noqa: ASYNC240 - the tests write and list small files of their own folder

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.run_wellbeing.storage import journal
from custom_components.run_wellbeing.storage.journal import UnwritableRecordError
from custom_components.run_wellbeing.storage.store import (
    Damage,
    ProfileStore,
    UnsupportedVersionError,
    read_files,
    remove_files,
)

START = "2026-03-16T07:00:00+01:00"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return an empty folder for the profile's files."""
    path = tmp_path / "files"
    path.mkdir()
    return path


async def in_thread(function: Callable[..., Any], *args: Any) -> Any:
    """Run blocking work in a thread, as the executor does."""
    return await asyncio.to_thread(function, *args)


def spawn(coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    """Start a task."""
    return asyncio.get_running_loop().create_task(coro, name=name)


def repository(path: Path, failures: list[str] | None = None) -> ProfileStore:
    """Return a repository of the files at `path`."""
    return ProfileStore(
        str(path),
        key="k",
        executor=in_thread,
        spawn=spawn,
        on_write_failed=lambda err, where: (
            failures.append(where) if failures is not None else None
        ),
    )


@pytest.mark.parametrize(
    "op",
    [
        {"op": "session", "record": {"x": 10**30}},
        {"op": "session", "record": {"x": float("nan")}},
        {"op": "session", "record": {"x": [float("inf")]}},
        {"op": "session", "record": {1: "a"}},
        {"op": "session", "record": {"x": object()}},
        {},
    ],
    ids=["big_int", "nan", "inf", "int_key", "object", "empty"],
)
def test_a_change_json_cannot_carry_is_refused(op: dict[str, Any]) -> None:
    with pytest.raises(UnwritableRecordError) as raised:
        journal.encode(op)
    assert isinstance(raised.value, ValueError)
    assert raised.value.translation_key == "unwritable_record"


def test_deep_nesting_is_refused() -> None:
    deep: Any = "x"
    for _ in range(journal.MAX_DEPTH + 2):
        deep = [deep]
    with pytest.raises(UnwritableRecordError):
        journal.encode({"op": "x", "v": deep})


def test_damage_names_the_first_problems_only() -> None:
    damage = Damage(problems=[f"r{n}: start" for n in range(13)])
    assert damage
    assert damage.describe().endswith("r9: start; and 3 more")
    assert not Damage()


async def test_odd_journal_lines_and_snapshot_fields_are_damage(
    folder: Path,
) -> None:
    path = folder / "p"
    path.write_text(
        json.dumps({"version": 1, "minor_version": "x", "data": {"journal_seq": -1}})
    )
    Path(f"{path}.journal").write_text(
        '{"seq": "1", "op": "session"}\n'
        '{"seq": 2}\n'
        + json.dumps({"seq": 3, "op": "session", "record": {"id": "s", "start": START}})
        + "\n\0\0\n"
    )
    history, damage = await in_thread(read_files, str(path))
    assert set(history.sessions) == {"s"}
    assert damage.problems == ["journal_seq", "journal line 1", "journal line 2"]
    # Reading only: no copy was made.
    assert sorted(p.name for p in folder.iterdir()) == ["p", "p.journal"]


async def test_a_newer_major_version_is_refused(folder: Path) -> None:
    path = folder / "p"
    path.write_text('{"version": 2, "data": {}}')
    with pytest.raises(UnsupportedVersionError):
        await in_thread(read_files, str(path))


async def test_impossible_sleep_and_unknown_ops_in_the_journal(folder: Path) -> None:
    path = folder / "p"
    lines = [
        {"seq": 1, "op": "sleep", "nights": {"2026-03-01": 30}},
        {"seq": 2, "op": "sleep", "nights": {"2026-03-02": 7}},
        {"seq": 3, "op": "a-newer-one"},
    ]
    Path(f"{path}.journal").write_text("".join(json.dumps(x) + "\n" for x in lines))
    history, damage = await in_thread(read_files, str(path))
    assert history.sleep_nights == {"2026-03-02": 7.0}
    assert damage.problems == ["journal seq 1"]


async def test_writes_after_close_fail_and_apply_errors_stay_with_their_call(
    folder: Path,
) -> None:
    failures: list[str] = []
    store = repository(folder / "p", failures)
    await store.async_load_history()

    def broken() -> None:
        raise RuntimeError

    applied: list[int] = []
    first = store.async_append({"op": "week", "week": "2026-03-16"}, broken)
    second = store.async_append(
        {"op": "week", "week": "2026-03-23"}, lambda: applied.append(1)
    )
    with pytest.raises(RuntimeError):
        await first
    await second
    assert applied == [1]

    await store.async_close()
    with pytest.raises(OSError, match="unloaded"):
        await store.async_append({"op": "week", "week": "2026-03-30"})
    assert failures == [store.journal_path]
    assert store.write_error is not None
    assert not await store.async_compact()

    await in_thread(remove_files, store.path)
    assert await in_thread(lambda: list(folder.iterdir())) == []


async def test_a_removed_profile_writes_nothing(folder: Path) -> None:
    store = repository(folder / "p")
    await store.async_load_history()
    store.cancel_writes()
    with pytest.raises(OSError, match="unloaded"):
        await store.async_append({"op": "week", "week": "2026-03-16"})
    await store.async_remove_files()
    assert await in_thread(lambda: list(folder.iterdir())) == []


async def test_a_failed_atomic_write_leaves_no_temporary_file(folder: Path) -> None:
    target = folder / "folder-as-target"
    target.mkdir()
    (target / "inside").write_text("x")
    with pytest.raises(IsADirectoryError):
        await in_thread(journal.write_atomic, str(target), b"data")
    assert sorted(p.name for p in folder.iterdir()) == ["folder-as-target"]
    await in_thread(journal.fsync_dir, str(folder / "missing"))  # no error
