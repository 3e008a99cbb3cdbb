"""Input that is refused, not bent, with a message naming field and range."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.const import DOMAIN

NOW = "2026-11-25T12:00:00+01:00"
LONG = "x" * 1_000_000


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    freezer.move_to(NOW)
    return freezer


REFUSED: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "log_mood",
        {"mood": 6.5},
        "invalid_mood",
        "Mood must be a whole number from 1 to 10, not 6.5",
    ),
    (
        "log_mood",
        {"mood": True},
        "invalid_mood",
        "Mood must be a whole number from 1 to 10, not True",
    ),
    (
        "log_mood",
        {"mood": "7.5"},
        "invalid_mood",
        "Mood must be a whole number from 1 to 10, not 7.5",
    ),
    (
        "log_mood",
        {"mood": None},
        "invalid_mood",
        "Mood must be a whole number from 1 to 10, not None",
    ),
    (
        "log_mood",
        {"mood": 11},
        "invalid_mood",
        "Mood must be a whole number from 1 to 10, not 11",
    ),
    (
        "log_run",
        {"mood_before": 2.5},
        "invalid_mood_before",
        "Mood before the run must be a whole number from 1 to 10, not 2.5",
    ),
    (
        "log_run",
        {"mood_after": False},
        "invalid_mood_after",
        "Mood after the run must be a whole number from 1 to 10, not False",
    ),
    (
        "log_run",
        {"effort": 9.9},
        "invalid_effort",
        "Effort must be a whole number from 1 to 10, not 9.9",
    ),
    (
        "log_run",
        {"duration": True},
        "invalid_duration",
        "Duration must be more than 0 and at most 1440 minutes (24 hours)",
    ),
    (
        "log_run",
        {"distance": "far"},
        "invalid_distance",
        "Distance must be between 0 and 1000 km",
    ),
    (
        "log_run",
        {"start": "1969-12-31T23:59:00"},
        "invalid_start",
        "The start must be a date and time between 1970-01-01 and 2100-12-31",
    ),
    (
        "log_run",
        {"distance": "1" * 30},
        "invalid_distance",
        "Distance must be between 0 and 1000 km",
    ),
    (
        "log_run",
        {"start": "2026-02-30T10:00:00"},
        "invalid_start",
        "The start must be a date and time between 1970-01-01 and 2100-12-31",
    ),
    (
        "log_mood",
        {"mood": 5, "time": "1969-06-01T07:00:00+00:00"},
        "invalid_time",
        "The time must be a date and time between 1970-01-01 and 2100-12-31",
    ),
    (
        "plan_run",
        {"start": "2101-01-01T00:00:00"},
        "invalid_start",
        "The start must be a date and time between 1970-01-01 and 2100-12-31",
    ),
    (
        "get_sessions",
        {"end": "0001-01-01T00:00:00"},
        "invalid_end",
        "The end must be a date and time between 1970-01-01 and 2100-12-31",
    ),
    (
        "delete_record",
        {"record_id": LONG},
        "invalid_record_id",
        "The record id must be text of 1 to 64 characters",
    ),
    (
        "cancel_plan",
        {"plan_id": LONG},
        "invalid_plan_id",
        "The plan id must be text of 1 to 64 characters",
    ),
    (
        "log_run",
        {"config_entry_id": LONG},
        "invalid_config_entry_id",
        "The profile id (config_entry_id) must be text of 1 to 64 characters",
    ),
    (
        "log_mood",
        {"mood": 5, "note": LONG},
        "note_too_long",
        "A note can be at most 500 characters long",
    ),
]


@pytest.mark.parametrize(("action", "data", "key", "message"), REFUSED)
async def test_refused_with_translated_message_and_nothing_changes(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    *,
    caplog: pytest.LogCaptureFixture,
    action: str,
    data: dict[str, Any],
    key: str,
    message: str,
) -> None:
    history = alex.runtime_data.history
    before = (dict(history.sessions), dict(history.moods), dict(history.plans))
    response = action == "get_sessions"
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN, action, data, blocking=True, return_response=response
        )
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == key
    assert str(caught.value) == message
    assert (history.sessions, history.moods, history.plans) == before
    assert LONG not in caplog.text


@pytest.mark.parametrize("mood", [7, 7.0, "7"])
async def test_whole_numbers_in_any_spelling_are_accepted(
    hass: HomeAssistant, alex: MockConfigEntry, mood: Any
) -> None:
    await hass.services.async_call(DOMAIN, "log_mood", {"mood": mood}, blocking=True)
    (entry,) = alex.runtime_data.history.moods.values()
    assert entry.mood == 7
    assert isinstance(entry.mood, int)


async def test_range_edges_are_accepted(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "log_run",
        {"start": "1970-01-01T00:00:00", "mood_before": 1, "mood_after": 10},
        blocking=True,
    )
    await hass.services.async_call(
        DOMAIN, "plan_run", {"start": "2100-12-31T23:00:00"}, blocking=True
    )
    assert len(alex.runtime_data.history.sessions) == 1
    assert len(alex.runtime_data.history.plans) == 1


async def test_long_message_values_are_cut(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN, "log_mood", {"mood": LONG}, blocking=True
        )
    assert len(str(caught.value)) < 100
