"""Planning runs: plan_run / cancel_plan, the weekly schedule and next_planned_run."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.run_wellbeing.config_flow import sectioned
from custom_components.run_wellbeing.const import DOMAIN

from .conftest import ProfileFactory

NEXT = "sensor.alex_next_planned_run"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=dt_util.get_default_time_zone())  # type: ignore[misc]


def utc_iso(moment: datetime) -> str:
    return dt_util.as_utc(moment).isoformat()


async def _tick_to(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, moment: datetime
) -> None:
    freezer.move_to(moment)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def _plan(hass: HomeAssistant, **data: object) -> str:
    response = await hass.services.async_call(
        DOMAIN, "plan_run", data, blocking=True, return_response=True
    )
    assert response is not None
    return str(response["plan_id"])


async def test_plan_run_sets_next_planned_run_and_cancel_clears_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """A one-off plan is the next planned run until it is cancelled."""
    freezer.move_to(local(2026, 6, 1, 8, 0))
    entry = await add_profile("Alex")
    assert hass.states.get(NEXT).state == "unknown"

    plan_id = await _plan(hass, start="2026-06-03 18:00:00", note="Park loop")
    assert hass.states.get(NEXT).state == utc_iso(local(2026, 6, 3, 18, 0))
    summary = await hass.services.async_call(
        DOMAIN, "get_summary", {}, blocking=True, return_response=True
    )
    assert summary is not None
    assert summary["next_planned_run"] == local(2026, 6, 3, 18, 0).isoformat()
    assert entry.runtime_data.history.plans[plan_id].duration == 30 * 60

    # Without a response the action still plans; the note never shows in states.
    await hass.services.async_call(
        DOMAIN,
        "plan_run",
        {"start": local(2026, 6, 2, 7, 0).isoformat(), "duration": 45},
        blocking=True,
    )
    assert hass.states.get(NEXT).state == utc_iso(local(2026, 6, 2, 7, 0))
    assert all("Park loop" not in str(s.attributes) for s in hass.states.async_all())

    await hass.services.async_call(
        DOMAIN, "cancel_plan", {"plan_id": plan_id}, blocking=True
    )
    assert plan_id not in entry.runtime_data.history.plans
    assert hass.states.get(NEXT).state == utc_iso(local(2026, 6, 2, 7, 0))


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"start": "2026-06-01 07:59:00"}, "plan_in_past"),
        ({"start": "2026-06-01 08:00:00"}, "plan_in_past"),
        ({"start": "2026-06-02 07:00:00", "note": "x" * 501}, "note_too_long"),
        ({"start": "2026-06-02 07:00:00", "duration": 0}, "invalid_duration"),
        ({"start": "2026-06-02 07:00:00", "duration": 1441}, "invalid_duration"),
        ({"start": "not a time"}, "invalid_start"),
        ({"start": "2101-01-01 07:00:00"}, "invalid_start"),
        ({"start": "9999-12-31 07:00:00"}, "invalid_start"),
        ({}, None),
    ],
)
async def test_plan_run_refuses_bad_input(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
    data: dict[str, object],
    key: str | None,
) -> None:
    """A start that is not in the future, or bad fields, store nothing."""
    freezer.move_to(local(2026, 6, 1, 8, 0))
    entry = await add_profile("Alex")
    expected: type[Exception] = ServiceValidationError if key else vol.Invalid
    with pytest.raises(expected) as err:
        await hass.services.async_call(DOMAIN, "plan_run", data, blocking=True)
    if key:
        assert isinstance(err.value, ServiceValidationError)
        assert err.value.translation_key == key
    assert entry.runtime_data.history.plans == {}
    assert hass.states.get(NEXT).state == "unknown"


async def test_cancel_unknown_plan_is_refused(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """A plan id that does not exist names the problem."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "cancel_plan", {"plan_id": "nope"}, blocking=True
        )
    assert err.value.translation_key == "plan_not_found"
    assert err.value.translation_placeholders == {"plan_id": "nope"}


async def test_delete_record_removes_a_plan(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """delete_record also removes plans, and the sensor follows."""
    freezer.move_to(local(2026, 6, 1, 8, 0))
    await add_profile("Alex")
    plan_id = await _plan(hass, start="2026-06-03 18:00:00")
    await hass.services.async_call(
        DOMAIN, "delete_record", {"record_id": plan_id}, blocking=True
    )
    assert hass.states.get(NEXT).state == "unknown"


async def test_schedule_from_options_and_sensor_moves_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """Mon/Wed/Fri saved on a Tuesday: next is Wednesday; it moves on by itself."""
    freezer.move_to(local(2026, 6, 2, 20, 0))  # Tuesday
    entry = await add_profile("Alex")
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        sectioned(
            hass,
            {
                "weekly_goal": 3,
                "week_start": "monday",
                "counted_activities": ["run"],
                "plan_days": ["fri", "mon", "wed"],
                "plan_time": "07:00:00",
                "plan_duration": 40,
                "low_mood_threshold": 4.0,
            },
        ),
    )
    await hass.async_block_till_done()
    history = entry.runtime_data.history
    assert len(history.schedule_changes) == 1
    assert history.schedule_changes[0].days == ("mon", "wed", "fri")
    assert hass.states.get(NEXT).state == utc_iso(local(2026, 6, 3, 7, 0))

    # Same days in another order, or only a new goal: no new schedule version.
    hass.config_entries.async_update_entry(
        entry,
        options=entry.options | {"plan_days": ["wed", "mon", "fri"], "weekly_goal": 4},
    )
    await hass.async_block_till_done()
    assert len(history.schedule_changes) == 1

    # At 07:00 on Wednesday the sensor moves on to Friday without any record.
    await _tick_to(hass, freezer, local(2026, 6, 3, 7, 0, 0))
    assert hass.states.get(NEXT).state == utc_iso(local(2026, 6, 5, 7, 0))

    # A run at 06:40 on Friday: Friday's 07:00 is done, Monday is next.
    await _tick_to(hass, freezer, local(2026, 6, 5, 6, 40))
    await hass.services.async_call(DOMAIN, "log_run", {"duration": 30}, blocking=True)
    assert hass.states.get(NEXT).state == utc_iso(local(2026, 6, 8, 7, 0))

    # Planned days removed: a new version; nothing is planned any more.
    hass.config_entries.async_update_entry(
        entry, options=entry.options | {"plan_days": []}
    )
    await hass.async_block_till_done()
    assert len(history.schedule_changes) == 2
    assert hass.states.get(NEXT).state == "unknown"


async def test_plans_survive_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, add_profile: ProfileFactory
) -> None:
    """An acknowledged plan is stored with the profile."""
    freezer.move_to(local(2026, 6, 1, 8, 0))
    entry = await add_profile("Alex")
    plan_id = await _plan(hass, start="2026-06-03 18:00:00", duration=50, note="Hills")
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    plan = entry.runtime_data.history.plans[plan_id]
    assert (plan.duration, plan.note) == (3000, "Hills")
    assert plan.start == local(2026, 6, 3, 18, 0)
    assert hass.states.get(NEXT).state == utc_iso(local(2026, 6, 3, 18, 0))
    assert timedelta(0) < plan.start - dt_util.now()


@pytest.mark.parametrize(
    ("start", "duration", "key"),
    [
        (datetime(2026, 6, 2, 7, 0), None, "naive_time"),  # noqa: DTZ001
        (local(2026, 6, 2, 7, 0), 0.0, "invalid_duration"),
        (local(2026, 6, 2, 7, 0), 86401.0, "invalid_duration"),
    ],
)
async def test_coordinator_refuses_plans_other_callers_may_send(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    add_profile: ProfileFactory,
    *,
    start: datetime,
    duration: float | None,
    key: str,
) -> None:
    """Voice or other modules calling the coordinator get the same refusals."""
    freezer.move_to(local(2026, 6, 1, 8, 0))
    entry = await add_profile("Alex")
    with pytest.raises(ServiceValidationError) as err:
        await entry.runtime_data.async_plan_run(start=start, duration=duration)
    assert err.value.translation_key == key
    assert entry.runtime_data.history.plans == {}


async def test_new_profile_starts_without_a_plan(
    hass: HomeAssistant, time_zone: str
) -> None:
    """A person added in the UI has no planned runs until they choose days."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": "user"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Alex", "weekly_goal": 2}
    )
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.options["plan_days"] == []
    assert (entry.options["plan_time"], entry.options["plan_duration"]) == (
        "07:00:00",
        30,
    )
    assert entry.runtime_data.history.schedule_changes == []
    assert hass.states.get(NEXT).state == "unknown"
    events = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": "calendar.alex_planned_runs", "duration": {"days": 56}},
        blocking=True,
        return_response=True,
    )
    assert events == {"calendar.alex_planned_runs": {"events": []}}

    # Saving the options without any activity that counts is refused.
    form = await hass.config_entries.options.async_init(entry.entry_id)
    form = await hass.config_entries.options.async_configure(
        form["flow_id"],
        sectioned(
            hass, {**entry.options, "plan_days": ["sat"], "counted_activities": []}
        ),
    )
    assert form["errors"] == {"counted_activities": "no_counted_activities"}
    assert entry.runtime_data.history.schedule_changes == []
