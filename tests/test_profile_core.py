"""The profile's use cases as plain Python: no Home Assistant, a fake writer.

Each use case writes first and changes the history only once the write is
done; a failed write changes nothing.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.run_wellbeing.core.models import (
    Activity,
    History,
    MoodEntry,
    Plan,
    RecordError,
    Session,
    Settings,
    WeekStart,
)
from custom_components.run_wellbeing.core.profile import Profile, ulid_time_ms
from custom_components.run_wellbeing.core.stats import ProfileStats

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 11, 12, tzinfo=UTC)  # a Wednesday
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid_at(moment: datetime, serial: int) -> str:
    """Return a ULID made at `moment` (its first 48 bits are the time)."""
    value = int(moment.timestamp() * 1000)
    head = "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(10)))
    return head + f"{serial:016d}"


class Journal:
    """A writer that keeps what it was given, or fails when told to."""

    def __init__(self) -> None:
        """Start healthy and empty."""
        self.ops: list[dict[str, Any]] = []
        self.fail = False
        self.gate: asyncio.Event | None = None

    async def write(self, op: dict[str, Any]) -> None:
        """Keep the op once the gate (if any) opens; fail while `fail`."""
        if self.gate is not None:
            await self.gate.wait()
        if self.fail:
            raise OSError(28, "No space left on device")
        self.ops.append(op)


class Clock:
    """A clock that moves only when told, and makes ULIDs of its time."""

    def __init__(self) -> None:
        """Stand at NOW."""
        self.now = NOW
        self._serial = count()

    def __call__(self) -> datetime:
        """Return the time."""
        return self.now

    def new_id(self) -> str:
        """Return a new ULID made now."""
        return ulid_at(self.now, next(self._serial))


@pytest.fixture
def journal() -> Journal:
    return Journal()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def profile(journal: Journal, clock: Clock) -> Profile:
    history = History()
    return Profile(
        history,
        ProfileStats(history, Settings(weekly_goal=2), AMS),
        journal.write,
        clock=clock,
        new_id=clock.new_id,
    )


async def test_a_logged_session_is_written_then_counted(
    profile: Profile, journal: Journal
) -> None:
    session = await profile.log_session(duration=1800, distance=5000, note="easy")

    assert journal.ops == [{"op": "session", "record": session.as_dict()}]
    assert profile.history.sessions == {session.id: session}
    assert profile.stats.summary(NOW).runs_this_week == 1


async def test_a_failed_write_keeps_nothing(profile: Profile, journal: Journal) -> None:
    journal.fail = True

    with pytest.raises(OSError, match="No space"):
        await profile.log_session(duration=1800)
    with pytest.raises(OSError, match="No space"):
        await profile.log_mood(mood=6)
    with pytest.raises(OSError, match="No space"):
        await profile.plan_run(start=NOW + timedelta(days=1), duration=1800)

    assert profile.history == History()
    assert profile.stats.summary(NOW).total_runs == 0


async def test_nothing_is_applied_before_the_write_is_done(
    profile: Profile, journal: Journal
) -> None:
    journal.gate = asyncio.Event()
    task = asyncio.create_task(profile.log_mood(mood=7))
    await asyncio.sleep(0)

    assert profile.history.moods == {}

    journal.gate.set()
    mood = await task
    assert profile.history.moods == {mood.id: mood}


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"duration": -1}, "invalid_duration"),
        ({"distance": -5}, "invalid_distance"),
        ({"mood_before": 11}, "invalid_mood"),
        ({"effort": 0}, "invalid_effort"),
        ({"note": "x" * 501}, "note_too_long"),
        ({"start": NOW + timedelta(hours=1)}, "time_in_future"),
        ({"start": datetime(1969, 12, 31, 22, tzinfo=UTC)}, "time_too_early"),
    ],
)
async def test_refused_sessions_write_nothing(
    profile: Profile, journal: Journal, kwargs: dict[str, Any], key: str
) -> None:
    with pytest.raises(RecordError) as err:
        await profile.log_session(**kwargs)

    assert err.value.translation_key == key
    assert journal.ops == []
    assert profile.history.sessions == {}


async def test_update_keeps_the_id_and_reindexes(
    profile: Profile, journal: Journal
) -> None:
    session = await profile.log_session(duration=1800, activity=Activity.RUN)

    walk = await profile.update_record(session.id, {"activity": "walk", "note": ""})

    assert walk.id == session.id
    assert walk.activity is Activity.WALK
    assert journal.ops[-1] == {"op": "session", "record": walk.as_dict()}
    assert profile.stats.summary(NOW).runs_this_week == 0
    with pytest.raises(RecordError, match="invalid_activity"):
        await profile.update_record(session.id, {"activity": "flying"})
    with pytest.raises(RecordError, match="record_not_found"):
        await profile.update_record("nope", {"mood": 3})


async def test_update_of_a_mood_is_checked_like_a_new_one(profile: Profile) -> None:
    mood = await profile.log_mood(mood=4, note="tired")

    changed = await profile.update_record(mood.id, {"mood": 8, "note": ""})

    assert isinstance(changed, MoodEntry)
    assert (changed.mood, changed.note) == (8, None)
    with pytest.raises(RecordError, match="invalid_mood"):
        await profile.update_record(mood.id, {"mood": 0})
    assert profile.history.moods[mood.id] == changed


async def test_undo_removes_the_newest_of_the_asked_kinds_within_the_window(
    profile: Profile, clock: Clock, journal: Journal
) -> None:
    run = await profile.log_session(duration=1800)
    clock.now += timedelta(minutes=1)
    mood = await profile.log_mood(mood=6)
    clock.now += timedelta(minutes=1)

    # "Delete my last run" never removes the mood logged after it.
    assert await profile.undo_last(timedelta(minutes=5), (Session,)) == run
    assert mood.id in profile.history.moods
    assert journal.ops[-1] == {"op": "delete", "id": run.id}

    clock.now += timedelta(minutes=10)
    assert await profile.undo_last(timedelta(minutes=5)) is None
    assert mood.id in profile.history.moods


def test_a_ulid_starts_with_its_time() -> None:
    assert ulid_time_ms(ulid_at(NOW, 1)) == NOW.timestamp() * 1000
    assert ulid_time_ms("not-a-ulid") is None
    assert ulid_time_ms("!" * 26) is None


async def test_plans_are_future_and_cancelled_once(profile: Profile) -> None:
    with pytest.raises(RecordError, match="plan_in_past"):
        await profile.plan_run(start=NOW - timedelta(hours=1), duration=1800)
    with pytest.raises(RecordError, match="naive_time"):
        await profile.plan_run(start=datetime(2026, 12, 1), duration=1800)  # noqa: DTZ001
    plan = await profile.plan_run(start=NOW + timedelta(days=1), duration=1800)

    assert profile.stats.summary(NOW).next_planned_run == plan.start
    assert await profile.cancel_plan(plan.id) == plan
    with pytest.raises(RecordError, match="plan_not_found"):
        await profile.cancel_plan(plan.id)
    with pytest.raises(RecordError, match="record_not_found"):
        await profile.delete_record(plan.id)


async def test_an_import_is_one_write_all_or_nothing(
    profile: Profile, journal: Journal
) -> None:
    sessions = [
        Session(id=f"s{i}", start=NOW - timedelta(days=i), duration=1800)
        for i in range(1, 150)
    ]
    mood = MoodEntry(id="m1", time=NOW - timedelta(days=1), mood=5)
    plan = Plan(id="p1", start=NOW + timedelta(days=2), duration=1800)
    bad = Session(id="bad", start=NOW, duration=-1)

    with pytest.raises(RecordError, match="invalid_duration"):
        await profile.add_records([*sessions, bad], [mood], [plan])
    assert journal.ops == []

    await profile.add_records(sessions, [mood], [plan])

    assert len(journal.ops) == 1
    assert journal.ops[0]["op"] == "records"
    assert profile.stats.summary(NOW).total_runs == 149
    assert set(profile.history.plans) == {"p1"}


def fresh_index(profile: Profile) -> ProfileStats:
    """Return the statistics indexed from scratch from the profile's history."""
    return ProfileStats(profile.history, profile.stats.settings, profile.stats.tz)


async def test_an_import_indexed_in_a_thread_counts_like_a_fresh_index(
    profile: Profile, clock: Clock
) -> None:
    """An import's statistics are built away from the loop and then kept."""
    kept = await profile.log_session(start=NOW - timedelta(hours=2), duration=1800)
    sessions = [
        Session(id=f"s{i}", start=NOW - timedelta(days=i, hours=1), duration=1800)
        for i in range(1, 400)
    ]
    moods = [
        MoodEntry(id=f"m{i}", time=NOW - timedelta(days=i), mood=1 + i % 10)
        for i in range(1, 50)
    ]
    stats = profile.stats

    await profile.add_records(sessions, moods, [])

    assert profile.stats is stats  # the same object the entities read
    assert stats.history is profile.history
    assert stats.summary(NOW) == fresh_index(profile).summary(NOW)
    assert stats.summary(NOW).total_runs == 400
    # Indexed on: a run logged after the import counts, and can be deleted.
    clock.now = NOW + timedelta(minutes=1)
    later = await profile.log_session(start=NOW, duration=600)
    await profile.delete_record(kept.id)
    assert stats.summary(clock.now) == fresh_index(profile).summary(clock.now)
    assert [s.id for s in stats.sessions_between(NOW - timedelta(hours=3), None)] == [
        later.id
    ]


async def test_a_run_logged_during_an_import_is_counted_too(
    profile: Profile, journal: Journal
) -> None:
    """A change while the import is being indexed and written is not lost."""
    sessions = [
        Session(id=f"s{i}", start=NOW - timedelta(days=i), duration=1800)
        for i in range(1, 300)
    ]
    gate = asyncio.Event()
    waiting = asyncio.Event()
    write = journal.write

    async def slow_import_write(op: dict[str, Any]) -> None:
        if op["op"] == "records":
            waiting.set()
            await gate.wait()
        await write(op)

    profile._write = slow_import_write  # a slow disk, for the import only
    importing = asyncio.create_task(profile.add_records(sessions, [], []))
    await waiting.wait()  # indexed in its thread, now being written
    await profile.log_session(start=NOW - timedelta(hours=1), duration=900)
    gate.set()
    await importing

    assert profile.stats.summary(NOW).total_runs == 300
    assert profile.stats.summary(NOW) == fresh_index(profile).summary(NOW)


async def test_settings_are_written_before_they_count(
    profile: Profile, journal: Journal, clock: Clock
) -> None:
    assert await profile.apply_settings(Settings(weekly_goal=2), [], time(7), 1800)
    assert [op["op"] for op in journal.ops] == ["goal"]
    # The same settings again change nothing and write nothing.
    assert not await profile.apply_settings(Settings(weekly_goal=2), [], time(7), 1800)
    assert len(journal.ops) == 1

    clock.now += timedelta(hours=1)
    journal.fail = True
    with pytest.raises(OSError, match="No space"):
        await profile.apply_settings(
            Settings(weekly_goal=5, week_start=WeekStart.SUNDAY),
            ["fri", "mon"],
            time(7),
            1800,
        )
    # Nothing half-applied: goal, schedule and week start are as they were.
    assert [g.goal for g in profile.history.goal_changes] == [2]
    assert profile.history.schedule_changes == []
    assert profile.stats.settings == Settings(weekly_goal=2)

    journal.fail = False
    await profile.apply_settings(Settings(weekly_goal=5), ["fri", "mon"], time(7), 1800)
    assert [op["op"] for op in journal.ops] == ["goal", "goal", "schedule"]
    assert profile.history.schedule_changes[-1].days == ("mon", "fri")
    assert profile.history.goal_changes[-1].effective == clock.now
    assert profile.stats.summary(clock.now).weekly_goal == 5


async def test_a_week_is_marked_once_even_when_asked_twice_at_once(
    profile: Profile, journal: Journal
) -> None:
    first, second = await asyncio.gather(
        profile.mark_goal_reached("2026-11-09"), profile.mark_goal_reached("2026-11-09")
    )

    assert sorted([first, second]) == [False, True]
    assert journal.ops == [{"op": "week", "week": "2026-11-09"}]
    assert profile.history.goal_reached_weeks == {"2026-11-09"}


async def test_a_failed_week_mark_is_not_kept(
    profile: Profile, journal: Journal
) -> None:
    journal.fail = True
    with pytest.raises(OSError, match="No space"):
        await profile.mark_goal_reached("2026-11-09")

    assert profile.history.goal_reached_weeks == set()


async def test_sleep_nights_are_written_when_they_change(
    profile: Profile, journal: Journal
) -> None:
    tz_morning = datetime(2026, 3, 29, 6, tzinfo=UTC)  # 08:00 CEST

    assert await profile.record_sleep([(tz_morning, 7.0)])
    assert not await profile.record_sleep([(tz_morning + timedelta(hours=1), 7.0)])
    # Late in the evening a report belongs to no night.
    assert not await profile.record_sleep([(tz_morning + timedelta(hours=16), 1.0)])
    assert journal.ops == [{"op": "sleep", "nights": {"2026-03-28": 7.0}}]

    # A backfill keeps only nights not seen yet, the last report of each.
    assert await profile.backfill_sleep(
        [
            (tz_morning, 5.0),
            (tz_morning - timedelta(days=1), 6.0),
            (tz_morning - timedelta(days=1, hours=-1), 6.5),
        ]
    )
    assert profile.history.sleep_nights == {"2026-03-28": 7.0, "2026-03-27": 6.5}

    journal.fail = True
    with pytest.raises(OSError, match="No space"):
        await profile.record_sleep([(tz_morning, 8.0)])
    assert profile.history.sleep_nights["2026-03-28"] == 7.0


async def test_a_session_near_a_bout(profile: Profile) -> None:
    session = await profile.log_session(
        start=NOW - timedelta(hours=2), duration=3600, activity=Activity.RUN
    )
    start = session.start

    assert profile.has_session_near(Activity.RUN, start + timedelta(minutes=50), NOW)
    assert not profile.has_session_near(Activity.WALK, start, NOW)
    assert not profile.has_session_near(
        Activity.RUN, start + timedelta(minutes=61), NOW
    )
    assert not profile.has_session_near(
        Activity.RUN, start - timedelta(hours=2), start - timedelta(minutes=1)
    )


async def test_a_time_zone_change_moves_local_days(profile: Profile) -> None:
    await profile.log_session(start=datetime(2026, 11, 8, 23, 30, tzinfo=UTC))

    # 00:30 Monday in Amsterdam: this week; 18:30 Sunday in New York: last week.
    assert profile.stats.summary(NOW).runs_this_week == 1
    profile.follow_time_zone(ZoneInfo("America/New_York"))
    assert profile.stats.summary(NOW).runs_this_week == 0
