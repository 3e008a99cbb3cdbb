"""sleep_after_runs: nights after run days against nights after other days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.const import DOMAIN
from custom_components.run_wellbeing.core.models import History

from .conftest import ProfileFactory, advance

SLEEP = "sensor.phone_sleep_duration"
TZ = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 11, 10)  # 2026's daylight saving time ended on 25 October

# Run days (a counted session that day) and the value reported the morning after.
RUN_NIGHTS = {
    date(2026, 10, 24): 8.0,  # the 25-hour night of the DST change
    date(2026, 10, 27): 7.0,
    date(2026, 10, 30): 8.0,
    date(2026, 11, 2): 8.0,
}
REST_NIGHTS = {
    date(2026, 10, 25): 6.5,  # a walk that day, which does not count
    date(2026, 10, 26): 7.0,
    date(2026, 10, 28): 6.0,
    date(2026, 11, 3): 6.5,
}
# By hand: (8 + 7 + 8 + 8) / 4 - (6.5 + 7 + 6 + 6.5) / 4 = 7.75 - 6.5 = 1.25.
EXPECTED = 1.25


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def readings() -> list[tuple[datetime, str, str]]:
    """Every report the sleep sensor makes, oldest first: (moment, value, unit)."""
    reports: list[tuple[datetime, str, str]] = []
    nights = RUN_NIGHTS | REST_NIGHTS
    for day in sorted(nights):
        morning = day + timedelta(days=1)
        hours = nights[day]
        if day == date(2026, 10, 24):
            # 03:30 on the morning the clocks went back: CET, 02:30 UTC.
            reports.append((at(morning, 3, 30), str(hours * 60), "min"))
        elif day == date(2026, 10, 26):
            # Reported twice: the last report in the window wins.
            reports.append((at(morning, 7), "5.0", "h"))
            reports.append((at(morning, 9), str(hours * 3600), "s"))
        elif day == date(2026, 11, 2):
            # The value appears the evening before; only the morning report
            # (the same value, a report without a change) places it.
            reports.append((at(day, 23), str(hours), "h"))
            reports.append((at(morning, 7, 45), str(hours), "h"))
        else:
            reports.append((at(morning, 2, 30), "3.0", "h"))  # before 03:00: none
            reports.append((at(morning, 8), str(hours), "h"))
    # Missing nights: 29 and 31 October report nothing; 1 November only after 14:00.
    reports.append((at(date(2026, 11, 2), 15), "4.0", "h"))
    # A night outside the last 30 (after a run day) changes nothing.
    reports.append((at(date(2026, 10, 9), 8), "3.0", "h"))
    return sorted(reports)


async def log_sessions(hass: HomeAssistant) -> None:
    for day in RUN_NIGHTS:
        await hass.services.async_call(
            DOMAIN, "log_run", {"start": at(day, 18).isoformat()}, blocking=True
        )
    await hass.services.async_call(
        DOMAIN,
        "log_run",
        {"start": at(date(2026, 10, 8), 18).isoformat()},
        blocking=True,
    )
    await hass.services.async_call(
        DOMAIN,
        "log_run",
        {"start": at(date(2026, 10, 25), 10).isoformat(), "activity": "walk"},
        blocking=True,
    )


def report(hass: HomeAssistant, value: str, unit: str) -> None:
    hass.states.async_set(
        SLEEP, value, {"unit_of_measurement": unit, "device_class": "duration"}
    )


def sleep_state(hass: HomeAssistant) -> Any:
    current = hass.states.get("sensor.alex_sleep_after_runs")
    assert current is not None
    return current


async def test_observed_nights_including_dst_and_missing_ones(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    freezer.move_to(at(date(2026, 10, 1), 12))
    entry = await add_profile("Alex", sleep_sensor=SLEEP)
    assert sleep_state(hass).state == "unknown"

    for moment, value, unit in readings():
        freezer.move_to(moment)
        report(hass, value, unit)
        await hass.async_block_till_done()

    freezer.move_to(at(TODAY, 12))
    await log_sessions(hass)

    nights = entry.runtime_data.history.sleep_nights
    assert nights["2026-10-24"] == 8.0
    assert nights["2026-10-26"] == 7.0
    assert nights["2026-11-02"] == 8.0
    assert "2026-10-29" not in nights
    assert "2026-11-01" not in nights
    current = sleep_state(hass)
    assert float(current.state) == EXPECTED
    assert current.attributes["unit_of_measurement"] == "h"
    assert current.attributes["nights_after_runs"] == 4
    assert current.attributes["nights_after_rest"] == 4

    # The nights are kept in the profile's own history and survive a reload.
    assert History.from_dict(entry.runtime_data.history.as_dict()).sleep_nights == (
        nights
    )

    # Ten days later the DST night and its neighbours have left the 30 nights.
    freezer.move_to(at(TODAY + timedelta(days=17), 12))
    await hass.services.async_call(DOMAIN, "log_mood", {"mood": 5}, blocking=True)
    current = sleep_state(hass)
    assert current.state == "unknown"
    assert current.attributes["nights_after_runs"] == 2
    assert current.attributes["nights_after_rest"] == 2


@pytest.mark.parametrize("language", ["en"])
async def test_without_recorder_linking_backfills_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
    language: str,
) -> None:
    freezer.move_to(at(TODAY, 12))
    report(hass, "7.5", "h")
    entry = await add_profile("Alex", sleep_sensor=SLEEP)
    await hass.async_block_till_done()
    assert entry.runtime_data.history.sleep_nights == {}
    # A reading with no number or an unknown unit is no night.
    for value, unit in (("unknown", "h"), ("7", "fortnights"), ("30", "h")):
        report(hass, value, unit)
    await hass.async_block_till_done()
    assert entry.runtime_data.history.sleep_nights == {}
    report(hass, "7.5", "h")
    await hass.async_block_till_done()
    assert entry.runtime_data.history.sleep_nights == {"2026-11-09": 7.5}
    assert isinstance(entry, MockConfigEntry)
    assert dt_util.now().date() == TODAY


@pytest.mark.usefixtures("stop_automations")
async def test_wind_down_says_what_run_days_do_for_sleep(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    from pytest_homeassistant_custom_component.common import async_mock_service

    from .test_blueprints import _call, _use_blueprint, local

    freezer.move_to(local(2026, 6, 1, 12, 0))
    await add_profile("Alex")
    notify = async_mock_service(hass, "notify", "mobile_app_alex")
    hass.states.async_set(
        "sensor.alex_sleep_gain", "0.75", {"unit_of_measurement": "h"}
    )
    await _use_blueprint(
        hass,
        "wind_down",
        bedtime="22:30:00",
        minutes_before=30,
        ran_today="binary_sensor.alex_ran_today",
        notify_action="notify.mobile_app_alex",
        message="Screens off soon.",
        sleep_after_runs="sensor.alex_sleep_gain",
    )
    # Monday without a run: the plain prompt.
    await advance(hass, freezer, local(2026, 6, 1, 21, 58), step=timedelta(minutes=30))
    await advance(hass, freezer, local(2026, 6, 1, 22, 5))
    # Tuesday with a run: what run days do for sleep.
    await advance(hass, freezer, local(2026, 6, 2, 7, 0), step=timedelta(minutes=30))
    await _call(hass, "log_run", duration=30)
    await advance(hass, freezer, local(2026, 6, 2, 21, 58), step=timedelta(minutes=30))
    await advance(hass, freezer, local(2026, 6, 2, 22, 5))
    # Wednesday with a run, but run days give no longer nights: the plain prompt.
    await advance(hass, freezer, local(2026, 6, 3, 7, 0), step=timedelta(minutes=30))
    hass.states.async_set("sensor.alex_sleep_gain", "unknown")
    await _call(hass, "log_run", duration=30)
    await advance(hass, freezer, local(2026, 6, 3, 21, 58), step=timedelta(minutes=30))
    await advance(hass, freezer, local(2026, 6, 3, 22, 5))
    assert [c.data["message"] for c in notify] == [
        "Screens off soon.",
        "Screens off soon. After run days you sleep 45 minutes longer.",
        "Screens off soon.",
    ]
