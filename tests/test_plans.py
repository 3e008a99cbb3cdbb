"""Planned occurrences as plain Python: schedule versions, status, next run, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from custom_components.run_wellbeing.core.models import Plan, ScheduleChange
from custom_components.run_wellbeing.core.plans import (
    Occurrence,
    Status,
    current_or_next,
    next_occurrence,
    occurrences,
    schedule_slots,
    status_of,
)

TZ = ZoneInfo("Europe/Amsterdam")
HALF_HOUR = 1800.0


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)  # type: ignore[misc]


def schedule(effective: datetime, *days: str, at: time = time(7)) -> ScheduleChange:
    return ScheduleChange(effective=effective, days=days, at=at, duration=HALF_HOUR)


def starts(found: list[Occurrence]) -> list[str]:
    return [o.start.strftime("%a %d %H:%M") for o in found]


def test_schedule_saved_midweek_creates_no_earlier_slot() -> None:
    """A Mon/Wed/Fri plan saved on Tuesday 2026-06-02 has no missed Monday."""
    changes = [schedule(local(2026, 6, 2, 20, 0), "mon", "wed", "fri")]
    now = local(2026, 6, 6, 12, 0)  # Saturday
    found = occurrences(
        changes,
        [],
        set(),
        TZ,
        now=now,
        start=local(2026, 6, 1),
        end=local(2026, 6, 8),
    )
    assert starts(found) == ["Wed 03 07:00", "Fri 05 07:00"]
    assert [o.status for o in found] == [Status.MISSED, Status.MISSED]


def test_slot_on_the_day_the_schedule_is_saved() -> None:
    """Saved at 06:00 on a planned day: today's 07:00 exists; saved at 08:00: not."""
    early = [schedule(local(2026, 6, 3, 6, 0), "wed")]
    late = [schedule(local(2026, 6, 3, 8, 0), "wed")]
    window = {"start": local(2026, 6, 3), "end": local(2026, 6, 4)}
    now = local(2026, 6, 3, 9)
    assert starts(occurrences(early, [], set(), TZ, now=now, **window)) == [
        "Wed 03 07:00"
    ]
    assert occurrences(late, [], set(), TZ, now=now, **window) == []


def test_a_new_schedule_version_keeps_the_past() -> None:
    """Old slots stay until the change; the new version applies from then on."""
    changes = [
        schedule(local(2026, 6, 1, 0, 0), "mon", "wed"),
        schedule(local(2026, 6, 4, 12, 0), "thu", "sat", at=time(18, 30)),
        schedule(local(2026, 6, 10, 12, 0)),  # cleared: no days
    ]
    found = occurrences(
        changes,
        [],
        set(),
        TZ,
        now=local(2026, 6, 20),
        start=local(2026, 6, 1),
        end=local(2026, 6, 20),
    )
    assert starts(found) == [
        "Mon 01 07:00",
        "Wed 03 07:00",
        "Thu 04 18:30",
        "Sat 06 18:30",
    ]


def test_dst_week_keeps_local_wall_time() -> None:
    """07:00 is 07:00 local before and after the October 2026 DST change."""
    changes = [schedule(local(2026, 10, 1), "fri", "sun", "mon")]
    found = occurrences(
        changes,
        [],
        set(),
        TZ,
        now=local(2026, 10, 1),
        start=local(2026, 10, 23),
        end=local(2026, 10, 27),
    )
    assert starts(found) == ["Fri 23 07:00", "Sun 25 07:00", "Mon 26 07:00"]
    assert [o.start.astimezone(UTC).hour for o in found] == [5, 6, 6]
    assert all(o.end - o.start == timedelta(minutes=30) for o in found)


def test_slot_in_the_skipped_hour_is_its_real_wall_time() -> None:
    """02:30 does not exist on 2026-03-29; the slot starts 03:30 local (01:30 UTC)."""
    changes = [schedule(local(2026, 3, 1), "sun", at=time(2, 30))]
    slots = list(schedule_slots(changes, TZ, local(2026, 3, 29), local(2026, 3, 30)))
    assert [(s.strftime("%H:%M"), s.astimezone(UTC).hour) for s, _ in slots] == [
        ("03:30", 1)
    ]


def test_status_done_missed_upcoming() -> None:
    """Done by a run that local day at any hour; missed once the day is over."""
    now = local(2026, 6, 3, 12, 0)
    done_days = {date(2026, 6, 1)}
    assert status_of(local(2026, 6, 1, 7), done_days, TZ, now) is Status.DONE
    assert status_of(local(2026, 6, 2, 7), done_days, TZ, now) is Status.MISSED
    # Today, time passed, no run yet: not missed until the day is over.
    assert status_of(local(2026, 6, 3, 7), done_days, TZ, now) is Status.UPCOMING
    assert status_of(local(2026, 6, 4, 7), done_days, TZ, now) is Status.UPCOMING


def test_next_occurrence_skips_a_run_done_early() -> None:
    """A planned 07:00 run done at 06:40 is no longer next."""
    changes = [schedule(local(2026, 6, 1), "mon", "wed")]
    now = local(2026, 6, 3, 6, 45)
    upcoming = next_occurrence(changes, [], set(), TZ, now)
    assert upcoming is not None
    assert upcoming.start == local(2026, 6, 3, 7)
    assert upcoming.status is Status.UPCOMING
    done = next_occurrence(changes, [], {date(2026, 6, 3)}, TZ, now)
    assert done is not None
    assert done.start == local(2026, 6, 8, 7)


def test_next_occurrence_once_started_moves_on() -> None:
    """At the start moment the occurrence is no longer 'after now'."""
    changes = [schedule(local(2026, 6, 1), "wed")]
    found = next_occurrence(changes, [], set(), TZ, local(2026, 6, 3, 7))
    assert found is not None
    assert found.start == local(2026, 6, 10, 7)


def test_next_occurrence_prefers_an_earlier_plan() -> None:
    """A one-off plan before the next slot is next; a done one is skipped."""
    changes = [schedule(local(2026, 6, 1), "fri")]
    plan = Plan(id="p1", start=local(2026, 6, 4, 18), duration=None, note="Park")
    now = local(2026, 6, 3, 12)
    found = next_occurrence(changes, [plan], set(), TZ, now)
    assert found is not None
    assert found.plan is plan
    assert found.uid == "p1"
    assert found.end - found.start == timedelta(minutes=30)
    after_run = next_occurrence(changes, [plan], {date(2026, 6, 4)}, TZ, now)
    assert after_run is not None
    assert after_run.start == local(2026, 6, 5, 7)
    assert after_run.plan is None


def test_next_occurrence_none_without_plans() -> None:
    """No schedule days and no future plan: nothing is next."""
    past = Plan(id="old", start=local(2026, 5, 1, 7), duration=HALF_HOUR)
    changes = [schedule(local(2026, 5, 1))]
    assert next_occurrence(changes, [past], set(), TZ, local(2026, 6, 1)) is None


def test_occurrences_range_overlap_horizon_and_plans() -> None:
    """Overlapping occurrences count; slots stop 8 weeks ahead, plans do not."""
    changes = [schedule(local(2026, 6, 1), "mon")]
    far = Plan(id="race", start=local(2026, 12, 6, 9), duration=7200.0)
    now = local(2026, 6, 1, 0)
    # A range starting inside Monday's 07:00-07:30 slot still holds it.
    inside = occurrences(
        changes,
        [far],
        set(),
        TZ,
        now=now,
        start=local(2026, 6, 1, 7, 15),
        end=local(2026, 6, 2),
    )
    assert starts(inside) == ["Mon 01 07:00"]
    whole = occurrences(
        changes,
        [far],
        set(),
        TZ,
        now=now,
        start=local(2026, 6, 1),
        end=local(2027, 1, 1),
    )
    slots = [o for o in whole if o.plan is None]
    assert len(slots) == 8  # Mondays 1 June .. 20 July, within 8 weeks
    assert slots[-1].start == local(2026, 7, 20, 7)
    assert whole[-1].plan is far
    assert whole[-1].uid == "race"
    assert slots[0].uid == f"slot-{local(2026, 6, 1, 7).isoformat()}"


def test_current_or_next_is_the_one_under_way_then_the_next() -> None:
    """The calendar's state: the run under way (done or not), else the next one."""
    changes = [schedule(local(2026, 6, 1), "mon", "wed")]
    plan = Plan(id="p", start=local(2026, 6, 2, 18), duration=HALF_HOUR)
    during = current_or_next(
        changes, [plan], {date(2026, 6, 1)}, TZ, local(2026, 6, 1, 7, 10)
    )
    assert during is not None
    assert (during.start, during.status) == (local(2026, 6, 1, 7), Status.DONE)
    after = current_or_next(changes, [plan], set(), TZ, local(2026, 6, 1, 7, 30))
    assert after is not None
    assert after.plan is plan
    later = current_or_next(changes, [plan], set(), TZ, local(2026, 6, 2, 18, 30))
    assert later is not None
    assert later.start == local(2026, 6, 3, 7)
    assert later.plan is None
    only_plans = current_or_next([], [plan], set(), TZ, local(2026, 6, 1))
    assert only_plans is not None
    assert only_plans.plan is plan
    assert current_or_next([], [plan], set(), TZ, local(2026, 6, 3)) is None
