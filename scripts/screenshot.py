"""Log in to a development Home Assistant and photograph the Running dashboard."""

from __future__ import annotations

import sys

from devserver import PASSWORD, USERNAME
from playwright.sync_api import sync_playwright


def main() -> None:
    """Save the dashboard of the demo profile Alex as a PNG."""
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8123"
    out = sys.argv[2] if len(sys.argv) > 2 else "docs/dashboard.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(f"{url}/")
        page.get_by_role("textbox", name="Username").fill(USERNAME)
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda current: "/auth/" not in current)
        page.goto(f"{url}/run-wellbeing/alex")
        page.locator("hui-statistics-graph-card").first.wait_for()
        page.wait_for_timeout(5000)  # charts animate in
        page.screenshot(path=out)
        browser.close()
    print(f"Saved {out}")


if __name__ == "__main__":
    main()
