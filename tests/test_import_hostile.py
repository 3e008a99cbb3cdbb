"""Hostile files cost bounded memory and never hold the event loop.

Each import runs while a probe measures the longest gap between two
wake-ups of a task that only yields to the loop, and a thread samples the
process's resident memory. The bounds are generous for a loaded 2-core
machine, yet far below what reading the files whole cost (1.9 GB and a
3.2 s stall for the gzip bomb, 0.5 GB and 1.2 s for the 2-million-point GPX).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
import gzip
import os
from pathlib import Path
import threading
import time
from typing import Any
import zipfile

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.const import DOMAIN

MAX_EXTRA_MB = 300
MAX_HOLD_S = 1.0  # the old readers held it 1.2 to 3.2 s on an idle machine
# (today about 0.05 s; targets belong in the benchmark, this catches a stall)


def rss_mb() -> float:
    with Path("/proc/self/statm").open(encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


async def measured(call: Callable[[], Awaitable[Any]]) -> tuple[Any, float, float]:
    """Return a call's result or exception, its peak extra memory and longest loop hold."""
    baseline = rss_mb()
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.01):
            peak = max(peak, rss_mb())

    longest = 0.0
    running = True

    async def probe() -> None:
        # A hold counts only the CPU time this process spent in it: a reader
        # keeping the interpreter spends it, a machine busy with other jobs
        # (CI beside another suite) only delays the loop without spending it.
        nonlocal longest
        last, last_cpu = time.perf_counter(), time.process_time()
        while running:
            await asyncio.sleep(0)
            now, cpu = time.perf_counter(), time.process_time()
            longest = max(longest, min(now - last, cpu - last_cpu))
            last, last_cpu = now, cpu

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    task = asyncio.ensure_future(probe())
    try:
        outcome: Any = await call()
    except ServiceValidationError as err:
        outcome = err
    finally:
        running = False
        await task
        done.set()
        sampler.join()
    return outcome, peak - baseline, longest


def gzip_bomb(path: Path, expanded: int) -> None:
    """Write a valid-looking GPX that gzips 1 GiB of blanks into about 1 MB.

    A gzip file may hold many members one after the other: one member of
    1 MiB of blanks, repeated.
    """
    member = gzip.compress(b" " * (1 << 20), compresslevel=9)
    with path.open("wb") as out:
        out.write(gzip.compress(b'<?xml version="1.0"?><gpx><trk><trkseg>'))
        for _ in range(expanded >> 20):
            out.write(member)


async def import_file(hass: HomeAssistant, path: str) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        "import_history",
        {"path": path},
        blocking=True,
        return_response=True,
    )


async def test_gzip_bomb_is_refused_in_bounded_memory_and_time(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    config = Path(hass.config.config_dir)
    await hass.async_add_executor_job(gzip_bomb, config / "bomb.gpx.gz", 1 << 30)
    assert (config / "bomb.gpx.gz").stat().st_size < 2 << 20

    outcome, extra_mb, hold = await measured(lambda: import_file(hass, "bomb.gpx.gz"))

    assert isinstance(outcome, ServiceValidationError)
    assert outcome.translation_key == "import_too_large"
    assert outcome.translation_placeholders == {"file": "bomb.gpx.gz"}
    assert extra_mb < MAX_EXTRA_MB
    assert hold < MAX_HOLD_S
    assert alex.runtime_data.history.sessions == {}


async def test_zip_bomb_member_is_skipped_in_bounded_memory(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    config = Path(hass.config.config_dir)

    def write() -> None:
        with zipfile.ZipFile(
            config / "export.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1
        ) as out:
            out.writestr(
                "activities.csv",
                "Activity ID,Activity Date,Activity Type,Filename\n"
                '1,"Jan 1, 2025, 6:00:00 AM",Run,activities/1.gpx\n',
            )
            with out.open("activities/1.gpx", "w", force_zip64=True) as member:
                member.write(b"<gpx><trk><trkseg>")
                block = b" " * (1 << 20)
                for _ in range(300):
                    member.write(block)

    await hass.async_add_executor_job(write)
    outcome, extra_mb, hold = await measured(lambda: import_file(hass, "export.zip"))

    assert outcome["skipped_rows"] == [
        {"file": "activities.csv", "line": 2, "reason": "too_large"}
    ]
    assert extra_mb < MAX_EXTRA_MB
    assert hold < MAX_HOLD_S


def big_gpx(path: Path, points: int) -> None:
    """Write a GPX of `points` points 25 cm apart along a meridian, times at both ends."""
    step = 0.25 / (6_371_008.8 * 3.141592653589793 / 180)  # 25 cm
    with path.open("wb") as out:
        out.write(
            b'<?xml version="1.0"?>\n<gpx version="1.1"><trk><type>running</type>'
            b"<trkseg>\n"
        )
        out.write(
            b'<trkpt lat="52.0" lon="4.9"><time>2025-03-01T06:00:00Z</time></trkpt>\n'
        )
        lines = []
        for i in range(1, points - 1):
            lines.append(b'<trkpt lat="%.9f" lon="4.9"></trkpt>\n' % (52 + step * i))
            if len(lines) == 100_000:
                out.write(b"".join(lines))
                lines = []
        out.write(b"".join(lines))
        out.write(
            b'<trkpt lat="%.9f" lon="4.9"><time>2025-03-01T09:00:00Z</time></trkpt>\n'
            % (52 + step * (points - 1))
        )
        out.write(b"</trkseg></trk></gpx>\n")


@pytest.mark.timeout(120)
async def test_two_million_point_gpx_in_bounded_memory_and_loop_holds(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    config = Path(hass.config.config_dir)
    points = 2_000_000
    await hass.async_add_executor_job(big_gpx, config / "long.gpx", points)

    outcome, extra_mb, hold = await measured(lambda: import_file(hass, "long.gpx"))

    assert outcome["imported"] == 1
    (session,) = alex.runtime_data.history.sessions.values()
    assert session.start == datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
    assert session.duration == 3 * 3600
    assert session.distance == pytest.approx((points - 1) / 4, rel=1e-4)
    assert extra_mb < MAX_EXTRA_MB
    assert hold < MAX_HOLD_S
