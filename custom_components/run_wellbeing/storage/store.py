"""Local persistence of one profile in Home Assistant's storage helper."""

from __future__ import annotations

import asyncio
from asyncio import Future
from collections.abc import Callable, Mapping
import contextlib
import errno
from pathlib import Path
from typing import Any, override

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.json import json_bytes
from homeassistant.helpers.storage import Store
from homeassistant.util.file import WriteError
from homeassistant.util.hass_dict import HassKey
from homeassistant.util.json import SerializationError

from ..const import DOMAIN, LOGGER, STORAGE_MINOR_VERSION, STORAGE_VERSION
from ..core.models import (
    GoalChange,
    History,
    MoodEntry,
    Plan,
    ScheduleChange,
    Session,
    StoredValueError,
    validate_history,
)
from .journal import (
    append as journal_append,
    close as journal_close,
    open_journal,
    read_journal,
    remove as journal_remove,
    truncate as journal_truncate,
)

type StoredData = dict[str, Any]

DATA_STORES: HassKey[dict[str, ProfileStore]] = HassKey(f"{DOMAIN}_stores")
JOURNAL_SUFFIX = ".journal"
SEQ_KEY = "journal_seq"
COMPACT_BYTES = 4 * 1024 * 1024
"""Compact once the journal holds this much (some 15,000 records)."""


class ProfileStore(Store[StoredData]):
    """A profile's history: a compacted snapshot and an append-only journal.

    The snapshot is a Home Assistant storage file (`.storage/run_wellbeing.<entry
    id>`), versioned so later releases can migrate it. Every change is first
    appended to the journal beside it (`<snapshot>.journal`, one JSON line per
    change) and fsynced; only then is it applied in memory and the caller
    answered. Changes arriving while a write is on its way share the next write
    (group commit). When the journal grows large, and when the profile unloads,
    the history is compacted: a copy is serialized in the executor, written
    atomically as the new snapshot (which records the last journal sequence
    number it holds), and the journal is emptied.
    """

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Keep one private snapshot and one journal per profile."""
        super().__init__(
            hass,
            STORAGE_VERSION,
            storage_key(entry_id),
            private=True,
            atomic_writes=True,
            minor_version=STORAGE_MINOR_VERSION,
            serialize_in_event_loop=False,
        )
        self.entry_id = entry_id
        self.journal_path = f"{self.path}{JOURNAL_SUFFIX}"
        self.write_error: Exception | None = None
        self.seq = 0
        self.journal_size = 0
        self.history: History | None = None
        self._queue: list[
            tuple[dict[str, Any], Callable[[], None] | None, Future[None]]
        ] = []
        self._drain_task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._fd: int | None = None
        self._dirty = False
        self._closed = False
        self.loaded_snapshot = False
        self._loading = False

    async def async_load_history(self) -> History:
        """Read the snapshot and replay the journal on top of it.

        Raises `StoredValueError` (naming the record and field) or
        `CorruptJournalError` when the files hold something impossible.
        """
        self._loading = True
        try:
            stored = await self.async_load()
        finally:
            self._loading = False
        self.loaded_snapshot = stored is not None
        history, self.seq, self.journal_size = await self.hass.async_add_executor_job(
            self._read, stored, not self._read_only
        )
        self.history = history
        return history

    def _read(
        self, stored: StoredData | None, repair: bool
    ) -> tuple[History, int, int]:
        """Build the history in the executor: it is all of the past."""
        stored = stored or {}
        seq = stored.get(SEQ_KEY, 0)
        if type(seq) is not int:
            raise StoredValueError("history", SEQ_KEY)
        data = {key: value for key, value in stored.items() if key != SEQ_KEY}
        history = History.from_dict(data)
        contents = read_journal(self.journal_path, seq, repair=repair)
        for number, entry in enumerate(contents.entries, start=1):
            try:
                replay(history, entry)
            except StoredValueError:
                raise
            except (AttributeError, KeyError, TypeError, ValueError) as err:
                raise StoredValueError(
                    f"journal line {number}", str(entry.get("op"))[:40]
                ) from err
        validate_history(history)
        return history, contents.last_seq, contents.size

    @callback
    def async_append(
        self, op: dict[str, Any], apply: Callable[[], None] | None = None
    ) -> Future[None]:
        """Queue a change; the future resolves once it is fsynced (and applied).

        `apply` changes the history in memory and runs only after the write
        succeeded, so a change that could not be written is never kept. Without
        it the change is already in memory (an option change) and the write is
        not awaited; the next compaction holds it in any case.
        """
        future: Future[None] = self.hass.loop.create_future()
        self._queue.append((op, apply, future))
        if self._drain_task is None:
            self._drain_task = self.hass.async_create_task(
                self._async_drain(),
                f"{DOMAIN} journal {self.entry_id}",
                eager_start=False,
            )
        return future

    async def _async_drain(self) -> None:
        """Write queued changes in batches, one write and one fsync per batch."""
        try:
            while self._queue:
                async with self._lock:
                    await self._async_write_batch()
                if self.journal_size > COMPACT_BYTES and not self._queue:
                    await self.async_compact()
        finally:
            self._drain_task = None

    async def _async_write_batch(self) -> None:
        batch, self._queue = self._queue, []
        lines = []
        seq = self.seq
        for op, _apply, _future in batch:
            seq += 1
            lines.append(json_bytes({"seq": seq, **op}))
        data = b"\n".join(lines) + b"\n"
        try:
            if self._closed or self._read_only:
                raise OSError(errno.EROFS, "profile is unloaded")
            await self.hass.async_add_executor_job(self._append, data)
        except OSError as err:
            self._async_write_failed(err, self.journal_path)
            for _op, apply, future in batch:
                if apply is None:
                    self._dirty = True  # in memory: the next compaction saves it
                if not future.done():
                    future.set_exception(err)
                    if apply is None:
                        future.exception()  # nobody awaits it
            return
        self.seq = seq
        self.journal_size += len(data)
        self._async_write_succeeded()
        for _op, apply, future in batch:
            if apply is not None:
                try:
                    apply()
                except Exception:  # noqa: BLE001 - one caller's bug must not stop the rest
                    LOGGER.exception(
                        "Could not apply a change of profile %s", self.entry_id
                    )
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
        """Write the whole history as the snapshot and empty the journal.

        Returns whether the snapshot was written; when it was not, the journal
        still holds every change, so nothing acknowledged is lost.
        """
        history = self.history
        if history is None or self._read_only:
            return False
        async with self._lock:
            if self.journal_size == 0 and not self._dirty and self._fd is None:
                return True
            seq = self.seq
            copy = history.copy()  # containers only: records are immutable
            self._compact_error = None
            self._data = {
                "version": self.version,
                "minor_version": self.minor_version,
                "key": self.key,
                "data_func": lambda: snapshot_data(copy, seq),
            }
            await self._async_handle_write_data()  # type: ignore[no-untyped-call]
            if (error := self._take_compact_error()) is not None:
                self._async_write_failed(error, self.path)
                return False
            try:
                await self.hass.async_add_executor_job(self._truncate)
            except OSError as err:
                # The snapshot holds everything; the journal lines at or below
                # its sequence number are skipped on load.
                LOGGER.warning(
                    "Could not empty the journal of profile %s: %s", self.entry_id, err
                )
            else:
                self.journal_size = 0
            self._dirty = False
            self._async_write_succeeded()
            return True

    def _truncate(self) -> None:
        if self._fd is None:
            if not Path(self.journal_path).exists():
                return
            self._fd = open_journal(self.journal_path)
        journal_truncate(self._fd)

    async def async_close(self) -> None:
        """Finish queued writes, compact, and close the journal."""
        while (task := self._drain_task) is not None:
            await asyncio.shield(task)
        await self.async_compact()
        self._closed = True
        if (fd := self._fd) is not None:
            self._fd = None
            await self.hass.async_add_executor_job(journal_close, fd)

    @callback
    def async_cancel_writes(self) -> None:
        """Drop pending data and timers, e.g. of a profile being removed."""
        self._data = None
        self._closed = True
        self._async_cleanup_delay_listener()
        self._async_cleanup_final_write_listener()

    async def async_flush(self) -> None:
        """Write everything now (compact), e.g. before a backup."""
        while (task := self._drain_task) is not None:
            await asyncio.shield(task)
        await self.async_compact()

    @override
    async def _async_write_data(self, data: dict[str, Any]) -> None:
        """Write the snapshot; remember a failure for `async_compact`."""
        try:
            await super()._async_write_data(data)
        except (OSError, SerializationError, WriteError) as err:
            self._compact_error = err

    _compact_error: Exception | None = None

    def _take_compact_error(self) -> Exception | None:
        error, self._compact_error = self._compact_error, None
        return error

    @callback
    def _async_write_succeeded(self) -> None:
        if self.write_error is not None:
            self.write_error = None
            ir.async_delete_issue(self.hass, DOMAIN, write_issue_id(self.entry_id))

    @callback
    def _async_write_failed(self, err: Exception, path: str) -> None:
        """Tell the user; the change that could not be written was refused."""
        first = self.write_error is None
        self.write_error = err
        LOGGER.error(
            "Could not save the history of profile %s: %s",
            self.entry_id,
            type(err).__name__ if isinstance(err, SerializationError) else err,
        )
        if first:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                write_issue_id(self.entry_id),
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="write_failed",
                # No name: issues are part of diagnostics, names stay out.
                translation_placeholders={"path": path},
            )

    async def async_remove_files(self) -> None:
        """Delete the snapshot and the journal of a removed profile."""
        await self.async_remove()
        await self.hass.async_add_executor_job(journal_remove, self.journal_path)

    @override
    async def async_save(self, data: StoredData) -> None:
        """Save, except the copy Home Assistant writes right after a migration.

        That copy would overwrite the file before its values are validated (a
        file we cannot use must keep its bytes); the next compaction writes
        the current version instead.
        """
        if self._loading:
            return
        await super().async_save(data)

    @override
    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: StoredData
    ) -> StoredData:
        """Bring data written by an older release up to the current layout."""
        if not isinstance(old_data, dict):
            raise StoredValueError("history", "data")
        # 1.2 adds the journal: a 1.1 snapshot holds no journal line yet, which
        # loading reads as sequence number 0. A newer minor version keeps its
        # fields: they are written back as read.
        return old_data


def snapshot_data(history: History, seq: int) -> StoredData:
    """Return the snapshot's stored form (runs in the executor)."""
    return history.as_dict() | {SEQ_KEY: seq}


def replay(history: History, entry: Mapping[str, Any]) -> None:
    """Apply one journal line to a history; replaying twice changes nothing."""
    op = entry["op"]
    if op == "session":
        session = Session.from_dict(entry["record"])
        history.sessions[session.id] = session
    elif op == "sessions":
        for record in entry["records"]:
            session = Session.from_dict(record)
            history.sessions[session.id] = session
    elif op == "records":
        for record in entry["sessions"]:
            session = Session.from_dict(record)
            history.sessions[session.id] = session
        for record in entry["moods"]:
            mood = MoodEntry.from_dict(record)
            history.moods[mood.id] = mood
        for record in entry["plans"]:
            plan = Plan.from_dict(record)
            history.plans[plan.id] = plan
    elif op == "sleep":
        history.sleep_nights.update(
            (str(day), float(hours)) for day, hours in entry["nights"].items()
        )
    elif op == "mood":
        mood = MoodEntry.from_dict(entry["record"])
        history.moods[mood.id] = mood
    elif op == "plan":
        plan = Plan.from_dict(entry["record"])
        history.plans[plan.id] = plan
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


def storage_key(entry_id: str) -> str:
    """Return the storage key of a profile."""
    return f"{DOMAIN}.{entry_id}"


def write_issue_id(entry_id: str) -> str:
    """Return the id of the repair issue of a profile whose history cannot be saved."""
    return f"write_failed_{entry_id}"


@callback
def async_get_profile_store(hass: HomeAssistant, entry_id: str) -> ProfileStore:
    """Return the profile's store, the same one across reloads.

    A write still waiting (or being retried) when the profile unloads is then
    what the reloaded profile reads, instead of the older file on disk.
    """
    stores = hass.data.setdefault(DATA_STORES, {})
    if (store := stores.get(entry_id)) is None:
        store = stores[entry_id] = ProfileStore(hass, entry_id)
    return store


@callback
def async_forget_profile_store(hass: HomeAssistant, entry_id: str) -> None:
    """Drop the cached store, e.g. one made read-only or of a removed profile."""
    hass.data.get(DATA_STORES, {}).pop(entry_id, None)


@callback
def async_discard_profile_store(hass: HomeAssistant, entry_id: str) -> None:
    """Cancel writes still pending for a removed profile and forget its store."""
    if (store := hass.data.get(DATA_STORES, {}).pop(entry_id, None)) is not None:
        store.async_cancel_writes()
    ir.async_delete_issue(hass, DOMAIN, write_issue_id(entry_id))
