"""The blocking-call detector that guards every test really catches our calls."""

from __future__ import annotations

from pathlib import Path
import time
from typing import Any

from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.const import DOMAIN

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


async def test_a_record_writes_only_the_states_it_changes(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """A mood log leaves the week's run count untouched, not even reported again.

    Home Assistant keeps an equal state but still records the write
    (`last_reported`, a state_reported event); skipped writes leave both.
    """
    await hass.services.async_call(
        DOMAIN, "log_run", {"distance": 5, "duration": 30}, blocking=True
    )
    await hass.async_block_till_done()
    runs = hass.states.get("sensor.alex_runs_this_week")
    assert runs is not None
    assert runs.state == "1"
    reported_at = runs.last_reported
    assert runs.attributes["last_reset"]
    written: list[str] = []

    @callback
    def record(event: Event[Any]) -> None:
        written.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, record)

    @callback
    def every(_data: Any) -> bool:
        return True

    hass.bus.async_listen(EVENT_STATE_REPORTED, record, event_filter=every)

    await hass.services.async_call(DOMAIN, "log_mood", {"mood": 7}, blocking=True)
    await hass.async_block_till_done()

    after = hass.states.get("sensor.alex_runs_this_week")
    assert after is runs
    assert after.last_reported == reported_at
    assert after.last_updated == runs.last_updated
    assert "sensor.alex_runs_this_week" not in written
    assert "sensor.alex_total_runs" not in written
    assert "sensor.alex_last_mood" in written
    new_mood = hass.states.get("sensor.alex_last_mood")
    assert new_mood is not None
    assert new_mood.state == "7"

    await hass.services.async_call(
        DOMAIN, "log_run", {"distance": 5, "duration": 30}, blocking=True
    )
    await hass.async_block_till_done()
    runs_again = hass.states.get("sensor.alex_runs_this_week")
    assert runs_again is not None
    assert runs_again.state == "2"
    assert runs_again.attributes["last_reset"] == runs.attributes["last_reset"]
