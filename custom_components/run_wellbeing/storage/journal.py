"""The profile's append-only journal on disk, as plain file operations.

One JSON object per line, each with a sequence number `seq` and an `op`. After
each compaction the journal is replaced by one line, `{"seq": S, "op":
"base"}`, where S is the last sequence number the snapshot holds; the
journal's last sequence number is therefore never below the snapshot's, and a
journal that is (or ends) behind it was damaged or replaced. Lines at or below
the snapshot's number (left behind by a crash between writing the snapshot
and replacing the journal) are skipped on load.

A last line without its newline is a write that a crash cut short: it was
never acknowledged, so it is dropped quietly. Any other line that does not
parse is damage: it is named, and the bytes are copied aside by the store.

Everything here blocks on the disk and runs in an executor thread, except
`encode`, which runs when a change is queued.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
import math
import os
from pathlib import Path
from typing import Any

import orjson

from ..core.models import RecordError

OPEN_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
BASE_OP = "base"
# Each line's JSON is checked when it is queued, so nothing deeper or wider
# reaches the file than a later load can read.
MAX_DEPTH = 32
_sync = getattr(os, "fdatasync", os.fsync)


class UnwritableRecordError(RecordError):
    """A change that cannot be written as JSON; it fails only its own call."""

    def __init__(self) -> None:
        """Use the translated message of a record the disk cannot hold."""
        super().__init__("unwritable_record")


def encode(op: dict[str, Any]) -> bytes:
    """Return one change as compact JSON, refusing what could not be read back.

    Refused: numbers JSON cannot carry exactly (beyond 64 bits, NaN,
    infinities), keys that are not strings, and nesting deeper than
    `MAX_DEPTH`.
    """
    _check(op, 0)
    try:
        data = orjson.dumps(op)
    except TypeError as err:  # orjson.JSONEncodeError is a TypeError
        raise UnwritableRecordError from err
    if data == b"{}":
        raise UnwritableRecordError
    return data


def _check(value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise UnwritableRecordError
    if type(value) is float:
        if not math.isfinite(value):
            raise UnwritableRecordError
    elif isinstance(value, dict):
        for key, item in value.items():
            if type(key) is not str:
                raise UnwritableRecordError
            _check(item, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check(item, depth + 1)


def line(seq: int, body: bytes) -> bytes:
    """Return the journal line of an encoded change with its sequence number."""
    return b'{"seq":%d,%s\n' % (seq, body[1:])


@dataclass(slots=True)
class JournalContents:
    """What a journal holds beyond a snapshot, and what was wrong with it."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    last_seq: int = 0
    # The highest sequence number in the file, base line included (-1: none).
    file_seq: int = -1
    size: int = 0
    exists: bool = False
    damaged_lines: list[int] = field(default_factory=list)
    torn: bool = False


def read_journal(path: str, after_seq: int) -> JournalContents:
    """Return the entries after `after_seq` and the damaged lines' numbers."""
    contents = JournalContents(last_seq=after_seq)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return contents
    contents.exists = True
    lines = raw.split(b"\n")
    # Every complete line ends with a newline; what follows the last one (empty
    # for a complete journal) was cut short and never acknowledged. NUL bytes
    # after it are space the file system gave but never filled.
    tail = lines.pop()
    contents.torn = bool(tail)
    contents.size = len(raw) - len(tail)
    for number, text in enumerate(lines, start=1):
        if not text.strip(b"\0 \r\t"):
            continue
        try:
            entry = orjson.loads(text)
            seq = entry["seq"]
            if type(seq) is not int or not isinstance(entry.get("op"), str):
                raise TypeError
        except ValueError, TypeError, KeyError:
            contents.damaged_lines.append(number)
            continue
        contents.file_seq = max(contents.file_seq, seq)
        if seq > contents.last_seq and entry["op"] != BASE_OP:
            contents.entries.append(entry)
            contents.last_seq = seq
    return contents


def drop_torn_tail(path: str, size: int) -> None:
    """Cut a last line a crash left unfinished, so the next one starts clean."""
    with Path(path).open("r+b") as file:
        file.truncate(size)
        os.fsync(file.fileno())


def open_journal(path: str) -> int:
    """Open the journal for appending, creating it (durably) when missing."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    existed = Path(path).exists()
    fd = os.open(path, OPEN_FLAGS, 0o600)
    if not existed:
        fsync_dir(str(Path(path).parent))
    return fd


def append(fd: int, data: bytes) -> None:
    """Append and sync the data; on failure take back what was partly written.

    `fdatasync` is enough: it also writes the file size the new bytes need,
    but not the times a later read does not need.
    """
    size = os.fstat(fd).st_size
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        _sync(fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        raise


def reset(path: str, seq: int) -> None:
    """Replace the journal by its base line, atomically, once a snapshot holds it."""
    write_atomic(path, line(seq, b'{"op":"%s"}' % BASE_OP.encode()))


def write_atomic(path: str, data: bytes) -> None:
    """Replace a file: temporary file in the same folder, sync, rename, sync folder."""
    folder = Path(path).parent
    folder.mkdir(parents=True, exist_ok=True)
    temporary = f"{path}.tmp-{os.getpid()}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
    fsync_dir(str(folder))


def close(fd: int) -> None:
    """Close the journal's file descriptor."""
    os.close(fd)


def remove(path: str) -> None:
    """Delete the journal, e.g. with its profile."""
    Path(path).unlink(missing_ok=True)


def fsync_dir(path: str) -> None:
    """Make a new directory entry durable."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
