"""Start a real Home Assistant (scripts/develop) and a headless Chromium for it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
import os
from pathlib import Path
import re
import shutil
import signal
import socket
import subprocess
import time
from typing import Any

from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    expect,
    sync_playwright,
)
import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
# Debian's chromium; E2E_CHROMIUM points elsewhere (e.g. to see the message
# a machine without it gets).
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
READY_MARKER = "Run Wellbeing development server ready"
USERNAME = "dev"
PASSWORD = "dev-only-password"  # noqa: S105 - the development user README states
START_TIMEOUT_S = 240
STOP_TIMEOUT_S = 60
# Home Assistant's time zone in scripts/devserver.py; the browser uses it too
# (a person at home), so "yesterday" is the same day for both.
HOME_TIME_ZONE = "Europe/Amsterdam"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The README's screenshots are retaken with E2E_DOCS=1; otherwise they land
# with the other artifacts, so a test run leaves the work tree clean.
DOCS = ROOT / "docs" if os.environ.get("E2E_DOCS") else ARTIFACTS


@dataclass(frozen=True)
class Look:
    """A screen and a theme the card is seen with."""

    name: str
    phone: bool
    dark: bool

    @property
    def viewport(self) -> dict[str, int]:
        """Return the screen size: a laptop (1280x800) or a phone (390x844)."""
        return PHONE if self.phone else DESKTOP


DESKTOP_LIGHT = Look("desktop-light", phone=False, dark=False)
DESKTOP_DARK = Look("desktop-dark", phone=False, dark=True)
PHONE_LIGHT = Look("phone-light", phone=True, dark=False)
PHONE_DARK = Look("phone-dark", phone=True, dark=True)
LOOKS = (DESKTOP_LIGHT, DESKTOP_DARK, PHONE_LIGHT, PHONE_DARK)


def new_context(
    browser: Browser, look: Look, storage_state: Any = None
) -> BrowserContext:
    """Open a browser context with this look.

    Dark is the browser's colour-scheme preference, which Home Assistant's
    default theme follows (the user's theme setting is "auto" by default);
    a phone is a touch screen.
    """
    context = browser.new_context(
        viewport=look.viewport,
        color_scheme="dark" if look.dark else "light",
        is_mobile=look.phone,
        has_touch=look.phone,
        storage_state=storage_state,
        timezone_id=HOME_TIME_ZONE,
    )
    # A 2-core CI machine right after the unit suite is slow to load the frontend.
    context.set_default_timeout(60_000)
    return context


def expect_theme(card: Locator, look: Look) -> None:
    """Check that the card is drawn in the look's theme: a dark or light card."""
    luminance = card.locator("ha-card").first.evaluate(
        """el => {
            const rgb = getComputedStyle(el).backgroundColor.match(/[\\d.]+/g).map(Number);
            return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
        }"""
    )
    if look.dark:
        assert luminance < 0.25, f"the card is not dark ({luminance:.2f})"
    else:
        assert luminance > 0.75, f"the card is not light ({luminance:.2f})"


def log_in(
    page: Page, url: str, username: str = USERNAME, password: str = PASSWORD
) -> None:
    """Log in through Home Assistant's own login page."""
    page.goto(f"{url}/")
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(
        lambda current: "auth_callback" not in current and "/auth/" not in current
    )
    expect(page.locator("home-assistant")).to_be_attached()


def require_chromium() -> None:
    """Stop with a clear message when Debian's Chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.exit(
            f"Chromium is missing: {CHROMIUM} does not exist. The end-to-end test "
            "drives Debian's chromium package (Playwright downloads no browser "
            "here); install it with `apt-get install chromium` (.ci/run does "
            "this on a fresh machine).",
            returncode=1,
        )


def pytest_sessionstart(session: pytest.Session) -> None:
    """Check for the browser before starting Home Assistant."""
    require_chromium()


@dataclass(frozen=True)
class HomeAssistantServer:
    """A running Home Assistant started by scripts/develop."""

    url: str
    config: Path
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _keep_log(config: Path, artifacts: Path) -> None:
    """Copy Home Assistant's log next to the screenshots once it has stopped."""
    if (log := config / "home-assistant.log").exists():
        shutil.copyfile(log, artifacts / "home-assistant.log")


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots and logs a person can look at after the run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def home_assistant(
    tmp_path_factory: pytest.TempPathFactory, artifacts: Path
) -> Iterator[HomeAssistantServer]:
    """Run scripts/develop on a fresh config folder; stop it cleanly afterwards."""
    config = tmp_path_factory.mktemp("ha-config")
    port = _free_port()
    log = artifacts / "develop.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - the project's own script
            [
                str(ROOT / "scripts" / "develop"),
                "--config",
                str(config),
                "--port",
                str(port),
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while READY_MARKER not in log.read_text(errors="replace"):
            if process.poll() is not None:
                pytest.fail(
                    f"scripts/develop exited with {process.returncode} before "
                    f"Home Assistant was ready:\n{_tail(log)}"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"Home Assistant not ready in {START_TIMEOUT_S} s:\n{_tail(log)}"
                )
            time.sleep(0.5)
        yield HomeAssistantServer(f"http://127.0.0.1:{port}", config, log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail(
                f"Home Assistant did not stop within {STOP_TIMEOUT_S} s of SIGTERM"
            )
        finally:
            _keep_log(config, artifacts)
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            pass
        else:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(
                "Processes of scripts/develop were left behind after it stopped"
            )
        assert code == 0, (
            f"scripts/develop stopped with exit code {code}:\n{_tail(log)}"
        )
        ha_log = config / "home-assistant.log"
        problems = run_wellbeing_log_problems(ha_log.read_text(errors="replace"))
        assert not problems, "Run Wellbeing logged, up to shutdown:\n" + "\n".join(
            problems
        )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium; Playwright downloads no browser here."""
    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Open a fresh browser tab the size of a laptop screen (1280x800, light)."""
    context = new_context(browser, DESKTOP_LIGHT)
    expect.set_options(timeout=20_000)
    page = context.new_page()
    yield page
    context.close()


def run_wellbeing_log_problems(log: str) -> list[str]:
    """Return the log records at WARNING or above that come from the integration."""
    records = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ )", log)
    return [
        record.splitlines()[0]
        for record in records
        if re.match(
            r"\S+ \S+ (WARNING|ERROR|CRITICAL) \([^)]*\) \[custom_components\.run_wellbeing",
            record,
        )
        or (" ERROR " in record.split("\n", 1)[0] and "run_wellbeing" in record)
    ]
