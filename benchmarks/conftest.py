"""Benchmark fixtures: the same Home Assistant test instance the tests use."""

from __future__ import annotations

from collections.abc import Iterator
import logging
from typing import Any
from unittest.mock import patch

from homeassistant.helpers.storage import Store
import pytest

# The test plugin logs at INFO; the table is what this run is for.
logging.getLogger().setLevel(logging.WARNING)

# The real methods, taken before the `hass_storage` fixture mocks them.
REAL_LOAD = Store._async_load
REAL_WRITE = Store._async_write_data
REAL_REMOVE = Store.async_remove


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load the integration from custom_components."""


@pytest.fixture(autouse=True)
def loop_debug_off(request: pytest.FixtureRequest) -> None:
    """Time the loop as an installation runs it: asyncio's debug mode off.

    The test instance runs in debug mode, which records a stack for every
    callback and makes every loop hold look several times longer.
    """
    if "hass" in request.fixturenames:
        request.getfixturevalue("hass").loop.set_debug(False)


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """Use a configuration directory of our own on disk."""
    return hass_tmp_config_dir


@pytest.fixture
def real_storage(hass_storage: dict[str, Any]) -> Iterator[None]:
    """Read and write profile files on disk, as an installation does."""
    with (
        patch.object(Store, "_async_load", REAL_LOAD),
        patch.object(Store, "_async_write_data", REAL_WRITE),
        patch.object(Store, "async_remove", REAL_REMOVE),
    ):
        yield
