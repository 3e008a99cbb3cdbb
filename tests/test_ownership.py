"""Whose notes are whose: owners, admins, other users and automations."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.run_wellbeing.const import DOMAIN

from .conftest import ProfileFactory, state

NOW = "2026-11-25T12:00:00+01:00"
GOAL = "number.alex_weekly_goal"


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    freezer.move_to(NOW)
    return freezer


@pytest.fixture
async def alex_user(hass: HomeAssistant, hass_owner_user: MockUser) -> User:
    """Return Alex's own user: not an administrator (the owner exists first)."""
    return await hass.auth.async_create_user("Alex", group_ids=["system-users"])


@pytest.fixture
async def sam_user(hass: HomeAssistant, hass_owner_user: MockUser) -> User:
    """Return another member of the household, not an administrator."""
    return await hass.auth.async_create_user("Sam", group_ids=["system-users"])


@pytest.fixture
async def owned(
    hass: HomeAssistant, add_profile: ProfileFactory, alex_user: User
) -> MockConfigEntry:
    """Return Alex's profile, linked to the person of Alex's user."""
    assert await async_setup_component(
        hass,
        "person",
        {"person": [{"id": "alex", "name": "Alex", "user_id": alex_user.id}]},
    )
    await hass.async_block_till_done()
    return await add_profile("Alex", person="person.alex")


async def call(
    hass: HomeAssistant,
    action: str,
    data: dict[str, Any],
    user: User | None = None,
    **kwargs: Any,
) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        action,
        data,
        blocking=True,
        context=Context(user_id=None if user is None else user.id),
        **kwargs,
    )


async def notes_seen(hass: HomeAssistant, user: User | None) -> list[Any]:
    response = await call(hass, "get_sessions", {}, user, return_response=True)
    return [session["note"] for session in response["sessions"]]


async def test_only_owner_admin_and_automations_read_notes(
    hass: HomeAssistant,
    owned: MockConfigEntry,
    *,
    alex_user: User,
    sam_user: User,
    hass_admin_user: MockUser,
    hass_read_only_user: MockUser,
) -> None:
    # Logging stays open to the household: Sam logs a run for Alex.
    await call(hass, "log_run", {"note": "Felt strong"}, sam_user)
    assert await notes_seen(hass, alex_user) == ["Felt strong"]
    assert await notes_seen(hass, hass_admin_user) == ["Felt strong"]
    assert await notes_seen(hass, None) == ["Felt strong"]
    assert await notes_seen(hass, sam_user) == [None]
    assert await notes_seen(hass, hass_read_only_user) == [None]


async def test_unlinked_profile_notes_are_for_admins_only(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    sam_user: User,
    hass_admin_user: MockUser,
) -> None:
    await call(hass, "log_run", {"note": "Hill repeats"})
    assert await notes_seen(hass, sam_user) == [None]
    assert await notes_seen(hass, hass_admin_user) == ["Hill repeats"]


@pytest.mark.parametrize("action", ["delete_record", "cancel_plan"])
async def test_others_may_not_remove_records(
    hass: HomeAssistant,
    owned: MockConfigEntry,
    sam_user: User,
    hass_read_only_user: MockUser,
    action: str,
) -> None:
    plan = await call(
        hass, "plan_run", {"start": "2026-11-26 07:00"}, return_response=True
    )
    field = "record_id" if action == "delete_record" else "plan_id"
    for user in (sam_user, hass_read_only_user):
        with pytest.raises(Unauthorized):
            await call(hass, action, {field: plan["plan_id"]}, user)
    assert plan["plan_id"] in owned.runtime_data.history.plans


@pytest.mark.parametrize("action", ["delete_record", "cancel_plan"])
async def test_owner_admin_and_automations_remove_records(
    hass: HomeAssistant,
    owned: MockConfigEntry,
    alex_user: User,
    hass_admin_user: MockUser,
    action: str,
) -> None:
    field = "record_id" if action == "delete_record" else "plan_id"
    for user in (alex_user, hass_admin_user, None):
        plan = await call(
            hass, "plan_run", {"start": "2026-11-26 07:00"}, return_response=True
        )
        await call(hass, action, {field: plan["plan_id"]}, user)
        assert owned.runtime_data.history.plans == {}


async def test_owner_deletes_a_session(
    hass: HomeAssistant, owned: MockConfigEntry, alex_user: User
) -> None:
    logged = await call(hass, "log_run", {}, alex_user, return_response=True)
    await call(hass, "delete_record", {"record_id": logged["session_id"]}, alex_user)
    assert state(hass, "sensor.alex_total_runs") == "0"


async def set_goal(hass: HomeAssistant, value: Any, user: User | None) -> None:
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": GOAL, "value": value},
        blocking=True,
        context=Context(user_id=None if user is None else user.id),
    )


async def test_weekly_goal_entity_follows_ownership(
    hass: HomeAssistant,
    owned: MockConfigEntry,
    alex_user: User,
    sam_user: User,
    hass_admin_user: MockUser,
) -> None:
    with pytest.raises(Unauthorized):
        await set_goal(hass, 5, sam_user)
    assert state(hass, GOAL) == "3"
    await set_goal(hass, 4, alex_user)
    assert owned.options["weekly_goal"] == 4
    await set_goal(hass, 5, hass_admin_user)
    await hass.async_block_till_done()
    assert owned.options["weekly_goal"] == 5
    await set_goal(hass, 6, None)
    assert owned.options["weekly_goal"] == 6


async def test_weekly_goal_entity_refuses_fractions(
    hass: HomeAssistant, owned: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await set_goal(hass, 2.5, None)
    assert caught.value.translation_key == "invalid_weekly_goal"
    assert str(caught.value) == (
        "The weekly goal must be a whole number from 1 to 14, not 2.5"
    )
    assert owned.options["weekly_goal"] == 3


async def test_unknown_user_and_missing_person_manage_nothing(
    hass: HomeAssistant, add_profile: ProfileFactory, sam_user: User
) -> None:
    """A user id that no longer exists, or a person that is gone, owns nothing."""
    await add_profile("Alex", person="person.gone")
    await call(hass, "log_run", {"note": "Tempo"})
    assert await notes_seen(hass, sam_user) == [None]
    response = await hass.services.async_call(
        DOMAIN,
        "get_sessions",
        {},
        blocking=True,
        return_response=True,
        context=Context(user_id="0123456789abcdef0123456789abcdef"),
    )
    assert response is not None
    assert [session["note"] for session in response["sessions"]] == [None]


async def test_only_admins_and_automations_export(
    hass: HomeAssistant,
    owned: MockConfigEntry,
    sam_user: User,
    alex_user: User,
    hass_admin_user: MockUser,
) -> None:
    """Exporting writes the server's disk: an admin action, even for the owner."""
    await call(hass, "log_run", {"note": "Felt strong"}, sam_user)
    path = hass.config.path("run_wellbeing", "exports", "alex-export.json")
    for user in (sam_user, alex_user):
        with pytest.raises(Unauthorized):
            await call(hass, "export_history", {"path": path, "format": "json"}, user)
    assert not await hass.async_add_executor_job(os.path.exists, path)
    for user in (hass_admin_user, None):
        await call(hass, "export_history", {"path": path, "format": "json"}, user)
    text = await hass.async_add_executor_job(Path(path).read_text)
    assert "Felt strong" in text
