"""The domain core on its own: weeks, streaks and mood, across zones and DST."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import count
import random
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.run_wellbeing.core.card_view import YEAR_DAYS, card_days
from custom_components.run_wellbeing.core.models import (
    WEEKDAYS,
    Activity,
    GoalChange,
    History,
    MoodEntry,
    Plan,
    ScheduleChange,
    Session,
    Settings,
    WeekStart,
)
from custom_components.run_wellbeing.core.stats import (
    ProfileStats,
    Summary,
    local_midnight,
    week_start_date,
)

AMS = ZoneInfo("Europe/Amsterdam")
NYC = ZoneInfo("America/New_York")
_ids = count()


def run(
    start: datetime,
    activity: Activity = Activity.RUN,
    *,
    duration: float | None = 1800,
    distance: float | None = 5000,
    before: int | None = None,
    after: int | None = None,
) -> Session:
    return Session(
        id=f"s{next(_ids)}",
        start=start,
        activity=activity,
        duration=duration,
        distance=distance,
        mood_before=before,
        mood_after=after,
    )


def mood(at: datetime, value: int) -> MoodEntry:
    return MoodEntry(id=f"m{next(_ids)}", time=at, mood=value)


def stats_for(
    sessions: list[Session] = (),  # type: ignore[assignment]
    moods: list[MoodEntry] = (),  # type: ignore[assignment]
    *,
    tz: ZoneInfo = AMS,
    goals: list[GoalChange] = (),  # type: ignore[assignment]
    **settings: object,
) -> ProfileStats:
    history = History(
        sessions={s.id: s for s in sessions},
        moods={m.id: m for m in moods},
        goal_changes=list(goals),
    )
    return ProfileStats(history, Settings(**settings), tz)  # type: ignore[arg-type]


def at(tz: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=tz)  # type: ignore[misc]


def test_empty_profile_has_zero_counts_and_unknown_moods() -> None:
    summary = stats_for().summary(at(AMS, 2026, 11, 25, 12))
    assert summary.runs_this_week == 0
    assert summary.streak == summary.day_streak == 0
    assert summary.longest_streak == summary.longest_day_streak == 0
    assert summary.mood_score is None
    assert summary.last_mood is None
    assert summary.mood_lift is None
    assert summary.last_run is None
    assert not summary.ran_today
    assert not summary.low_mood
    assert summary.weekly_goal_progress == 0


def test_run_late_on_the_last_day_of_a_week_counts_for_that_week() -> None:
    # Sunday 23:30 in Amsterdam is Sunday 22:30 UTC: still last week locally.
    late_sunday = at(AMS, 2026, 11, 22, 23, 30)
    stats = stats_for([run(late_sunday)])
    assert stats.summary(at(AMS, 2026, 11, 22, 23, 45)).runs_this_week == 1
    monday = stats.summary(at(AMS, 2026, 11, 23, 0, 5))
    assert monday.runs_this_week == 0
    assert monday.week_start == at(AMS, 2026, 11, 23)
    assert monday.day_streak == 1  # yesterday had a run


@pytest.mark.parametrize(
    ("week_start", "expected_start"),
    [
        (WeekStart.MONDAY, date(2026, 11, 23)),
        (WeekStart.SUNDAY, date(2026, 11, 22)),
        (WeekStart.SATURDAY, date(2026, 11, 21)),
    ],
)
def test_week_start_setting_moves_the_week_boundary(
    week_start: WeekStart, expected_start: date
) -> None:
    sessions = [run(at(AMS, 2026, 11, day, 8)) for day in (21, 22, 23)]
    summary = stats_for(sessions, week_start=week_start).summary(
        at(AMS, 2026, 11, 25, 12)
    )
    assert summary.week_start.date() == expected_start
    assert summary.runs_this_week == len(
        [d for d in (21, 22, 23) if d >= expected_start.day]
    )


@pytest.mark.parametrize(
    ("tz", "night"),
    [
        (AMS, date(2026, 3, 29)),  # spring forward
        (AMS, date(2026, 10, 25)),  # fall back
        (NYC, date(2026, 3, 8)),
        (NYC, date(2026, 11, 1)),
    ],
)
def test_dst_nights_keep_days_and_weeks_whole(tz: ZoneInfo, night: date) -> None:
    # Runs at 00:30 and 23:30 local on the DST day and the day before.
    before = night - timedelta(days=1)
    sessions = [
        run(datetime(before.year, before.month, before.day, 23, 30, tzinfo=tz)),
        run(datetime(night.year, night.month, night.day, 0, 30, tzinfo=tz)),
        run(datetime(night.year, night.month, night.day, 23, 30, tzinfo=tz)),
    ]
    stats = stats_for(sessions, tz=tz, week_start=WeekStart.SUNDAY)
    end_of_night = datetime(night.year, night.month, night.day, 23, 59, tzinfo=tz)
    summary = stats.summary(end_of_night)
    assert summary.day_streak == 2
    assert summary.ran_today
    # Both DST days are Sundays: with Sunday week start the night opens a week.
    assert summary.runs_this_week == 2
    assert summary.week_start == datetime(night.year, night.month, night.day, tzinfo=tz)
    # The next refresh is the next local midnight, whatever the day's length.
    after = night + timedelta(days=1)
    assert summary.refresh_at == datetime(after.year, after.month, after.day, tzinfo=tz)


def test_streak_counts_met_weeks_and_keeps_last_week_while_this_week_is_open() -> None:
    now = at(AMS, 2026, 11, 25, 12)  # Wednesday
    sessions = [
        run(at(AMS, 2026, 11, day, 7))
        for day in (2, 4, 6, 9, 11, 13, 16, 18, 20)  # three weeks of three runs
    ]
    stats = stats_for(sessions)
    summary = stats.summary(now)
    assert summary.streak == 3  # this week not met yet: ends with last week
    assert not summary.weekly_goal_met
    for day in (23, 24, 25):
        stats.add_session(run(at(AMS, 2026, 11, day, 7)))
    summary = stats.summary(now)
    assert summary.streak == 4
    assert summary.weekly_goal_met
    assert summary.longest_streak == 4
    assert summary.day_streak == 3
    assert summary.weekly_goal_progress == 100.0


def test_rest_days_never_break_a_streak_but_a_missed_week_does() -> None:
    sessions = (
        [run(at(AMS, 2026, 10, day, 7)) for day in (5, 6, 7)]
        + [  # week of Oct 12 missed (only one run)
            run(at(AMS, 2026, 10, 13, 7))
        ]
        + [run(at(AMS, 2026, 10, day, 7)) for day in (19, 21, 23, 26, 28, 30)]
    )
    summary = stats_for(sessions).summary(at(AMS, 2026, 11, 2, 9))
    assert summary.streak == 2
    assert summary.longest_streak == 2
    assert summary.longest_day_streak == 3


def test_a_week_is_judged_by_the_goal_in_force_at_its_end() -> None:
    sessions = [run(at(AMS, 2026, 11, day, 7)) for day in (9, 11, 16, 18)]
    goals = [
        GoalChange(at(AMS, 2026, 1, 1), 3),
        GoalChange(at(AMS, 2026, 11, 12, 20), 2),  # lowered mid-week: that week
    ]
    summary = stats_for(sessions, goals=goals, weekly_goal=2).summary(
        at(AMS, 2026, 11, 24, 12)
    )
    assert summary.streak == 2
    raised = [*goals, GoalChange(at(AMS, 2026, 11, 24, 8), 4)]
    summary = stats_for(sessions, goals=raised, weekly_goal=4).summary(
        at(AMS, 2026, 11, 24, 12)
    )
    assert summary.weekly_goal == 4
    assert summary.streak == 2  # past weeks keep the goal they had


def test_only_counted_activities_count_but_all_moods_are_observed() -> None:
    now = at(AMS, 2026, 11, 25, 12)
    sessions = [
        run(at(AMS, 2026, 11, 24, 7), Activity.YOGA, before=4, after=7),
        run(at(AMS, 2026, 11, 25, 7), Activity.RUN, distance=4200),
    ]
    summary = stats_for(sessions).summary(now)
    assert summary.runs_this_week == 1
    assert summary.distance_this_week == 4.2
    assert summary.mood_lift == 3.0
    widened = stats_for(
        sessions, counted_activities=frozenset({Activity.RUN, Activity.YOGA})
    ).summary(now)
    assert widened.runs_this_week == 2
    assert widened.duration_this_week == 60.0


def test_mood_score_window_last_mood_and_low_mood() -> None:
    now = at(AMS, 2026, 11, 25, 20)
    moods = [
        mood(at(AMS, 2026, 11, 18, 23), 10),  # 8 days ago: outside the window
        mood(at(AMS, 2026, 11, 19, 0, 30), 3),
        mood(at(AMS, 2026, 11, 22, 9), 4),
    ]
    stats = stats_for(moods=moods)
    summary = stats.summary(now)
    assert summary.mood_score == 3.5
    assert not summary.low_mood  # only two observations
    stats.add_mood(mood(at(AMS, 2026, 11, 25, 8), 4))
    summary = stats.summary(now)
    assert summary.mood_score_exact == pytest.approx(11 / 3)
    assert summary.mood_score == 3.7
    assert summary.low_mood
    # A mood logged now but dated earlier is not the last mood.
    stats.add_mood(mood(at(AMS, 2026, 11, 20, 8), 9))
    assert stats.summary(now).last_mood == 4


def test_low_mood_needs_two_different_days() -> None:
    now = at(AMS, 2026, 11, 25, 20)
    moods = [mood(at(AMS, 2026, 11, 25, hour), 2) for hour in (8, 12, 16)]
    assert not stats_for(moods=moods).summary(now).low_mood


def test_mood_after_is_observed_at_the_end_of_the_session() -> None:
    start = at(AMS, 2026, 11, 25, 7)
    stats = stats_for(
        [run(start, before=3, after=8, duration=3600)], moods=[mood(start, 5)]
    )
    summary = stats.summary(at(AMS, 2026, 11, 25, 9))
    assert summary.last_mood == 8
    assert summary.mood_score == pytest.approx(round(16 / 3, 1))


def test_mood_lift_covers_thirty_days() -> None:
    now = at(AMS, 2026, 11, 25, 12)
    sessions = [
        run(at(AMS, 2026, 10, 26, 7), before=2, after=9),  # day 31 back: out
        run(at(AMS, 2026, 10, 27, 7), before=5, after=6),
        run(at(AMS, 2026, 11, 20, 7), before=4, after=6),
        run(at(AMS, 2026, 11, 21, 7), before=5),
    ]
    assert stats_for(sessions).summary(now).mood_lift == 1.5


def test_deleting_a_record_can_lower_the_longest_streak() -> None:
    days = (2, 3, 4, 5)
    sessions = [run(at(AMS, 2026, 11, day, 7)) for day in days]
    stats = stats_for(sessions)
    now = at(AMS, 2026, 11, 25, 12)
    assert stats.summary(now).longest_day_streak == 4
    del stats.history.sessions[sessions[1].id]
    stats.rebuild()
    assert stats.summary(now).longest_day_streak == 2


def test_time_zone_change_moves_sessions_to_other_local_days() -> None:
    # 03:00 UTC is Tuesday in Amsterdam but still Monday evening in New York.
    session = run(datetime(2026, 11, 24, 3, tzinfo=UTC))
    stats = stats_for([session])
    assert stats.summary(at(AMS, 2026, 11, 24, 12)).ran_today
    stats.rebuild(tz=NYC)
    summary = stats.summary(datetime(2026, 11, 24, 12, tzinfo=NYC))
    assert not summary.ran_today
    assert summary.day_streak == 1


# --- Properties: the incremental indexes agree with a naive recomputation ---

SETTINGS = st.builds(
    Settings,
    weekly_goal=st.integers(1, 4),
    week_start=st.sampled_from(list(WeekStart)),
    counted_activities=st.sets(
        st.sampled_from([Activity.RUN, Activity.WALK]), min_size=1
    ).map(frozenset),
    low_mood_threshold=st.floats(1, 10),
)
ZONES = st.sampled_from([AMS, NYC, ZoneInfo("Asia/Kolkata"), ZoneInfo("UTC")])
BASE = datetime(2026, 1, 1, tzinfo=UTC)
MOMENTS = st.integers(0, 330 * 24 * 60).map(lambda m: BASE + timedelta(minutes=m))
SESSIONS = st.lists(
    st.builds(
        run,
        MOMENTS,
        st.sampled_from([Activity.RUN, Activity.WALK, Activity.YOGA]),
        duration=st.none() | st.integers(60, 7200).map(float),
        distance=st.none() | st.integers(0, 30000).map(float),
        before=st.none() | st.integers(1, 10),
        after=st.none() | st.integers(1, 10),
    ),
    max_size=60,
)
MOODS = st.lists(st.builds(mood, MOMENTS, st.integers(1, 10)), max_size=30)


def naive(stats: ProfileStats, now: datetime) -> dict[str, object]:
    """Recompute the definitions literally, the slow way."""
    tz = stats.tz
    settings = stats.settings
    today = now.astimezone(tz).date()

    def week_of(day: date) -> date:
        return day - timedelta(days=(day.weekday() - settings.week_start.weekday) % 7)

    counted = [
        s
        for s in stats.history.sessions.values()
        if s.activity in settings.counted_activities
    ]
    days = [s.start.astimezone(tz).date() for s in counted]
    week = week_of(today)
    runs = sum(1 for d in days if week_of(d) == week)
    met = {
        w
        for w in {week_of(d) for d in days}
        if sum(week_of(d) == w for d in days) >= settings.weekly_goal
    }
    streak = 0
    cursor = week if week in met else week - timedelta(days=7)
    while cursor in met:
        streak += 1
        cursor -= timedelta(days=7)
    day_set = set(days)
    day_streak = 0
    cursor = today if today in day_set else today - timedelta(days=1)
    while cursor in day_set:
        day_streak += 1
        cursor -= timedelta(days=1)
    longest_week = max(
        (next(i for i in count() if w - timedelta(days=7 * i) not in met) for w in met),
        default=0,
    )
    longest_day = max(
        (
            next(i for i in count() if d - timedelta(days=i) not in day_set)
            for d in day_set
        ),
        default=0,
    )
    observations = [(m.time, m.mood) for m in stats.history.moods.values()]
    for s in stats.history.sessions.values():
        if s.mood_before is not None:
            observations.append((s.start, s.mood_before))
        if s.mood_after is not None:
            observations.append(
                (s.start + timedelta(seconds=s.duration or 0), s.mood_after)
            )
    window = [
        v
        for t, v in observations
        if today - timedelta(days=6) <= t.astimezone(tz).date() <= today
    ]
    return {
        "runs_this_week": runs,
        "streak": streak,
        "day_streak": day_streak,
        "longest_streak": longest_week,
        "longest_day_streak": longest_day,
        "total_runs": len(counted),
        "ran_today": today in day_set,
        "mood_score": round(sum(window) / len(window), 1) if window else None,
    }


def observed(summary: Summary) -> dict[str, object]:
    return {
        "runs_this_week": summary.runs_this_week,
        "streak": summary.streak,
        "day_streak": summary.day_streak,
        "longest_streak": summary.longest_streak,
        "longest_day_streak": summary.longest_day_streak,
        "total_runs": summary.total_runs,
        "ran_today": summary.ran_today,
        "mood_score": summary.mood_score,
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SESSIONS, MOODS, SETTINGS, ZONES, MOMENTS)
def test_summary_matches_the_definitions(
    sessions: list[Session],
    moods: list[MoodEntry],
    profile: Settings,
    tz: ZoneInfo,
    now: datetime,
) -> None:
    stats = ProfileStats(
        History(sessions={s.id: s for s in sessions}, moods={m.id: m for m in moods}),
        profile,
        tz,
    )
    assert observed(stats.summary(now)) == naive(stats, now)


@settings(max_examples=100, deadline=None)
@given(SESSIONS, MOODS, SETTINGS, ZONES, MOMENTS)
def test_adding_records_one_by_one_equals_a_rebuild(
    sessions: list[Session],
    moods: list[MoodEntry],
    profile: Settings,
    tz: ZoneInfo,
    now: datetime,
) -> None:
    incremental = ProfileStats(History(), profile, tz)
    for session in sessions:
        incremental.history.sessions[session.id] = session
        incremental.add_session(session)
        # Reading in between fills the cached runs that later adds must correct.
        incremental.summary(now)
    for entry in moods:
        incremental.history.moods[entry.id] = entry
        incremental.add_mood(entry)
    rebuilt = ProfileStats(incremental.history, profile, tz)
    assert incremental.summary(now) == rebuilt.summary(now)


def test_removing_records_matches_a_rebuild() -> None:
    """Deleting in place gives the same values as indexing the rest afresh."""
    rng = random.Random(7)
    tz = ZoneInfo("Europe/Amsterdam")
    now = datetime(2026, 3, 18, 19, 30, tzinfo=tz)
    history = History()
    stats = ProfileStats(history, Settings(weekly_goal=2), tz)
    for index in range(300):
        start = now - timedelta(hours=rng.randrange(24 * 120))
        session = Session(
            id=f"s{index}",
            start=start,
            duration=1800.0,
            distance=5000.0,
            mood_before=rng.randint(1, 10),
            mood_after=rng.randint(1, 10),
        )
        history.sessions[session.id] = session
        stats.add_session(session)
        mood = MoodEntry(id=f"m{index}", time=start, mood=rng.randint(1, 10))
        history.moods[mood.id] = mood
        stats.add_mood(mood)
    for index in rng.sample(range(300), 200):
        stats.remove_session(history.sessions.pop(f"s{index}"))
        stats.remove_mood(history.moods.pop(f"m{index}"))
        fresh = ProfileStats(history, Settings(weekly_goal=2), tz)
        assert stats.summary(now) == fresh.summary(now)
        assert stats.sessions_between(None, None) == fresh.sessions_between(None, None)


# --- Properties: kept state (streak runs, card arrays, slot dates) after any
# sequence of changes equals a full recomputation ---

PLAN_MOMENTS = st.integers(0, 400 * 24).map(lambda h: BASE + timedelta(hours=h))
SCHEDULES = st.builds(
    lambda days, hour: (tuple(days), time(hour)),
    st.lists(st.sampled_from(WEEKDAYS), unique=True, max_size=4),
    st.integers(0, 23),
)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), SESSIONS.map(lambda found: found[:3])),
        st.tuples(st.just("remove"), st.integers(0, 1000)),
        st.tuples(st.just("edit"), st.integers(0, 1000), MOMENTS),
        st.tuples(st.just("mood"), st.builds(mood, MOMENTS, st.integers(1, 10))),
        st.tuples(st.just("unmood"), st.integers(0, 1000)),
        st.tuples(st.just("plan"), PLAN_MOMENTS),
        st.tuples(st.just("cancel"), st.integers(0, 1000)),
        st.tuples(st.just("options"), SETTINGS),
        st.tuples(st.just("schedule"), SCHEDULES),
        st.tuples(st.just("later"), st.integers(1, 9 * 24 * 60)),
        st.tuples(st.just("zone"), ZONES),
    ),
    max_size=40,
)


def card_days_reference(stats: ProfileStats, now: datetime) -> dict[str, object]:
    """Return the card's days the slow way: every day looked up, every slot laid out."""
    tz = stats.tz
    today = now.astimezone(tz).date()
    weekday = stats.settings.week_start.weekday
    first = week_start_date(today - timedelta(days=YEAR_DAYS), weekday)
    last = week_start_date(today, weekday) + timedelta(days=6)
    total = (last - first).days + 1
    marks = ["-"] * total
    for occurrence in stats.planned(
        local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz), now
    ):
        index = (occurrence.start.astimezone(tz).date() - first).days
        if 0 <= index < total and marks[index] != "d":
            marks[index] = {"done": "d", "missed": "m", "upcoming": "p"}[
                occurrence.status
            ]
    totals = [stats.day_totals(first + timedelta(days=i)) for i in range(total)]
    return {
        "first": first.isoformat(),
        "count": [count for count, _distance, _duration in totals],
        "distance": [round(distance / 100) for _c, distance, _d in totals],
        "plan": "".join(marks),
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPERATIONS, SETTINGS, ZONES, MOMENTS)
def test_kept_state_equals_a_full_recomputation(
    operations: list[tuple[object, ...]],
    profile: Settings,
    tz: ZoneInfo,
    start: datetime,
) -> None:
    """Any sequence of changes leaves the same values as a fresh index.

    Adds, deletes, edits, option and schedule changes, midnights and moves of
    zone, each applied as the coordinator applies it, leave the summary and the
    card's days equal to indexing the history afresh.
    """
    history = History(goal_changes=[GoalChange(BASE, profile.weekly_goal)])
    stats = ProfileStats(history, profile, tz)
    now = start
    card_days(stats, now)  # fill the kept arrays and slots the changes must follow
    for operation in operations:
        match operation:
            case ("add", list(added)):
                for session in added:
                    history.sessions[session.id] = session
                    stats.add_session(session)
            case ("remove", int(pick)) if history.sessions:
                key = list(history.sessions)[pick % len(history.sessions)]
                stats.remove_session(history.sessions.pop(key))
            case ("edit", int(pick), datetime() as moved) if history.sessions:
                old = list(history.sessions.values())[pick % len(history.sessions)]
                new = replace(old, start=moved)
                history.sessions[old.id] = new
                stats.remove_session(old)
                stats.add_session(new)
            case ("mood", MoodEntry() as entry):
                history.moods[entry.id] = entry
                stats.add_mood(entry)
            case ("unmood", int(pick)) if history.moods:
                key = list(history.moods)[pick % len(history.moods)]
                stats.remove_mood(history.moods.pop(key))
            case ("plan", datetime() as when):
                plan = Plan(id=f"p{next(_ids)}", start=when, duration=1800.0)
                history.plans[plan.id] = plan
                stats.add_plan(plan)
            case ("cancel", int(pick)) if history.plans:
                key = list(history.plans)[pick % len(history.plans)]
                stats.remove_plan(history.plans.pop(key))
            case ("options", Settings() as changed):
                history.goal_changes.append(GoalChange(now, changed.weekly_goal))
                if (changed.week_start, changed.counted_activities) != (
                    stats.settings.week_start,
                    stats.settings.counted_activities,
                ):
                    stats.rebuild(settings=changed)
                else:
                    stats.reindex_goals(changed)
            case ("schedule", (tuple(days), time() as wall)):
                history.schedule_changes.append(ScheduleChange(now, days, wall, 1800.0))
            case ("later", int(minutes)):
                now += timedelta(minutes=minutes)
            case ("zone", ZoneInfo() as zone):
                stats.rebuild(tz=zone)
        fresh = ProfileStats(history, stats.settings, stats.tz)
        assert stats.summary(now) == fresh.summary(now)
        shown = card_days(stats, now)
        assert shown == card_days(fresh, now)
        assert shown["days"] == card_days_reference(fresh, now)


def test_a_long_streak_moves_on_at_midnight_without_counting_back() -> None:
    """At midnight the kept run grows by one step; a gap the next day ends it."""
    tz = AMS
    first = date(2020, 1, 1)
    stats = stats_for(
        [run(at(tz, 2020, 1, 1, 8) + timedelta(days=i)) for i in range(2000)]
    )
    last = first + timedelta(days=1999)
    steps = 0
    real_day_active = stats._day_active

    def counting(day: date) -> bool:
        nonlocal steps
        steps += 1
        return real_day_active(day)

    noon = at(tz, last.year, last.month, last.day, 12)
    assert stats.summary(noon).day_streak == 2000
    stats._day_active = counting  # type: ignore[method-assign]
    assert stats.summary(noon + timedelta(days=1)).day_streak == 2000
    assert steps < 10
    assert stats.summary(noon + timedelta(days=2)).day_streak == 0
