"""Shared fixtures: a real Home Assistant test instance with profiles set up."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.config_flow import default_options
from custom_components.run_wellbeing.const import DOMAIN

type ProfileFactory = Callable[..., Awaitable[MockConfigEntry]]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load the integration from custom_components in every test."""


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


@pytest.fixture(autouse=True)
def blocking_calls() -> Generator[list[str]]:
    """Fail any test in which this integration blocks the event loop."""
    from .blocking import detect_blocking_calls

    with detect_blocking_calls() as caught:
        yield caught
    assert not caught, f"blocking calls in the event loop: {caught}"
