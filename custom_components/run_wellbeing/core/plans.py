"""Planned occurrences of one profile, with no Home Assistant imports.

A planned occurrence is a one-off `Plan` or a slot of the weekly schedule
(`ScheduleChange`: days at a local time). A schedule version yields slots only
from the moment it was saved until the next version was saved, so saving a
Mon/Wed/Fri schedule on a Tuesday creates no missed Monday and a later change
never rewrites the past. Slots are built from local dates and a local wall
time, so a 07:00 slot stays 07:00 on both sides of a daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum

from .models import WEEKDAYS, Plan, ScheduleChange

DEFAULT_PLAN_DURATION_S = 30 * 60
CALENDAR_HORIZON = timedelta(weeks=8)
"""How far ahead the weekly schedule is laid out in the calendar."""
MAX_LOOKBACK = timedelta(days=1)
"""Longer than any occurrence lasts; an occurrence that started this long
before a range can still overlap it."""
NEXT_SEARCH = timedelta(days=15)
"""Two weeks and a day: any weekly slot comes round again within it."""


class Status(StrEnum):
    """Where an occurrence stands at a given moment."""

    DONE = "done"
    MISSED = "missed"
    UPCOMING = "upcoming"


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One planned run: a one-off plan or a slot of the weekly schedule."""

    start: datetime
    end: datetime
    status: Status
    plan: Plan | None = None

    @property
    def uid(self) -> str:
        """Return a stable id: the plan's id, or the slot's local start."""
        if self.plan is not None:
            return self.plan.id
        return f"slot-{self.start.isoformat()}"


def _local(moment: datetime, tz: tzinfo) -> datetime:
    """Return the moment in `tz`, normalised through UTC.

    A wall time that does not exist (skipped by a DST change) comes out as
    the wall time it really is, e.g. 02:30 on a spring-forward day is 03:30.
    """
    return moment.astimezone(UTC).astimezone(tz)


def schedule_slots(
    changes: Sequence[ScheduleChange],
    tz: tzinfo,
    start: datetime,
    end: datetime,
) -> Iterator[tuple[datetime, float]]:
    """Yield (start, duration in s) of every schedule slot starting in [start, end).

    Each version of the schedule counts from its `effective` moment until the
    next version's, so slots are never created before a schedule was saved.
    """
    ordered = sorted(changes, key=lambda change: change.effective)
    for index, change in enumerate(ordered):
        if not change.days:
            continue
        valid_from = max(change.effective, start)
        valid_to = end
        if index + 1 < len(ordered):
            valid_to = min(valid_to, ordered[index + 1].effective)
        if valid_from >= valid_to:
            continue
        weekdays = {WEEKDAYS.index(day) for day in change.days}
        day = valid_from.astimezone(tz).date()
        last = valid_to.astimezone(tz).date()
        while day <= last:
            if day.weekday() in weekdays:
                slot = _local(datetime.combine(day, change.at, tzinfo=tz), tz)
                if valid_from <= slot < valid_to:
                    yield slot, change.duration
            day += timedelta(days=1)


def status_of(
    start: datetime, done_days: Container[date], tz: tzinfo, now: datetime
) -> Status:
    """Return done (a counted session that local day), missed (day over) or upcoming."""
    day = start.astimezone(tz).date()
    if day in done_days:
        return Status.DONE
    if day < now.astimezone(tz).date():
        return Status.MISSED
    return Status.UPCOMING


def _plan_occurrence(
    plan: Plan, done_days: Container[date], tz: tzinfo, now: datetime
) -> Occurrence:
    start = _local(plan.start, tz)
    duration = plan.duration or DEFAULT_PLAN_DURATION_S
    return Occurrence(
        start=start,
        end=start + timedelta(seconds=duration),
        status=status_of(start, done_days, tz, now),
        plan=plan,
    )


def occurrences(
    changes: Sequence[ScheduleChange],
    plans: Iterable[Plan],
    done_days: Container[date],
    tz: tzinfo,
    *,
    now: datetime,
    start: datetime,
    end: datetime,
) -> list[Occurrence]:
    """Return the occurrences that overlap [start, end), earliest first.

    Schedule slots are laid out up to `CALENDAR_HORIZON` after now; one-off
    plans show whenever they are, since someone wrote each of them down.
    """
    found: list[Occurrence] = []
    slot_end = min(end, now + CALENDAR_HORIZON)
    for slot, duration in schedule_slots(changes, tz, start - MAX_LOOKBACK, slot_end):
        slot_stop = slot + timedelta(seconds=duration)
        if slot_stop > start or slot >= start:
            found.append(
                Occurrence(slot, slot_stop, status_of(slot, done_days, tz, now))
            )
    for plan in plans:
        occurrence = _plan_occurrence(plan, done_days, tz, now)
        if occurrence.start < end and (
            occurrence.end > start or occurrence.start >= start
        ):
            found.append(occurrence)
    found.sort(key=lambda occurrence: (occurrence.start, occurrence.uid))
    return found


def next_occurrence(
    changes: Sequence[ScheduleChange],
    plans: Iterable[Plan],
    done_days: Container[date],
    tz: tzinfo,
    now: datetime,
) -> Occurrence | None:
    """Return the earliest occurrence that starts after now and is not done."""
    best: Occurrence | None = None
    for plan in plans:
        if plan.start > now and plan.start.astimezone(tz).date() not in done_days:
            occurrence = _plan_occurrence(plan, done_days, tz, now)
            if best is None or occurrence.start < best.start:
                best = occurrence
    search_end = now + NEXT_SEARCH
    if best is not None:
        search_end = min(search_end, best.start)
    for slot, duration in schedule_slots(changes, tz, now, search_end):
        if slot > now and slot.astimezone(tz).date() not in done_days:
            return Occurrence(
                slot,
                slot + timedelta(seconds=duration),
                status_of(slot, done_days, tz, now),
            )
    return best


def current_or_next(
    changes: Sequence[ScheduleChange],
    plans: Iterable[Plan],
    done_days: Container[date],
    tz: tzinfo,
    now: datetime,
) -> Occurrence | None:
    """Return the occurrence under way, else the next one, done or not."""
    best: Occurrence | None = None
    for plan in plans:
        occurrence = _plan_occurrence(plan, done_days, tz, now)
        if occurrence.end > now and (
            best is None or (occurrence.start, occurrence.uid) < (best.start, best.uid)
        ):
            best = occurrence
    search_end = now + NEXT_SEARCH
    if best is not None:
        search_end = min(search_end, best.start + timedelta(microseconds=1))
    for slot, duration in schedule_slots(changes, tz, now - MAX_LOOKBACK, search_end):
        slot_end = slot + timedelta(seconds=duration)
        if slot_end > now:
            # On a tie the plan stays first, as in `occurrences` (uids sort so).
            if best is None or slot < best.start:
                best = Occurrence(slot, slot_end, status_of(slot, done_days, tz, now))
            break
    return best
