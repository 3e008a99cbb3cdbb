"""A person adds a profile in the UI, logs a run and watches the dashboard update."""

from __future__ import annotations

from pathlib import Path
import re

from playwright.sync_api import Locator, Page, expect
import pytest

from .conftest import HomeAssistantServer, log_in, run_wellbeing_log_problems

pytestmark = pytest.mark.e2e

UPDATE_TIMEOUT_MS = 15_000


def tile_state(page: Page, name: str) -> Locator:
    """Return the state line of the dashboard tile with this exact name."""
    tile = page.locator("hui-tile-card").filter(has=page.get_by_text(name, exact=True))
    return tile.locator("state-display")


def add_profile_in_ui(
    page: Page, url: str, name: str, weekly_goal: int, shots: Path
) -> None:
    """Add a profile through the integration's config flow, as a person would."""
    page.goto(f"{url}/config/integrations/dashboard/add?domain=run_wellbeing")
    page.get_by_role("button", name="OK").click()
    name_field = page.get_by_role("textbox", name="Name")
    expect(name_field).to_be_visible()
    name_field.fill(name)
    page.get_by_role("spinbutton", name="Weekly goal").fill(str(weekly_goal))
    page.screenshot(path=shots / "02-add-profile.png")
    page.get_by_role("button", name="Submit").click()
    finish = page.get_by_role("button", name=re.compile("Finish|Skip"))
    expect(finish.first).to_be_visible()
    page.screenshot(path=shots / "03-profile-created.png")
    finish.first.click()


def test_logged_run_shows_on_dashboard_without_reload(
    home_assistant: HomeAssistantServer, page: Page, artifacts: Path
) -> None:
    """Add Alex (goal 1) in the UI, log a run; the open dashboard follows."""
    url = home_assistant.url
    log_in(page, url)
    page.screenshot(path=artifacts / "01-logged-in.png")

    add_profile_in_ui(page, url, "Alex", weekly_goal=1, shots=artifacts)

    page.goto(f"{url}/run-wellbeing/alex")
    runs, streak, day_streak = (
        tile_state(page, name) for name in ("Runs this week", "Streak", "Day streak")
    )
    expect(runs).to_have_text(re.compile(r"^\s*0\b"), timeout=UPDATE_TIMEOUT_MS)
    expect(streak).to_have_text(re.compile(r"^\s*0\b"))
    expect(day_streak).to_have_text(re.compile(r"^\s*0\b"))
    page.screenshot(path=artifacts / "04-dashboard-before.png", full_page=True)

    # Log a run over the page's own websocket connection (what Developer
    # tools -> Actions does), then watch the open dashboard: no reload.
    response = page.evaluate(
        """async () => {
            const hass = document.querySelector("home-assistant").hass;
            return await hass.connection.sendMessagePromise({
                type: "call_service",
                domain: "run_wellbeing",
                service: "log_run",
                service_data: {duration: 32, distance: 5.2, mood_before: 5, mood_after: 7},
                return_response: true,
            });
        }"""
    )
    assert response["response"]["session_id"]

    expect(runs).to_have_text(re.compile(r"^\s*1\b"), timeout=UPDATE_TIMEOUT_MS)
    expect(streak).to_have_text(re.compile(r"^\s*1\b"), timeout=UPDATE_TIMEOUT_MS)
    expect(day_streak).to_have_text(re.compile(r"^\s*1\b"), timeout=UPDATE_TIMEOUT_MS)
    expect(tile_state(page, "Mood lift")).to_have_text(re.compile(r"2"))
    page.screenshot(path=artifacts / "05-dashboard-after.png", full_page=True)


def test_integration_logged_no_warning(home_assistant: HomeAssistantServer) -> None:
    """Home Assistant's log holds no warning or error from the integration."""
    log = (home_assistant.config / "home-assistant.log").read_text(errors="replace")
    assert run_wellbeing_log_problems(log) == []
