"""Crash test: acknowledged records survive SIGKILL of a real Home Assistant.

Starts Home Assistant with scripts/develop on a fresh config folder, adds a
profile, sends a burst of `log_run` calls over the websocket API, kills the
whole process group with SIGKILL while answers are still arriving, starts it
again and checks that every acknowledged session is there. Then tries the
far-future `plan_run` (it must be refused), logs a run, kills again, and
checks the profile still sets up. Needs no browser. Run by .ci/run.
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


def service(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return a call_service command of the integration, with its response."""
    return {
        "type": "call_service",
        "domain": DOMAIN,
        "service": name,
        "service_data": data,
        "return_response": True,
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


async def burst_then_kill(
    server: Server, client: HomeAssistantClient, entry_id: str
) -> set[str]:
    """Send the burst; kill the server when half of it is acknowledged."""
    ws = await Socket.open(client.session, client.base, client.token)
    sent = [
        await ws.send(service("log_run", {"config_entry_id": entry_id, "distance": 5}))
        for _ in range(BURST)
    ]
    acknowledged: set[str] = set()
    pending = set(sent)
    try:
        while pending:
            reply = await asyncio.wait_for(ws.ws.receive_json(), 30)
            if reply.get("id") in pending:
                pending.discard(reply["id"])
                if reply["success"]:
                    acknowledged.add(reply["result"]["response"]["session_id"])
                if len(acknowledged) >= BURST // 2:
                    break
    finally:
        server.kill()
    # Answers already on their way were acknowledged too; read what arrived.
    while True:
        try:
            reply = await asyncio.wait_for(ws.ws.receive_json(), 1)
        except TimeoutError, TypeError, aiohttp.ClientError, ValueError:
            break
        if reply.get("success") and reply.get("id") in pending:
            acknowledged.add(reply["result"]["response"]["session_id"])
    return acknowledged


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
            started = time.monotonic()
            acknowledged = await burst_then_kill(server, client, entry_id)
            took = time.monotonic() - started
            print(
                f"{len(acknowledged)} of {BURST} log_run acknowledged in {took:.1f} s, then SIGKILL"
            )

        server.start()
        async with aiohttp.ClientSession() as session:
            client = await login(session, base)
            found = await stored_sessions(client, entry_id)
            lost = acknowledged - found
            print(
                f"after the restart: {len(found)} sessions, {len(lost)} acknowledged lost"
            )
            if lost or not acknowledged:
                return 1

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
            if state != "loaded" or last not in found or acknowledged - found:
                return 1
    finally:
        server.stop()
    return 0


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
