"""Editing a logged record and undoing only the kind asked for (card day view, voice)."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.core.models import MoodEntry, Session

from .conftest import state

NOW = "2026-11-25T12:00:00+01:00"


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    freezer.move_to(NOW)
    return freezer


async def test_mood_after_added_to_a_logged_run_counts_as_an_observation(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    coordinator = alex.runtime_data
    start = dt_util.utcnow() - timedelta(minutes=40)
    session = await coordinator.async_log_session(
        start=start, duration=30 * 60, distance=5000, mood_before=4
    )
    assert state(hass, "sensor.alex_last_mood") == "4"

    edited = await coordinator.async_update_record(session.id, {"mood_after": 8})

    assert edited.id == session.id
    assert coordinator.history.sessions[session.id].mood_after == 8
    assert state(hass, "sensor.alex_last_mood") == "8"
    assert state(hass, "sensor.alex_mood_lift") == "4.0"
    assert state(hass, "sensor.alex_runs_this_week") == "1"


async def test_a_refused_edit_changes_nothing(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    coordinator = alex.runtime_data
    session = await coordinator.async_log_session(distance=5000)
    mood = await coordinator.async_log_mood(mood=6)

    for record_id, changes in (
        (session.id, {"mood_after": 11}),
        (session.id, {"activity": "teleport"}),
        (mood.id, {"mood": 0}),
        ("missing", {"mood": 5}),
    ):
        with pytest.raises(ServiceValidationError):
            await coordinator.async_update_record(record_id, changes)

    assert coordinator.history.sessions[session.id] == session
    assert coordinator.history.moods[mood.id] == mood


async def test_editing_a_session_moves_it_between_days(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    coordinator = alex.runtime_data
    session = await coordinator.async_log_session(distance=5000)
    assert state(hass, "binary_sensor.alex_ran_today") == "on"

    await coordinator.async_update_record(
        session.id, {"start": dt_util.utcnow() - timedelta(days=1)}
    )

    assert state(hass, "binary_sensor.alex_ran_today") == "off"
    assert state(hass, "sensor.alex_total_runs") == "1"


async def test_undo_of_one_kind_leaves_newer_records_of_others(
    hass: HomeAssistant, alex: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    coordinator = alex.runtime_data
    session = await coordinator.async_log_session(distance=5000)
    freezer.tick(timedelta(seconds=5))
    mood = await coordinator.async_log_mood(mood=7)

    removed = await coordinator.async_undo_last(timedelta(minutes=15), kinds=(Session,))

    assert removed == session
    assert mood.id in coordinator.history.moods
    assert (
        await coordinator.async_undo_last(timedelta(minutes=15), kinds=(Session,))
        is None
    )
    assert (
        await coordinator.async_undo_last(timedelta(minutes=15), kinds=(MoodEntry,))
        == mood
    )
