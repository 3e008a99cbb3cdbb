"""A profile's history on disk: a snapshot, a journal, replay and damage.

Plain Python and asyncio, with no Home Assistant import: the adapter hands in
how to run blocking work (the executor), how to start a tracked task, and
what to do when a write fails or succeeds (the repair issue).

Files, in the configuration's `.storage/` folder:
- `run_wellbeing.<entry id>`: the snapshot, Home Assistant's storage format
  (`{"version", "minor_version", "key", "data"}`), compact JSON. It holds the
  whole history as of the journal sequence number `data.journal_seq`.
- `run_wellbeing.<entry id>.journal`: one JSON line per change since then.

Every change is encoded when it is queued (a change that cannot be encoded
fails its own call alone), appended to the journal and synced; only then is
the caller answered (and the change applied, for callers still handing an
`apply`). Changes queued while a write is on its way share the next write
(group commit). Once the journal holds `COMPACT_BYTES`, and when the profile
unloads, the history is compacted: a copy of its containers is serialized in
the executor and written atomically as the new snapshot (temporary file,
fsync, rename, fsync of the folder), then the journal is replaced by its base
line. A snapshot that cannot be written leaves the journal as it was, so
nothing acknowledged is lost.

Damage found on load (a snapshot that is no JSON or whose `data` is no
mapping, records that cannot be read or are impossible, duplicate ids, a
damaged journal line, a journal empty or behind the snapshot) never stops the
profile: the damaged file is copied aside (`<file>.damaged-<time>`), what is
valid loads, and `damage` names what was set aside for the repair issue.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Mapping
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
import errno
from pathlib import Path
import shutil
from typing import Any

import orjson

from ..core.models import (
    GoalChange,
    History,
    MoodEntry,
    Plan,
    ScheduleChange,
    Session,
    StoredValueError,
    load_history,
    set_aside_invalid,
)
from .journal import (
    append as journal_append,
    close as journal_close,
    drop_torn_tail,
    encode,
    line,
    open_journal,
    read_journal,
    remove as journal_remove,
    reset as journal_reset,
    write_atomic,
)

type StoredData = dict[str, Any]
type Executor = Callable[..., Awaitable[Any]]
type Spawn = Callable[[Coroutine[Any, Any, None], str], asyncio.Task[None]]

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 3
"""1.1: the snapshot alone; 1.2: a journal; 1.3: the journal's base line."""
JOURNAL_SUFFIX = ".journal"
SEQ_KEY = "journal_seq"
COMPACT_BYTES = 4 * 1024 * 1024
"""Compact once the journal holds this much (some 15,000 records)."""
MAX_NAMED_PROBLEMS = 10


class UnsupportedVersionError(ValueError):
    """The snapshot was written by a newer major version: leave it untouched."""

    def __init__(self, version: int) -> None:
        """Keep the version found."""
        super().__init__(f"storage version {version} is newer than this release")
        self.version = version


@dataclass(slots=True)
class Damage:
    """What a load found wrong, where its bytes were copied, what was set aside."""

    copies: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # False when only reading: damage is named, nothing is written.
    copy: bool = True

    def __bool__(self) -> bool:
        """Return whether anything was wrong."""
        return bool(self.problems)

    def describe(self) -> str:
        """Return the problems as one short line (no record contents)."""
        named = self.problems[:MAX_NAMED_PROBLEMS]
        more = len(self.problems) - len(named)
        return "; ".join(named) + (f"; and {more} more" if more > 0 else "")


@dataclass(slots=True)
class _Loaded:
    history: History
    seq: int
    size: int
    damage: Damage
    minor_version: int


class ProfileStore:
    """A profile's history: a compacted snapshot and an append-only journal."""

    def __init__(
        self,
        path: str,
        *,
        key: str,
        executor: Executor,
        spawn: Spawn,
        on_write_failed: Callable[[Exception, str], None] | None = None,
        on_write_succeeded: Callable[[], None] | None = None,
    ) -> None:
        """Keep the paths and how to reach the executor."""
        self.path = path
        self.journal_path = f"{path}{JOURNAL_SUFFIX}"
        self.key = key
        self.version = STORAGE_VERSION
        self.minor_version = STORAGE_MINOR_VERSION
        self._executor = executor
        self._spawn = spawn
        self._on_write_failed = on_write_failed
        self._on_write_succeeded = on_write_succeeded
        self.write_error: Exception | None = None
        self.seq = 0
        self.journal_size = 0
        self.history: History | None = None
        self.damage = Damage()
        self.loaded_snapshot = False
        self._queue: list[
            tuple[bytes, Callable[[], None] | None, asyncio.Future[None]]
        ] = []
        self._drain_task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._fd: int | None = None
        self._dirty = False
        self._closed = False

    async def async_load_history(self) -> History:
        """Read the snapshot and replay the journal on top of it.

        Parsing, replay, validation and copying damaged bytes aside run in
        the executor. Raises `UnsupportedVersionError` for a snapshot of a
        newer major version and `OSError` when the files cannot be read; the
        files are then left untouched and nothing is ever written.
        """
        try:
            loaded: _Loaded = await self._executor(self._load)
        except BaseException:
            self._closed = True
            raise
        self.history = loaded.history
        self.seq = loaded.seq
        self.journal_size = loaded.size
        self.damage = loaded.damage
        if loaded.damage or loaded.minor_version < STORAGE_MINOR_VERSION:
            # The valid part is rewritten at once (the damaged bytes are kept
            # in the copies); a file of an older layout gains its base line.
            self._dirty = True
            await self.async_compact()
        return loaded.history

    def _load(self, *, copy: bool = True) -> _Loaded:
        """Build the history in the executor: it is all of the past."""
        damage = Damage(copy=copy)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        data, minor = self._read_snapshot(damage, stamp)
        self.loaded_snapshot = data is not None
        seq = 0
        history = History()
        if data is not None:
            seq = data.get(SEQ_KEY, 0)
            if type(seq) is not int or seq < 0:
                damage.problems.append(f"{SEQ_KEY}")
                seq = 0
            history, problems = load_history(
                {key: value for key, value in data.items() if key != SEQ_KEY}
            )
            damage.problems.extend(_name(problem) for problem in problems)
            if problems and not damage.copies:
                damage.copies.append(_copy_aside(self.path, stamp, damage.copy))
        contents = read_journal(self.journal_path, seq)
        journal_problems: list[str] = [
            f"journal line {number}" for number in contents.damaged_lines
        ]
        if data is not None and seq > 0 and minor >= STORAGE_MINOR_VERSION:
            if contents.file_seq < 0:
                journal_problems.append("journal empty")
            elif contents.file_seq < seq:
                journal_problems.append("journal behind the snapshot")
        for entry in contents.entries:
            try:
                replay(history, entry)
            except AttributeError, KeyError, TypeError, ValueError, OverflowError:
                journal_problems.append(f"journal seq {entry['seq']}")
        replayed = set_aside_invalid(history)
        journal_problems.extend(_name(problem) for problem in replayed)
        if journal_problems:
            damage.problems.extend(journal_problems)
            if contents.exists and contents.size:
                damage.copies.append(_copy_aside(self.journal_path, stamp, damage.copy))
        if contents.torn and damage.copy:
            # Even with damage (its bytes are copied above): a line appended
            # after the torn one must not be glued onto it.
            drop_torn_tail(self.journal_path, contents.size)
        return _Loaded(history, contents.last_seq, contents.size, damage, minor)

    def _read_snapshot(
        self, damage: Damage, stamp: str
    ) -> tuple[dict[str, Any] | None, int]:
        """Return the snapshot's data and minor version (None: no usable file)."""
        try:
            raw = Path(self.path).read_bytes()
        except FileNotFoundError:
            return None, STORAGE_MINOR_VERSION
        try:
            stored = orjson.loads(raw)
        except orjson.JSONDecodeError:
            stored = None
        if not isinstance(stored, dict) or type(stored.get("version")) is not int:
            damage.problems.append("snapshot is no JSON of this format")
            damage.copies.append(_copy_aside(self.path, stamp, damage.copy))
            return {}, STORAGE_MINOR_VERSION
        if stored["version"] > STORAGE_VERSION:
            raise UnsupportedVersionError(stored["version"])
        minor = stored.get("minor_version", 1)
        minor = minor if type(minor) is int else 1
        data = stored.get("data")
        if not isinstance(data, dict):
            damage.problems.append("data")
            damage.copies.append(_copy_aside(self.path, stamp, damage.copy))
            return {}, minor
        return data, minor

    def async_append(
        self, op: dict[str, Any], apply: Callable[[], None] | None = None
    ) -> asyncio.Future[None]:
        """Queue a change; the future resolves once it is synced to disk.

        The change is encoded at once: one that cannot be written raises
        `UnwritableRecordError` (a `ValueError`) here, for this call alone.
        The future fails with `OSError` when the write failed; nothing of
        the change may then be kept. `apply`, when given, runs after a
        successful write and before the future resolves.
        """
        body = encode(op)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._queue.append((body, apply, future))
        if self._drain_task is None:
            self._drain_task = self._spawn(self._async_drain(), f"{self.key} journal")
        return future

    async def _async_drain(self) -> None:
        """Write queued changes in batches, one write and one sync per batch."""
        try:
            while self._queue:
                async with self._lock:
                    await self._async_write_batch()
                if self.journal_size > COMPACT_BYTES and not self._queue:
                    # Writers apply a change once its write is acknowledged:
                    # let them run before the history is copied, or the
                    # snapshot would miss a change the journal no longer holds.
                    await asyncio.sleep(0)
                    if not self._queue:
                        await self.async_compact()
        finally:
            self._drain_task = None

    async def _async_write_batch(self) -> None:
        batch, self._queue = self._queue, []
        seq = self.seq
        lines = []
        for body, _apply, _future in batch:
            seq += 1
            lines.append(line(seq, body))
        data = b"".join(lines)
        try:
            if self._closed:
                raise OSError(errno.EROFS, "profile is unloaded")
            await self._executor(self._append, data)
        except OSError as err:
            self._write_failed(err, self.journal_path)
            for _body, _apply, future in batch:
                if not future.done():
                    future.set_exception(err)
                    # Marked as seen: a caller that does not await its write
                    # (the repair issue tells the user) logs no stray traceback.
                    future.exception()
            return
        self.seq = seq
        self.journal_size += len(data)
        self._write_succeeded()
        for _body, apply, future in batch:
            if apply is not None:
                try:
                    apply()
                except Exception as err:  # noqa: BLE001 - one caller's bug must not stop the rest
                    if not future.done():
                        future.set_exception(err)
                    continue
            if not future.done():
                future.set_result(None)

    def _append(self, data: bytes) -> None:
        if self._fd is None:
            self._fd = open_journal(self.journal_path)
        try:
            journal_append(self._fd, data)
        except OSError:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                journal_close(fd)
            raise

    async def async_compact(self) -> bool:
        """Write the whole history as the snapshot and reset the journal.

        Returns whether the snapshot was written; when it was not, the journal
        still holds every change, so nothing acknowledged is lost.
        """
        if self.history is None or self._closed:
            return False
        async with self._lock:
            if self.journal_size == 0 and not self._dirty:
                return True
            # Records are immutable: copying the containers is enough; the
            # copy is serialized and dropped in the executor.
            box = [self.history.copy()]
            try:
                await self._executor(self._write_snapshot, box, self.seq)
            except (OSError, TypeError, ValueError) as err:
                self._write_failed(err, self.path)
                return False
            self.journal_size = 0
            self._dirty = False
            self._write_succeeded()
            return True

    def _write_snapshot(self, box: list[History], seq: int) -> None:
        """Serialize and write the snapshot, then reset the journal (executor)."""
        history = box.pop()
        data = orjson.dumps(
            {
                "version": STORAGE_VERSION,
                "minor_version": STORAGE_MINOR_VERSION,
                "key": self.key,
                "data": history.as_dict() | {SEQ_KEY: seq},
            }
        )
        del history
        write_atomic(self.path, data)
        if (fd := self._fd) is not None:
            self._fd = None
            journal_close(fd)
        journal_reset(self.journal_path, seq)

    async def async_close(self) -> None:
        """Finish queued writes, compact, and close the journal."""
        while (task := self._drain_task) is not None:
            await asyncio.shield(task)
        await asyncio.sleep(0)  # the last writers apply their changes first
        await self.async_compact()
        self._closed = True
        if (fd := self._fd) is not None:
            self._fd = None
            await self._executor(journal_close, fd)

    def cancel_writes(self) -> None:
        """Refuse further writes, e.g. of a profile being removed."""
        self._closed = True

    async def async_flush(self) -> None:
        """Write everything now (compact), e.g. before a backup."""
        while (task := self._drain_task) is not None:
            await asyncio.shield(task)
        await asyncio.sleep(0)  # the last writers apply their changes first
        await self.async_compact()

    def _write_succeeded(self) -> None:
        if self.write_error is not None:
            self.write_error = None
            if self._on_write_succeeded is not None:
                self._on_write_succeeded()

    def _write_failed(self, err: Exception, path: str) -> None:
        self.write_error = err
        if self._on_write_failed is not None:
            self._on_write_failed(err, path)

    async def async_remove_files(self) -> None:
        """Delete the snapshot and the journal of a removed profile."""
        self._closed = True
        await self._executor(remove_files, self.path)


def read_files(path: str) -> tuple[History, Damage]:
    """Load a profile's files as setup does, but read only (blocking).

    For tools outside Home Assistant, such as the crash test: damage is
    named but nothing is written, not even the copies of damaged bytes.
    """

    async def never(*_args: Any) -> Any:  # pragma: no cover - never awaited
        raise NotImplementedError

    store = ProfileStore(path, key="", executor=never, spawn=_no_task)
    loaded = store._load(copy=False)
    return loaded.history, loaded.damage


def _no_task(coro: Coroutine[Any, Any, None], _name: str) -> asyncio.Task[None]:
    coro.close()  # pragma: no cover - a read-only store never writes
    raise NotImplementedError  # pragma: no cover


def remove_files(path: str) -> None:
    """Delete a profile's snapshot and journal (blocking)."""
    Path(path).unlink(missing_ok=True)
    journal_remove(f"{path}{JOURNAL_SUFFIX}")


def _copy_aside(path: str, stamp: str, copy: bool = True) -> str:
    """Copy a damaged file's bytes beside it and return the copy's path."""
    target = f"{path}.damaged-{stamp}"
    if copy:
        shutil.copyfile(path, target)
    return target


def _name(problem: StoredValueError) -> str:
    return f"{problem.record}: {problem.field}"


def replay(history: History, entry: Mapping[str, Any]) -> None:
    """Apply one journal line to a history; replaying twice changes nothing."""
    op = entry["op"]
    if op in {"session", "mood", "plan"}:
        _put(history, op, entry["record"])
    elif op == "sessions":
        for record in entry["records"]:
            _put(history, "session", record)
    elif op == "records":
        for record in entry["sessions"]:
            _put(history, "session", record)
        for record in entry["moods"]:
            _put(history, "mood", record)
        for record in entry["plans"]:
            _put(history, "plan", record)
    elif op == "sleep":
        for day, hours in entry["nights"].items():
            if type(hours) not in {int, float} or not 0 <= hours <= 24:
                raise StoredValueError("sleep_nights", str(day)[:40])
            history.sleep_nights[str(day)] = float(hours)
    elif op == "delete":
        record_id = entry["id"]
        for records in (history.sessions, history.moods, history.plans):
            if records.pop(record_id, None) is not None:
                break
    elif op == "goal":
        goal = GoalChange.from_dict(entry["record"])
        if goal not in history.goal_changes:
            history.goal_changes.append(goal)
    elif op == "schedule":
        change = ScheduleChange.from_dict(entry["record"])
        if change not in history.schedule_changes:
            history.schedule_changes.append(change)
    elif op == "week":
        history.goal_reached_weeks.add(str(entry["week"]))
    # An operation of a newer version is skipped; its record stays in the file
    # until the next compaction, which this version cannot reproduce.


def _put(history: History, kind: str, record: Mapping[str, Any]) -> None:
    """Add a record, or replace the one with its id (an edit)."""
    if kind == "session":
        session = Session.from_dict(record)
        history.sessions[session.id] = session
    elif kind == "mood":
        mood = MoodEntry.from_dict(record)
        history.moods[mood.id] = mood
    else:
        plan = Plan.from_dict(record)
        history.plans[plan.id] = plan
