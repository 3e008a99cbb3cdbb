"""Export and import from the card as the profile's owner who is not an admin.

The contract makes import_history and export_history admin actions; a
profile's owner who is not an admin exports by downloading and imports by
uploading in the card. The owner is a Home Assistant user (not an admin)
whose person the profile is linked to in its options. Runs after
test_dashboard_card.py (same Home Assistant); run alone, it adds Alex itself.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect
import pytest

from scripts.devserver import sectioned_input

from .conftest import (
    DESKTOP_DARK,
    DOCS,
    HOME_TIME_ZONE,
    HomeAssistantServer,
    expect_theme,
    log_in,
    new_context,
)
from .test_dashboard_card import alex_entry, ws

pytestmark = pytest.mark.e2e

OWNER_NAME = "Robin"
OWNER_USERNAME = "robin"
OWNER_PASSWORD = "robin-e2e-password"  # noqa: S105 - a throwaway test user


def api(page: Page, method: str, path: str, data: Any = None) -> Any:
    """Call Home Assistant's REST API with the page's own login."""
    return page.evaluate(
        """async ([method, path, data]) =>
            await document.querySelector("home-assistant").hass.callApi(method, path, data)""",
        [method, path, data],
    )


def add_non_admin_person(page: Page) -> str:
    """Add a user who is not an admin, with a person; return the person's id."""
    user = ws(
        page,
        {
            "type": "config/auth/create",
            "name": OWNER_NAME,
            "group_ids": ["system-users"],
            "local_only": False,
        },
    )["user"]
    assert "system-admin" not in user["group_ids"]
    ws(
        page,
        {
            "type": "config/auth_provider/homeassistant/create",
            "user_id": user["id"],
            "username": OWNER_USERNAME,
            "password": OWNER_PASSWORD,
        },
    )
    ws(page, {"type": "person/create", "name": OWNER_NAME, "user_id": user["id"]})
    person = f"person.{OWNER_USERNAME}"
    page.wait_for_function(
        "(id) => document.querySelector('home-assistant').hass.states[id]", arg=person
    )
    return person


def link_profile(page: Page, entry_id: str, person: str) -> None:
    """Link the profile to the person through its options flow."""
    flow = api(
        page, "POST", "config/config_entries/options/flow", {"handler": entry_id}
    )
    data = sectioned_input(flow["data_schema"], {"person": person})
    result = api(
        page, "POST", f"config/config_entries/options/flow/{flow['flow_id']}", data
    )
    assert result["type"] == "create_entry", result


def one_run_gpx(start: datetime) -> str:
    """Return a GPX track of a 30-minute, 5 km run starting at `start`."""
    points = []
    for i in range(31):
        when = (start + timedelta(minutes=i)).astimezone(UTC)
        points.append(
            f'<trkpt lat="{52.0 + i * 0.0015:.6f}" lon="4.9"><ele>1.0</ele>'
            f"<time>{when:%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="e2e" xmlns="http://www.topografix.com/GPX/1/1">'
        "<trk><name>Morning Run</name><type>running</type><trkseg>"
        + "".join(points)
        + "</trkseg></trk></gpx>\n"
    )


def test_non_admin_owner_exports_and_imports_in_the_card(
    home_assistant: HomeAssistantServer, browser: Browser, page: Page, artifacts: Path
) -> None:
    """A non-admin owner downloads the history and uploads a run from the card."""
    url = home_assistant.url
    log_in(page, url)
    entry_id = alex_entry(page, url, artifacts)
    person = add_non_admin_person(page)

    look = DESKTOP_DARK
    context = new_context(browser, look)
    owner = context.new_page()
    try:
        log_in(owner, url, OWNER_USERNAME, OWNER_PASSWORD)
        owner.goto(f"{url}/run-wellbeing/card")
        card = owner.locator("run-wellbeing-card")
        expect(card.get_by_role("button", name="Log run")).to_be_visible()
        expect_theme(card, look)
        # Not the owner yet: the card offers no export and no import.
        expect(card.get_by_role("button", name="Export")).to_have_count(0)
        expect(card.locator('input[type="file"]')).to_have_count(0)

        link_profile(page, entry_id, person)
        owner.reload()
        export = card.get_by_role("button", name="Export")
        expect(export).to_be_visible()
        with owner.expect_download() as download_info:
            export.click()
        download = download_info.value
        assert download.suggested_filename == "run_wellbeing_alex.json"
        saved = artifacts / f"owner-{download.suggested_filename}"
        download.save_as(saved)
        assert b'"sessions"' in saved.read_bytes()

        # A run from another app, three days ago at 07:00: it lands on its day.
        zone = ZoneInfo(HOME_TIME_ZONE)
        start = (datetime.now(zone) - timedelta(days=3)).replace(
            hour=7, minute=0, second=0, microsecond=0
        )
        gpx = artifacts / "owner-morning-run.gpx"
        gpx.write_text(one_run_gpx(start))
        cell = card.locator(f'rect.cell[data-date="{start:%Y-%m-%d}"]')
        before = int(cell.get_attribute("data-count") or 0)
        card.locator('input[type="file"]').set_input_files(str(gpx))
        expect(card.get_by_role("status")).to_contain_text("Imported 1,")
        expect(cell).to_have_attribute("data-count", str(before + 1))
        owner.screenshot(path=DOCS / f"card-import-owner-{look.name}.png")

        # Everything in the downloaded file is already in the profile.
        card.locator('input[type="file"]').set_input_files(str(saved))
        expect(card.get_by_role("status")).to_contain_text("Imported 0,")
    except AssertionError:
        owner.screenshot(path=artifacts / "card-owner-failed.png")
        raise
    finally:
        context.close()
