"""The integration's own card in a real Home Assistant and Chromium.

Runs after test_dashboard.py (same Home Assistant), which added Alex; run
alone, it adds Alex itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import os
from pathlib import Path
import re
import time
from typing import Any

from playwright.sync_api import Page, expect
import pytest

from .conftest import HomeAssistantServer
from .test_dashboard import add_profile_in_ui, log_in

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
# The README's screenshots are retaken with E2E_DOCS=1; otherwise they land
# with the other artifacts, so a test run leaves the work tree clean.
DOCS = ROOT / "docs" if os.environ.get("E2E_DOCS") else ROOT / "test-artifacts" / "e2e"


def ws(page: Page, message: dict[str, Any]) -> Any:
    """Send a websocket command over the page's own connection."""
    return page.evaluate(
        """async (msg) => {
            const hass = document.querySelector("home-assistant").hass;
            return await hass.connection.sendMessagePromise(msg);
        }""",
        message,
    )


def alex_entry(page: Page, url: str, artifacts: Path) -> str:
    """Return Alex's entry id, adding the profile when this test runs alone."""
    # Without any profile the integration (and its commands) is not loaded.
    page.wait_for_function(
        """() => document.querySelector("home-assistant").hass?.states"""
    )
    has_alex = page.evaluate(
        """() => "sensor.alex_runs_this_week" in
            document.querySelector("home-assistant").hass.states"""
    )
    if not has_alex:
        add_profile_in_ui(page, url, "Alex", weekly_goal=1, shots=artifacts)
    profiles = ws(page, {"type": "run_wellbeing/profiles"})["profiles"]
    return str(next(p["entry_id"] for p in profiles if p["name"] == "Alex"))


def seed_year(page: Page, entry_id: str) -> None:
    """Log a demo year through the card's own command: 3 runs most weeks."""
    page.evaluate(
        """async (entry) => {
            const hass = document.querySelector("home-assistant").hass;
            const now = Date.now();
            for (let day = 2; day < 360; day++) {
                if (![1, 3, 5].includes(day % 7) || day % 29 === 0) continue;
                const start = new Date(now - day * 86400000).toISOString();
                await hass.callWS({type: "run_wellbeing/log_run", entry_id: entry, start,
                    duration: 25 + (day % 20), distance: 3 + (day % 9),
                    mood_before: 4 + (day % 3), mood_after: 6 + (day % 4)});
            }
        }""",
        entry_id,
    )


def card_count(page: Page) -> int:
    """Return the number of counted sessions the heatmap shows."""
    return int(
        page.locator("run-wellbeing-card rect.cell").evaluate_all(
            "cells => cells.reduce((n, c) => n + Number(c.dataset.count), 0)"
        )
    )


def test_card_year_logging_undo_and_phone(
    home_assistant: HomeAssistantServer, page: Page, artifacts: Path
) -> None:
    """The card shows a year, logs a run with undo, and fits a phone."""
    url = home_assistant.url
    log_in(page, url)
    entry_id = alex_entry(page, url, artifacts)
    seed_year(page, entry_id)

    started = time.monotonic()
    page.goto(f"{url}/run-wellbeing/card")
    card = page.locator("run-wellbeing-card")
    expect(card.locator("svg rect.cell").first).to_be_visible()
    (artifacts / "card-first-paint.txt").write_text(
        f"card visible {time.monotonic() - started:.2f} s after navigation\n"
    )
    before = card_count(page)
    # The card shows the latest weeks that fit with 12 px cells (a section
    # of a sections view holds about 33 of them): most of a year's runs.
    assert before > 60
    page.screenshot(path=DOCS / "card-desktop.png", full_page=True)

    runs_state = page.evaluate(
        """() => document.querySelector("home-assistant").hass
            .states["sensor.alex_runs_this_week"].state"""
    )
    card.get_by_role("button", name="Log run").click()
    card.get_by_label("Duration (min)").fill("31")
    card.get_by_label("Distance (km)").fill("5.5")
    card.get_by_label("Note (private)").fill("a private note")
    card.get_by_role("button", name="Save").click()
    expect(card.get_by_role("status")).to_contain_text("Run logged")
    deadline = time.monotonic() + 15
    while card_count(page) != before + 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert card_count(page) == before + 1
    after_state = page.evaluate(
        """() => document.querySelector("home-assistant").hass
            .states["sensor.alex_runs_this_week"].state"""
    )
    assert int(after_state) == int(runs_state) + 1

    card.get_by_role("button", name="Undo").click()
    expect(card.get_by_role("status")).to_contain_text("Removed")
    deadline = time.monotonic() + 15
    while card_count(page) != before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert card_count(page) == before

    # Yesterday's run: it ended at a chosen time; mood after on the tap scale.
    card.get_by_role("button", name="Log run").click()
    card.get_by_label("Duration (min)").fill("40")
    card.get_by_role("radio", name="Earlier").check()
    ended = (datetime.now().astimezone() - timedelta(days=1)).replace(
        hour=18, minute=30
    )
    card.get_by_label("Ended at").fill(ended.strftime("%Y-%m-%dT%H:%M"))
    card.get_by_role("radio", name="Mood after (1\u201310) 8", exact=True).click()
    page.screenshot(path=DOCS / "card-log-yesterday.png")
    card.get_by_role("button", name="Save").click()
    expect(card.get_by_role("status")).to_contain_text("Run logged")
    logged = page.evaluate(
        """async ([entry, day]) => {
            const hass = document.querySelector("home-assistant").hass;
            const {sessions} = await hass.callWS(
                {type: "run_wellbeing/day", entry_id: entry, date: day});
            const s = sessions.find((x) => x.duration === 40);
            if (!s) return null;
            const start = new Date(s.start);
            return [start.getHours(), start.getMinutes()];
        }""",
        [entry_id, ended.strftime("%Y-%m-%d")],
    )
    # It started 40 minutes before it ended, yesterday.
    assert logged == [17, 50]

    # Keyboard: one tab stop in the heatmap, arrows move, Enter opens the day.
    cell = card.locator('rect.cell[tabindex="0"]')
    expect(cell).to_have_count(1)
    cell.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    expect(card.get_by_role("region", name=re.compile("Sessions on"))).to_be_visible()
    card.get_by_role("button", name="Close").click()

    page.set_viewport_size({"width": 375, "height": 812})
    page.wait_for_timeout(500)
    overflow = card.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 0
    page_overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )
    assert page_overflow <= 0
    card.screenshot(path=DOCS / "card-phone.png")


def test_card_editor(home_assistant: HomeAssistantServer, page: Page) -> None:
    """The editor lists profiles and toggles sections."""
    url = home_assistant.url
    log_in(page, url)
    page.goto(f"{url}/run-wellbeing/card")
    expect(page.locator("run-wellbeing-card svg rect.cell").first).to_be_visible()
    editor = page.evaluate_handle(
        """async () => {
            const el = customElements.get("run-wellbeing-card").getConfigElement();
            el.hass = document.querySelector("home-assistant").hass;
            el.setConfig({type: "custom:run-wellbeing-card"});
            // Above Home Assistant's own layout, as the card editor dialog is.
            el.style.cssText = "position:fixed;top:0;left:0;z-index:10000;background:#fff";
            document.body.appendChild(el);
            window.__changes = [];
            el.addEventListener("config-changed", (ev) => window.__changes.push(ev.detail.config));
            return el;
        }"""
    )
    profile = page.locator("run-wellbeing-card-editor #profile")
    expect(profile.locator("option", has_text="Alex")).to_have_count(1)
    page.locator("run-wellbeing-card-editor input[name=show_mood]").uncheck()
    changes = page.evaluate("() => window.__changes")
    assert changes[-1]["show_mood"] is False
    stub = page.evaluate(
        """async () => await customElements.get("run-wellbeing-card")
            .getStubConfig(document.querySelector("home-assistant").hass)"""
    )
    assert stub["entry_id"]
    picker = page.evaluate("() => window.customCards.map((c) => c.type)")
    assert "run-wellbeing-card" in picker
    editor.dispose()


def test_card_export_download_and_import_upload(
    home_assistant: HomeAssistantServer, page: Page, artifacts: Path
) -> None:
    """Export downloads a file; uploading it back imports nothing twice."""
    url = home_assistant.url
    log_in(page, url)
    alex_entry(page, url, artifacts)
    page.goto(f"{url}/run-wellbeing/card")
    card = page.locator("run-wellbeing-card")
    expect(card.get_by_role("button", name="Export")).to_be_visible()
    with page.expect_download() as download_info:
        card.get_by_role("button", name="Export").click()
    download = download_info.value
    assert download.suggested_filename == "run_wellbeing_alex.json"
    saved = artifacts / download.suggested_filename
    download.save_as(saved)
    assert b'"sessions"' in saved.read_bytes()
    card.locator('input[type="file"]').set_input_files(str(saved))
    # Everything in the file is already in the profile.
    expect(card.get_by_role("status")).to_contain_text("Imported 0")
    page.screenshot(path=DOCS / "card-import.png")
