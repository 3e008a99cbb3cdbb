"""Crash test: acknowledged changes survive SIGKILL of a real Home Assistant.

Starts Home Assistant with scripts/develop on a fresh config folder, adds a
profile, records some runs, moods and plans and changes the goal and the
schedule (options). Then sends, pipelined over one websocket, a burst that
mixes every change kind: runs, moods, deletes, undo (the card's command),
plans, cancelled plans, goal changes and an import of a small CSV from the
config folder. When half of it is answered, the whole process group gets
SIGKILL. After a restart every acknowledged change must be there: added
records present, deleted and cancelled ones gone, the goal and schedule
changes kept, the imported records present, and the files read without
damage. Then tries the far-future `plan_run` (it must be refused), logs a
run, kills again, and checks the profile still sets up. Needs no browser.
Run by .ci/run.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from devserver import READY_MARKER, HomeAssistantClient  # noqa: E402

sys.path.insert(0, str(ROOT))
from custom_components.run_wellbeing.storage.store import read_files  # noqa: E402

DOMAIN = "run_wellbeing"
BURST = int(os.environ.get("CRASH_BURST", "300"))
START_TIMEOUT_S = 300


def free_port() -> int:
    """Return a port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """scripts/develop in its own process group, so SIGKILL takes it all."""

    def __init__(self, config: Path, port: int, log: Path) -> None:
        """Remember where and how to start Home Assistant."""
        self.config = config
        self.port = port
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start and wait until the development server says it is ready."""
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - the project's own script
                [
                    str(ROOT / "scripts" / "develop"),
                    "--config",
                    str(self.config),
                    "--port",
                    str(self.port),
                ],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            with self.log.open("rb") as log:
                log.seek(offset)
                if READY_MARKER in log.read().decode(errors="replace"):
                    return
            if self.process.poll() is not None:
                raise SystemExit(f"scripts/develop exited early; see {self.log}")
            if time.monotonic() > deadline:
                raise SystemExit(f"Home Assistant not ready; see {self.log}")
            time.sleep(0.5)

    def kill(self) -> None:
        """SIGKILL every process of the server: no shutdown, no final write."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """Stop cleanly."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class Socket:
    """One authenticated websocket with pipelined commands."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Wrap an open websocket."""
        self.ws = ws
        self.next_id = 1

    @classmethod
    async def open(
        cls, session: aiohttp.ClientSession, base: str, token: str
    ) -> Socket:
        """Connect and log in."""
        ws = await session.ws_connect(
            base.replace("http", "ws", 1) + "/api/websocket", max_msg_size=0
        )
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": token})
        reply = await ws.receive_json()
        if reply["type"] != "auth_ok":
            raise SystemExit(f"websocket login refused: {reply}")
        return cls(ws)

    async def send(self, message: dict[str, Any]) -> int:
        """Send a command; return its id."""
        number = self.next_id
        self.next_id += 1
        await self.ws.send_json({"id": number, **message})
        return number

    async def call(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send a command and wait for its result message."""
        number = await self.send(message)
        while True:
            reply = await self.ws.receive_json()
            if reply.get("id") == number:
                return dict(reply)


def service(
    name: str, data: dict[str, Any], *, response: bool = True
) -> dict[str, Any]:
    """Return a call_service command of the integration, with its response."""
    return {
        "type": "call_service",
        "domain": DOMAIN,
        "service": name,
        "service_data": data,
        "return_response": response,
    }


async def login(session: aiohttp.ClientSession, base: str) -> HomeAssistantClient:
    """Log in as the development user and wait until Home Assistant runs."""
    client = HomeAssistantClient(session, base)
    await client.log_in(required=True)
    await client.wait_until_running()
    return client


async def stored_sessions(client: HomeAssistantClient, entry_id: str) -> set[str]:
    """Return the ids get_sessions lists after a restart."""
    ws = await Socket.open(client.session, client.base, client.token)
    for _ in range(60):
        reply = await ws.call(service("get_sessions", {"config_entry_id": entry_id}))
        if reply["success"] or reply["error"]["code"] != "not_found":
            break
        await asyncio.sleep(1)  # the integration may still be setting up
    await ws.ws.close()
    if not reply["success"]:
        raise SystemExit(f"get_sessions failed after the restart: {reply}")
    return {s["id"] for s in reply["result"]["response"]["sessions"]}


async def entry_state(client: HomeAssistantClient, entry_id: str) -> str:
    """Return the config entry's state as Home Assistant reports it."""
    entries = await client.call(
        "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
    )
    return next(str(e["state"]) for e in entries if e["entry_id"] == entry_id)


class Acknowledged:
    """What the burst's answers confirmed, by kind."""

    def __init__(self) -> None:
        """Start with nothing confirmed."""
        self.sessions: set[str] = set()
        self.moods: set[str] = set()
        self.plans: set[str] = set()
        self.deleted: set[str] = set()
        self.goals: list[int] = []
        self.imported = False

    def total(self) -> int:
        """Return how many changes were confirmed."""
        return (
            len(self.sessions)
            + len(self.moods)
            + len(self.plans)
            + len(self.deleted)
            + len(self.goals)
            + self.imported
        )


IMPORT_IDS = [f"crash-import-{number}" for number in range(5)]
IMPORT_CSV = "crash_import.csv"


def write_import(config: Path) -> None:
    """Write a small CSV of the integration's own format into the config folder."""
    lines = [
        "record,id,activity,start,duration,distance,mood,mood_before,mood_after,effort,note,source"
    ]
    lines.extend(
        f"session,{record_id},run,2026-01-{number + 1:02d}T07:00:00+00:00,1800,5000,,,,,,import"
        for number, record_id in enumerate(IMPORT_IDS)
    )
    (config / IMPORT_CSV).write_text("\n".join(lines) + "\n")


def burst_command(
    number: int, entry_id: str, first: dict[str, list[str]]
) -> tuple[str, str | int | None, dict[str, Any]]:
    """Return the kind, the target and the command of the burst's n-th change."""
    kind = number % 10
    if number == BURST // 4:
        return (
            "import",
            None,
            service(
                "import_history", {"config_entry_id": entry_id, "path": IMPORT_CSV}
            ),
        )
    if kind == 6:
        return (
            "mood",
            None,
            service("log_mood", {"config_entry_id": entry_id, "mood": 1 + number % 10}),
        )
    if kind == 7:
        return (
            "plan",
            None,
            service(
                "plan_run",
                {
                    "config_entry_id": entry_id,
                    "start": f"2099-01-{1 + number % 28:02d}T07:00:00+00:00",
                },
            ),
        )
    if kind == 8 and first["sessions"]:
        target = first["sessions"].pop()
        return (
            "delete",
            target,
            service(
                "delete_record",
                {"config_entry_id": entry_id, "record_id": target},
                response=False,
            ),
        )
    if kind == 9 and first["plans"]:
        target = first["plans"].pop()
        return (
            "delete",
            target,
            service(
                "cancel_plan",
                {"config_entry_id": entry_id, "plan_id": target},
                response=False,
            ),
        )
    if kind == 9 and first["moods"]:
        target = first["moods"].pop()
        return (
            "delete",
            target,
            {
                "type": "run_wellbeing/undo",
                "entry_id": entry_id,
                "record_id": target,
            },
        )
    if kind == 5:
        goal = 2 + number % 5
        return (
            "goal",
            goal,
            {
                "type": "call_service",
                "domain": "number",
                "service": "set_value",
                "service_data": {
                    "entity_id": "number.crash_weekly_goal",
                    "value": goal,
                },
            },
        )
    return (
        "session",
        None,
        service("log_run", {"config_entry_id": entry_id, "distance": 5}),
    )


def confirm(acked: Acknowledged, kind: str, target: Any, reply: dict[str, Any]) -> None:
    """Note what one successful answer confirmed."""
    response = (reply.get("result") or {}).get("response") or {}
    if kind == "session":
        acked.sessions.add(response["session_id"])
    elif kind == "mood":
        acked.moods.add(response["mood_id"])
    elif kind == "plan":
        acked.plans.add(response["plan_id"])
    elif kind == "delete":
        acked.deleted.add(target)
    elif kind == "goal":
        acked.goals.append(target)
    elif kind == "import":
        acked.imported = True


async def burst_then_kill(
    server: Server,
    client: HomeAssistantClient,
    entry_id: str,
    first: dict[str, list[str]],
) -> Acknowledged:
    """Send the mixed burst; kill the server when half of it is acknowledged."""
    ws = await Socket.open(client.session, client.base, client.token)
    sent: dict[int, tuple[str, Any]] = {}
    for number in range(BURST):
        kind, target, command = burst_command(number, entry_id, first)
        sent[await ws.send(command)] = (kind, target)
    acked = Acknowledged()
    try:
        while sent:
            reply = await asyncio.wait_for(ws.ws.receive_json(), 30)
            if (what := sent.pop(reply.get("id"), None)) is None:
                continue
            if reply["success"]:
                confirm(acked, *what, reply)
            elif what[0] != "goal":
                raise SystemExit(f"a {what[0]} change was refused: {reply}")
            if acked.total() >= BURST // 2:
                break
    finally:
        server.kill()
    # Answers already on their way were acknowledged too; read what arrived.
    while True:
        try:
            reply = await asyncio.wait_for(ws.ws.receive_json(), 1)
        except TimeoutError, TypeError, aiohttp.ClientError, ValueError:
            break
        if reply.get("success") and (what := sent.pop(reply.get("id"), None)):
            confirm(acked, *what, reply)
    return acked


async def record_first(
    client: HomeAssistantClient, config: Path, entry_id: str
) -> dict[str, list[str]]:
    """Record runs, moods and plans, and change the goal and the schedule."""
    ws = await Socket.open(client.session, client.base, client.token)
    first: dict[str, list[str]] = {"sessions": [], "moods": [], "plans": []}
    for number in range(6):
        reply = await ws.call(service("log_run", {"config_entry_id": entry_id}))
        first["sessions"].append(reply["result"]["response"]["session_id"])
        reply = await ws.call(
            service("log_mood", {"config_entry_id": entry_id, "mood": 5})
        )
        first["moods"].append(reply["result"]["response"]["mood_id"])
        reply = await ws.call(
            service(
                "plan_run",
                {
                    "config_entry_id": entry_id,
                    "start": f"2098-03-0{number + 1}T07:00:00+00:00",
                },
            )
        )
        first["plans"].append(reply["result"]["response"]["plan_id"])
    await ws.ws.close()
    await client.set_options(
        entry_id,
        {
            "weekly_goal": 4,
            "week_start": "monday",
            "counted_activities": ["run"],
            "plan_days": ["mon", "thu"],
            "plan_time": "07:30:00",
            "plan_duration": 40,
            "low_mood_threshold": 4,
        },
    )
    write_import(config)
    # Home Assistant saves its own list of config entries (the options) with
    # a delay; the integration's changes are on disk once answered.
    await asyncio.sleep(3)
    return first


async def wait_for_entry_saved(config: Path, entry_id: str) -> None:
    """Wait until Home Assistant's own storage lists the new profile."""
    path = config / ".storage" / "core.config_entries"
    for _ in range(120):
        if path.exists() and entry_id in path.read_text():
            return
        await asyncio.sleep(0.5)
    raise SystemExit("Home Assistant did not save the new config entry")


async def run(work: Path) -> int:
    """Run both scenarios; return the exit code."""
    server = Server(work / "config", free_port(), work / "develop.log")
    base = f"http://127.0.0.1:{server.port}"
    try:
        server.start()
        async with aiohttp.ClientSession() as session:
            client = await login(session, base)
            entry_id = await client.add_profile("Crash", 3)
            # Home Assistant saves its own list of config entries with a delay;
            # a profile added a moment before the kill would be gone with it.
            await wait_for_entry_saved(server.config, entry_id)
            first = await record_first(client, server.config, entry_id)
            started = time.monotonic()
            acked = await burst_then_kill(server, client, entry_id, first)
            # Records no delete, undo or cancel of the burst was sent for.
            untouched = {record for ids in first.values() for record in ids}
            took = time.monotonic() - started
            print(
                f"{acked.total()} of {BURST} changes acknowledged in {took:.1f} s "
                f"({len(acked.sessions)} runs, {len(acked.moods)} moods, "
                f"{len(acked.plans)} plans, {len(acked.deleted)} deletes, undos and "
                f"cancels, {len(acked.goals)} goal changes, import: {acked.imported}), "
                "then SIGKILL"
            )

        server.start()
        async with aiohttp.ClientSession() as session:
            client = await login(session, base)
            found = await stored_sessions(client, entry_id)
            lost = acked.sessions - found
            print(
                f"after the restart: {len(found)} sessions, {len(lost)} acknowledged lost"
            )
            if lost or not acked.sessions:
                return 1
            if problems := check_files(server.config, entry_id, acked, untouched):
                print("after the restart: " + "; ".join(problems))
                return 1
            print("after the restart: every acknowledged change of every kind is kept")

            ws = await Socket.open(session, base, client.token)
            reply = await ws.call(
                service(
                    "plan_run",
                    {"config_entry_id": entry_id, "start": "9999-12-31T23:50:00+00:00"},
                )
            )
            if reply["success"]:
                print("the far-future plan_run was accepted")
                return 1
            print(f"far-future plan_run refused: {reply['error'].get('message')}")
            reply = await ws.call(service("log_run", {"config_entry_id": entry_id}))
            if not reply["success"]:
                print(f"log_run after the refused plan failed: {reply}")
                return 1
            last = reply["result"]["response"]["session_id"]
            server.kill()

        server.start()
        async with aiohttp.ClientSession() as session:
            client = await login(session, base)
            state = await entry_state(client, entry_id)
            found = await stored_sessions(client, entry_id)
            print(
                f"after the second SIGKILL: profile {state}, last run kept: {last in found}"
            )
            if state != "loaded" or last not in found or acked.sessions - found:
                return 1
    finally:
        server.stop()
    return 0


def check_files(
    config: Path, entry_id: str, acked: Acknowledged, untouched: set[str]
) -> list[str]:
    """Return what the profile's files lack of the acknowledged changes."""
    history, damage = read_files(str(config / ".storage" / f"{DOMAIN}.{entry_id}"))
    problems = []
    if damage:
        problems.append(f"the files are damaged: {damage.describe()}")
    records = history.sessions | history.moods | history.plans  # type: ignore[operator]
    for kind, wanted in (
        ("runs", acked.sessions),
        ("moods", acked.moods),
        ("plans", acked.plans),
    ):
        if missing := wanted - set(records):
            problems.append(f"{len(missing)} acknowledged {kind} lost")
    if back := acked.deleted & set(records):
        problems.append(f"{len(back)} acknowledged deletes undone")
    if missing := untouched - set(records):
        problems.append(f"{len(missing)} records never deleted are gone")
    if acked.imported and (missing := set(IMPORT_IDS) - set(history.sessions)):
        problems.append(f"{len(missing)} imported sessions lost")
    goals = [change.goal for change in history.goal_changes]
    if 4 not in goals or any(goal not in goals for goal in acked.goals):
        problems.append(f"goal changes lost: {acked.goals} against {goals}")
    if not any(set(c.days) == {"mon", "thu"} for c in history.schedule_changes):
        problems.append("the schedule change was lost")
    return problems


def main() -> int:
    """Run in test-artifacts/crash/, where the log stays for a person to read."""
    work = ROOT / "test-artifacts" / "crash"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        code = asyncio.run(run(work))
    except SystemExit as err:
        print(err)
        code = 1
    print("crash test passed" if not code else f"crash test FAILED; see {work}")
    return code


if __name__ == "__main__":
    sys.exit(main())
