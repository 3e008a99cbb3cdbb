"""Shared fixtures: a real Home Assistant test instance with profiles set up."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.run_wellbeing.config_flow import default_options
from custom_components.run_wellbeing.const import DOMAIN

type ProfileFactory = Callable[..., Awaitable[MockConfigEntry]]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load the integration from custom_components in every test."""


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """Give each test its own config folder; blueprints are installed into it."""
    return hass_tmp_config_dir


@pytest.fixture
async def time_zone(hass: HomeAssistant) -> str:
    """Run in a zone with daylight saving time, where the hard cases are."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    return "Europe/Amsterdam"


@pytest.fixture
def add_profile(hass: HomeAssistant, time_zone: str) -> ProfileFactory:
    """Return a function that adds and sets up a profile."""

    async def _add(name: str = "Alex", **options: Any) -> MockConfigEntry:
        entry = MockConfigEntry(
            domain=DOMAIN,
            title=name,
            data={"name": name},
            options=default_options() | options,
            unique_id=name.lower(),
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        return entry

    return _add


@pytest.fixture
async def alex(add_profile: ProfileFactory) -> MockConfigEntry:
    """Return the profile of Alex, set up with default options."""
    return await add_profile("Alex")


@pytest.fixture
async def stop_automations(hass: HomeAssistant) -> AsyncGenerator[None]:
    """Turn automations off before teardown.

    The calendar trigger refreshes on a 15 minute interval that is not
    cancelled at shutdown, which the test harness reports as lingering.
    """
    yield
    if hass.services.has_service("automation", "turn_off"):
        await hass.services.async_call(
            "automation", "turn_off", {"entity_id": "all"}, blocking=True
        )


async def advance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    target: datetime,
    step: timedelta = timedelta(minutes=1),
    *,
    block: bool = True,
) -> None:
    """Walk the clock to `target` a step at a time, firing due timers each step.

    With `block=False` the steps only yield to the loop instead of waiting for
    every task: a running script delay would otherwise never end, since the
    loop's clock follows the frozen one.
    """
    # Jumps of the frozen clock look like slow callbacks to asyncio's debug mode.
    asyncio.get_running_loop().slow_callback_duration = 86400
    while dt_util.now() < target:
        freezer.tick(min(step, target - dt_util.now()))
        # Twice: a calendar refresh may schedule an alarm that is already
        # due, which the harness only runs on the next time change.
        for _ in range(2):
            async_fire_time_changed(hass)
            if block:
                await hass.async_block_till_done()
            else:
                for _ in range(20):
                    await asyncio.sleep(0)


@pytest.fixture(autouse=True)
async def blocking_calls() -> AsyncGenerator[list[str]]:
    """Fail any test in which this integration blocks the event loop."""
    from .blocking import detect_blocking_calls

    with detect_blocking_calls() as caught:
        yield caught
    assert not caught, f"blocking calls in the event loop: {caught}"


def state(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's state, failing clearly when the entity is missing."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current.state
