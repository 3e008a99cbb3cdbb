"""What every reader shares: the reader interface, found activities, errors, bounded streams.

A reader is a generator over one export (`ExportSource`) that yields
`Found` activities, `Pending` ones (known start and activity, the rest in a
track file read only when the activity is not a duplicate), records of our
own export, or `Skipped` rows. A file that cannot be read at all raises
`ImportFileError`, whose key names a translated message.

Every file is read through a `Capped` stream in chunks: compressed members
(gzip, zip) are decompressed as they are read and refused past a cap on
their expanded size, and text is split into lines of at most `MAX_LINE`
characters, so a hostile file costs bounded memory.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
import csv
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
import gzip
import math
from pathlib import Path, PurePosixPath
import re
from typing import IO, Protocol, Self
import zipfile
import zlib

from ..core.models import Activity, MoodEntry, Plan, Session
from .vocab import ACTIVITY_NAMES, DECIMAL_COMMA, normalize

FORMATS = ("auto", "strava", "garmin", "apple_health", "gpx", "tcx", "fit")
EXPORT_FORMATS = ("csv", "json")
MAX_NAME = 120
CHUNK = 1 << 16
MAX_LINE = 1 << 20  # characters of one text line
MB = 1 << 20
# Expanded bytes one file may hold: a track of 2 million points is ~200 MB.
LIMIT_TRACK = 256 * MB
LIMIT_CSV = 256 * MB
LIMIT_JSON = 32 * MB  # our own export, parsed whole
LIMIT_FIT = 64 * MB
LIMIT_XML = 16 * 1024 * MB  # Apple Health, streamed: its size only costs time

type Record = Session | MoodEntry | Plan


class ImportFileError(Exception):
    """A file that cannot be imported; the key names a translated message."""

    def __init__(self, translation_key: str, **placeholders: str) -> None:
        """Keep the translation key and its placeholders."""
        super().__init__(translation_key, placeholders)
        self.translation_key = translation_key
        self.placeholders = {
            key: value if len(value) <= MAX_NAME else "…" + value[-MAX_NAME:]
            for key, value in placeholders.items()
        }


def bad_line(file: str, line: int) -> ImportFileError:
    """Return the error for a line of a text file that cannot be read."""
    return ImportFileError("import_bad_line", file=file, line=str(line))


def bad_element(file: str, element: str, number: int) -> ImportFileError:
    """Return the error for an XML element that cannot be read."""
    return ImportFileError(
        "import_bad_element", file=file, element=element, number=str(number)
    )


def bad_file(file: str) -> ImportFileError:
    """Return the error for a file that cannot be read at all."""
    return ImportFileError("import_bad_file", file=file)


def entities(file: str) -> ImportFileError:
    """Return the refusal of an XML file that declares entities."""
    return ImportFileError("import_xml_entities", file=file)


@dataclass(frozen=True, slots=True)
class Found:
    """An activity read from a source, before it becomes a session."""

    start: datetime
    activity: Activity
    duration: float | None
    distance: float | None
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Pending:
    """An activity whose start is known cheaply; `load` reads the rest.

    `start` is None when even that needs the whole file. The collector
    calls `load` only when the activity is not a duplicate.
    """

    start: datetime | None
    activity: Activity
    load: Callable[[], list[Found]]
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Skipped:
    """A row or element that could not be read; the rest of the file is kept."""

    file: str
    line: int
    reason: str

    def as_dict(self) -> dict[str, str | int]:
        """Return the row as the action's response lists it."""
        return {"file": self.file, "line": self.line, "reason": self.reason}


type Item = Found | Pending | Skipped | Record


class Reader(Protocol):
    """The interface of every reader: one export's main file in, items out."""

    def __call__(self, source: ExportSource, name: str, /) -> Iterator[Item]:
        """Yield what the file holds."""
        ...


# Values ---------------------------------------------------------------------------


def map_activity(name: str | None) -> Activity:
    """Return the activity a source's type name means, `other` when unknown."""
    if not name:
        return Activity.OTHER
    return ACTIVITY_NAMES.get(normalize(name), Activity.OTHER)


_MISSING = re.compile(r"^[-:. ]*$")


def missing(text: str) -> bool:
    """Return whether a cell holds nothing: empty, `--`, `--:--`, `--:--:--`."""
    return _MISSING.match(text.strip()) is not None


def number(text: str, *, decimal_comma: bool = False) -> float | None:
    """Return a non-negative number, None when missing.

    With a decimal comma (`1.234,5`) dots and blanks group thousands;
    otherwise commas do (`1,234.5`).
    """
    if missing(text):
        return None
    text = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(text)
    return value


def clock(text: str, *, decimal_comma: bool = False) -> float | None:
    """Return the seconds of `h:mm:ss`, `mm:ss` or `h:mm:ss.s`; None if missing."""
    if missing(text):
        return None
    text = text.strip()
    if decimal_comma:
        text = text.replace(",", ".")
    seconds = 0.0
    for part in text.split(":"):
        value = float(part)
        if not math.isfinite(value) or value < 0:
            raise ValueError(text)
        seconds = seconds * 60 + value
    return seconds


def positive(value: float | None) -> float | None:
    """Return a value, None when it is zero or missing."""
    return value if value else None


def local_instant(naive: datetime, tz: tzinfo) -> datetime:
    """Return the instant a wall-clock time means in a zone.

    In the repeated hour when clocks go back the first (summer) one is meant;
    a time in the hour skipped in spring is read as if the clock had not moved.
    """
    return naive.replace(tzinfo=tz).astimezone(UTC)


def xml_time(text: str) -> datetime:
    """Return an XML (ISO 8601) time, UTC when it has no offset."""
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


# Streams ---------------------------------------------------------------------------


class Capped:
    """A byte stream refused once more than `limit` bytes came out of it."""

    def __init__(self, raw: IO[bytes], limit: int, name: str) -> None:
        """Wrap a stream (a decompressing one, typically)."""
        self.raw = raw
        self.limit = limit
        self.name = name
        self.total = 0

    def read(self, size: int = CHUNK) -> bytes:
        """Read at most `size` bytes (never everything at once)."""
        if size is None or size < 0:
            size = CHUNK
        try:
            data = self.raw.read(min(size, CHUNK * 16))
        except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile) as err:
            raise bad_file(self.name) from err
        except (ValueError, zlib.error) as err:  # a damaged deflate stream
            raise bad_file(self.name) from err
        self.total += len(data)
        if self.total > self.limit:
            raise ImportFileError("import_too_large", file=self.name)
        return data

    def close(self) -> None:
        """Close the wrapped stream."""
        self.raw.close()

    def __enter__(self) -> Self:
        """Use the stream in a `with`."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Close the stream."""
        self.close()


class Prefixed:
    """A stream that gives some bytes first, then the rest of another stream."""

    def __init__(self, head: bytes, rest: Capped) -> None:
        """Keep the head and the stream that follows."""
        self.head = head
        self.rest = rest

    def read(self, size: int = CHUNK) -> bytes:
        """Read the head first, then the stream."""
        if self.head:
            if size is None or size < 0:
                size = CHUNK
            data, self.head = self.head[:size], self.head[size:]
            return data
        return self.rest.read(size)


def chunks(stream: Capped | Prefixed) -> Iterator[bytes]:
    """Yield a stream's bytes in chunks."""
    while data := stream.read(CHUNK * 4):
        yield data


def text_lines(stream: Capped, name: str) -> Iterator[str]:
    """Yield the lines of UTF-8 text (with BOM or not), line endings kept.

    A line longer than `MAX_LINE` characters, or bytes that are not UTF-8,
    refuse the file naming the line.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending = ""
    line = 0
    final = False
    while not final:
        data = stream.read(CHUNK)
        final = not data
        try:
            text = pending + decoder.decode(data, final=final)
        except UnicodeDecodeError as err:
            raise bad_line(name, line + text_count(pending) + 1) from err
        start = 0
        while (end := text.find("\n", start)) != -1:
            line += 1
            yield text[start : end + 1]
            start = end + 1
        pending = text[start:]
        if len(pending) > MAX_LINE:
            raise ImportFileError("import_line_too_long", file=name, line=str(line + 1))
    if pending:
        yield pending


def text_count(text: str) -> int:
    """Return the number of line breaks in some text."""
    return text.count("\n")


class ExportSource:
    """A folder, a zip file or a single file, read the same way."""

    def __init__(self, path: Path) -> None:
        """Open a zip lazily; a folder or file is read from disk."""
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        if path.is_file() and zipfile.is_zipfile(path):
            try:
                self.zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError, ValueError) as err:
                raise bad_file(path.name) from err

    def close(self) -> None:
        """Close the zip file, if any."""
        if self.zip is not None:
            self.zip.close()

    @property
    def single(self) -> bool:
        """Return whether the source is one plain file."""
        return self.zip is None and not self.path.is_dir()

    def names(self) -> list[str]:
        """Return every file below the source, relative, with forward slashes."""
        if self.zip is not None:
            return [n for n in self.zip.namelist() if not n.endswith("/")]
        if self.path.is_dir():
            return sorted(
                p.relative_to(self.path).as_posix()
                for p in self.path.rglob("*")
                if p.is_file()
            )
        return [self.path.name]

    def open(self, name: str, limit: int) -> Capped:
        """Open a file for reading bytes in chunks, un-gzipping `.gz` files.

        At most `limit` bytes come out (after decompression).
        """
        try:
            raw: IO[bytes]
            if self.zip is not None:
                raw = self.zip.open(name)
            elif self.path.is_dir():
                target = (self.path / name).resolve()
                if not target.is_relative_to(self.path.resolve()):
                    raise bad_file(name)
                raw = target.open("rb")
            else:
                raw = self.path.open("rb")
        except (KeyError, OSError, zipfile.BadZipFile, ValueError) as err:
            raise ImportFileError("import_missing_file", file=name) from err
        if name.lower().endswith(".gz"):
            raw = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
        return Capped(raw, limit, name)

    def head(self, name: str, size: int = 4096) -> bytes:
        """Return the first bytes of a file (decompressed), empty if unreadable."""
        try:
            with self.open(name, size + CHUNK) as stream:
                return stream.read(size)
        except ImportFileError:
            return b""


def base_name(name: str) -> str:
    """Return a path's last part, lower case."""
    return PurePosixPath(name).name.lower()


def reason_of(err: ImportFileError) -> str:
    """Return the short reason a skipped file is listed with."""
    return err.translation_key.removeprefix("import_")


# Tables ---------------------------------------------------------------------------


def csv_rows(source: ExportSource, name: str) -> Iterator[tuple[int, list[str]]]:
    """Yield each row of a CSV file with the line it starts on.

    Lines are read in chunks and capped in length; a file that is not CSV
    at all (bad UTF-8, a field past the csv module's limit) is refused.
    """
    with source.open(name, LIMIT_CSV) as stream:
        lines = text_lines(stream, name)
        reader = csv.reader(lines)
        line = 1
        try:
            for row in reader:
                yield line, row
                line = reader.line_num + 1
        except csv.Error as err:
            raise bad_line(name, reader.line_num) from err


@dataclass(frozen=True, slots=True)
class Header:
    """Where each field of a localized table is, and how its numbers are written."""

    positions: dict[str, list[int]]
    language: str

    @property
    def decimal_comma(self) -> bool:
        """Return whether the table writes 5,2 for five point two."""
        return self.language in DECIMAL_COMMA

    def at(self, field: str, index: int = 0) -> int | None:
        """Return the column of a field (the index-th if it repeats), None if absent."""
        columns = self.positions.get(field, [])
        return columns[index] if -len(columns) <= index < len(columns) else None


def match_header(row: list[str], table: dict[str, tuple[str, str]]) -> Header:
    """Return the fields a header row names, in any language of the table."""
    positions: dict[str, list[int]] = {}
    language = "en"
    for index, column in enumerate(row):
        if (known := table.get(normalize(column))) is None:
            continue
        field, lang = known
        positions.setdefault(field, []).append(index)
        if field == "type":
            language = lang
    return Header(positions, language)


def cell(row: list[str], at: int | None) -> str:
    """Return a row's cell, empty when the column is absent or the row short."""
    if at is None or at >= len(row):
        return ""
    value = row[at]
    if "\x00" in value:
        raise ValueError("nul")
    return value
