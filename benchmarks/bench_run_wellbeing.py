"""Benchmarks of Run Wellbeing against Home Assistant's own counter helper.

Run with `scripts/benchmark`. Everything is measured in one run on one Home
Assistant test instance (profile files on disk, event loop debug mode off),
so the ratios hold even on a busy machine; absolute numbers do not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
import gc
import json
import os
from pathlib import Path
import platform
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
from homeassistant.helpers.storage import Store
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
from custom_components.run_wellbeing.core.models import History
from custom_components.run_wellbeing.issues import storage_key
from custom_components.run_wellbeing.storage.store import ProfileStore
from custom_components.run_wellbeing.websocket import card_data

from .history import make_history

QUICK = bool(os.environ.get("BENCH_QUICK"))
CALLS = int(os.environ.get("BENCH_CALLS", "100" if QUICK else "1000"))
WARMUP = 10 if QUICK else 50
LOG_RUN = {"distance": 5, "duration": 30}
YEARS = (1, 10) if QUICK else (1, 10, 100)
BIG = YEARS[-1]
"""The long history of the "does not grow with the past" comparisons."""
BURST = 500
THREADS = 10
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
    """Say whether a target is met: computed, never written by hand."""
    return "MET" if ok else "**MISSED**"


def markdown_table(title: str, lines: list[tuple[str, str, str, str]]) -> str:
    """Return one Markdown table: measurement, result, target and verdict."""
    header = ("Measurement", "Result", "Target", "Status")
    width = [max(len(line[column]) for line in [header, *lines]) for column in range(4)]
    return "\n".join(
        [
            "",
            f"### {title}",
            "",
            "| "
            + " | ".join(h.ljust(w) for h, w in zip(header, width, strict=True))
            + " |",
            "|" + "|".join("-" * (w + 2) for w in width) + "|",
            *(
                "| "
                + " | ".join(cell.ljust(w) for cell, w in zip(line, width, strict=True))
                + " |"
                for line in lines
            ),
            "",
        ]
    )


def open_card(hass: HomeAssistant, entry: MockConfigEntry) -> Callable[[], None]:
    """Keep the card open on a profile: every change builds and encodes its message.

    This is what the websocket subscription does for each update.
    """
    coordinator = entry.runtime_data

    @callback
    def send() -> None:
        json_helper.json_bytes(card_data(hass, coordinator, may_manage=True))

    return coordinator.async_add_listener(send)


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


def sqlite_size(path: Path, history: History) -> int:
    """Return the size of a SQLite file holding the same records (WAL checkpointed)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "CREATE TABLE sessions (id TEXT PRIMARY KEY, start TEXT, activity TEXT, "
        "duration REAL, distance REAL, mood_before INT, mood_after INT, note TEXT)"
    )
    connection.execute(
        "CREATE TABLE moods (id TEXT PRIMARY KEY, time TEXT, mood INT, note TEXT)"
    )
    connection.execute(
        "CREATE TABLE plans (id TEXT PRIMARY KEY, start TEXT, duration REAL, note TEXT)"
    )
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                s.id,
                s.start.isoformat(),
                str(s.activity),
                s.duration,
                s.distance,
                s.mood_before,
                s.mood_after,
                s.note,
            )
            for s in history.sessions.values()
        ),
    )
    connection.executemany(
        "INSERT INTO moods VALUES (?, ?, ?, ?)",
        ((m.id, m.time.isoformat(), m.mood, m.note) for m in history.moods.values()),
    )
    connection.executemany(
        "INSERT INTO plans VALUES (?, ?, ?, ?)",
        (
            (p.id, p.start.isoformat(), p.duration, p.note)
            for p in history.plans.values()
        ),
    )
    connection.execute("COMMIT")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path.stat().st_size


def profile_files_size(hass: HomeAssistant, entry_id: str) -> int:
    """Return the bytes a profile keeps on disk: its file and its journal."""
    folder = Path(hass.config.path(".storage"))
    return sum(path.stat().st_size for path in folder.glob(f"{storage_key(entry_id)}*"))


async def with_history(hass: HomeAssistant, now: datetime) -> None:
    """Time setup against Home Assistant's own Store; memory and size on disk."""
    for years in YEARS[1:]:
        history = make_history(years, now)
        rounds = 3 if years <= 10 else 1
        setup_ns: list[int] = []
        load_ns: list[int] = []
        for attempt in range(rounds):
            # Interleaved: our setup, then HA's Store reading a file as big.
            entry = new_entry(hass, f"Years{years}x{attempt}")
            await hass.async_add_executor_job(
                write_profile_file, hass, entry.entry_id, history
            )
            setup_ns.append(await timed_setup(hass, entry))
            size = profile_files_size(hass, entry.entry_id)
            key = f"bench_store_{years}_{attempt}"
            await hass.async_add_executor_job(
                write_store_file, hass, key, history, size
            )
            gc.collect()
            store: Store[Any] = Store(hass, 1, key)
            start = time.perf_counter_ns()
            assert await store.async_load() is not None
            load_ns.append(time.perf_counter_ns() - start)
            await hass.config_entries.async_unload(entry.entry_id)
        ours = statistics.median(setup_ns)
        theirs = statistics.median(load_ns)
        ratio = ours / theirs
        row(
            f"Setup, {years} years (file read to entities) / `Store.async_load` "
            f"of a file as big ({size / 1e6:.1f} MB), median of {rounds}",
            f"{ms(ours)} / {ms(theirs)} = {ratio:.1f}x",
            "<= 2x",
            verdict(ratio <= 2),
        )
        if years == 10:
            sqlite_bytes = await hass.async_add_executor_job(
                sqlite_size, Path(hass.config.path("bench_size.sqlite")), history
            )
            row(
                "On disk, 10 years: profile files / SQLite with the same records",
                f"{size / 1e3:.0f} kB / {sqlite_bytes / 1e3:.0f} kB "
                f"= {size / sqlite_bytes:.2f}x",
                "<= 1x",
                verdict(size <= sqlite_bytes),
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


def write_store_file(
    hass: HomeAssistant, key: str, history: History, size: int
) -> None:
    """Write a Home Assistant store file of about `size` bytes (the same records)."""
    text = json.dumps(
        {"version": 1, "minor_version": 1, "key": key, "data": history.as_dict()}
    )
    data = json.loads(text)
    # Pad or trim to the profile's size, so both read the same number of bytes.
    data["data"]["padding"] = "x" * max(size - len(text), 0)
    Path(hass.config.path(".storage", key)).write_text(json.dumps(data))


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
    steps: list[Callable[[], Awaitable[None]]] = [
        lambda: durable_write(hass),
        lambda: concurrent_callers(hass),
        lambda: per_record(hass, now),
        lambda: with_history(hass, now),
    ]
    for step in steps:
        await step()
    print("\n## Run Wellbeing benchmark\n")
    print("\n".join(machine))
    print(markdown_table("Storage, actions, loop holds and setup", rows))


def describe(handle: asyncio.Handle) -> str:
    """Name what a loop callback ran: a task's coroutine, or the callback."""
    owner = getattr(getattr(handle, "_callback", None), "__self__", None)
    if isinstance(owner, asyncio.Task):
        coro = owner.get_coro()
        name = getattr(coro, "__qualname__", repr(coro))
        return f"task {name}"[:90]
    return repr(handle)[:90]


class LoopHolds:
    """The longest time one event-loop callback ran, per scenario being watched."""

    def __init__(self) -> None:
        """Start with nothing seen."""
        self.longest: dict[str, tuple[int, str]] = {}
        self.scenario: str | None = None
        self._run = asyncio.events.Handle._run

    def note(self, took: int, what: str) -> None:
        """Keep a hold if it is the scenario's longest."""
        if (scenario := self.scenario) is not None and took > self.longest.get(
            scenario, (0, "")
        )[0]:
            self.longest[scenario] = (took, what)

    def __enter__(self) -> Self:
        """Time every callback the loop runs."""
        run = self._run
        holds = self

        def timed(handle: asyncio.Handle) -> None:
            start = time.perf_counter_ns()
            run(handle)
            took = time.perf_counter_ns() - start
            if holds.scenario is not None:
                holds.note(took, describe(handle))

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


class WalDatabase:
    """A SQLite database as Home Assistant's recorder runs it: WAL, synchronous=FULL."""

    def __init__(self, path: Path) -> None:
        """Open (and create) the database; used from executor threads."""
        self.path = path
        self.connection = self.connect()
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, start TEXT, "
            "activity TEXT, duration REAL, distance REAL, note TEXT)"
        )

    def connect(self) -> sqlite3.Connection:
        """Return a new connection in WAL mode with full syncs."""
        connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        return connection

    def insert(self, connection: sqlite3.Connection | None = None) -> None:
        """Insert one session row and commit it."""
        connection = connection or self.connection
        connection.execute("BEGIN")
        connection.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)",
            (ulid_now(), dt_util.utcnow().isoformat(), "run", 1800.0, 5000.0, None),
        )
        connection.execute("COMMIT")

    def threads(self, threads: int, each: int) -> float:
        """Return inserts per second of `threads` threads, each on its connection."""
        connections = [self.connect() for _ in range(threads)]

        def work(connection: sqlite3.Connection) -> None:
            for _ in range(each):
                self.insert(connection)

        start = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(work, connections))
        elapsed = time.perf_counter() - start
        for connection in connections:
            connection.close()
        return threads * each / elapsed


async def interleaved(
    variants: dict[str, Callable[[], Awaitable[int]]], calls: int, seed: int
) -> dict[str, list[int]]:
    """Time the variants call by call in a shuffled order, after a warm-up."""
    for _ in range(WARMUP):
        for variant in variants.values():
            await variant()
    order = list(variants) * calls
    random.Random(seed).shuffle(order)
    samples: dict[str, list[int]] = {name: [] for name in variants}
    gc.collect()
    for name in order:
        samples[name].append(await variants[name]())
    return samples


async def durable_write(hass: HomeAssistant) -> None:
    """Time log_run against a SQLite WAL commit, and without its write.

    With its durable write it is compared with a SQLite insert committed in
    WAL mode with synchronous=FULL through an executor job on the same disk;
    without the write, with counter.increment updating as many entities.
    Both with the card open; every pair interleaved call by call.
    """
    entry = new_entry(hass, "Durable")
    await timed_setup(hass, entry)
    close_card = open_card(hass, entry)
    calls = max(CALLS // 5, 50)
    data = {"config_entry_id": entry.entry_id, **LOG_RUN}
    database = await hass.async_add_executor_job(
        WalDatabase, Path(hass.config.path("bench.sqlite"))
    )

    async def sqlite_insert() -> int:
        start = time.perf_counter_ns()
        await hass.async_add_executor_job(database.insert)
        return time.perf_counter_ns() - start

    async def log_run() -> int:
        return await call(hass, "log_run", data)

    durable = await interleaved({"sqlite": sqlite_insert, "log_run": log_run}, calls, 1)
    ratio = statistics.median(durable["log_run"]) / statistics.median(durable["sqlite"])
    row(
        f"SQLite insert committed, WAL + synchronous=FULL, executor job, same disk "
        f"({calls})",
        f"median {ms(statistics.median(durable['sqlite']))}, "
        f"p95 {ms(p95(durable['sqlite']))}",
    )
    row(
        f"`log_run` end to end, durable write included, card open ({calls})",
        f"median {ms(statistics.median(durable['log_run']))}, "
        f"p95 {ms(p95(durable['log_run']))}",
    )
    row(
        "`log_run` (durable) / SQLite WAL insert, interleaved (median)",
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
    row(
        "State writes per `log_run` (the others are skipped unchanged)",
        f"{changed} of {len(entities)} entities",
    )
    assert changed <= SAME_COUNTERS
    same = [f"counter.same_{index}" for index in range(changed)]

    async def increment() -> int:
        start = time.perf_counter_ns()
        await hass.services.async_call(
            "counter", "increment", {"entity_id": same}, blocking=True
        )
        return time.perf_counter_ns() - start

    async def log_run_settled() -> int:
        took = await log_run()
        await hass.async_block_till_done()
        return took

    async def increment_settled() -> int:
        took = await increment()
        await hass.async_block_till_done()
        return took

    with patch.object(ProfileStore, "_append", lambda self, data: None):
        bare = await interleaved(
            {"counter": increment_settled, "log_run": log_run_settled}, calls, 2
        )
    single = statistics.median(bare["log_run"]) / statistics.median(bare["counter"])
    row(
        f"Without the write, card open: `counter.increment` on {changed} counters "
        f"/ `log_run`, interleaved ({calls})",
        f"{ms(statistics.median(bare['counter']))} / "
        f"{ms(statistics.median(bare['log_run']))} = {single:.2f}x",
        "<= 1.2x",
        verdict(single <= 1.2),
    )
    close_card()
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_add_executor_job(database.connection.close)


async def concurrent_callers(hass: HomeAssistant) -> None:
    """Throughput of THREADS concurrent `log_run` callers vs SQLite WAL threads."""
    entry = new_entry(hass, "Concurrent")
    await timed_setup(hass, entry)
    data = {"config_entry_id": entry.entry_id, **LOG_RUN}
    each = max(CALLS // 20, 10)

    async def caller() -> None:
        for _ in range(each):
            await call(hass, "log_run", data)

    start = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(THREADS)))
    ours = THREADS * each / (time.perf_counter() - start)
    database = await hass.async_add_executor_job(
        WalDatabase, Path(hass.config.path("bench_threads.sqlite"))
    )
    theirs = await hass.async_add_executor_job(database.threads, THREADS, each)
    await hass.async_add_executor_job(database.connection.close)
    row(
        f"{THREADS} concurrent callers: `log_run` / SQLite WAL with {THREADS} threads "
        f"({THREADS * each} each)",
        f"{ours:.0f} / {theirs:.0f} calls/s = {ours / theirs:.2f}x",
        "> 1x",
        verdict(ours > theirs),
    )
    await hass.config_entries.async_unload(entry.entry_id)


async def per_record(hass: HomeAssistant, now: datetime) -> None:
    """Per-record work at 1 and BIG years, and the longest loop hold per scenario."""
    assert await async_setup_component(hass, "calendar", {})
    repeat = max(CALLS // 10, 30)
    results: dict[int, dict[str, float]] = {}
    with LoopHolds() as holds:
        for years in (1, BIG):
            history = make_history(years, now)
            entry = new_entry(hass, f"Per{years}")
            await hass.async_add_executor_job(
                write_profile_file, hass, entry.entry_id, history
            )
            del history
            gc.collect()  # the benchmark's own garbage, before watching
            holds.scenario = f"setup|{years}"
            assert await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            holds.scenario = None
            coordinator = entry.runtime_data
            config = {"config_entry_id": entry.entry_id}
            month_ago = (now - timedelta(days=30)).isoformat()
            calendar = hass.data["entity_components"]["calendar"].get_entity(
                f"calendar.per{years}_run_log"
            )
            assert calendar is not None
            close_card = open_card(hass, entry)

            async def month_of_calendar(calendar: Any = calendar) -> int:
                start = time.perf_counter_ns()
                await calendar.async_get_events(
                    hass, now - timedelta(days=30), now + timedelta(days=1)
                )
                return time.perf_counter_ns() - start

            async def first_message(coordinator: Any = coordinator) -> int:
                start = time.perf_counter_ns()
                json_helper.json_bytes(card_data(hass, coordinator, may_manage=True))
                return time.perf_counter_ns() - start

            async def day_view(coordinator: Any = coordinator) -> int:
                # What the card's day view reads: the sessions of one local day.
                start = time.perf_counter_ns()
                day = dt_util.as_local(now).replace(hour=0, minute=0, second=0)
                json_helper.json_bytes(
                    [
                        session.as_dict()
                        for session in coordinator.sessions_between(
                            day - timedelta(days=1), day + timedelta(days=1)
                        )
                    ]
                )
                return time.perf_counter_ns() - start

            variants: dict[str, Callable[[], Awaitable[int]]] = {
                "log_run": lambda config=config: call(
                    hass, "log_run", config | LOG_RUN
                ),
                "log_mood": lambda config=config: call(
                    hass, "log_mood", config | {"mood": 6}
                ),
                "get_sessions": lambda config=config, month_ago=month_ago: call(
                    hass, "get_sessions", config | {"start": month_ago}
                ),
                "calendar": month_of_calendar,
                "first_message": first_message,
                "day_view": day_view,
            }
            samples = await interleaved(variants, repeat, years)
            results[years] = {
                key: statistics.median(value) for key, value in samples.items()
            }

            # A burst of records with the card open, all callers at once.
            gc.collect()
            holds.scenario = f"burst|{years}"
            await asyncio.gather(
                *(call(hass, "log_run", config | LOG_RUN) for _ in range(BURST))
            )
            await hass.async_block_till_done()
            holds.scenario = None

            # Midnight: the refresh the coordinator schedules, one second after.
            midnight = dt_util.start_of_local_day(
                dt_util.as_local(now) + timedelta(days=1)
            ) + timedelta(seconds=1)
            holds.scenario = f"midnight|{years}"
            with patch.object(dt_util, "utcnow", lambda at=midnight: at):
                start = time.perf_counter_ns()
                coordinator.async_publish()
                holds.note(time.perf_counter_ns() - start, "midnight publish")
            holds.scenario = None
            coordinator.async_publish()
            close_card()

            # Unloading compacts: the whole history is written once.
            gc.collect()
            holds.scenario = f"compaction|{years}"
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
            holds.scenario = None
    labels = {
        "log_run": "`log_run`",
        "log_mood": "`log_mood`",
        "get_sessions": "`get_sessions`, last 30 days",
        "calendar": "run-log calendar, one month",
        "first_message": "card's first message (built and encoded)",
        "day_view": "card's day view (one day's sessions, encoded)",
    }
    for key, label in labels.items():
        ratio = results[BIG][key] / results[1][key]
        row(
            f"{label}: 1 y / {BIG} y of history, card open, interleaved "
            f"(median of {repeat})",
            f"{ms(results[1][key])} / {ms(results[BIG][key])} = {ratio:.2f}x",
            "<= 1.3x",
            verdict(ratio <= 1.3),
        )
    scenarios = {
        "setup": "setup",
        "burst": f"a burst of {BURST} `log_run` with the card open",
        "midnight": "midnight rollover (card open)",
        "compaction": "compaction (unload)",
    }
    for key, label in scenarios.items():
        for years in (1, BIG):
            took, what = holds.longest.get(f"{key}|{years}", (0, "nothing ran"))
            row(
                f"Longest event-loop hold: {label}, {years} y",
                f"{ms(took)} ({what})",
                "<= 5 ms",
                verdict(took * NS <= 5),
            )
