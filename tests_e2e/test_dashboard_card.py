"""The integration's own card in a real Home Assistant and Chromium.

Runs after test_dashboard.py (same Home Assistant), which added Alex; run
alone, it adds Alex itself.
"""

from __future__ import annotations

from pathlib import Path
import re
import time
from typing import Any

from playwright.sync_api import Page, expect
import pytest

from .conftest import PHONE, HomeAssistantServer, log_in
from .test_dashboard import add_profile_in_ui

pytestmark = pytest.mark.e2e


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
    """The card shows a year, logs a run that just finished, undoes it, fits a phone."""
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
    page.screenshot(path=artifacts / "card-year-desktop.png", full_page=True)

    runs_state = page.evaluate(
        """() => document.querySelector("home-assistant").hass
            .states["sensor.alex_runs_this_week"].state"""
    )
    today = card.locator('rect.cell[tabindex="0"]')
    today_count = int(today.get_attribute("data-count") or 0)
    card.get_by_role("button", name="Log run").click()
    card.get_by_label("Duration (min)").fill("31")
    card.get_by_label("Distance (km)").fill("5.5")
    card.get_by_label("Note (private)").fill("a private note")
    card.get_by_role("button", name="Save").click()
    expect(card.get_by_role("status")).to_contain_text("Run logged")
    expect(today).to_have_attribute("data-count", str(today_count + 1))
    assert card_count(page) == before + 1
    after_state = page.evaluate(
        """() => document.querySelector("home-assistant").hass
            .states["sensor.alex_runs_this_week"].state"""
    )
    assert int(after_state) == int(runs_state) + 1

    card.get_by_role("button", name="Undo").click()
    expect(card.get_by_role("status")).to_contain_text("Removed")
    expect(today).to_have_attribute("data-count", str(today_count))
    assert card_count(page) == before

    # Keyboard: one tab stop in the heatmap, arrows move, Enter opens the day.
    cell = card.locator('rect.cell[tabindex="0"]')
    expect(cell).to_have_count(1)
    cell.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    expect(card.get_by_role("region", name=re.compile("Sessions on"))).to_be_visible()
    card.get_by_role("button", name="Close").click()

    # A phone shows fewer weeks, and the heading says how many.
    page.set_viewport_size(PHONE)
    heading = card.locator("section.heatmap h3")
    expect(heading).to_have_text(re.compile(r"^The last \d+ weeks$"))
    weeks = card.locator("rect.cell").evaluate_all(
        "cells => new Set(cells.map((c) => c.getAttribute('x'))).size"
    )
    expect(heading).to_have_text(f"The last {weeks} weeks")
    assert weeks < 52
    overflow = card.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 0
    page_overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )
    assert page_overflow <= 0
    card.screenshot(path=artifacts / "card-year-phone.png")
