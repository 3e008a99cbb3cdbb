"""Benchmarks of Run Wellbeing against Home Assistant's own counter helper.

Run with `scripts/benchmark`. Everything is measured in one run on one Home
Assistant test instance (profile files on disk, event loop debug mode off),
so the ratios hold even on a busy machine; absolute numbers do not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
import cProfile
from datetime import datetime, timedelta
import gc
import json
import os
from pathlib import Path
import platform
import pstats
import random
import sqlite3
import statistics
import sys
import time
import tracemalloc
from typing import Any, Self
from unittest.mock import patch

from homeassistant import const as ha_const
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import json as json_helper
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.ulid import ulid_now
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.config_flow import default_options
from custom_components.run_wellbeing.const import (
    DOMAIN,
    STORAGE_MINOR_VERSION,
    STORAGE_VERSION,
)
from custom_components.run_wellbeing.core.models import History, Session, Settings
from custom_components.run_wellbeing.core.stats import ProfileStats
from custom_components.run_wellbeing.storage.store import ProfileStore, storage_key

from .history import TZ, make_history

CALLS = int(os.environ.get("BENCH_CALLS", "1000"))
PROFILE = bool(os.environ.get("BENCH_PROFILE"))
WARMUP = 50
LOG_RUN = {"distance": 5, "duration": 30}
YEARS = (1, 10, 100)
SAME_COUNTERS = 30
NS = 1e-6  # nanoseconds to milliseconds

rows: list[tuple[str, str, str, str]] = []


def ms(value_ns: float) -> str:
    """Format nanoseconds as milliseconds."""
    return f"{value_ns * NS:.3f} ms"


def p95(samples: list[int]) -> float:
    """Return the 95th percentile."""
    return statistics.quantiles(samples, n=100)[94]


def row(what: str, result: str, target: str = "", status: str = "") -> None:
    """Add a line to the result table."""
    rows.append((what, result, target, status))


def verdict(ok: bool) -> str:
    """Say whether a target is met."""
    return "met" if ok else "**missed**"


def describe_machine() -> list[str]:
    """Return what the numbers were measured on."""
    cpu = platform.processor() or "unknown CPU"
    with Path("/proc/cpuinfo").open() as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        (
            f"- CPU: {cpu}; {len(os.sched_getaffinity(0))} cores usable "
            f"(of {os.cpu_count()}); load average at start: {load}"
        ),
        (
            f"- {platform.platform()}; Python {sys.version.split()[0]}; "
            f"Home Assistant {ha_const.__version__} (pytest-homeassistant-custom-component "
            "test instance, profile files on disk, loop debug off)"
        ),
        f"- {datetime.now(dt_util.UTC):%Y-%m-%d %H:%M} UTC",
    ]


def write_profile_file(hass: HomeAssistant, entry_id: str, history: History) -> None:
    """Put a stored history on disk where the profile's store reads it."""
    path = Path(hass.config.path(".storage", storage_key(entry_id)))
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "version": STORAGE_VERSION,
                "minor_version": STORAGE_MINOR_VERSION,
                "key": storage_key(entry_id),
                "data": history.as_dict(),
            }
        )
    )


def new_entry(hass: HomeAssistant, name: str) -> MockConfigEntry:
    """Add (not set up) a profile."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=name,
        data={"name": name},
        # The schedule the benchmark's histories hold (make_history).
        options=default_options()
        | {"plan_days": ["mon", "wed", "fri"], "plan_time": "07:00:00"},
        unique_id=name.lower(),
    )
    entry.add_to_hass(hass)
    return entry


async def timed_setup(hass: HomeAssistant, entry: MockConfigEntry) -> int:
    """Set a profile up and return how long it took."""
    gc.collect()
    start = time.perf_counter_ns()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return time.perf_counter_ns() - start


async def compare_with_counter(hass: HomeAssistant) -> None:
    """Time log_run and counter.increment, interleaved, from call to state."""
    six = [f"counter.six_{index}" for index in range(6)]
    entry = new_entry(hass, "Bench")
    await timed_setup(hass, entry)
    profile_entities = {
        entity_id
        for entity_id in hass.states.async_entity_ids()
        if entity_id.split(".", 1)[1].startswith("bench_")
    }
    writes = 0

    @callback
    def count(event: Event[Any]) -> None:
        nonlocal writes
        if event.data["entity_id"] in profile_entities:
            writes += 1

    hass.bus.async_listen(EVENT_STATE_CHANGED, count)
    counter_state = hass.states.get
    total_runs = "sensor.bench_total_runs"
    increments = 0
    runs = 0
    late_writes = 0
    writes_per_call: list[int] = []

    async def increment() -> int:
        nonlocal increments
        increments += 1
        start = time.perf_counter_ns()
        await hass.services.async_call(
            "counter", "increment", {"entity_id": "counter.bench"}, blocking=True
        )
        state = counter_state("counter.bench")
        elapsed = time.perf_counter_ns() - start
        assert state is not None
        assert state.state == str(increments)
        return elapsed

    async def increment_six() -> int:
        start = time.perf_counter_ns()
        await hass.services.async_call(
            "counter", "increment", {"entity_id": six}, blocking=True
        )
        state = counter_state(six[-1])
        elapsed = time.perf_counter_ns() - start
        assert state is not None
        return elapsed

    async def log_run() -> int:
        nonlocal runs, late_writes
        runs += 1
        before = writes
        start = time.perf_counter_ns()
        await hass.services.async_call(
            DOMAIN,
            "log_run",
            {"config_entry_id": entry.entry_id, **LOG_RUN},
            blocking=True,
        )
        state = counter_state(total_runs)
        elapsed = time.perf_counter_ns() - start
        assert state is not None
        assert state.state == str(runs)
        at_return = writes
        await hass.async_block_till_done()
        late_writes += writes - at_return
        writes_per_call.append(at_return - before)
        return elapsed

    for _ in range(WARMUP):
        await increment()
        await increment_six()
        await log_run()
    counter_ns: list[int] = []
    six_ns: list[int] = []
    log_run_ns: list[int] = []
    gc.collect()
    profiler = cProfile.Profile() if PROFILE else None
    for _ in range(CALLS // 10):
        counter_ns.extend([await increment() for _ in range(10)])
        six_ns.extend([await increment_six() for _ in range(10)])
        if profiler:
            profiler.enable()
        log_run_ns.extend([await log_run() for _ in range(10)])
        if profiler:
            profiler.disable()
        await hass.async_block_till_done()
    if profiler:
        pstats.Stats(profiler).sort_stats(
            os.environ.get("BENCH_SORT", "tottime")
        ).print_stats(45)

    counter_median = statistics.median(counter_ns)
    log_run_median = statistics.median(log_run_ns)
    ratio = log_run_median / counter_median
    row(
        f"`counter.increment`, action call to state ({len(counter_ns)} calls)",
        f"median {ms(counter_median)}, p95 {ms(p95(counter_ns))}",
    )
    row(
        f"`log_run` end to end, action call to every entity ({len(log_run_ns)} calls)",
        f"median {ms(log_run_median)}, p95 {ms(p95(log_run_ns))}",
    )
    row(
        "`log_run` / `counter.increment` (median; p95)",
        f"{ratio:.2f}x; {p95(log_run_ns) / p95(counter_ns):.2f}x",
    )
    six_median = statistics.median(six_ns)
    row(
        "Block method (10 in a row): `counter.increment` on 6 counters in one call",
        f"median {ms(six_median)}, p95 {ms(p95(six_ns))}",
    )
    row(
        "Block method: `log_run` (durable write included) / 6 counters",
        f"{log_run_median / six_median:.2f}x",
    )
    row(
        "State writes per `log_run`; writes after the call returned",
        f"{statistics.median(writes_per_call):.0f} of {len(profile_entities)} "
        f"entities; {late_writes}",
    )


def timeit(func: Callable[[], Any], repeat: int) -> float:
    """Return the median time of a function, in nanoseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        func()
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples)


def pure_statistics(now: datetime) -> None:
    """Time the recomputation of every value, and one more session, per history size."""
    settings = Settings()
    full: dict[int, float] = {}
    rebuild: dict[int, float] = {}
    more: dict[int, float] = {}
    for years in YEARS:
        # As loaded from the file: times with fixed UTC offsets.
        history = History.from_dict(make_history(years, now).as_dict())
        full[years] = timeit(
            lambda history=history: ProfileStats(history, settings, TZ).summary(now),
            repeat=30 if years > 2 else 100,
        )
        stats = ProfileStats(history, settings, TZ)

        def rebuild_all(stats: ProfileStats = stats) -> None:
            stats.rebuild()
            stats.summary(now)

        rebuild[years] = timeit(rebuild_all, repeat=30 if years > 2 else 100)
        sessions = iter(
            Session(id=f"new{index}", start=now - timedelta(seconds=index))
            for index in range(100_000)
        )

        def add_one(
            stats: ProfileStats = stats, sessions: Iterator[Session] = sessions
        ) -> None:
            stats.add_session(next(sessions))
            stats.summary(now)

        more[years] = timeit(add_one, repeat=500)
    row(
        "Full recomputation, 10 years (2,600 sessions, 3,650 moods): "
        "rebuild after a delete or option change",
        ms(rebuild[10]),
        "<= 5 ms",
        verdict(rebuild[10] * NS <= 5),
    )
    row(
        "Full recomputation, 10 years, from scratch (new ProfileStats, cold caches)",
        ms(full[10]),
        "<= 5 ms",
        verdict(full[10] * NS <= 5),
    )
    row(
        "Rebuild, 1 / 2 / 5 / 10 years",
        " / ".join(ms(rebuild[years]) for years in YEARS),
    )
    row(
        "One more session (index + summary), 1 / 2 / 5 / 10 years",
        " / ".join(ms(more[years]) for years in YEARS),
        "O(1)-ish",
        f"10y/1y = {more[10] / more[1]:.1f}x",
    )
    history = make_history(10, now)
    row(
        "Saving 10 years: history to JSON bytes (in the event loop, once per save)",
        ms(
            timeit(
                lambda: json_helper.prepare_save_json({"data": history.as_dict()}),
                repeat=20,
            )
        ),
    )


async def with_history(hass: HomeAssistant, now: datetime) -> None:
    """Time setup, memory and log_run of profiles with 1 to 10 years of history."""
    setup_ns: dict[int, float] = {}
    log_run_ns: dict[int, float] = {}
    for years in YEARS:
        history = make_history(years, now)
        samples = []
        entries = []
        for attempt in range(3 if years == 10 else 1):
            entry = new_entry(hass, f"Years{years}x{attempt}")
            write_profile_file(hass, entry.entry_id, history)
            samples.append(await timed_setup(hass, entry))
            # Later attempts of the same size read the same file again.
            entries.append(entry)
        setup_ns[years] = statistics.median(samples)
        entry = entries[0]
        calls = []
        for _ in range(200):
            start = time.perf_counter_ns()
            await hass.services.async_call(
                DOMAIN,
                "log_run",
                {"config_entry_id": entry.entry_id, **LOG_RUN},
                blocking=True,
            )
            calls.append(time.perf_counter_ns() - start)
        log_run_ns[years] = statistics.median(calls)
        for entry in entries:
            await hass.config_entries.async_unload(entry.entry_id)

    row(
        "Profile setup with 10 years of history (file read to entities)",
        ms(setup_ns[10]),
        "<= 50 ms",
        verdict(setup_ns[10] * NS <= 50),
    )
    row(
        "Profile setup, 1 / 10 / 100 years",
        " / ".join(ms(setup_ns[years]) for years in YEARS),
    )
    row(
        "`log_run` end to end on top of 1 / 10 / 100 years (median of 200)",
        " / ".join(ms(log_run_ns[years]) for years in YEARS),
    )

    # Memory: everything allocated by a setup and still alive afterwards.
    history = make_history(10, now)
    entry = new_entry(hass, "Memory")
    write_profile_file(hass, entry.entry_id, history)
    del history
    gc.collect()
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    await timed_setup(hass, entry)
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    retained = (current - base) / 2**20
    row(
        "Memory of a profile with 10 years (kept after setup; peak during setup)",
        f"{retained:.1f} MB; {(peak - base) / 2**20:.1f} MB",
        "<= 10 MB",
        verdict(retained <= 10),
    )
    await hass.config_entries.async_unload(entry.entry_id)


async def test_benchmark(hass: HomeAssistant, real_storage: None) -> None:
    """Measure everything and print the table."""
    asyncio.get_running_loop().set_debug(False)
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    machine = describe_machine()
    # Every counter the comparisons use, set up once.
    counters = {"bench": {"initial": 0, "step": 1}} | {
        f"{prefix}_{index}": {"initial": 0, "step": 1}
        for prefix, number in (("six", 6), ("same", SAME_COUNTERS))
        for index in range(number)
    }
    assert await async_setup_component(hass, "counter", {"counter": counters})
    now = dt_util.utcnow()
    steps: list[Callable[[], Awaitable[None]] | Callable[[], None]] = [
        lambda: durable_write(hass),
        lambda: compare_with_counter(hass),
        lambda: per_record(hass, now),
        lambda: with_history(hass, now),
    ]
    for step in steps:
        result = step()
        if result is not None:
            await result
    width = [max(len(line[column]) for line in rows) for column in range(4)]
    header = ("Measurement", "Result", "Target", "Status")
    lines = [
        "",
        "## Run Wellbeing benchmark",
        "",
        *machine,
        "",
        "| "
        + " | ".join(h.ljust(w) for h, w in zip(header, width, strict=True))
        + " |",
        "|" + "|".join("-" * (w + 2) for w in width) + "|",
        *(
            "| "
            + " | ".join(cell.ljust(w) for cell, w in zip(line, width, strict=True))
            + " |"
            for line in rows
        ),
        "",
    ]
    print("\n".join(lines))


def describe(handle: asyncio.Handle) -> str:
    """Name what a loop callback ran: a task's coroutine, or the callback."""
    owner = getattr(getattr(handle, "_callback", None), "__self__", None)
    if isinstance(owner, asyncio.Task):
        coro = owner.get_coro()
        name = getattr(coro, "__qualname__", repr(coro))
        return f"task {name}"[:90]
    return repr(handle)[:90]


class LoopHolds:
    """The longest time one event-loop callback ran, while `watching`."""

    def __init__(self) -> None:
        """Start with nothing seen."""
        self.longest = 0
        self.what = ""
        self.watching = False
        self._run = asyncio.events.Handle._run

    def __enter__(self) -> Self:
        """Time every callback the loop runs."""
        run = self._run
        holds = self

        def timed(handle: asyncio.Handle) -> None:
            start = time.perf_counter_ns()
            run(handle)
            took = time.perf_counter_ns() - start
            if holds.watching and took > holds.longest:
                holds.longest = took
                holds.what = describe(handle)

        asyncio.events.Handle._run = timed  # type: ignore[method-assign]
        return self

    def __exit__(self, *args: object) -> None:
        """Stop timing."""
        asyncio.events.Handle._run = self._run  # type: ignore[method-assign]


async def call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> int:
    """Call an action of the integration; return how long it took."""
    start = time.perf_counter_ns()
    await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=service == "get_sessions"
    )
    return time.perf_counter_ns() - start


def sqlite_inserts(path: Path, calls: int) -> list[int]:
    """Time single-row inserts, each committed with synchronous=FULL."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute(
        "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, start TEXT, "
        "activity TEXT, duration REAL, distance REAL, note TEXT)"
    )
    samples = []
    for _ in range(calls):
        start = time.perf_counter_ns()
        connection.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)",
            (
                ulid_now(),
                dt_util.utcnow().isoformat(),
                "run",
                1800.0,
                5000.0,
                None,
            ),
        )
        connection.commit()
        samples.append(time.perf_counter_ns() - start)
    connection.close()
    return samples


async def durable_write(hass: HomeAssistant) -> None:
    """Time log_run against a bare SQLite insert, and without its write.

    With its fsync it is compared with a SQLite insert on the same disk;
    without the write, with counter.increment updating as many entities.
    """
    entry = new_entry(hass, "Durable")
    await timed_setup(hass, entry)
    calls = max(CALLS // 5, 50)
    data = {"config_entry_id": entry.entry_id, **LOG_RUN}
    for _ in range(WARMUP):
        await call(hass, "log_run", data)
    database = Path(hass.config.path("bench.sqlite"))
    sqlite_ns: list[int] = []
    log_run_ns: list[int] = []
    # Interleaved in blocks of ten, so both see the same disk and load.
    for _ in range(calls // 10):
        sqlite_ns.extend(
            await hass.async_add_executor_job(sqlite_inserts, database, 10)
        )
        log_run_ns.extend([await call(hass, "log_run", data) for _ in range(10)])
    ratio = statistics.median(log_run_ns) / statistics.median(sqlite_ns)
    row(
        f"SQLite insert + commit, synchronous=FULL, same disk ({len(sqlite_ns)})",
        f"median {ms(statistics.median(sqlite_ns))}, p95 {ms(p95(sqlite_ns))}",
    )
    row(
        f"`log_run` end to end, journal write + fsync included ({len(log_run_ns)})",
        f"median {ms(statistics.median(log_run_ns))}, p95 {ms(p95(log_run_ns))}",
    )
    row(
        "`log_run` (durable) / SQLite insert (median)",
        f"{ratio:.2f}x",
        "<= 1.5x",
        verdict(ratio <= 1.5),
    )

    # Without the write: the journal's disk work replaced by nothing.
    writes = 0
    entities = {
        entity_id
        for entity_id in hass.states.async_entity_ids()
        if entity_id.split(".", 1)[1].startswith("durable_")
    }

    @callback
    def count(event: Event[Any]) -> None:
        nonlocal writes
        if event.data["entity_id"] in entities:
            writes += 1

    unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, count)
    before = writes
    await call(hass, "log_run", data)
    await hass.async_block_till_done()
    changed = max(writes - before, 1)
    unsub()
    assert changed <= SAME_COUNTERS
    same = [f"counter.same_{index}" for index in range(changed)]
    rng = random.Random(3)

    async def increment() -> int:
        start = time.perf_counter_ns()
        await hass.services.async_call(
            "counter", "increment", {"entity_id": same}, blocking=True
        )
        return time.perf_counter_ns() - start

    with patch.object(ProfileStore, "_append", lambda self, data: None):
        for _ in range(WARMUP):
            await increment()
            await call(hass, "log_run", data)
        block_counter: list[int] = []
        block_log: list[int] = []
        for _ in range(calls // 10):
            block_counter.extend([await increment() for _ in range(10)])
            block_log.extend([await call(hass, "log_run", data) for _ in range(10)])
        single_counter: list[int] = []
        single_log: list[int] = []
        order = ["c", "l"] * calls
        rng.shuffle(order)
        for which in order:
            if which == "c":
                single_counter.append(await increment())
            else:
                single_log.append(await call(hass, "log_run", data))
            await hass.async_block_till_done()
    block = statistics.median(block_log) / statistics.median(block_counter)
    single = statistics.median(single_log) / statistics.median(single_counter)
    row(
        f"Without the write: `counter.increment` on {changed} counters "
        "(the entities one `log_run` changes), block / single shuffled",
        f"median {ms(statistics.median(block_counter))} / "
        f"{ms(statistics.median(single_counter))}",
    )
    row(
        "Without the write: `log_run` / counters, block method (10 in a row)",
        f"{block:.2f}x",
        "<= 1.2x",
        verdict(block <= 1.2),
    )
    row(
        "Without the write: `log_run` / counters, single shuffled calls",
        f"{single:.2f}x",
        "<= 1.2x",
        verdict(single <= 1.2),
    )
    await hass.config_entries.async_unload(entry.entry_id)


async def per_record(hass: HomeAssistant, now: datetime) -> None:
    """Per-record work at 1 and 100 years, and the longest event-loop hold."""
    assert await async_setup_component(hass, "calendar", {})
    repeat = max(CALLS // 10, 30)
    results: dict[int, dict[str, float]] = {}
    with LoopHolds() as holds:
        for years in (1, 100):
            history = make_history(years, now)
            entry = new_entry(hass, f"Per{years}")
            await hass.async_add_executor_job(
                write_profile_file, hass, entry.entry_id, history
            )
            del history
            gc.collect()  # the benchmark's own garbage, before watching
            holds.watching = True
            assert await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            config = {"config_entry_id": entry.entry_id}
            month_ago = (now - timedelta(days=30)).isoformat()
            calendar = hass.data["entity_components"]["calendar"].get_entity(
                f"calendar.per{years}_run_log"
            )
            assert calendar is not None
            timings: dict[str, list[int]] = {
                "log_run": [],
                "log_mood": [],
                "get_sessions": [],
                "calendar": [],
            }
            for index in range(repeat + 10):
                samples = [
                    await call(hass, "log_run", config | LOG_RUN),
                    await call(hass, "log_mood", config | {"mood": 6}),
                    await call(hass, "get_sessions", config | {"start": month_ago}),
                ]
                start = time.perf_counter_ns()
                await calendar.async_get_events(
                    hass, now - timedelta(days=30), now + timedelta(days=1)
                )
                samples.append(time.perf_counter_ns() - start)
                if index >= 10:  # warm-up
                    for key, value in zip(timings, samples, strict=True):
                        timings[key].append(value)
            results[years] = {
                key: statistics.median(value) for key, value in timings.items()
            }
            # Unloading compacts: the whole history is written once.
            await hass.config_entries.async_unload(entry.entry_id)
            holds.watching = False
    labels = {
        "log_run": "`log_run`",
        "log_mood": "`log_mood`",
        "get_sessions": "`get_sessions`, last 30 days",
        "calendar": "run-log calendar, one month",
    }
    for key, label in labels.items():
        ratio = results[100][key] / results[1][key]
        row(
            f"{label}: 1 y / 100 y of history (median of {repeat})",
            f"{ms(results[1][key])} / {ms(results[100][key])} = {ratio:.2f}x",
            "<= 1.3x",
            verdict(ratio <= 1.3),
        )
    row(
        "Longest event-loop hold, setup to unload at 1 and 100 years "
        "(any callback, Home Assistant's own included)",
        f"{ms(holds.longest)} ({holds.what})",
        "<= 5 ms",
        verdict(holds.longest * NS <= 5),
    )
