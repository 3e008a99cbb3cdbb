"""The profile's append-only journal on disk, as plain file operations.

One JSON object per line, each with a sequence number `seq` and an `op`. The
compacted snapshot records the last `seq` it holds, so lines at or below it
(left behind by a crash between writing the snapshot and truncating the
journal) are skipped on load. A last line without its newline, or that does
not parse, is a write the crash cut short: it was never acknowledged, so it is
dropped. Any other line that does not parse means the file is damaged.

Everything here blocks on the disk and runs in an executor thread.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
from typing import Any

OPEN_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)


class CorruptJournalError(ValueError):
    """A journal line other than the last cannot be read."""

    def __init__(self, line: int) -> None:
        """Name the damaged line."""
        super().__init__(f"journal line {line} is damaged")
        self.line = line


@dataclass(slots=True)
class JournalContents:
    """What a journal holds beyond a snapshot."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    last_seq: int = 0
    size: int = 0


def read_journal(path: str, after_seq: int, *, repair: bool) -> JournalContents:
    """Return the entries after `after_seq`; drop a torn last line (when `repair`)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return JournalContents(last_seq=after_seq)
    contents = JournalContents(last_seq=after_seq)
    good = 0
    # Every complete line ends with a newline; what follows the last one (empty
    # for a complete journal) was cut short and never acknowledged.
    complete = raw.split(b"\n")[:-1]
    for number, line in enumerate(complete, start=1):
        if not line:
            good += 1
            continue
        try:
            entry = json.loads(line)
            seq = entry["seq"]
            if type(seq) is not int or not isinstance(entry.get("op"), str):
                raise TypeError
        except ValueError, TypeError, KeyError:
            if number == len(complete):
                # The file system kept the length but not the bytes: torn too.
                break
            raise CorruptJournalError(number) from None
        good += len(line) + 1
        if seq > contents.last_seq:
            contents.entries.append(entry)
            contents.last_seq = seq
    contents.size = good
    if good < len(raw) and repair:
        # Appending after a torn line would glue the next record onto it.
        with Path(path).open("r+b") as file:
            file.truncate(good)
            os.fsync(file.fileno())
    return contents


def open_journal(path: str) -> int:
    """Open the journal for appending, creating it (durably) when missing."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    existed = Path(path).exists()
    fd = os.open(path, OPEN_FLAGS, 0o600)
    if not existed:
        fsync_dir(str(Path(path).parent))
    return fd


def append(fd: int, data: bytes) -> None:
    """Append and fsync; on failure take back what was partly written."""
    size = os.fstat(fd).st_size
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        raise


def truncate(fd: int) -> None:
    """Empty the journal once a snapshot holds everything in it."""
    os.ftruncate(fd, 0)
    os.fsync(fd)


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
