"""Logging a run that ended earlier, and undo minutes later (issue 22).

The card offers Undo for 15 minutes after it logged a record. The browser's
clock (Playwright's page clock) is moved on by minutes, so the card's own
timer is what is tested; the undo itself goes to the real Home Assistant.

Runs after test_dashboard_card.py (same Home Assistant); run alone, it adds
Alex itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Locator, Page, expect
import pytest

from .conftest import (
    DESKTOP_DARK,
    DOCS,
    HOME_TIME_ZONE,
    PHONE_LIGHT,
    HomeAssistantServer,
    Look,
    expect_theme,
    log_in,
    new_context,
)
from .test_dashboard_card import alex_entry, ws

pytestmark = pytest.mark.e2e


def day_cell(card: Locator, day: datetime) -> Locator:
    """Return the heatmap cell of a local day."""
    return card.locator(f'rect.cell[data-date="{day:%Y-%m-%d}"]')


def count_of(cell: Locator) -> int:
    """Return the number of counted sessions a heatmap cell shows."""
    return int(cell.get_attribute("data-count") or 0)


def log_earlier_run(
    card: Locator, duration: int, ended: datetime, mood_after: int | None = None
) -> None:
    """Log a run through the card's form: it ended at a chosen day and time."""
    card.get_by_role("button", name="Log run").click()
    card.get_by_label("Duration (min)").fill(str(duration))
    card.get_by_role("radio", name="Earlier").check()
    card.get_by_label("Ended at").fill(f"{ended:%Y-%m-%dT%H:%M}")
    if mood_after is not None:
        card.get_by_role(
            "radio", name=f"Mood after (1\u201310) {mood_after}", exact=True
        ).click()


def starts_on(page: Page, entry_id: str, day: datetime, duration: int) -> list[str]:
    """Return the local start times (HH:MM) of the day's runs of this duration."""
    sessions = ws(
        page,
        {"type": "run_wellbeing/day", "entry_id": entry_id, "date": f"{day:%Y-%m-%d}"},
    )["sessions"]
    zone = ZoneInfo(HOME_TIME_ZONE)
    return [
        f"{datetime.fromisoformat(s['start']).astimezone(zone):%H:%M}"
        for s in sessions
        if s["duration"] == duration
    ]


@pytest.mark.parametrize(
    "look", [DESKTOP_DARK, PHONE_LIGHT], ids=lambda look: look.name
)
def test_log_earlier_and_yesterday_undo_minutes_later(
    home_assistant: HomeAssistantServer,
    browser: Browser,
    page: Page,
    artifacts: Path,
    look: Look,
) -> None:
    """Undo works 14 minutes after logging and is gone after 15.

    A run that ended 40 minutes ago is undone 14 minutes after it was
    logged; yesterday's run is logged and keeps its place once Undo is gone.
    """
    url = home_assistant.url
    log_in(page, url)
    entry_id = alex_entry(page, url, artifacts)
    context = new_context(browser, look, storage_state=page.context.storage_state())
    context.clock.install()
    tab = context.new_page()
    try:
        tab.goto(f"{url}/run-wellbeing/card")
        card = tab.locator("run-wellbeing-card")
        expect(card.locator("svg rect.cell").first).to_be_visible()
        expect_theme(card, look)
        undo = card.get_by_role("status").get_by_role("button", name="Undo")

        # A run that ended 40 minutes ago, its length (23 or 24 minutes) told
        # apart from the runs other tests log.
        duration = 20 + (3 if look.phone else 4)
        ended = datetime.now(ZoneInfo(HOME_TIME_ZONE)).replace(
            second=0, microsecond=0
        ) - timedelta(minutes=40)
        started = ended - timedelta(minutes=duration)
        cell = day_cell(card, started)
        before = count_of(cell)
        log_earlier_run(card, duration, ended)
        card.get_by_role("button", name="Save").click()
        expect(card.get_by_role("status")).to_contain_text("Run logged")
        expect(cell).to_have_attribute("data-count", str(before + 1))
        assert starts_on(tab, entry_id, started, duration) == [f"{started:%H:%M}"]

        # 14 minutes later the card still offers Undo, and it removes the run.
        context.clock.fast_forward("14:00")
        expect(undo).to_be_visible()
        undo.click()
        expect(card.get_by_role("status")).to_contain_text("Removed")
        expect(cell).to_have_attribute("data-count", str(before))
        assert starts_on(tab, entry_id, started, duration) == []

        # Yesterday's run, mood after on the tap scale: it ended at 18:30.
        yesterday = (ended - timedelta(days=1)).replace(hour=18, minute=30)
        duration = 40 + (1 if look.phone else 2)
        log_earlier_run(card, duration, yesterday, mood_after=8)
        card.locator("form.run-form").scroll_into_view_if_needed()
        tab.screenshot(path=DOCS / f"card-log-yesterday-{look.name}.png")
        before = count_of(day_cell(card, yesterday))
        card.get_by_role("button", name="Save").click()
        expect(card.get_by_role("status")).to_contain_text("Run logged")
        expect(day_cell(card, yesterday)).to_have_attribute(
            "data-count", str(before + 1)
        )
        begun = yesterday - timedelta(minutes=duration)
        assert starts_on(tab, entry_id, yesterday, duration) == [f"{begun:%H:%M}"]
        expect(undo).to_be_visible()
        # Past the 15 minutes Undo is gone; the run stays.
        context.clock.fast_forward("15:01")
        expect(undo).to_have_count(0)
        expect(day_cell(card, yesterday)).to_have_attribute(
            "data-count", str(before + 1)
        )
        tab.screenshot(path=artifacts / f"card-logged-{look.name}.png")
    except AssertionError:
        tab.screenshot(path=artifacts / f"card-logging-failed-{look.name}.png")
        raise
    finally:
        context.close()
