"""The one entry point: find what an export is and read it with its reader.

`read_export` takes a file, a folder or a zip, detects the format by
content (file names are only a hint: Apple names its XML in the phone's
language) and yields what the source's reader finds. The readers are one
module per source; `collect` turns their items into records.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import tzinfo
from pathlib import Path

from .apple_health import is_apple_health, read_apple_health
from .base import (
    EXPORT_FORMATS,
    FORMATS,
    ExportSource,
    ImportFileError,
    Item,
    base_name,
    csv_rows,
    map_activity,
    match_header,
)
from .collect import ImportResult, collect
from .garmin import is_garmin, read_garmin
from .own import (
    EXPORT_COLUMNS,
    is_own_export,
    is_own_header,
    read_own_csv,
    read_own_json,
    write_export,
)
from .strava import read_strava
from .tracks import read_tracks, track_kind
from .vocab import GARMIN_HEADERS, STRAVA_HEADERS

__all__ = [
    "EXPORT_COLUMNS",
    "EXPORT_FORMATS",
    "FORMATS",
    "ImportFileError",
    "ImportResult",
    "collect",
    "is_own_export",
    "map_activity",
    "read_export",
    "write_export",
]


def _header(source: ExportSource, name: str) -> list[str]:
    try:
        first = next(csv_rows(source, name), None)
    except ImportFileError:
        return []
    return [column.strip() for column in first[1]] if first else []


def _csv_kind(source: ExportSource, name: str) -> str | None:
    header = _header(source, name)
    if is_own_header(header):
        return "own_csv"
    strava = match_header(header, STRAVA_HEADERS)
    if strava.at("id") is not None and strava.at("date") is not None:
        return "strava"
    if is_garmin(match_header(header, GARMIN_HEADERS)):
        return "garmin"
    return None


def _by_length(names: list[str], suffix: str) -> list[str]:
    return sorted(
        (n for n in names if n.lower().endswith(suffix)),
        key=lambda n: (base_name(n) != "activities.csv", len(n), n),
    )


def _detect(source: ExportSource, names: list[str], fmt: str) -> tuple[str, str | None]:
    """Return the format and the main file of a source."""
    if fmt in {"gpx", "tcx", "fit"}:
        return fmt, None
    if source.single:
        name = names[0]
        lower = name.lower()
        if fmt == "auto" and track_kind(name):
            return "tracks", None
        if lower.endswith(".json") and fmt == "auto":
            return "own_json", name
        if fmt in {"auto", "apple_health"} and is_apple_health(source.head(name)):
            return "apple_health", name
        kind = _csv_kind(source, name) if lower.endswith(".csv") else None
        if kind is not None and fmt in {"auto", kind}:
            return kind, name
        raise ImportFileError("import_unknown_format", path=name)
    csvs = {name: _csv_kind(source, name) for name in _by_length(names, ".csv")}
    for wanted in ("strava", "apple_health", "garmin", "own_csv"):
        if fmt not in {"auto", wanted}:
            continue
        if wanted == "apple_health":
            for name in _by_length(names, ".xml"):
                if is_apple_health(source.head(name)):
                    return wanted, name
            continue
        for name, kind in csvs.items():
            if kind == wanted:
                return wanted, name
    if fmt == "auto" and any(track_kind(name) for name in names):
        return "tracks", None
    if fmt in {"strava", "garmin", "apple_health"}:
        raise ImportFileError(
            "import_missing_file",
            file="export.xml" if fmt == "apple_health" else "activities.csv",
        )
    raise ImportFileError("import_unknown_format", path=source.path.name)


def read_export(
    path: Path, fmt: str, tz: tzinfo, *, imperial: bool = False
) -> Iterator[Item]:
    """Yield what a file, folder or zip holds, in the given or detected format."""
    with ExitStack() as stack:
        source = ExportSource(path)
        stack.callback(source.close)
        names = source.names()
        if not names:
            raise ImportFileError("import_unknown_format", path=path.name)
        kind, main = _detect(source, names, fmt)
        if main is None:
            yield from read_tracks(source, names, None if kind == "tracks" else kind)
        elif kind == "strava":
            yield from read_strava(source, main)
        elif kind == "garmin":
            yield from read_garmin(source, main, tz, imperial=imperial)
        elif kind == "apple_health":
            yield from read_apple_health(source, main)
        elif kind == "own_csv":
            yield from read_own_csv(source, main)
        else:
            yield from read_own_json(source, main)
