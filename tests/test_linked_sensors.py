"""Linked activity sensors: a run noticed on the phone is asked about, then logged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.run_wellbeing.config_flow import sectioned
from custom_components.run_wellbeing.const import DOMAIN, EVENT_SESSION_LOGGED
from custom_components.run_wellbeing.core.models import Activity, Source

from .conftest import ProfileFactory, advance, state

NOW = "2026-11-25T07:00:00+01:00"  # a Wednesday morning in Amsterdam
PHONE = "sensor.pixel_detected_activity"
IPHONE = "sensor.iphone_activity"
WATCH = "sensor.watch_activity_state"
NOTIFY = "notify.mobile_app_x"


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    freezer.move_to(NOW)
    return freezer


@pytest.fixture
def notifications(hass: HomeAssistant) -> list[ServiceCall]:
    """Stand in for the phone: a notify action that records what it is sent."""
    calls: list[ServiceCall] = []

    async def _notify(call: ServiceCall) -> None:
        calls.append(call)

    hass.services.async_register("notify", "mobile_app_x", _notify)
    return calls


def report(
    hass: HomeAssistant, value: str, confidence: Any = 90, entity_id: str = PHONE
) -> None:
    hass.states.async_set(entity_id, value, {"confidence": confidence})


async def wait(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    await advance(hass, freezer, dt_util.now() + delta, timedelta(seconds=30))


def sessions(entry: MockConfigEntry) -> list[Any]:
    return list(entry.runtime_data.history.sessions.values())


def prompt_actions(call: ServiceCall) -> dict[str, dict[str, Any]]:
    actions = call.data["data"]["actions"]
    return {action["action"].split("_")[2]: action for action in actions}


async def run_with_flicker(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Run 25 minutes with a 30-second `still` in the middle, then stop."""
    report(hass, "running")
    await wait(hass, freezer, timedelta(minutes=12))
    report(hass, "still")
    await wait(hass, freezer, timedelta(seconds=30))
    report(hass, "running")
    await wait(hass, freezer, timedelta(minutes=12, seconds=30))
    report(hass, "still")
    await wait(hass, freezer, timedelta(minutes=3))


async def test_walk_through_prompt_answer_and_entities(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
    notifications: list[ServiceCall],
) -> None:
    report(hass, "still")
    entry = await add_profile("Alex", activity_sensor=PHONE, notify_service=NOTIFY)
    logged = async_capture_events(hass, EVENT_SESSION_LOGGED)
    start = dt_util.utcnow()

    await run_with_flicker(hass, frozen)

    assert len(notifications) == 1
    call = notifications[0]
    assert call.data["message"] == "Log a 25-minute run?"
    actions = prompt_actions(call)
    assert set(actions) == {"LOG", "MOOD", "DISMISS"}
    assert actions["MOOD"]["behavior"] == "textInput"
    assert sessions(entry) == []
    assert state(hass, "sensor.alex_total_runs") == "0"

    hass.bus.async_fire(
        "mobile_app_notification_action", {"action": actions["LOG"]["action"]}
    )
    await hass.async_block_till_done()

    [session] = sessions(entry)
    assert session.source is Source.SENSOR
    assert session.activity is Activity.RUN
    assert session.start == start
    assert session.duration == 25 * 60
    assert len(logged) == 1
    assert logged[0].data["source"] == "sensor"
    assert state(hass, "sensor.alex_total_runs") == "1"
    assert state(hass, "sensor.alex_duration_this_week") == "25.0"
    assert state(hass, "binary_sensor.alex_ran_today") == "on"

    # Answering twice, or tapping another button later, logs nothing more.
    hass.bus.async_fire(
        "mobile_app_notification_action", {"action": actions["LOG"]["action"]}
    )
    await hass.async_block_till_done()
    assert len(sessions(entry)) == 1
    assert len(notifications) == 1


async def test_log_with_how_i_feel_keeps_the_mood(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
    notifications: list[ServiceCall],
) -> None:
    entry = await add_profile("Alex", activity_sensor=PHONE, notify_service=NOTIFY)
    await run_with_flicker(hass, frozen)
    actions = prompt_actions(notifications[0])
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": actions["MOOD"]["action"], "reply_text": "8, tired but happy"},
    )
    await hass.async_block_till_done()
    [session] = sessions(entry)
    assert session.mood_after == 8
    assert session.note is None
    assert state(hass, "sensor.alex_last_mood") == "8"


@pytest.mark.parametrize("reply", ["great", "11", None])
async def test_a_reply_without_a_mood_logs_the_run_alone(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
    notifications: list[ServiceCall],
    reply: str | None,
) -> None:
    entry = await add_profile("Alex", activity_sensor=PHONE, notify_service=NOTIFY)
    await run_with_flicker(hass, frozen)
    actions = prompt_actions(notifications[0])
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": actions["MOOD"]["action"], "reply_text": reply},
    )
    await hass.async_block_till_done()
    [session] = sessions(entry)
    assert session.mood_after is None


async def test_not_a_run_dismisses(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
    notifications: list[ServiceCall],
) -> None:
    entry = await add_profile("Alex", activity_sensor=PHONE, notify_service=NOTIFY)
    await run_with_flicker(hass, frozen)
    actions = prompt_actions(notifications[0])
    for action in ("DISMISS", "LOG"):
        hass.bus.async_fire(
            "mobile_app_notification_action", {"action": actions[action]["action"]}
        )
        await hass.async_block_till_done()
    assert sessions(entry) == []


async def test_other_actions_and_other_profiles_are_left_alone(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
    notifications: list[ServiceCall],
) -> None:
    entry = await add_profile("Alex", activity_sensor=PHONE, notify_service=NOTIFY)
    await run_with_flicker(hass, frozen)
    for action in ("OPEN_DOOR", "RUN_WELLBEING_LOG_nope", 7, None):
        hass.bus.async_fire("mobile_app_notification_action", {"action": action})
    await hass.async_block_till_done()
    assert sessions(entry) == []
    assert entry.runtime_data.followers[0].prompts  # type: ignore[attr-defined]


async def test_unanswered_prompts_expire_after_12_hours(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
    notifications: list[ServiceCall],
) -> None:
    entry = await add_profile("Alex", activity_sensor=PHONE, notify_service=NOTIFY)
    await run_with_flicker(hass, frozen)
    actions = prompt_actions(notifications[0])
    tag = notifications[0].data["data"]["tag"]

    await wait(hass, frozen, timedelta(hours=11, minutes=50))
    assert len(notifications) == 1
    await wait(hass, frozen, timedelta(minutes=20))
    assert len(notifications) == 2
    assert notifications[1].data == {
        "message": "clear_notification",
        "data": {"tag": tag},
    }
    hass.bus.async_fire(
        "mobile_app_notification_action", {"action": actions["LOG"]["action"]}
    )
    await hass.async_block_till_done()
    assert sessions(entry) == []


async def test_without_notify_action_the_run_is_logged_directly(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    entry = await add_profile("Alex", activity_sensor=PHONE)
    await run_with_flicker(hass, frozen)
    [session] = sessions(entry)
    assert session.source is Source.SENSOR
    assert session.duration == 25 * 60
    assert state(hass, "sensor.alex_total_runs") == "1"


async def test_low_confidence_is_ignored_on_android(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    entry = await add_profile("Alex", activity_sensor=PHONE)
    report(hass, "running", confidence=30)
    await wait(hass, frozen, timedelta(minutes=25))
    report(hass, "still", confidence=30)
    await wait(hass, frozen, timedelta(minutes=5))
    assert sessions(entry) == []

    # A trusted run interrupted by an untrusted `still` goes on.
    report(hass, "running", confidence=75)
    await wait(hass, frozen, timedelta(minutes=8))
    report(hass, "still", confidence=20)
    await wait(hass, frozen, timedelta(minutes=8))
    report(hass, "still", confidence=100)
    await wait(hass, frozen, timedelta(minutes=3))
    [session] = sessions(entry)
    assert session.duration == 16 * 60


async def test_ios_activity_with_word_confidence(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    entry = await add_profile(
        "Alex", activity_sensor=IPHONE, counted_activities=["run", "cycle"]
    )
    report(hass, "Cycling", "Low", IPHONE)
    await wait(hass, frozen, timedelta(minutes=15))
    report(hass, "Stationary", "High", IPHONE)
    await wait(hass, frozen, timedelta(minutes=3))
    assert sessions(entry) == []

    report(hass, "Cycling", "Medium", IPHONE)
    await wait(hass, frozen, timedelta(minutes=15))
    report(hass, "Stationary", "High", IPHONE)
    await wait(hass, frozen, timedelta(minutes=3))
    [session] = sessions(entry)
    assert session.activity is Activity.CYCLE
    assert session.duration == 15 * 60


async def test_wear_os_exercise_type_and_counted_activities(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    entry = await add_profile("Alex", activity_sensor=WATCH, auto_log_minutes=20)
    # A walk does not count for this profile; a short run is too short.
    for kind, minutes in (("WALKING", 30), ("RUNNING", 15), ("RUNNING", 21)):
        hass.states.async_set(WATCH, "exercise", {"exercise_type": kind})
        await wait(hass, frozen, timedelta(minutes=minutes))
        hass.states.async_set(WATCH, "passive", {})
        await wait(hass, frozen, timedelta(minutes=3))
    [session] = sessions(entry)
    assert session.activity is Activity.RUN
    assert session.duration == 21 * 60


async def test_a_run_logged_by_hand_is_never_doubled(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
    notifications: list[ServiceCall],
) -> None:
    entry = await add_profile("Alex", activity_sensor=PHONE, notify_service=NOTIFY)
    # Logged by hand while still running: no prompt at all.
    report(hass, "running")
    await wait(hass, frozen, timedelta(minutes=20))
    await hass.services.async_call(
        DOMAIN,
        "log_run",
        {"duration": 20, "start": dt_util.now() - timedelta(minutes=19)},
        blocking=True,
    )
    report(hass, "still")
    await wait(hass, frozen, timedelta(minutes=3))
    assert notifications == []
    assert len(sessions(entry)) == 1

    # Logged by voice between the prompt and the answer: the answer adds nothing.
    await wait(hass, frozen, timedelta(hours=1))
    await run_with_flicker(hass, frozen)
    assert len(notifications) == 1
    await hass.services.async_call(DOMAIN, "log_run", {"duration": 25}, blocking=True)
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": prompt_actions(notifications[0])["LOG"]["action"]},
    )
    await hass.async_block_till_done()
    assert len(sessions(entry)) == 2
    assert all(s.source is Source.ACTION for s in sessions(entry))


async def test_options_change_follows_the_new_sensor_and_unload_stops(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    entry = await add_profile("Alex")
    hass.config_entries.async_update_entry(
        entry, options=entry.options | {"activity_sensor": PHONE}
    )
    await hass.async_block_till_done()
    await run_with_flicker(hass, frozen)
    assert len(sessions(entry)) == 1

    # Unloaded mid-run: nothing is logged and no timer lingers.
    history = entry.runtime_data.history
    report(hass, "running")
    await wait(hass, frozen, timedelta(minutes=15))
    report(hass, "still")
    assert await hass.config_entries.async_unload(entry.entry_id)
    await wait(hass, frozen, timedelta(minutes=5))
    assert len(history.sessions) == 1


async def test_prompt_is_translated(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
    notifications: list[ServiceCall],
) -> None:
    hass.config.language = "de"
    await add_profile(
        "Alex",
        activity_sensor=PHONE,
        notify_service=NOTIFY,
        counted_activities=["walk"],
    )
    report(hass, "walking")
    await wait(hass, frozen, timedelta(minutes=23))
    report(hass, "still")
    await wait(hass, frozen, timedelta(minutes=3))
    call = notifications[0]
    assert call.data["message"] == "23-minütigen Spaziergang eintragen?"
    assert prompt_actions(call)["DISMISS"]["title"] == "Kein Lauf"


async def test_a_missing_notify_action_is_logged_not_raised(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = await add_profile("Alex", activity_sensor=PHONE, notify_service=NOTIFY)
    await run_with_flicker(hass, frozen)
    assert "Could not notify through notify.mobile_app_x" in caplog.text
    assert sessions(entry) == []


async def test_options_flow_offers_and_checks_the_linked_sensors(
    hass: HomeAssistant, add_profile: ProfileFactory, notifications: list[ServiceCall]
) -> None:
    entry = await add_profile("Alex")
    base = {
        "weekly_goal": 3,
        "week_start": "monday",
        "counted_activities": ["run"],
        "plan_time": "07:00:00",
        "plan_duration": 30,
        "low_mood_threshold": 4.0,
    }
    result = await hass.config_entries.options.async_init(entry.entry_id)
    schema = result["data_schema"].schema["linked_sensors"].schema.schema
    notify_selector = next(
        value for key, value in schema.items() if key == "notify_service"
    )
    assert notify_selector.config["options"] == [NOTIFY]
    sleep_selector = next(
        value for key, value in schema.items() if key == "sleep_sensor"
    )
    assert sleep_selector.config["device_class"] == ["duration"]

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        sectioned(hass, base | {"notify_service": "notify.mobile_app_gone"}),
    )
    assert result["errors"] == {"notify_service": "unknown_notify_service"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        sectioned(
            hass,
            base
            | {
                "activity_sensor": PHONE,
                "notify_service": NOTIFY,
                "auto_log_minutes": 15,
                "sleep_sensor": "sensor.phone_sleep_duration",
            },
        ),
    )
    assert result["type"] == "create_entry"
    assert entry.options["auto_log_minutes"] == 15
    assert entry.options["notify_service"] == NOTIFY
    assert entry.options["activity_sensor"] == PHONE
