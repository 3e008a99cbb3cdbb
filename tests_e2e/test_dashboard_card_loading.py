"""The card loads in every fresh tab and in Home Assistant's card picker.

Home Assistant imports an integration's extra module while its own app bundle
is still starting; a card that defines itself too early is invisible to the
frontend's (polyfilled) custom element registry and shows "Custom element
doesn't exist". Many fresh browser contexts make such a race show up.
"""

from __future__ import annotations

from pathlib import Path
import time

from playwright.sync_api import Browser, Page, expect
import pytest

from .conftest import (
    DESKTOP_LIGHT,
    DOCS,
    LOOKS,
    PHONE_DARK,
    HomeAssistantServer,
    Look,
    expect_theme,
    log_in,
    new_context,
)
from .test_dashboard_card import alex_entry, ws

pytestmark = pytest.mark.e2e

FRESH_TABS = 10
MISSING = "Custom element doesn't exist"
# Home Assistant shows its error card 2 s after it first looked the card up.
SETTLE_MS = 2_500


def _card_loaded(page: Page) -> None:
    """Wait for the card's own content, then past the frontend's error delay."""
    card = page.locator("run-wellbeing-card")
    expect(card.locator("ha-card").first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(SETTLE_MS)
    expect(page.get_by_text(MISSING)).to_have_count(0)
    expect(page.locator("hui-error-card")).to_have_count(0)


def test_card_loads_in_every_fresh_tab(
    home_assistant: HomeAssistantServer,
    browser: Browser,
    page: Page,
    artifacts: Path,
) -> None:
    """Fresh contexts (no cache, no defined elements) all show the card.

    The tabs take turns through laptop and phone, light and dark; the first
    tab of each look is photographed (docs/card-<look>.png).
    """
    url = home_assistant.url
    log_in(page, url)
    alex_entry(page, url, artifacts)
    state = page.context.storage_state()
    failures: list[str] = []
    started = time.monotonic()
    for tab in range(FRESH_TABS):
        look = LOOKS[tab % len(LOOKS)]
        context = new_context(browser, look, storage_state=state)
        fresh = context.new_page()
        try:
            fresh.goto(f"{url}/run-wellbeing/card")
            _card_loaded(fresh)
            card = fresh.locator("run-wellbeing-card")
            expect_theme(card, look)
            if tab < len(LOOKS):
                fresh.screenshot(path=DOCS / f"card-{look.name}.png")
        except AssertionError as err:
            fresh.screenshot(path=artifacts / f"card-missing-tab-{tab}.png")
            failures.append(f"tab {tab} ({look.name}): {err}")
        finally:
            context.close()
    (artifacts / "card-fresh-tabs.txt").write_text(
        f"{FRESH_TABS} fresh tabs in {time.monotonic() - started:.1f} s, "
        f"{len(failures)} without the card\n"
    )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "look", [DESKTOP_LIGHT, PHONE_DARK], ids=lambda look: look.name
)
def test_add_card_dialog_picker_editor_and_save(
    home_assistant: HomeAssistantServer,
    browser: Browser,
    page: Page,
    artifacts: Path,
    look: Look,
) -> None:
    """Edit dashboard -> Add card -> search -> preview -> editor -> Save.

    The picker previews the card; the editor's ha-form switches a section
    off and colours by distance, the preview follows; after Save the card
    is on the dashboard as configured, also after a reload.
    """
    url = home_assistant.url
    log_in(page, url)
    entry_id = alex_entry(page, url, artifacts)
    dashboard = f"add-card-{look.name}"
    if not any(
        d["url_path"] == dashboard
        for d in ws(page, {"type": "lovelace/dashboards/list"})
    ):
        ws(
            page,
            {
                "type": "lovelace/dashboards/create",
                "url_path": dashboard,
                "title": f"Add card {look.name}",
                "mode": "storage",
            },
        )
    empty = {"views": [{"title": "Test", "type": "masonry", "cards": []}]}
    ws(page, {"type": "lovelace/config/save", "url_path": dashboard, "config": empty})
    context = new_context(browser, look, storage_state=page.context.storage_state())
    tab = context.new_page()
    try:
        tab.goto(f"{url}/{dashboard}/0?edit=1")
        tab.get_by_role("button", name="Add card").first.click()
        tab.get_by_role("tab", name="By card").click()
        tab.get_by_placeholder("Search cards").fill("Run Wellbeing")
        preview = tab.locator("hui-card-picker run-wellbeing-card")
        expect(preview.first.locator("ha-card").first).to_be_visible(timeout=30_000)
        tab.wait_for_timeout(SETTLE_MS)
        expect(tab.get_by_text(MISSING)).to_have_count(0)
        expect(preview.first).to_contain_text("Alex")
        tab.screenshot(path=artifacts / f"card-picker-{look.name}.png")
        tab.locator(
            "hui-card-picker .card", has=tab.locator("run-wellbeing-card")
        ).first.click()

        dialog = tab.locator("hui-dialog-edit-card")
        editor = dialog.locator("run-wellbeing-card-editor")
        shown = dialog.locator("hui-card run-wellbeing-card")
        profile = editor.locator("ha-selector", has_text="Profile")
        expect(profile.locator("ha-select, ha-md-select").first).to_contain_text("Alex")
        expect(shown.locator("section.mood")).to_have_count(1)
        mood = editor.locator("ha-selector", has_text="Mood (7 days)")
        mood.locator("ha-switch").click()
        expect(mood.get_by_role("switch")).not_to_be_checked()
        expect(shown.locator("section.mood")).to_have_count(0)
        colour = editor.locator("ha-selector", has_text="Colour by")
        colour.click()
        colour.get_by_text("Distance", exact=True).click()
        expect_theme(shown, look)
        tab.screenshot(path=DOCS / f"card-editor-{look.name}.png")
        dialog.get_by_role("button", name="Save").click()
        expect(dialog.locator("ha-dialog")).to_have_count(0)

        saved = ws(tab, {"type": "lovelace/config", "url_path": dashboard})
        [card] = saved["views"][0]["cards"]
        assert card == {
            "type": "custom:run-wellbeing-card",
            "entry_id": entry_id,
            "color_by": "distance",
            "show_mood": False,
        }
        tab.goto(f"{url}/{dashboard}/0")
        on_dashboard = tab.locator("run-wellbeing-card")
        expect(on_dashboard.locator("h2.title")).to_have_text("Alex")
        expect(on_dashboard.get_by_role("button", name="Log run")).to_be_visible()
        expect(on_dashboard.locator("section.mood")).to_have_count(0)
    except AssertionError:
        tab.screenshot(path=artifacts / f"card-add-failed-{look.name}.png")
        raise
    finally:
        context.close()
