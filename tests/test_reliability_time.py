"""Time: DST nights, a time zone change, a clock that jumps; values match a recount."""

from __future__ import annotations

from datetime import datetime, timedelta
import random
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HassJob, HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    get_scheduled_timer_handles,
)

from custom_components.run_wellbeing.coordinator import (
    RunWellbeingCoordinator,
    settings_from_options,
)
from custom_components.run_wellbeing.core.models import History
from custom_components.run_wellbeing.core.stats import ProfileStats, Summary

from .conftest import ProfileFactory
from .reliability import log_mood, log_run

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def recount(entry: MockConfigEntry) -> Summary:
    """Return the summary computed from scratch from the stored form of the history."""
    history = History.from_dict(entry.runtime_data.history.as_dict())
    stats = ProfileStats(
        history, settings_from_options(entry.options), dt_util.get_default_time_zone()
    )
    return stats.summary(dt_util.utcnow())


def assert_consistent(hass: HomeAssistant, entry: MockConfigEntry) -> Summary:
    """Check the profile's values against a recount, and its entities against both."""
    summary = entry.runtime_data.data
    assert summary == recount(entry)
    runs = hass.states.get("sensor.alex_runs_this_week")
    ran_today = hass.states.get("binary_sensor.alex_ran_today")
    assert runs is not None
    assert ran_today is not None
    assert runs.state == str(summary.runs_this_week)
    assert runs.attributes["last_reset"] == summary.week_start.isoformat()
    assert ran_today.state == ("on" if summary.ran_today else "off")
    return summary


async def move(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, moment: datetime
) -> None:
    """Let the clock reach a moment and whatever is due then happen."""
    freezer.move_to(moment)
    async_fire_time_changed(hass, moment)
    await hass.async_block_till_done()


def local(text: str) -> datetime:
    """Return an Amsterdam wall-clock time (first occurrence when ambiguous)."""
    return datetime.fromisoformat(text).replace(tzinfo=AMSTERDAM)


async def test_spring_forward_night(
    hass: HomeAssistant, add_profile: ProfileFactory, freezer: FrozenDateTimeFactory
) -> None:
    """The 23-hour Sunday counts both runs and ends at the real local midnight."""
    await move(hass, freezer, local("2026-03-28T21:00"))
    alex = await add_profile("Alex", weekly_goal=2)
    await log_run(hass, alex, start=local("2026-03-28T20:00").isoformat())

    # Every 20 minutes through the night the clock skips 02:00-03:00.
    moment = local("2026-03-28T21:00").astimezone(dt_util.UTC)
    while moment < local("2026-03-30T02:00"):
        moment += timedelta(minutes=20)
        await move(hass, freezer, moment)
        wall = moment.astimezone(AMSTERDAM)
        if wall.strftime("%d %H:%M") in {"29 01:40", "29 03:20"}:
            await log_run(hass, alex)
        summary = assert_consistent(hass, alex)
        if wall.date().day == 29 and wall.hour >= 4:
            assert summary.runs_this_week == 3
            assert summary.ran_today
            assert summary.refresh_at == datetime.fromisoformat(
                "2026-03-30T00:00:00+02:00"
            )
        if wall.date().day == 30:
            # A new week and a new day at 00:00 CEST, by themselves.
            assert summary.runs_this_week == 0
            assert not summary.ran_today
            assert summary.day_streak == 2
            assert summary.streak == 1
            assert summary.week_start == datetime.fromisoformat(
                "2026-03-30T00:00:00+02:00"
            )


async def test_fall_back_night(
    hass: HomeAssistant, add_profile: ProfileFactory, freezer: FrozenDateTimeFactory
) -> None:
    """Both 02:30s of the 25-hour Sunday are that day; Monday starts at 00:00 CET."""
    first = datetime.fromisoformat("2026-10-25T02:30:00+02:00")
    second = datetime.fromisoformat("2026-10-25T02:30:00+01:00")
    await move(hass, freezer, second + timedelta(minutes=5))
    alex = await add_profile("Alex")
    await log_run(hass, alex, start=first.isoformat())
    await log_run(hass, alex, start=second.isoformat())
    await log_mood(hass, alex, mood=3, time=first.isoformat())
    summary = assert_consistent(hass, alex)
    assert summary.runs_this_week == 2
    assert summary.day_streak == 1

    await move(hass, freezer, datetime.fromisoformat("2026-10-25T23:59:59+01:00"))
    assert assert_consistent(hass, alex).ran_today
    await move(hass, freezer, datetime.fromisoformat("2026-10-26T00:00:01+01:00"))
    summary = assert_consistent(hass, alex)
    assert not summary.ran_today
    assert summary.runs_this_week == 0
    assert summary.day_streak == 1


async def test_time_zone_change_at_runtime(
    hass: HomeAssistant, add_profile: ProfileFactory, freezer: FrozenDateTimeFactory
) -> None:
    """Moving the home to another zone moves every local day with it."""
    await move(hass, freezer, local("2026-03-18T10:00"))
    alex = await add_profile("Alex")
    # Just after midnight in Amsterdam: Tuesday evening in New York.
    await log_run(hass, alex, start=local("2026-03-18T00:30").isoformat())
    assert assert_consistent(hass, alex).ran_today

    await hass.config.async_update(time_zone="America/New_York")
    await hass.async_block_till_done()
    summary = assert_consistent(hass, alex)
    assert not summary.ran_today
    assert summary.day_streak == 1
    assert summary.refresh_at == datetime.fromisoformat("2026-03-19T00:00:00-04:00")

    # Midnight comes at New York's midnight, not Amsterdam's.
    await move(hass, freezer, datetime.fromisoformat("2026-03-19T00:00:01+01:00"))
    assert assert_consistent(hass, alex).day_streak == 1
    await move(hass, freezer, datetime.fromisoformat("2026-03-19T00:00:01-04:00"))
    assert assert_consistent(hass, alex).day_streak == 0

    await hass.config.async_update(time_zone="Europe/Amsterdam")
    await hass.async_block_till_done()
    assert_consistent(hass, alex)


async def test_clock_jumping_backwards(
    hass: HomeAssistant, add_profile: ProfileFactory, freezer: FrozenDateTimeFactory
) -> None:
    """Records that now lie ahead of the clock break nothing; the next update is right."""
    await move(hass, freezer, local("2026-03-18T10:00"))
    alex = await add_profile("Alex")
    await log_run(hass, alex, start=local("2026-03-18T09:00").isoformat(), mood_after=8)
    await log_mood(hass, alex, mood=7)

    # The clock is set back by a day and a half, e.g. a bad NTP step.
    await move(hass, freezer, local("2026-03-16T22:00"))
    await log_mood(hass, alex, mood=5)
    summary = assert_consistent(hass, alex)
    assert summary.last_run == local("2026-03-18T09:00")
    assert summary.last_mood == 7  # the latest observation, even if ahead
    assert not summary.ran_today

    # The refresh follows the clock again from there.
    await move(hass, freezer, local("2026-03-17T00:00:01"))
    assert_consistent(hass, alex)
    await move(hass, freezer, local("2026-03-18T00:00:01"))
    assert assert_consistent(hass, alex).ran_today


@pytest.mark.parametrize("seed", [7, 8])
async def test_random_walk_through_time(
    hass: HomeAssistant,
    add_profile: ProfileFactory,
    freezer: FrozenDateTimeFactory,
    seed: int,
) -> None:
    """Runs, moods and midnights across DST and zone changes always match a recount."""
    rng = random.Random(seed)
    zones = ["Europe/Amsterdam", "America/New_York", "Asia/Kathmandu", "UTC"]
    moment = datetime.fromisoformat("2026-03-20T12:00:00+00:00")
    await move(hass, freezer, moment)
    alex = await add_profile("Alex", weekly_goal=2)
    for _ in range(80):
        choice = rng.random()
        if choice < 0.1:
            await hass.config.async_update(time_zone=rng.choice(zones))
            await hass.async_block_till_done()
        elif choice < 0.15:
            moment -= timedelta(hours=rng.randrange(1, 30))
            await move(hass, freezer, moment)
            # Only a new update can notice that the clock went back.
            await log_mood(hass, alex, mood=rng.randrange(1, 11))
        else:
            moment += timedelta(minutes=rng.randrange(1, 60 * 30))
            await move(hass, freezer, moment)
            if rng.random() < 0.5:
                start = moment - timedelta(minutes=rng.randrange(0, 60 * 48))
                await log_run(
                    hass,
                    alex,
                    start=start.isoformat(),
                    mood_before=rng.randrange(1, 11),
                    mood_after=rng.randrange(1, 11),
                )
        assert_consistent(hass, alex)


def refresh_timers(hass: HomeAssistant) -> list[object]:
    """Return the scheduled timers that would refresh a profile's summary."""
    found = []
    for handle in get_scheduled_timer_handles(hass.loop):
        # A point-in-time tracker is itself the callback and holds its job.
        job = getattr(handle._callback, "job", None)
        if (
            not handle.cancelled()
            and isinstance(job, HassJob)
            and isinstance(
                getattr(job.target, "__self__", None), RunWellbeingCoordinator
            )
        ):
            found.append(handle)
    return found


async def test_no_timer_is_left_after_a_reconfigure_and_a_stop(
    hass: HomeAssistant, alex: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    result = await alex.start_reconfigure_flow(hass)
    await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Alexandra"}
    )
    await hass.async_block_till_done()
    assert alex.runtime_data.device_name == "Alexandra"
    # One refresh at the next midnight, of the profile as it is now.
    assert len(refresh_timers(hass)) == 1

    await hass.async_stop()

    assert refresh_timers(hass) == []
    assert "Unable to remove unknown job listener" not in caplog.text
