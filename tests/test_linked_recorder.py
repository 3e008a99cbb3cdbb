"""Linked sensors with Home Assistant's recorder: backfilled nights, runs across a restart."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.run_wellbeing.core.models import Source

from .conftest import ProfileFactory, advance
from .test_sleep_after_runs import (
    EXPECTED,
    REST_NIGHTS,
    RUN_NIGHTS,
    SLEEP,
    TODAY,
    at,
    log_sessions,
    readings,
    report,
    sleep_state,
)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: None
) -> None:
    """Start the recorder before Home Assistant, as its fixture requires."""


async def test_backfill_from_the_recorder_when_first_linked(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
) -> None:
    freezer.move_to(at(date(2026, 10, 20), 12))
    entry = await add_profile("Alex")
    for moment, value, unit in readings():
        if moment < at(date(2026, 10, 20), 12):
            continue
        freezer.move_to(moment)
        report(hass, value, unit)
        await hass.async_block_till_done()
        await async_wait_recording_done(hass)

    freezer.move_to(at(TODAY, 12))
    await log_sessions(hass)
    assert sleep_state(hass).state == "unknown"
    entry.runtime_data.history.sleep_nights["2026-10-28"] = 6.0  # already observed

    hass.config_entries.async_update_entry(
        entry, options=entry.options | {"sleep_sensor": SLEEP}
    )
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    await hass.async_block_till_done()

    nights = entry.runtime_data.history.sleep_nights
    assert nights == {
        day.isoformat(): hours for day, hours in (RUN_NIGHTS | REST_NIGHTS).items()
    }
    current = sleep_state(hass)
    assert float(current.state) == EXPECTED
    assert current.attributes["nights_after_runs"] == 4


async def test_a_run_under_way_at_restart_keeps_its_start(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    phone = "sensor.pixel_detected_activity"
    freezer.move_to(at(TODAY, 7))
    entry = await add_profile("Alex", activity_sensor=phone)
    started = dt_util.utcnow()
    hass.states.async_set(phone, "running", {"confidence": 90})
    await advance(hass, freezer, at(TODAY, 7, 12))
    await async_wait_recording_done(hass)

    # Home Assistant restarts: the profile unloads, the phone's sensor comes
    # back with a fresh last_changed, the profile loads again.
    assert await hass.config_entries.async_unload(entry.entry_id)
    hass.states.async_set(phone, "running", {"confidence": 90}, force_update=True)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    hass.states.async_set(phone, "running", {"confidence": 95})
    await hass.async_block_till_done()

    await advance(hass, freezer, at(TODAY, 7, 25))
    hass.states.async_set(phone, "still", {"confidence": 90})
    await advance(hass, freezer, at(TODAY, 7, 30))
    [session] = entry.runtime_data.history.sessions.values()
    assert session.start == started
    assert session.duration == 25 * 60
    assert session.source is Source.SENSOR


async def test_a_run_that_ended_before_the_restart_is_not_asked_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    phone = "sensor.pixel_detected_activity"
    freezer.move_to(at(TODAY, 7))
    hass.states.async_set(phone, "running", {"confidence": 90})
    await hass.async_block_till_done()
    freezer.tick(timedelta(minutes=20))
    hass.states.async_set(phone, "still", {"confidence": 90})
    await hass.async_block_till_done()
    freezer.tick(timedelta(minutes=5))
    hass.states.async_set(phone, "walking", {"confidence": 90})
    await async_wait_recording_done(hass)
    entry = await add_profile("Alex", activity_sensor=phone)
    await advance(hass, freezer, at(TODAY, 7, 40))
    assert entry.runtime_data.history.sessions == {}
