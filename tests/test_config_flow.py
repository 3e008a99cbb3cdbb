"""Adding, tuning and renaming a profile through the UI flows."""

from __future__ import annotations

from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.config_flow import default_options, sectioned
from custom_components.run_wellbeing.const import DOMAIN

from .conftest import ProfileFactory


async def test_user_flow_creates_a_profile_with_defaults(
    hass: HomeAssistant, time_zone: str
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": " Alex ", "weekly_goal": 4}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Alex"
    assert result["data"] == {"name": "Alex"}
    entry = result["result"]
    # The unique id is generated, stable and never the name.
    assert entry.unique_id not in (None, "alex", "Alex")
    assert len(entry.unique_id) == 26
    assert entry.minor_version == 2
    assert entry.options["weekly_goal"] == 4
    assert entry.options["week_start"] == "monday"
    assert entry.options["counted_activities"] == ["run"]
    assert entry.options["low_mood_threshold"] == 4.0
    state = hass.states.get("number.alex_weekly_goal")
    assert state is not None
    assert state.state == "4"


async def test_same_name_is_a_form_error(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    await add_profile("Alex")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "alex", "weekly_goal": 3}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"name": "already_configured"}
    # The person picks another name in the same form.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Alex B", "weekly_goal": 3}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_name_without_letters_is_refused(
    hass: HomeAssistant, time_zone: str
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": " !! ", "weekly_goal": 3}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"name": "invalid_name"}


async def test_options_flow_refuses_no_counted_activity(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(alex.entry_id)
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        sectioned(
            hass,
            {
                "weekly_goal": 3,
                "week_start": "monday",
                "counted_activities": [],
                "plan_time": "07:00",
                "plan_duration": 30,
                "low_mood_threshold": 4.0,
            },
        ),
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"counted_activities": "no_counted_activities"}
    assert alex.options["counted_activities"] == ["run"]


async def test_reconfigure_renames_the_profile_and_device(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    alex = await add_profile("Alex")
    await add_profile("Sam")
    result = await alex.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Sam"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"name": "already_configured"}

    unique_id = alex.unique_id
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Alexandra"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert alex.title == "Alexandra"
    assert alex.data["name"] == "Alexandra"
    assert alex.runtime_data.device_name == "Alexandra"
    assert alex.unique_id == unique_id


async def test_old_entry_keyed_by_name_is_migrated(
    hass: HomeAssistant, time_zone: str
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Alex",
        data={"name": "Alex"},
        options=default_options(),
        unique_id="alex",
        version=1,
        minor_version=1,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is config_entries.ConfigEntryState.LOADED
    assert (entry.version, entry.minor_version) == (1, 2)
    assert entry.unique_id not in (None, "alex")
    assert hass.states.get("sensor.alex_total_runs") is not None
    # The name is still taken for a new profile.
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "ALEX", "weekly_goal": 3}
    )
    assert result["errors"] == {"name": "already_configured"}


async def test_entry_from_a_newer_version_is_not_touched(
    hass: HomeAssistant, time_zone: str
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Alex",
        data={"name": "Alex"},
        options=default_options(),
        unique_id="01JNEWERVERSION0000000000",
        version=2,
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is config_entries.ConfigEntryState.MIGRATION_ERROR


async def test_reconfigure_refuses_an_empty_name(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    result = await alex.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "  "}
    )
    assert result["errors"] == {"name": "invalid_name"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Alex"}
    )
    assert result["reason"] == "reconfigure_successful"


@pytest.mark.parametrize("goal", [2.5, True, 0, 15, "three"])
async def test_user_flow_refuses_a_goal_that_is_not_a_whole_number(
    hass: HomeAssistant, goal: object
) -> None:
    """2.5 and true are form errors, never read as 2 or 1."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Alex", "weekly_goal": goal}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"weekly_goal": "invalid_weekly_goal"}
    assert hass.config_entries.async_entries(DOMAIN) == []


def _options(alex: MockConfigEntry, **changes: object) -> dict[str, object]:
    return default_options() | dict(alex.options) | changes


@pytest.mark.parametrize("goal", [2.5, True])
async def test_options_flow_refuses_a_fractional_or_boolean_goal(
    hass: HomeAssistant, alex: MockConfigEntry, goal: object
) -> None:
    before = dict(alex.options)
    result = await hass.config_entries.options.async_init(alex.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], sectioned(hass, _options(alex, weekly_goal=goal))
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"weekly_goal": "invalid_weekly_goal"}
    assert dict(alex.options) == before


async def test_options_are_in_sections_and_saved_flat(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """Goal and plan open, the rest collapsed; the voice options land flat."""
    result = await hass.config_entries.options.async_init(alex.entry_id)
    schema = result["data_schema"].schema
    assert list(schema) == [
        "goal_and_plan",
        "person_and_voice",
        "linked_sensors",
        "history",
    ]
    assert [schema[name].options["collapsed"] for name in schema] == [
        False,
        True,
        True,
        True,
    ]
    voice = schema["person_and_voice"].schema.schema
    assert set(voice) == {
        "person",
        "voice_satellites",
        "voice_areas",
        "ask_mood_after_run",
    }
    # The plan time is picked without seconds.
    plan_time = schema["goal_and_plan"].schema.schema["plan_time"]
    assert plan_time.serialize() == {"selector": {"time": {"no_second": True}}}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        sectioned(
            hass,
            _options(
                alex,
                weekly_goal=5,
                voice_satellites=["assist_satellite.kitchen"],
                voice_areas=["kitchen"],
                ask_mood_after_run=False,
            ),
        ),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert alex.options["weekly_goal"] == 5
    assert alex.options["voice_satellites"] == ["assist_satellite.kitchen"]
    assert alex.options["voice_areas"] == ["kitchen"]
    assert alex.options["ask_mood_after_run"] is False
    assert not any(
        key in alex.options
        for key in ("goal_and_plan", "person_and_voice", "linked_sensors", "history")
    )


async def test_options_refuse_a_notify_action_without_buttons(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """A notification without Log / Ignore buttons could never log the run."""
    hass.services.async_register("notify", "persistent_notification", lambda _: None)
    result = await hass.config_entries.options.async_init(alex.entry_id)
    offered = (
        result["data_schema"]
        .schema["linked_sensors"]
        .schema.schema["notify_service"]
        .config["options"]
    )
    assert "notify.persistent_notification" not in offered
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        sectioned(
            hass, _options(alex, notify_service="notify.persistent_notification")
        ),
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"notify_service": "notify_without_buttons"}
    assert "notify_service" not in alex.options
