"""Benchmark of `import_history`: a Strava export and an Apple Health export.

Run with `scripts/benchmark` (or `pytest benchmarks/bench_import.py -s`).
The exports are generated first (not timed): a Strava bulk export of
BENCH_STRAVA_ACTIVITIES activities (default 3,000) whose CSV leaves distance
and times empty, so every gzipped GPX file of BENCH_GPX_POINTS points
(default 1,800: a 30-minute run at one point a second) is read, and an
Apple Health export.xml of BENCH_APPLE_MB megabytes (default 1,024, the size
the target is stated for), written into the test's temporary config folder
and deleted after. The Strava export is then imported a second time (every
activity a duplicate, found before any track is read: target ≤ 2 s). Measured: the wall time of the action, the peak
resident memory above the level before it (sampled every 20 ms), and the
longest time the event loop was held (a 5 ms heartbeat's worst lateness).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
import os
from pathlib import Path
import threading
import time
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.config_flow import default_options
from custom_components.run_wellbeing.const import DOMAIN
from tests.history_exports import Act, write_apple_health, write_strava

STRAVA_ACTIVITIES = int(os.environ.get("BENCH_STRAVA_ACTIVITIES", "3000"))
GPX_POINTS = int(os.environ.get("BENCH_GPX_POINTS", "1800"))
APPLE_MB = int(os.environ.get("BENCH_APPLE_MB", "1024"))
AMS = ZoneInfo("Europe/Amsterdam")

HOLD_MS = 5  # the contract: nothing holds the event loop longer

rows: list[tuple[str, str, str, str, str]] = []


def verdict(target: bool, hold: bool) -> str:
    """Return the row's status: the export's own target, then the loop hold."""
    if target and hold:
        return "MET"
    if target:
        return "**MISSED** (loop hold)"
    return "**MISSED**" if hold else "**MISSED** (and loop hold)"


def rss_mb() -> float:
    """Return this process's resident memory in MB (Linux)."""
    with Path("/proc/self/statm").open(encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


async def measure(
    call: Callable[[], Awaitable[Any]],
) -> tuple[Any, float, float, float]:
    """Run a call; return its result, seconds, peak extra MB and longest loop hold in ms."""
    baseline = rss_mb()
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    held = 0.0
    beating = True

    async def heartbeat() -> None:
        nonlocal held
        while beating:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            held = max(held, time.perf_counter() - before - 0.005)

    beat = asyncio.create_task(heartbeat())
    start = time.perf_counter()
    result = await call()
    elapsed = time.perf_counter() - start
    beating = False
    await beat
    done.set()
    sampler.join()
    return result, elapsed, max(peak, rss_mb()) - baseline, held * 1000


async def profile(hass: HomeAssistant) -> MockConfigEntry:
    """Add the profile the exports are imported into."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Alex",
        data={"name": "Alex"},
        options=default_options(),
        unique_id="alex",
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def import_history(hass: HomeAssistant, path: str) -> Any:
    """Call the action as a user would."""
    return await hass.services.async_call(
        DOMAIN, "import_history", {"path": path}, blocking=True, return_response=True
    )


async def test_bench_strava_export(hass: HomeAssistant) -> None:
    """3,000 activities whose GPX files must all be read; target ≤ 30 s."""
    entry = await profile(hass)
    folder = Path(hass.config.config_dir) / "export_strava"
    first = datetime(2016, 1, 1, 6, 0, tzinfo=UTC)
    acts = [
        Act(
            first + timedelta(days=i, minutes=i % 60), "Run", 1860, 1800, 5000 + i % 900
        )
        for i in range(STRAVA_ACTIVITIES)
    ]
    generated = time.perf_counter()
    await hass.async_add_executor_job(
        lambda: write_strava(folder, acts, files="gpx", blank=True, points=GPX_POINTS)
    )
    generated = time.perf_counter() - generated
    response, seconds, extra_mb, held_ms = await measure(
        lambda: import_history(hass, "export_strava")
    )
    assert response["imported"] == STRAVA_ACTIVITIES
    assert len(entry.runtime_data.history.sessions) == STRAVA_ACTIVITIES
    rows.append(
        (
            (
                f"Strava export, {STRAVA_ACTIVITIES:,} activities, gzipped GPX "
                f"files of {GPX_POINTS:,} points (generated in {generated:.0f} s)"
            ),
            f"{seconds:.1f} s (target ≤ 30 s)",
            f"{extra_mb:.0f} MB",
            f"{held_ms:.1f} ms (target ≤ 5 ms)",
            verdict(seconds <= 30, held_ms <= HOLD_MS),
        )
    )
    # The same export again: duplicates are found from activities.csv
    # before any track file is opened.
    response, seconds, extra_mb, held_ms = await measure(
        lambda: import_history(hass, "export_strava")
    )
    assert (response["imported"], response["duplicates"]) == (0, STRAVA_ACTIVITIES)
    rows.append(
        (
            f"The same Strava export again ({STRAVA_ACTIVITIES:,} duplicates)",
            f"{seconds:.2f} s (target ≤ 2 s)",
            f"{extra_mb:.0f} MB",
            f"{held_ms:.1f} ms (target ≤ 5 ms)",
            verdict(seconds <= 2, held_ms <= HOLD_MS),
        )
    )


async def test_bench_apple_health_export(hass: HomeAssistant) -> None:
    """An export.xml of BENCH_APPLE_MB megabytes; target ≤ 200 MB of memory."""
    entry = await profile(hass)
    path = Path(hass.config.config_dir) / "export.xml"
    first = datetime(2015, 1, 1, 7, 0, tzinfo=AMS)
    workouts = [
        (
            Act(first + timedelta(days=i), "", 1900.0, 1800.0, 5000.0),
            "HKWorkoutActivityTypeRunning",
        )
        for i in range(3000)
    ]

    def generate() -> None:
        with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
            write_apple_health(out, workouts, target_bytes=APPLE_MB * 2**20)

    await hass.async_add_executor_job(generate)
    size = path.stat().st_size / 2**20
    response, seconds, extra_mb, held_ms = await measure(
        lambda: import_history(hass, "export.xml")
    )
    path.unlink()
    assert response["imported"] == len(workouts)
    assert len(entry.runtime_data.history.sessions) == len(workouts)
    rows.append(
        (
            f"Apple Health export.xml, {size:,.0f} MB, {len(workouts):,} workouts",
            f"{seconds:.1f} s",
            f"{extra_mb:.0f} MB (target ≤ 200 MB)",
            f"{held_ms:.1f} ms (target ≤ 5 ms)",
            verdict(extra_mb <= 200, held_ms <= HOLD_MS),
        )
    )


def test_bench_import_table() -> None:
    """Print the results as a Markdown table."""
    print("\n\n### import_history\n")
    print("| export | time | peak memory above baseline | longest loop hold | |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
