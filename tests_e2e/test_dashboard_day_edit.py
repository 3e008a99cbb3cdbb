"""The day view on a phone: edit a session's duration, then delete it (issue 22).

Runs after test_dashboard_card.py (same Home Assistant); run alone, it adds
Alex itself.
"""

from __future__ import annotations

from pathlib import Path
import re

from playwright.sync_api import Browser, Page, expect
import pytest

from .conftest import (
    ARTIFACTS,
    DOCS,
    PHONE_DARK,
    PHONE_LIGHT,
    HomeAssistantServer,
    Look,
    expect_theme,
    log_in,
    new_context,
)
from .test_dashboard_card import alex_entry, ws

pytestmark = pytest.mark.e2e

# Contrast of an empty heatmap day against the card, from the colours the
# browser computes in the theme the page has.
EMPTY_CELL_CONTRAST = """card => {
    const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
    const empty = card.shadowRoot.querySelector('rect.cell.l0');
    const style = getComputedStyle(empty);
    const fill = rgb(style.fill);
    const alpha = Number(style.fillOpacity) * (fill.length > 3 ? fill[3] : 1);
    const bg = rgb(getComputedStyle(card.shadowRoot.querySelector('ha-card')).backgroundColor);
    const mixed = bg.slice(0, 3).map((b, i) => fill[i] * alpha + b * (1 - alpha));
    const lum = (c3) => c3.map((c) => {
        c /= 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    const [hi, lo] = [lum(mixed), lum(bg.slice(0, 3))].sort((a, b) => b - a);
    return (hi + 0.05) / (lo + 0.05);
}"""


def day_sessions(page: Page, entry_id: str, date: str) -> list[dict[str, object]]:
    """Return the sessions of a day as the card's own command sends them."""
    sessions: list[dict[str, object]] = ws(
        page, {"type": "run_wellbeing/day", "entry_id": entry_id, "date": date}
    )["sessions"]
    return sessions


@pytest.mark.parametrize("look", [PHONE_LIGHT, PHONE_DARK], ids=lambda look: look.name)
def test_day_view_edit_and_delete_on_a_phone(
    home_assistant: HomeAssistantServer,
    browser: Browser,
    page: Page,
    artifacts: Path,
    look: Look,
) -> None:
    """Tap today on a phone, change the session's duration, then delete it."""
    url = home_assistant.url
    log_in(page, url)
    entry_id = alex_entry(page, url, artifacts)
    session_id = ws(
        page,
        {
            "type": "run_wellbeing/log_run",
            "entry_id": entry_id,
            "duration": 23,
            "distance": 4.2,
            "distance_unit": "km",
            "note": "e2e day view",
        },
    )["id"]
    context = new_context(browser, look, storage_state=page.context.storage_state())
    phone = context.new_page()
    try:
        phone.goto(f"{url}/run-wellbeing/card")
        _edit_and_delete(phone, entry_id, session_id, look)
    except AssertionError:
        phone.screenshot(path=artifacts / f"card-day-failed-{look.name}.png")
        raise
    finally:
        context.close()


def _edit_and_delete(page: Page, entry_id: str, session_id: str, look: Look) -> None:
    """Check the heatmap on a phone, then edit and delete the session."""
    card = page.locator("run-wellbeing-card")
    expect(card.locator("svg rect.cell").first).to_be_visible()
    expect_theme(card, look)
    today = card.evaluate("el => el._data.today")
    cell = card.locator(f'rect.cell[data-date="{today}"]')
    expect(cell).to_have_count(1)
    count_before = int(cell.get_attribute("data-count") or 0)
    assert count_before >= 1

    # Readable on a phone: 12 px cells and labels, months, a legend, a tooltip.
    box = cell.bounding_box()
    assert box is not None
    assert box["width"] >= 11.5
    assert box["height"] >= 11.5
    assert card.locator("text.month").count() >= 2
    label_px = card.locator("text.month").first.evaluate(
        "el => el.getBoundingClientRect().height"
    )
    assert label_px >= 11
    font = card.locator("text.month").first.evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert font >= 12
    expect(card.locator(".legend")).to_contain_text("Less")
    expect(card.locator(".legend")).to_contain_text("More")
    tooltip = cell.locator("title").text_content() or ""
    assert re.search(r"\d", tooltip)
    assert f": {count_before} " in tooltip
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 0

    # In the theme the page has (Home Assistant's default, light or dark),
    # an empty day still stands out from the card.
    contrast = card.evaluate(EMPTY_CELL_CONTRAST)
    (ARTIFACTS / f"empty-cell-contrast-{look.name}.txt").write_text(f"{contrast:.2f}\n")
    assert contrast >= 1.6, contrast

    # Tap the day: the day view lists the session with Edit and Delete.
    cell.tap()
    day = card.get_by_role("region", name=re.compile("Sessions on"))
    expect(day).to_be_visible()
    item = day.locator("li.session", has_text="e2e day view")
    expect(item).to_contain_text("23 min")
    page.screenshot(path=DOCS / f"card-day-{look.name}.png")

    item.get_by_role("button", name=re.compile("^Edit")).click()
    form = day.locator("form.edit-form")
    expect(form.get_by_label("Duration (min)")).to_have_value("23")
    expect(form.get_by_label("Note (private)")).to_have_value("e2e day view")
    form.get_by_label("Duration (min)").fill("37")
    page.screenshot(path=ARTIFACTS / f"card-day-edit-{look.name}.png")
    form.get_by_role("button", name="Save").click()
    expect(card.get_by_role("status")).to_contain_text("Session saved")
    item = day.locator("li.session", has_text="e2e day view")
    expect(item).to_contain_text("37 min")
    [edited] = [s for s in day_sessions(page, entry_id, today) if s["id"] == session_id]
    assert edited["duration"] == 37
    assert edited["distance"] == 4.2
    assert edited["note"] == "e2e day view"

    # A day-long duration is refused (by the field, before the server) and
    # changes nothing.
    item.get_by_role("button", name=re.compile("^Edit")).click()
    form = day.locator("form.edit-form")
    form.get_by_label("Duration (min)").fill("2000")
    form.get_by_role("button", name="Save").click()
    assert not form.get_by_label("Duration (min)").evaluate("el => el.validity.valid")
    form.get_by_role("button", name="Cancel").click()
    [kept] = [s for s in day_sessions(page, entry_id, today) if s["id"] == session_id]
    assert kept["duration"] == 37

    # Delete asks first; Cancel keeps the session.
    item = day.locator("li.session", has_text="e2e day view")
    item.get_by_role("button", name=re.compile("^Delete")).click()
    confirm = item.get_by_role("alertdialog")
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="Cancel").click()
    expect(item).to_be_visible()
    assert any(s["id"] == session_id for s in day_sessions(page, entry_id, today))

    item.get_by_role("button", name=re.compile("^Delete")).click()
    page.screenshot(path=ARTIFACTS / f"card-day-delete-{look.name}.png")
    item.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(card.get_by_role("status")).to_contain_text("Session deleted")
    expect(day.locator("li.session", has_text="e2e day view")).to_have_count(0)
    assert not any(s["id"] == session_id for s in day_sessions(page, entry_id, today))
    # The heatmap follows through the subscription.
    expect(cell).to_have_attribute("data-count", str(count_before - 1))
