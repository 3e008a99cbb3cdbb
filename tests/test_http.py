"""The card's download and upload: the owner or an admin, nobody else."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from homeassistant.auth.models import User
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    CLIENT_ID,
    MockConfigEntry,
    MockUser,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.run_wellbeing import http as card_http

from .conftest import ProfileFactory


@pytest.fixture
async def alex_user(hass: HomeAssistant, hass_owner_user: MockUser) -> User:
    """Return Alex's own user: not an administrator."""
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


async def _headers(hass: HomeAssistant, user: User) -> dict[str, str]:
    refresh = await hass.auth.async_create_refresh_token(user, CLIENT_ID)
    return {"Authorization": f"Bearer {hass.auth.async_create_access_token(refresh)}"}


def _form(body: bytes, name: str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("file", body, filename=name, content_type="application/json")
    return form


async def test_owner_downloads_and_uploads(
    hass: HomeAssistant,
    owned: MockConfigEntry,
    alex_user: User,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A non-admin owner exports a file and imports it into an empty profile."""
    await owned.runtime_data.async_log_mood(
        mood=7, when=None, note="after work", context=None
    )
    client = await hass_client_no_auth()
    headers = await _headers(hass, alex_user)
    response = await client.get(
        f"/api/run_wellbeing/{owned.entry_id}/export?format=json", headers=headers
    )
    assert response.status == 200
    assert "attachment" in response.headers["Content-Disposition"]
    body = await response.read()
    assert "after work" in body.decode()

    history = owned.runtime_data.history
    mood_id = next(iter(history.moods))
    await owned.runtime_data.async_delete_record(mood_id, None)
    assert history.moods == {}
    response = await client.post(
        f"/api/run_wellbeing/{owned.entry_id}/import",
        data=_form(body, "../../etc/export.json"),
        headers=headers,
    )
    assert response.status == 200, await response.text()
    summary: dict[str, Any] = await response.json()
    assert summary["imported"] == 1
    assert [m.note for m in history.moods.values()] == ["after work"]


async def test_other_user_is_refused_and_nothing_changes(
    hass: HomeAssistant,
    owned: MockConfigEntry,
    sam_user: User,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    client = await hass_client_no_auth()
    headers = await _headers(hass, sam_user)
    response = await client.get(
        f"/api/run_wellbeing/{owned.entry_id}/export", headers=headers
    )
    assert response.status == 403
    export = json.dumps({"moods": [{"mood": 5, "time": "2026-01-01T10:00:00"}]})
    response = await client.post(
        f"/api/run_wellbeing/{owned.entry_id}/import",
        data=_form(export.encode(), "x.json"),
        headers=headers,
    )
    assert response.status == 403
    assert owned.runtime_data.history.moods == {}
    # Without a token at all: 401.
    response = await client.get(f"/api/run_wellbeing/{owned.entry_id}/export")
    assert response.status == 401


async def test_admin_gets_clear_refusals(
    hass: HomeAssistant,
    owned: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Unknown profile, bad format, no file, too large, unreadable file."""
    client = await hass_client()
    base = f"/api/run_wellbeing/{owned.entry_id}"
    assert (await client.get("/api/run_wellbeing/nope/export")).status == 404
    assert (await client.get(f"{base}/export?format=xml")).status == 400
    assert (await client.post(f"{base}/import?format=zzz")).status == 400
    response = await client.post(f"{base}/import", data={"other": "x"})
    assert response.status == 400
    assert (await response.json())["error"] == "no_file"
    monkeypatch.setattr(card_http, "MAX_UPLOAD_BYTES", 10)
    response = await client.post(f"{base}/import", data=_form(b"x" * 100, "a.json"))
    assert response.status == 413
    monkeypatch.setattr(card_http, "MAX_UPLOAD_BYTES", 10_000)
    response = await client.post(
        f"{base}/import", data=_form(b"not an export", "a.json")
    )
    assert response.status == 400
    assert owned.runtime_data.history.sessions == {}
