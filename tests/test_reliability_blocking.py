"""The blocking-call detector that guards every test really catches our calls."""

from __future__ import annotations

from pathlib import Path
import time
from typing import Any

from homeassistant.core import HomeAssistant
import pytest

PROBE = """
def read(path):
    with open(path) as file:
        return file.read(1)

def nap():
    time.sleep(0)
"""


def _probe() -> dict[str, Any]:
    """Return functions that look, to the detector, like this integration's code."""
    filename = str(
        Path(__file__).parents[1] / "custom_components/run_wellbeing/probe.py"
    )
    namespace: dict[str, Any] = {"time": time}
    exec(compile(PROBE, filename, "exec"), namespace)  # noqa: S102
    return namespace


async def test_file_io_in_the_event_loop_is_caught(
    hass: HomeAssistant, blocking_calls: list[str]
) -> None:
    """Home Assistant skips `open` under tests; here it is checked."""
    _probe()["read"](__file__)

    assert blocking_calls == ["open at custom_components/run_wellbeing/probe.py:3"]
    blocking_calls.clear()


async def test_sleep_in_the_event_loop_is_refused(
    hass: HomeAssistant, blocking_calls: list[str]
) -> None:
    """A strict blocking call raises, as in a running Home Assistant."""
    with pytest.raises(RuntimeError, match="Caught blocking call to sleep"):
        _probe()["nap"]()

    assert blocking_calls == ["sleep at custom_components/run_wellbeing/probe.py:7"]
    blocking_calls.clear()


async def test_file_io_in_the_executor_is_fine(
    hass: HomeAssistant, blocking_calls: list[str]
) -> None:
    """The same read in Home Assistant's executor is not a blocking call."""
    assert await hass.async_add_executor_job(_probe()["read"], __file__) == '"'

    assert blocking_calls == []
