"""Input that is refused, not bent, with a message naming field and range."""

from __future__ import annotations

import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.run_wellbeing import validation
from custom_components.run_wellbeing.const import DOMAIN
from custom_components.run_wellbeing.core import rules
from custom_components.run_wellbeing.core.models import RecordError

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


# The same refusal at every door: action, card command and number entity.
DOORS: list[tuple[str, Any, str]] = [
    ("duration", True, "invalid_duration"),
    ("distance", True, "invalid_distance"),
    ("duration", "1e999", "invalid_duration"),
    ("distance", [5], "invalid_distance"),
    ("mood_before", 2.5, "invalid_mood_before"),
    ("effort", False, "invalid_effort"),
    ("note", 12345, "note_too_long"),
    ("note", {"text": "private"}, "note_too_long"),
    ("start", "9999-12-31T00:00:00", "invalid_start"),
    ("start", True, "invalid_start"),
]


@pytest.mark.parametrize(("field", "value", "key"), DOORS)
async def test_every_door_refuses_alike(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    caplog: pytest.LogCaptureFixture,
    *,
    field: str,
    value: Any,
    key: str,
) -> None:
    """An action and the card's command give the same translated refusal."""
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(DOMAIN, "log_run", {field: value}, blocking=True)
    assert caught.value.translation_key == key
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "run_wellbeing/log_run", "entry_id": alex.entry_id, field: value}
    )
    response = await client.receive_json()
    assert not response["success"]
    assert response["error"]["translation_key"] == key
    assert response["error"]["message"] == str(caught.value)
    assert alex.runtime_data.history.sessions == {}
    # Home Assistant logs what a client sent at debug level only; nothing above.
    assert not [
        r
        for r in caplog.records
        if r.levelno > logging.DEBUG and "private" in r.getMessage()
    ]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2101-01-01", "x", 7])
async def test_card_day_outside_the_range_is_refused(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    day: Any,
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "run_wellbeing/day", "entry_id": alex.entry_id, "date": day}
    )
    response = await client.receive_json()
    assert response["error"]["translation_key"] == "invalid_date"
    assert response["error"]["message"] == (
        "The date must be a day (YYYY-MM-DD) between 1970-01-01 and 2100-12-31"
    )


@pytest.mark.parametrize(
    ("value", "shown"), [(True, "True"), (2.5, "2.5"), (0, "0.0"), (15, "15.0")]
)
async def test_weekly_goal_number_refuses_like_the_flows(
    hass: HomeAssistant, alex: MockConfigEntry, value: Any, shown: str
) -> None:
    """Through the real `number.set_value`, which coerces before the entity sees it."""
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            "number",
            "set_value",
            {"entity_id": "number.alex_weekly_goal", "value": value},
            blocking=True,
        )
    if value in {0, 15}:
        # Home Assistant's own range check answers first, in its own words.
        assert caught.value.translation_domain == "number"
    else:
        assert caught.value.translation_key == "invalid_weekly_goal"
        assert str(caught.value) == (
            f"The weekly goal must be a whole number from 1 to 14, not {shown}"
        )
    assert alex.options["weekly_goal"] == 3
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.alex_weekly_goal", "value": "1"},
        blocking=True,
    )
    assert alex.options["weekly_goal"] == 1


@pytest.mark.parametrize(
    ("value", "accepted"),
    [(3, 3), (3.0, 3), ("3", 3), (True, None), (2.5, None), (15, None), ("x", None)],
)
def test_weekly_goal_rule_for_the_flows(value: Any, accepted: int | None) -> None:
    """The config and options flows read the goal through the same rule."""
    if accepted is None:
        with pytest.raises(ServiceValidationError) as caught:
            validation.weekly_goal(value)
        assert caught.value.translation_key == "invalid_weekly_goal"
    else:
        assert validation.weekly_goal(value) == accepted


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (10**400, "invalid_mood"),
        (float("nan"), "invalid_mood"),
        ("\x00", "invalid_mood"),
        ([], "invalid_mood"),
    ],
)
def test_rules_never_raise_anything_else(value: Any, key: str) -> None:
    with pytest.raises(RecordError) as caught:
        rules.whole_number("mood", value, 1, 10)
    assert caught.value.translation_key == key
    assert len(caught.value.placeholders["value"]) <= rules.SHOWN_MAX_LENGTH
    with pytest.raises(RecordError):
        rules.real_number("invalid_x", value)
