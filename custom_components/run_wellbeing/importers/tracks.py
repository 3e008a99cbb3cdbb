"""Single GPX, TCX and FIT files, and folders of them.

In a folder each track is first only pre-scanned (its first bytes give its
start and type), so a re-import finds duplicates without parsing the
tracks. FIT files go first, then TCX, then GPX: the same ride as FIT and as
a type-less GPX is kept with the FIT file's type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial

from ..core.models import Activity
from .base import ExportSource, Found, ImportFileError, Pending, Skipped, reason_of
from .fit import prescan_fit, read_fit
from .gpx import prescan_gpx, read_gpx
from .tcx import prescan_tcx, read_tcx

TRACK_READERS: dict[str, Callable[[ExportSource, str], Iterator[Found]]] = {
    "fit": read_fit,
    "tcx": read_tcx,
    "gpx": read_gpx,
}
_ORDER = tuple(TRACK_READERS)


def track_kind(name: str) -> str | None:
    """Return `gpx`, `tcx` or `fit` for a track file name (gzipped or not)."""
    kind = name.lower().removesuffix(".gz").rpartition(".")[2]
    return kind if kind in TRACK_READERS else None


def read_track(
    source: ExportSource, name: str, kind: str | None = None
) -> Iterator[Found]:
    """Yield the activities of one GPX, TCX or FIT file."""
    kind = kind or track_kind(name)
    if kind is None:
        raise ImportFileError("import_unknown_format", path=name)
    return TRACK_READERS[kind](source, name)


def prescan(source: ExportSource, name: str) -> tuple[datetime, Activity] | None:
    """Return a track's start and type from its first bytes, None if not there."""
    kind = track_kind(name)
    if kind == "fit":
        return prescan_fit(source, name)
    head = source.head(name, 64 * 1024)
    return prescan_gpx(head) if kind == "gpx" else prescan_tcx(head)


def _load(source: ExportSource, name: str) -> list[Found]:
    return list(read_track(source, name))


def read_tracks(
    source: ExportSource, names: list[str], wanted: str | None = None
) -> Iterator[Pending | Found | Skipped]:
    """Yield the tracks of a folder or zip; unreadable ones are skipped.

    A single track file that cannot be read refuses the import.
    """
    tracks = sorted(
        (n for n in names if (kind := track_kind(n)) and wanted in (None, kind)),
        key=lambda n: (_ORDER.index(track_kind(n) or "gpx"), n),
    )
    if not tracks:
        raise ImportFileError("import_unknown_format", path=source.path.name)
    if source.single:
        yield from read_track(source, tracks[0])
        return
    for name in tracks:
        try:
            known = prescan(source, name)
        except ImportFileError as err:
            yield Skipped(name, 0, reason_of(err))
            continue
        start, activity = known if known else (None, Activity.OTHER)
        yield Pending(start, activity, partial(_load, source, name), name)
