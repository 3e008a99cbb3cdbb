"""Our own export, CSV or JSON: every session, mood and plan, notes included.

The first line says it is ours, so `history_actions` can tell an earlier
export (which it may replace) from any other file (`is_own_export`):

- CSV: the header row `run_wellbeing_record,id,activity,start,…`.
- JSON: `{"run_wellbeing_export": 1, "format": "run_wellbeing", …` on the
  first line, then one record per line.

Exports written before this marker (CSV header `record,id,…`, JSON starting
`{` with `"format": "run_wellbeing"`) are still read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
import csv
from datetime import UTC, datetime
import json
import os
from pathlib import Path
from typing import Any

from ..core.models import Activity, MoodEntry, Plan, Session, Source
from .base import (
    LIMIT_JSON,
    ExportSource,
    ImportFileError,
    Item,
    Record,
    Skipped,
    bad_line,
    csv_rows,
)

COLUMNS = (
    "record",
    "id",
    "activity",
    "start",
    "duration",
    "distance",
    "mood",
    "mood_before",
    "mood_after",
    "effort",
    "note",
    "source",
)
CSV_MARKER = "run_wellbeing_record"
EXPORT_COLUMNS = (CSV_MARKER, *COLUMNS[1:])
JSON_FORMAT = "run_wellbeing"
JSON_MARKER = "run_wellbeing_export"
JSON_VERSION = 1


def is_own_export(first_line: bytes) -> bool:
    """Return whether a file's first line is that of an export of ours."""
    line = first_line.removeprefix(b"\xef\xbb\xbf").strip()
    return line.startswith((f"{CSV_MARKER},".encode(), f'{{"{JSON_MARKER}":'.encode()))


def is_own_header(row: list[str]) -> bool:
    """Return whether a CSV header row is ours (this edition's or the first's)."""
    return tuple(row) in {EXPORT_COLUMNS, COLUMNS}


def _opt(text: str) -> str | None:
    return text if text != "" else None


def _opt_float(text: str) -> float | None:
    return None if text == "" else float(text)


def _opt_int(text: str) -> int | None:
    return None if text == "" else int(text)


def read_own_csv(source: ExportSource, name: str) -> Iterator[Item]:
    """Yield the sessions, moods and plans of a Run Wellbeing CSV export."""
    rows = csv_rows(source, name)
    first = next(rows, None)
    if first is None or not is_own_header(first[1]):
        raise bad_line(name, 1)
    for line, row in rows:
        try:
            yield _own_record(dict(zip(COLUMNS, row, strict=True)))
        except ValueError, TypeError, KeyError, OverflowError:
            yield Skipped(name, line, "unreadable_value")


def _own_record(values: dict[str, str]) -> Record:
    kind = values["record"]
    start = datetime.fromisoformat(values["start"])
    if start.tzinfo is None:
        raise ValueError(values["start"])
    if kind == "session":
        return Session(
            id=values["id"],
            start=start,
            activity=Activity(values["activity"]),
            duration=_opt_float(values["duration"]),
            distance=_opt_float(values["distance"]),
            mood_before=_opt_int(values["mood_before"]),
            mood_after=_opt_int(values["mood_after"]),
            effort=_opt_int(values["effort"]),
            note=_opt(values["note"]),
            source=Source(values["source"]),
        )
    if kind == "mood":
        return MoodEntry(
            id=values["id"],
            time=start,
            mood=int(values["mood"]),
            note=_opt(values["note"]),
        )
    if kind == "plan":
        return Plan(
            id=values["id"],
            start=start,
            duration=_opt_float(values["duration"]),
            note=_opt(values["note"]),
        )
    raise ValueError(kind)


def read_own_json(source: ExportSource, name: str) -> Iterator[Item]:
    """Yield the sessions, moods and plans of a Run Wellbeing JSON export."""
    with source.open(name, LIMIT_JSON) as stream:
        raw = b"".join(iter(stream.read, b""))
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        raise bad_line(name, getattr(err, "lineno", 1)) from err
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise ImportFileError("import_unknown_format", path=name)
    for key, build in (
        ("sessions", Session.from_dict),
        ("moods", MoodEntry.from_dict),
        ("plans", Plan.from_dict),
    ):
        items = data.get(key, [])
        if not isinstance(items, list):
            raise ImportFileError(
                "import_bad_element", file=name, element=key, number="1"
            )
        for number, item in enumerate(items, start=1):
            try:
                yield build(item)
            except ValueError, TypeError, KeyError, AttributeError, OverflowError:
                yield Skipped(name, number, f"unreadable_{key[:-1]}")


# Writing ---------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def export_rows(
    sessions: Iterable[Session], moods: Iterable[MoodEntry], plans: Iterable[Plan]
) -> Iterator[tuple[str, ...]]:
    """Yield the rows of a CSV export, header first; floats keep every digit."""
    yield EXPORT_COLUMNS
    for s in sessions:
        yield tuple(
            _cell(v)
            for v in (
                "session",
                s.id,
                s.activity.value,
                s.start.isoformat(),
                s.duration,
                s.distance,
                None,
                s.mood_before,
                s.mood_after,
                s.effort,
                s.note,
                s.source.value,
            )
        )
    for m in moods:
        yield (
            "mood", m.id, "", m.time.isoformat(), "", "", str(m.mood),
            "", "", "", _cell(m.note), "",
        )  # fmt: skip
    for p in plans:
        yield (
            "plan", p.id, "", p.start.isoformat(), _cell(p.duration), "", "",
            "", "", "", _cell(p.note), "",
        )  # fmt: skip


def _write_json(
    file: Any, sessions: list[Session], moods: list[MoodEntry], plans: list[Plan]
) -> None:
    head = {
        JSON_MARKER: JSON_VERSION,
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "exported": datetime.now(UTC).isoformat(),
    }
    file.write(json.dumps(head, ensure_ascii=False)[:-1])
    groups: tuple[tuple[str, Sequence[Record]], ...] = (
        ("sessions", sessions),
        ("moods", moods),
        ("plans", plans),
    )
    for key, records in groups:
        file.write(f',\n "{key}": [')
        for index, record in enumerate(records):
            file.write(",\n  " if index else "\n  ")
            file.write(json.dumps(record.as_dict(), ensure_ascii=False))
        file.write("\n ]")
    file.write("\n}\n")


def write_export(
    path: Path,
    fmt: str,
    sessions: list[Session],
    moods: list[MoodEntry],
    plans: list[Plan],
) -> None:
    """Write an export atomically: a half-written file never replaces a good one."""
    temp = path.with_name(f".{path.name}.tmp")
    try:
        with temp.open("w", encoding="utf-8", newline="") as file:
            if fmt == "json":
                _write_json(file, sessions, moods, plans)
            else:
                csv.writer(file).writerows(export_rows(sessions, moods, plans))
            file.flush()
            os.fsync(file.fileno())
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)
