"""After an import, the long-term statistics of the weekly and total sensors cover the past."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.statistics import (
    get_metadata,
    statistics_during_period,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.run_wellbeing.const import DOMAIN

from .conftest import ProfileFactory
from .history_exports import Act, write_strava

NOW = "2026-11-25T12:00:00+01:00"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """Start the recorder before Home Assistant, as its fixture requires."""


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    freezer.move_to(NOW)
    return freezer


async def test_import_backfills_weekly_and_total_statistics(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    add_profile: ProfileFactory,
    frozen: FrozenDateTimeFactory,
) -> None:
    await add_profile("Alex")
    frozen.tick(timedelta(hours=2, minutes=30))  # the profile is 2.5 hours old
    # Three runs in one week of 2025 and one a week later (Mon-Sun weeks, Amsterdam).
    starts = [
        datetime(2025, 3, 3, 6, 10, tzinfo=UTC),
        datetime(2025, 3, 5, 6, 20, tzinfo=UTC),
        datetime(2025, 3, 5, 18, 0, tzinfo=UTC),
        datetime(2025, 3, 11, 6, 0, tzinfo=UTC),
    ]
    folder = Path(hass.config.config_dir) / "strava"
    write_strava(
        folder, [Act(s, "Run", 1800, 1800, 5000) for s in starts], files="none"
    )
    await hass.services.async_call(
        DOMAIN, "import_history", {"path": "strava"}, blocking=True
    )
    await async_wait_recording_done(hass)

    ids = {
        "sensor.alex_total_runs",
        "sensor.alex_runs_this_week",
        "sensor.alex_distance_this_week",
    }
    stats = await recorder_mock.async_add_executor_job(
        statistics_during_period,
        hass,
        datetime(2025, 3, 1, tzinfo=UTC),
        datetime(2025, 3, 20, tzinfo=UTC),
        ids,
        "hour",
        None,
        {"state", "sum"},
    )
    total = stats["sensor.alex_total_runs"]
    assert [(row["start"], row["sum"]) for row in total] == [
        (s.replace(minute=0).timestamp(), n) for n, s in enumerate(starts, start=1)
    ]
    week = [row["state"] for row in stats["sensor.alex_runs_this_week"]]
    assert week == [1, 2, 3, 1]
    distance = stats["sensor.alex_distance_this_week"]
    assert [row["state"] for row in distance] == [5, 10, 15, 5]
    assert [row["sum"] for row in distance] == [5, 10, 15, 20]

    # Weekly change, as the statistics graph asks for it, shows the imported weeks.
    weekly = await recorder_mock.async_add_executor_job(
        statistics_during_period,
        hass,
        datetime(2025, 3, 2, 23, tzinfo=UTC),
        datetime(2025, 3, 20, tzinfo=UTC),
        {"sensor.alex_total_runs"},
        "week",
        None,
        {"change"},
    )
    assert [row["change"] for row in weekly["sensor.alex_total_runs"]] == [3, 1]

    # The hours since the profile was added are rewritten too, so the live
    # statistics the recorder compiled go on from the imported sum.
    recent = await recorder_mock.async_add_executor_job(
        statistics_during_period,
        hass,
        datetime(2026, 11, 25, 10, tzinfo=UTC),
        datetime(2026, 11, 25, 14, tzinfo=UTC),
        {"sensor.alex_total_runs"},
        "hour",
        None,
        {"sum"},
    )
    rows = recent["sensor.alex_total_runs"]
    assert [row["sum"] for row in rows] == [4, 4]
    assert rows[0]["start"] == datetime(2026, 11, 25, 11, tzinfo=UTC).timestamp()


async def test_backfill_uses_the_sensors_units_and_raises_no_repair_issue(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    add_profile: ProfileFactory,
    frozen: FrozenDateTimeFactory,
) -> None:
    await add_profile("Alex")
    # The recorder compiles the sensors' own statistics first, as it does
    # in an installation running for a while before the import.
    frozen.tick(timedelta(hours=1))
    await async_wait_recording_done(hass)
    folder = Path(hass.config.config_dir) / "strava"
    starts = [datetime(2025, 3, 3, 6, 10, tzinfo=UTC)]
    write_strava(
        folder, [Act(s, "Run", 1800, 1800, 5000) for s in starts], files="none"
    )
    await hass.services.async_call(
        DOMAIN, "import_history", {"path": "strava"}, blocking=True
    )
    await async_wait_recording_done(hass)
    # The recorder checks units when it compiles the next statistics.
    frozen.tick(timedelta(hours=1))
    async_fire_time_changed(hass)
    await async_wait_recording_done(hass)

    ids = {
        "sensor.alex_total_runs",
        "sensor.alex_runs_this_week",
        "sensor.alex_distance_this_week",
    }
    metadata = await recorder_mock.async_add_executor_job(
        partial(get_metadata, hass, statistic_ids=ids)
    )
    for entity_id in ids:
        unit = hass.states.get(entity_id).attributes.get("unit_of_measurement")
        assert unit is not None
        assert metadata[entity_id][1]["unit_of_measurement"] == unit
    assert metadata["sensor.alex_total_runs"][1]["unit_class"] is None
    assert metadata["sensor.alex_distance_this_week"][1]["unit_class"] == "distance"
    issues = ir.async_get(hass).issues
    assert [key for key in issues if key[0] in {"recorder", "sensor"}] == []
