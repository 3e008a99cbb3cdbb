"""The quality scale rules marked done hold for a real profile in Home Assistant."""

from __future__ import annotations

from importlib import import_module

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device_registry import DeviceEntryType
from homeassistant.helpers.entity_platform import async_get_platforms
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.const import DOMAIN, PLATFORMS

from .conftest import ProfileFactory
from .reliability import on_disk


async def test_actions_exist_without_a_profile(hass: HomeAssistant) -> None:
    """action-setup: actions are registered by async_setup, not per profile."""
    assert await async_setup_component(hass, DOMAIN, {})

    for action in ("log_run", "log_mood", "delete_record", "get_summary"):
        assert hass.services.has_service(DOMAIN, action)


async def test_entities_are_named_and_unique_on_the_profile_device(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """entity-unique-id, has-entity-name, devices, entity-category, device classes."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, alex.entry_id), alex.entry_id
    )
    assert device is not None
    assert device.name == "Alex"
    assert device.entry_type is DeviceEntryType.SERVICE

    entries = er.async_entries_for_config_entry(entity_registry, alex.entry_id)
    assert len(entries) == 21  # 15 sensors, 3 binary sensors, 1 number, 2 calendars
    for entry in entries:
        assert entry.unique_id == f"{alex.entry_id}_{entry.translation_key}"
        assert entry.has_entity_name
        assert entry.device_id == device.id
        assert entry.disabled_by is None
        assert entry.entity_id.split(".")[1] == f"alex_{entry.translation_key}"

    by_key = {entry.translation_key: entry for entry in entries}
    assert by_key["weekly_goal"].entity_category is EntityCategory.CONFIG
    assert {key for key, e in by_key.items() if e.entity_category} == {"weekly_goal"}
    assert by_key["distance_this_week"].original_device_class == (
        SensorDeviceClass.DISTANCE
    )
    assert by_key["duration_this_week"].original_device_class == (
        SensorDeviceClass.DURATION
    )
    assert by_key["last_run"].original_device_class == SensorDeviceClass.TIMESTAMP
    assert by_key["next_planned_run"].original_device_class == (
        SensorDeviceClass.TIMESTAMP
    )


def test_every_platform_sets_parallel_updates() -> None:
    """parallel-updates: state comes from the coordinator, so no limit is needed."""
    for platform in PLATFORMS:
        module = import_module(f"custom_components.{DOMAIN}.{platform.value}")
        assert module.PARALLEL_UPDATES == 0, platform


async def test_nothing_is_polled(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    """appropriate-polling (exempt): no coordinator, entity or platform polls."""
    entries = [await add_profile("Alex"), await add_profile("Sam")]

    for entry in entries:
        assert entry.runtime_data.update_interval is None
    platforms = async_get_platforms(hass, DOMAIN)
    assert {platform.domain for platform in platforms} == set(PLATFORMS)
    entities = [e for platform in platforms for e in platform.entities.values()]
    assert len(entities) == len(
        [
            e
            for entry in entries
            for e in er.async_entries_for_config_entry(
                er.async_get(hass), entry.entry_id
            )
        ]
    )
    assert [e.entity_id for e in entities if e.should_poll] == []
    # No platform scheduled a poll of its entities.
    assert [
        platform.domain
        for platform in platforms
        if platform._async_polling_timer is not None
    ] == []


async def test_unloading_flushes_and_releases_everything(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """config-entry-unloading: unload writes pending records and frees entities."""
    await hass.services.async_call(DOMAIN, "log_run", {"duration": 30}, blocking=True)

    assert await hass.config_entries.async_unload(alex.entry_id)
    await hass.async_block_till_done()

    assert alex.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get("sensor.alex_total_runs").state == STATE_UNAVAILABLE
    stored = await on_disk(hass, alex)
    assert len(stored["data"]["sessions"]) == 1
    # The actions stay, ready for the next profile.
    assert hass.services.has_service(DOMAIN, "log_run")

    assert await hass.config_entries.async_setup(alex.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.alex_total_runs").state == "1"


async def test_removing_a_profile_leaves_no_device(
    hass: HomeAssistant,
    add_profile: ProfileFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    """stale-devices (exempt): the profile's device goes with the profile."""
    alex = await add_profile("Alex")
    sam = await add_profile("Sam")

    await hass.config_entries.async_remove(alex.entry_id)
    await hass.async_block_till_done()

    assert not dr.async_entries_for_config_entry(device_registry, alex.entry_id)
    assert dr.async_entries_for_config_entry(device_registry, sam.entry_id)
    assert await on_disk(hass, alex) is None
