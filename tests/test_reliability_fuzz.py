"""Bad input, fuzzed: every action answers with a validation error or works."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch
from zoneinfo import ZoneInfo

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from hypothesis import HealthCheck, given, settings, strategies as st
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.const import DOMAIN

FIELDS = {
    "log_run": [
        "activity",
        "start",
        "duration",
        "distance",
        "distance_unit",
        "mood_before",
        "mood_after",
        "effort",
        "note",
    ],
    "log_mood": ["mood", "time", "note"],
    "delete_record": ["record_id"],
    "get_summary": [],
    "get_sessions": ["start", "end"],
}
EXAMPLES = 150

ZONES = st.sampled_from(
    [None, UTC, ZoneInfo("Europe/Amsterdam"), ZoneInfo("Asia/Kathmandu")]
)
DATETIMES = st.datetimes(timezones=ZONES)
RECENT = st.datetimes(
    min_value=datetime.fromisoformat("2025-01-01"),
    max_value=datetime.fromisoformat("2027-01-01"),
    timezones=ZONES,
)
EXTREMES = st.sampled_from(
    [
        "0001-01-01T00:00:00+05:00",
        "0001-01-01T00:00:00",
        "1899-12-31T23:59:59+00:00",
        "9999-12-31T23:59:59-05:00",
        datetime.min.replace(tzinfo=UTC),
        datetime.max.replace(tzinfo=UTC),
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-2, max_value=12),
    st.floats(),
    st.text(max_size=20),
    st.text(min_size=490, max_size=510),
    st.sampled_from(
        ["run", "walk", "km", "mi", "m", "", " ", "now", "1e999", "-0", "NaN", "inf"]
    ),
    DATETIMES,
    EXTREMES,
    DATETIMES.map(datetime.isoformat),
    RECENT.map(datetime.isoformat),
    st.dates().map(str),
    st.times().map(str),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=4,
)


MOODS = st.integers(min_value=0, max_value=11)
TIMES = st.one_of(RECENT, RECENT.map(datetime.isoformat), EXTREMES)
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "activity": st.sampled_from(["run", "walk", "yoga", "other"]),
    "start": TIMES,
    "end": TIMES,
    "time": TIMES,
    "duration": st.floats(min_value=-1, max_value=1500) | st.integers(-1, 1500),
    "distance": st.floats(min_value=-1, max_value=2000) | st.integers(-1, 2000),
    "distance_unit": st.sampled_from(["km", "mi", "m"]),
    "mood_before": MOODS,
    "mood_after": MOODS,
    "effort": MOODS,
    "mood": MOODS,
    "note": st.text(max_size=510),
    "record_id": st.text(max_size=30),
}


def action_data(action: str, entry_id: str) -> st.SearchStrategy[dict[str, Any]]:
    """Return call data: any keys with any values, or the action's own fields.

    Own fields mostly get plausible values, so that one bad value among good
    ones reaches the checks behind the schema.
    """
    keys = [*FIELDS[action], "config_entry_id", "bogus"]
    anything = st.dictionaries(st.sampled_from(keys), VALUES, max_size=6)
    own = st.fixed_dictionaries(
        {},
        optional={
            "config_entry_id": st.just(entry_id) | VALUES,
            **{
                field: st.one_of(PLAUSIBLE[field], PLAUSIBLE[field], VALUES)
                for field in FIELDS[action]
            },
        },
    )
    return anything | own


def refused_or_done(
    hass: HomeAssistant, entry: MockConfigEntry, action: str
) -> Callable[..., None]:
    """Return a Hypothesis test, run in a worker thread, of one action."""
    coordinator = entry.runtime_data
    saves: list[Any] = []
    append = coordinator.store.async_append

    def spy_append(*args: Any) -> Any:
        written = append(*args)  # raises, writing nothing, for a poisoned change
        saves.append(args)
        return written

    async def attempt(data: dict[str, Any], return_response: bool) -> None:
        before = coordinator.history.as_dict()
        saves.clear()
        try:
            await hass.services.async_call(
                DOMAIN, action, data, blocking=True, return_response=return_response
            )
        except vol.Invalid, ServiceValidationError:
            assert coordinator.history.as_dict() == before
            assert saves == []
        # Whatever happened, the profile still computes and answers.
        coordinator.async_publish()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=action_data(action, entry.entry_id), return_response=st.booleans())
    def run(data: dict[str, Any], return_response: bool) -> None:
        with patch.object(coordinator.store, "async_append", side_effect=spy_append):
            asyncio.run_coroutine_threadsafe(
                attempt(data, return_response), hass.loop
            ).result(timeout=30)

    return run


@pytest.mark.parametrize("action", list(FIELDS))
async def test_bad_input_is_refused_and_stores_nothing(
    hass: HomeAssistant, alex: MockConfigEntry, action: str
) -> None:
    """No input makes an action fail with anything but a validation error."""
    await hass.async_add_executor_job(refused_or_done(hass, alex, action))
    await hass.async_block_till_done()
    # The profile survives a reload with whatever was accepted.
    accepted = alex.runtime_data.history.as_dict()
    assert await hass.config_entries.async_reload(alex.entry_id)
    assert alex.runtime_data.history.as_dict() == accepted
    runs = [s for s in accepted["sessions"] if s["activity"] == "run"]
    state = hass.states.get("sensor.alex_total_runs")
    assert state is not None
    assert state.state == str(len(runs))


async def test_too_old_start_is_refused(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """A start before any plausible run is refused, not stored to break the stats."""
    start = datetime(1, 1, 1, 1, tzinfo=UTC) + timedelta(minutes=30)
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "log_run", {"start": start.isoformat()}, blocking=True
        )
    assert alex.runtime_data.history.sessions == {}


@pytest.mark.parametrize(
    ("action", "data", "translation_key"),
    [
        ("log_run", {"distance": "1e999"}, "invalid_distance"),
        ("log_run", {"distance": 1001}, "invalid_distance"),
        ("log_run", {"start": "2099-01-01T00:00:00+00:00"}, "time_in_future"),
        ("log_run", {"start": "2999-01-01T00:00:00+00:00"}, "invalid_start"),
        ("log_run", {"start": "1850-06-01T07:00:00+00:00"}, "invalid_start"),
        ("log_mood", {"mood": 5, "time": "2099-01-01T00:00:00"}, "time_in_future"),
        ("log_mood", {"mood": 5, "time": "2999-01-01T00:00:00"}, "invalid_time"),
        ("log_mood", {"mood": 5, "time": "1899-12-31T23:00:00"}, "invalid_time"),
        ("delete_record", {"record_id": "nothing-here"}, "record_not_found"),
    ],
)
async def test_values_the_schema_lets_through_get_a_translated_error(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    action: str,
    data: dict[str, Any],
    translation_key: str,
) -> None:
    """Past the schema, the profile's own checks say what is wrong, in words."""
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(DOMAIN, action, data, blocking=True)
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == translation_key
    assert alex.runtime_data.history.as_dict()["sessions"] == []
    assert alex.runtime_data.history.as_dict()["moods"] == []
