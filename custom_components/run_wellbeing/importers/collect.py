"""What an import keeps: new records, duplicates set aside, skipped rows listed.

A duplicate is a session starting within 2 minutes of an existing one (or
one earlier in the same import) of the same activity; a session of
activity `other` (a track without a type) is a duplicate of any activity,
and any activity of an `other` one. `Pending` activities are checked from
their known start before their track file is read, so a re-import reads no
track. Rows that cannot be read are counted and the first ten listed; a
file of which no row could be read is refused.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..core.models import Activity, MoodEntry, Plan, Session, Source
from .base import Found, ImportFileError, Item, Pending, Skipped, bad_line, reason_of

LISTED = 10


@dataclass(slots=True)
class ImportResult:
    """What an import found, after duplicates and unusable rows were set aside."""

    sessions: list[Session] = field(default_factory=list)
    moods: list[MoodEntry] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    duplicates: int = 0
    skipped: int = 0
    skipped_rows: list[Skipped] = field(default_factory=list)

    def skip(self, row: Skipped) -> None:
        """Count a row that is not imported; list the first ten."""
        self.skipped += 1
        if len(self.skipped_rows) < LISTED:
            self.skipped_rows.append(row)


class Starts:
    """The starts of kept sessions by activity, to find duplicates fast."""

    def __init__(self, sessions: Iterable[Session], window: timedelta) -> None:
        """Index existing sessions."""
        self.span = window.total_seconds()
        self.by_activity: dict[Activity, list[float]] = {}
        for session in sessions:
            self.by_activity.setdefault(session.activity, []).append(session.start_ts)
        for values in self.by_activity.values():
            values.sort()

    def duplicate(self, activity: Activity, ts: float) -> bool:
        """Return whether a session starting at `ts` is already kept."""
        if activity is Activity.OTHER:
            lists = list(self.by_activity.values())
        else:
            lists = [
                self.by_activity.get(activity, []),
                self.by_activity.get(Activity.OTHER, []),
            ]
        for times in lists:
            at = bisect_left(times, ts - self.span)
            if at < len(times) and times[at] <= ts + self.span:
                return True
        return False

    def add(self, activity: Activity, ts: float) -> None:
        """Keep a session's start."""
        insort(self.by_activity.setdefault(activity, []), ts)


def collect(
    items: Iterable[Item],
    existing: Iterable[Session],
    existing_ids: set[str],
    *,
    new_id: Callable[[], str],
    earliest: datetime,
    latest: datetime,
    max_duration: float,
    max_distance: float,
    window: timedelta = timedelta(minutes=2),
) -> ImportResult:
    """Turn what was read into new records, setting aside duplicates and bad rows."""
    starts = Starts(existing, window)
    seen = set(existing_ids)
    result = ImportResult()
    readable = False
    first_bad: Skipped | None = None

    def keep(session: Session, where: Found | None) -> None:
        if session.id in seen:
            result.duplicates += 1
            return
        reason = None
        if not earliest <= session.start <= latest:
            reason = "outside_dates"
        elif session.duration is not None and session.duration > max_duration:
            reason = "too_long"
        elif session.distance is not None and session.distance > max_distance:
            reason = "too_far"
        if reason is not None:
            file, line = (where.file, where.line) if where else ("", 0)
            result.skip(Skipped(file, line, reason))
            return
        ts = session.start_ts
        if starts.duplicate(session.activity, ts):
            result.duplicates += 1
            return
        starts.add(session.activity, ts)
        seen.add(session.id)
        result.sessions.append(session)

    def found(item: Found) -> None:
        keep(
            Session(
                id=new_id(),
                start=item.start,
                activity=item.activity,
                duration=item.duration,
                distance=item.distance,
                source=Source.IMPORT,
            ),
            item,
        )

    for item in items:
        if isinstance(item, Skipped):
            first_bad = first_bad or item
            result.skip(item)
            continue
        readable = True
        if isinstance(item, Pending):
            if item.start is not None and starts.duplicate(
                item.activity, item.start.timestamp()
            ):
                result.duplicates += 1
                continue
            try:
                loaded = item.load()
            except ImportFileError as err:
                result.skip(Skipped(item.file, item.line, reason_of(err)))
                continue
            for each in loaded:
                found(each)
        elif isinstance(item, Found):
            found(item)
        elif isinstance(item, Session):
            keep(item, None)
        elif item.id in seen:
            result.duplicates += 1
        elif isinstance(item, MoodEntry):
            if not earliest <= item.time <= latest:
                result.skip(Skipped("", 0, "outside_dates"))
            else:
                seen.add(item.id)
                result.moods.append(item)
        else:
            seen.add(item.id)
            result.plans.append(item)
    if not readable and first_bad is not None:
        raise bad_line(first_bad.file, first_bad.line)
    result.sessions.sort(key=lambda s: s.start_ts)
    return result
