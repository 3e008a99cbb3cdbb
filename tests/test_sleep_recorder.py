"""sleep_after_runs backfilled from Home Assistant's recorder when first linked."""

from __future__ import annotations

from datetime import date
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from .conftest import ProfileFactory
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
