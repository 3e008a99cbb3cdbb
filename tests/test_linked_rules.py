"""The plain rules behind linked sensors: readings, bouts and nights."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.run_wellbeing.core.activity_detection import (
    ActivityTracker,
    Bout,
    classify,
    confidence_trusted,
)
from custom_components.run_wellbeing.core.models import Activity, History
from custom_components.run_wellbeing.core.sleep import (
    night_of,
    sleep_after_runs,
    to_hours,
)
from custom_components.run_wellbeing.linked_sensors import mood_from_reply

T0 = datetime(2026, 11, 25, 6, tzinfo=UTC)


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


@pytest.mark.parametrize(
    ("state", "attributes", "expected"),
    [
        ("running", {}, Activity.RUN),
        ("on_bicycle", {}, Activity.CYCLE),
        ("on_foot", {}, Activity.WALK),
        ("still", {}, None),
        ("Running", {}, Activity.RUN),
        ("Walking, Running", {}, Activity.WALK),
        ("Stationary", {}, None),
        ("exercise", {"exercise_type": "BIKING_STATIONARY"}, Activity.CYCLE),
        ("exercise", {"exercise_type": "HIKING"}, Activity.HIKE),
        ("exercise", {"type": "Yoga"}, Activity.YOGA),
        ("exercise", {"exercise_type": 7}, Activity.OTHER),
        ("exercise", {}, Activity.OTHER),
        ("passive", {}, None),
        ("unavailable", {}, None),
    ],
)
def test_classify(state: str, attributes: dict[str, Any], expected: Any) -> None:
    assert classify(state, attributes) is expected


@pytest.mark.parametrize(
    ("confidence", "trusted"),
    [
        (None, True),
        (49, False),
        (50, True),
        (100.0, True),
        ("Low", False),
        ("medium", True),
        ("High", True),
        ("30", False),
        ("80", True),
        ("whatever", True),
        (True, True),
        ([1], True),
    ],
)
def test_confidence(confidence: Any, trusted: bool) -> None:
    attributes = {} if confidence is None else {"confidence": confidence}
    assert confidence_trusted(attributes) is trusted


def test_flickers_do_not_end_a_bout_and_a_change_starts_the_next() -> None:
    tracker = ActivityTracker()
    assert tracker.observe(minutes(0), None) is None
    assert tracker.observe(minutes(1), Activity.RUN) is None
    assert tracker.observe(minutes(10), None) is None
    assert tracker.deadline == minutes(12)
    assert tracker.observe(minutes(11), Activity.RUN) is None
    assert tracker.deadline is None
    # From running to cycling for good: the run ends where the ride begins.
    assert tracker.observe(minutes(20), Activity.CYCLE) is None
    assert tracker.observe(minutes(21), None) is None
    assert tracker.observe(minutes(21.5), Activity.CYCLE) is None
    assert tracker.expire(minutes(21.9)) is None
    bout = tracker.observe(minutes(30), Activity.CYCLE)
    assert bout == Bout(Activity.RUN, minutes(1), minutes(20))
    assert bout.duration == timedelta(minutes=19)
    assert tracker.activity is Activity.CYCLE
    assert tracker.start == minutes(21.5)
    assert tracker.observe(minutes(40), None) is None
    assert tracker.expire(minutes(42)) == Bout(
        Activity.CYCLE, minutes(21.5), minutes(40)
    )
    assert tracker.activity is None


@pytest.mark.parametrize(
    ("value", "unit", "hours"),
    [
        ("7.5", "h", 7.5),
        (450, "min", 7.5),
        ("27000", "s", 7.5),
        ("27000000", "ms", 7.5),
        ("0.3125", "d", 7.5),
        ("7.5", None, 7.5),
        ("7.5", "fortnights", None),
        ("unknown", "h", None),
        (None, "h", None),
        ("-1", "h", None),
        ("nan", "h", None),
        ("25", "h", None),
    ],
)
def test_to_hours(value: Any, unit: str | None, hours: float | None) -> None:
    assert to_hours(value, unit) == hours


def test_night_window_across_dst() -> None:
    tz = ZoneInfo("Europe/Amsterdam")
    # 25 October 2026, 03:30 CET (after the clocks went back) is 02:30 UTC.
    assert night_of(datetime(2026, 10, 25, 2, 30, tzinfo=UTC), tz) == date(2026, 10, 24)
    # 02:30 CEST on 29 March 2026 does not exist; 01:59 UTC is 03:59 CEST.
    assert night_of(datetime(2026, 3, 29, 1, 59, tzinfo=UTC), tz) == date(2026, 3, 28)
    assert night_of(datetime(2026, 3, 29, 0, 59, tzinfo=UTC), tz) is None
    assert night_of(datetime(2026, 3, 29, 13, 0, tzinfo=UTC), tz) is None


def test_sleep_after_runs_needs_three_of_each() -> None:
    today = date(2026, 11, 10)
    run_days = {today - timedelta(days=n) for n in (1, 2, 3, 31)}
    nights = {
        (today - timedelta(days=n)).isoformat(): 7.0 + n % 2 for n in range(1, 32)
    }
    nights[today.isoformat()] = 1.0  # tonight has not happened yet
    value, after_runs, after_rest = sleep_after_runs(
        nights, today, run_days.__contains__
    )
    # Run nights 1, 2, 3 → 8, 7, 8; rest nights 4..30 → 14 of 7 h and 13 of 8 h.
    rest_mean = (14 * 7 + 13 * 8) / 27
    assert (after_runs, after_rest) == (3, 27)
    assert value == round(23 / 3 - rest_mean, 2)
    assert sleep_after_runs({}, today, run_days.__contains__) == (None, 0, 0)


@pytest.mark.parametrize(
    ("reply", "mood"),
    [("7", 7), ("I'd say 9/10", 9), ("10", 10), ("0", None), ("meh", None), (3, None)],
)
def test_mood_from_reply(reply: Any, mood: int | None) -> None:
    assert mood_from_reply(reply) == mood


@pytest.mark.parametrize(
    "stored",
    [[1], {"2026-13-01": 7.0}, {"2026-11-01": "7"}, {"2026-11-01": 30.0}, {1: 7.0}],
)
def test_damaged_sleep_nights_fail_on_load(stored: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        History.from_dict({"sleep_nights": stored})


def test_old_files_load_without_sleep_nights() -> None:
    assert History.from_dict({}).sleep_nights == {}
    assert History.from_dict({"sleep_nights": {"2026-11-01": 7}}).sleep_nights == {
        "2026-11-01": 7.0
    }
