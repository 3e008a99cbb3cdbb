"""The blueprints that ship: installed, loaded by Home Assistant, and doing their job."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_mock_service

from custom_components.run_wellbeing.bundled_blueprints import (
    BUNDLED,
    async_install_blueprints,
)
from custom_components.run_wellbeing.const import DOMAIN

from .conftest import ProfileFactory, advance

BLUEPRINTS = (
    "low_mood_check_in",
    "morning_light_ramp",
    "planned_run_announcement",
    "wind_down",
)
PLANNED = "calendar.alex_planned_runs"

pytestmark = pytest.mark.usefixtures("stop_automations")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=dt_util.get_default_time_zone())  # type: ignore[misc]


async def _use_blueprint(hass: HomeAssistant, name: str, **inputs: Any) -> None:
    """Set up an automation from a shipped blueprint and check it is on."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": name,
                "alias": name,
                "use_blueprint": {"path": f"{DOMAIN}/{name}.yaml", "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
    assert hass.states.get(f"automation.{name}").state == "on"


async def _call(hass: HomeAssistant, action: str, **data: Any) -> None:
    await hass.services.async_call(DOMAIN, action, data, blocking=True)
    await hass.async_block_till_done()


async def test_blueprints_installed_and_loaded_by_home_assistant(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    """Every bundled blueprint is copied and passes Home Assistant's loader."""
    await add_profile("Alex")
    assert sorted(path.stem for path in BUNDLED.glob("*.yaml")) == list(BLUEPRINTS)
    loader = async_get_blueprints(hass)
    for name in BLUEPRINTS:
        blueprint = await loader.async_get_blueprint(f"{DOMAIN}/{name}.yaml")
        assert blueprint.validate() is None
        assert blueprint.name.startswith("Run Wellbeing: ")
        assert blueprint.metadata["source_url"].endswith(f"blueprints/{name}.yaml")
    # Inputs that take one of our entities only offer this integration's.
    ours = {
        "morning_light_ramp": ("planned_runs", "calendar"),
        "planned_run_announcement": ("planned_runs", "calendar"),
        "wind_down": ("ran_today", "binary_sensor"),
        "low_mood_check_in": ("low_mood", "binary_sensor"),
    }
    for name, (key, domain) in ours.items():
        blueprint = await loader.async_get_blueprint(f"{DOMAIN}/{name}.yaml")
        selector = blueprint.inputs[key]["selector"]["entity"]
        assert selector["filter"] == [{"integration": DOMAIN, "domain": [domain]}]


async def test_install_never_overwrites_a_users_copy(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    """An edited copy survives; a deleted one comes back."""
    await add_profile("Alex")
    folder = Path(hass.config.path("blueprints", "automation", DOMAIN))
    edited = folder / "wind_down.yaml"
    removed = folder / "low_mood_check_in.yaml"
    await hass.async_add_executor_job(edited.write_text, "# my own version\n")
    await hass.async_add_executor_job(removed.unlink)

    assert await async_install_blueprints(hass) == ["low_mood_check_in.yaml"]
    assert await hass.async_add_executor_job(edited.read_text) == "# my own version\n"
    assert await hass.async_add_executor_job(removed.exists)


async def test_install_problem_does_not_stop_setup(
    hass: HomeAssistant,
    add_profile: ProfileFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A config folder that cannot take the files only logs a warning."""
    await add_profile("Alex")
    blocker = Path(hass.config.path("blueprints", "automation", DOMAIN))
    await hass.async_add_executor_job(_replace_with_file, blocker)
    assert await async_install_blueprints(hass) == []
    assert "Could not install the Run Wellbeing blueprints" in caplog.text


def _replace_with_file(path: Path) -> None:
    for child in path.iterdir():
        child.unlink()
    path.rmdir()
    path.write_text("not a folder")


async def test_morning_light_ramp(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """45 minutes before a planned 07:00 run the lights ramp up over 15 minutes."""
    freezer.move_to(local(2026, 6, 1, 5, 0))  # Monday; only Tuesday is planned
    await add_profile("Alex", plan_days=["tue"])
    calls = async_mock_service(hass, "light", "turn_on")
    await _use_blueprint(
        hass,
        "morning_light_ramp",
        planned_runs=PLANNED,
        lights=["light.bedroom", "light.hall"],
        lead_time={"hours": 0, "minutes": 45, "seconds": 0},
        ramp_minutes=15,
        max_brightness=90,
    )

    # Monday is not a planned day: nothing happens all day.
    await advance(hass, freezer, local(2026, 6, 2, 6, 0), step=timedelta(minutes=15))
    await advance(hass, freezer, local(2026, 6, 2, 6, 14))
    assert calls == []
    await advance(hass, freezer, local(2026, 6, 2, 6, 15), block=False)
    assert [c.data for c in calls] == [
        {"entity_id": ["light.bedroom", "light.hall"], "brightness_pct": 6}
    ]
    await advance(hass, freezer, local(2026, 6, 2, 6, 28), block=False)
    assert len(calls) == 14
    await advance(hass, freezer, local(2026, 6, 2, 6, 29), block=False)
    assert [c.data["brightness_pct"] for c in calls] == [
        6, 12, 18, 24, 30, 36, 42, 48, 54, 60, 66, 72, 78, 84, 90
    ]  # fmt: skip
    await advance(hass, freezer, local(2026, 6, 2, 9, 0), step=timedelta(minutes=5))
    assert len(calls) == 15


async def test_morning_light_ramp_skips_a_run_already_done(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """Out running at 05:30 already: no light at 06:15."""
    freezer.move_to(local(2026, 6, 2, 5, 0))
    await add_profile("Alex", plan_days=["tue"])
    await _call(hass, "log_run", start="2026-06-02 04:40:00", duration=15)
    calls = async_mock_service(hass, "light", "turn_on")
    await _use_blueprint(
        hass, "morning_light_ramp", planned_runs=PLANNED, lights=["light.bedroom"]
    )
    await advance(hass, freezer, local(2026, 6, 2, 8, 0), block=False)
    assert calls == []


async def test_planned_run_announcement(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """15 minutes before a one-off plan: announced with the week's progress."""
    freezer.move_to(local(2026, 6, 3, 8, 0))  # Wednesday
    await add_profile("Alex")
    await _call(hass, "log_run", start="2026-06-01 07:00:00")
    await _call(hass, "plan_run", start="2026-06-03 18:00:00", note="Hills")
    announce = async_mock_service(hass, "assist_satellite", "announce")
    speak = async_mock_service(hass, "tts", "speak")
    await _use_blueprint(
        hass,
        "planned_run_announcement",
        planned_runs=PLANNED,
        satellites=["assist_satellite.kitchen"],
        tts_engine="tts.piper",
        media_players=["media_player.living_room"],
    )
    await advance(hass, freezer, local(2026, 6, 3, 17, 44), step=timedelta(minutes=5))
    assert announce == speak == []
    await advance(hass, freezer, local(2026, 6, 3, 17, 45))
    message = (
        "Time to get ready for your run. It starts at 18:00. "
        "This will be run 2 of 3 this week."
    )
    assert [c.data for c in announce] == [
        {"entity_id": ["assist_satellite.kitchen"], "message": message}
    ]
    assert [c.data for c in speak] == [
        {
            "entity_id": ["tts.piper"],
            "media_player_entity_id": ["media_player.living_room"],
            "message": message,
        }
    ]


async def test_planned_run_announcement_after_the_goal_and_only_satellites(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """With the goal met, the run is a bonus; no TTS engine means no tts.speak."""
    freezer.move_to(local(2026, 6, 3, 8, 0))
    await add_profile("Alex", weekly_goal=1, plan_days=["thu"])
    await _call(hass, "log_run", start="2026-06-01 07:00:00")
    announce = async_mock_service(hass, "assist_satellite", "announce")
    speak = async_mock_service(hass, "tts", "speak")
    await _use_blueprint(
        hass,
        "planned_run_announcement",
        planned_runs=PLANNED,
        greeting="Morning!",
        lead_time={"hours": 0, "minutes": 0, "seconds": 0},
        satellites=["assist_satellite.kitchen"],
    )
    await advance(hass, freezer, local(2026, 6, 4, 7, 1), step=timedelta(minutes=5))
    assert [c.data["message"] for c in announce] == [
        (
            "Morning! It starts at 07:00. You have already reached your goal of 1 "
            "this week, so this one is a bonus."
        )
    ]
    assert speak == []


async def test_wind_down_only_on_run_days(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """At bedtime minus 30 minutes, only on a day with a run."""
    freezer.move_to(local(2026, 6, 1, 12, 0))
    await add_profile("Alex")
    lights = async_mock_service(hass, "light", "turn_on")
    announce = async_mock_service(hass, "assist_satellite", "announce")
    notify = async_mock_service(hass, "notify", "mobile_app_alex")
    await _use_blueprint(
        hass,
        "wind_down",
        bedtime="22:30:00",
        minutes_before=30,
        ran_today="binary_sensor.alex_ran_today",
        only_on_run_days=True,
        lights=["light.bedroom"],
        satellites=["assist_satellite.bedroom"],
        notify_action="notify.mobile_app_alex",
    )
    # Monday without a run: nothing at 22:00.
    await advance(hass, freezer, local(2026, 6, 1, 21, 58), step=timedelta(minutes=30))
    await advance(hass, freezer, local(2026, 6, 1, 22, 5))
    assert lights == announce == notify == []

    # Tuesday with a run: dimmed lights and the prompt, once, at 22:00.
    await advance(hass, freezer, local(2026, 6, 2, 7, 0), step=timedelta(minutes=30))
    await _call(hass, "log_run", duration=30)
    await advance(hass, freezer, local(2026, 6, 2, 21, 58), step=timedelta(minutes=30))
    await advance(hass, freezer, local(2026, 6, 2, 21, 59))
    assert lights == []
    await advance(hass, freezer, local(2026, 6, 2, 22, 5))
    prompt = "Time to wind down. A good night's sleep makes tomorrow's run easier."
    assert [c.data for c in lights] == [
        {"entity_id": ["light.bedroom"], "brightness_pct": 20, "transition": 60}
    ]
    assert [c.data for c in announce] == [
        {"entity_id": ["assist_satellite.bedroom"], "message": prompt}
    ]
    assert [c.data for c in notify] == [{"title": "Wind down", "message": prompt}]


async def test_wind_down_every_day_with_only_a_notification(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """Without 'only on run days' it runs daily; empty inputs are skipped."""
    freezer.move_to(local(2026, 6, 1, 12, 0))
    await add_profile("Alex")
    lights = async_mock_service(hass, "light", "turn_on")
    notify = async_mock_service(hass, "notify", "mobile_app_alex")
    await _use_blueprint(
        hass,
        "wind_down",
        bedtime="23:00:00",
        minutes_before=15,
        notify_action="notify.mobile_app_alex",
        message="Screens off soon.",
    )
    await advance(hass, freezer, local(2026, 6, 1, 22, 40), step=timedelta(minutes=30))
    await advance(hass, freezer, local(2026, 6, 1, 22, 50))
    assert [c.data["message"] for c in notify] == ["Screens off soon."]
    assert lights == []


async def test_low_mood_check_in(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """When low mood turns on, the friend is told and Alex is asked, once."""
    freezer.move_to(local(2026, 6, 3, 19, 0))
    await add_profile("Alex")
    await add_profile("Sam")
    notify = async_mock_service(hass, "notify", "mobile_app_sams_phone")
    converse = async_mock_service(hass, "assist_satellite", "start_conversation")
    await _use_blueprint(
        hass,
        "low_mood_check_in",
        low_mood="binary_sensor.alex_low_mood",
        notify_action="notify.mobile_app_sams_phone",
        satellites=["assist_satellite.living_room"],
    )
    sam = hass.config_entries.async_entries(DOMAIN)[1].entry_id
    for _ in range(3):  # Sam's low mood is not Alex's
        await _call(
            hass, "log_mood", config_entry_id=sam, mood=2, time="2026-06-02 09:00:00"
        )
    alex = hass.config_entries.async_entries(DOMAIN)[0].entry_id
    await _call(
        hass, "log_mood", config_entry_id=alex, mood=3, time="2026-06-02 09:00:00"
    )
    await _call(hass, "log_mood", config_entry_id=alex, mood=4)
    assert notify == converse == []
    await _call(hass, "log_mood", config_entry_id=alex, mood=3)
    assert hass.states.get("binary_sensor.alex_low_mood").state == "on"
    assert [c.data for c in notify] == [
        {
            "title": "Check in",
            "message": "Alex might appreciate a check-in from you. "
            "Maybe suggest a walk or a run together?",
        }
    ]
    assert [c.data for c in converse] == [
        {
            "entity_id": ["assist_satellite.living_room"],
            "start_message": "Hi Alex, how are you feeling today? "
            "You can tell me your mood from 1 to 10.",
        }
    ]
    # Still low after another entry: no second message.
    await _call(hass, "log_mood", config_entry_id=alex, mood=2)
    assert len(notify) == len(converse) == 1
