"""Run a real Home Assistant with Run Wellbeing loaded from the working tree.

Used by scripts/develop and by the end-to-end test. It prepares a config folder
(configuration.yaml, the integration and the dashboard linked from the working
tree, onboarding marked done apart from the user step), starts Home Assistant
as a child process, creates the development user through Home Assistant's own
onboarding API, optionally adds demo profiles whose history is logged through
the integration's own actions, and then waits until Home Assistant stops.
A second run finds everything in place and only starts Home Assistant.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
import json
import os
from pathlib import Path
import random
import signal
import socket
import subprocess
import sys
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "run_wellbeing"
USERNAME = "dev"
PASSWORD = "dev-only-password"  # noqa: S105 - development only, stated in README
DISPLAY_NAME = "Dev"
TIME_ZONE = "Europe/Amsterdam"
READY_MARKER = "Run Wellbeing development server ready"

CONFIGURATION_YAML = """\
# Created by scripts/develop for development only; edit freely, it is kept.
homeassistant:
  name: Run Wellbeing (development)
  time_zone: {time_zone}
  unit_system: metric
  country: NL
  currency: EUR
  language: en
  latitude: 52.3731
  longitude: 4.8922
  elevation: 0

frontend:
config:
# Like a real install, so automations made in the UI (for example from the
# shipped blueprints), scripts and scenes are saved and loaded again.
automation: !include automations.yaml
script: !include scripts.yaml
scene: !include scenes.yaml
history:
logbook:
recorder:
  commit_interval: 1

lovelace:
  dashboards:
    run-wellbeing:
      mode: yaml
      filename: dashboards/run_wellbeing.yaml
      title: Running
      icon: mdi:run
      show_in_sidebar: true

logger:
  default: warning
  logs:
    # No ffmpeg binary, no zlib-ng here: harmless for this integration.
    haffmpeg: critical
    aiohttp_fast_zlib: error
"""


INCLUDED_FILES = {"automations.yaml": "[]\n", "scripts.yaml": "", "scenes.yaml": ""}


def prepare_config(config: Path, port: int) -> None:
    """Create the config folder once; later runs keep what is there."""
    storage = config / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    yaml_file = config / "configuration.yaml"
    if not yaml_file.exists():
        yaml_file.write_text(
            CONFIGURATION_YAML.format(time_zone=TIME_ZONE),
            encoding="utf-8",
        )
    # The files the editors write to, created empty as Home Assistant does.
    for name, empty in INCLUDED_FILES.items():
        if not (config / name).exists():
            (config / name).write_text(empty, encoding="utf-8")
    _link(config / "custom_components" / DOMAIN, ROOT / "custom_components" / DOMAIN)
    _link(
        config / "dashboards" / "run_wellbeing.yaml",
        ROOT / "dashboards" / "run_wellbeing.yaml",
    )
    write_http_config(storage / "http", port)
    onboarding = storage / "onboarding"
    if not onboarding.exists():
        # Everything but the user step: that one runs through the API, which
        # creates the owner the way the onboarding wizard does. Marking the
        # core config step done also keeps onboarding from adding cloud
        # integrations (weather, radio, translate) to an offline machine.
        onboarding.write_text(
            json.dumps(
                {
                    "version": 4,
                    "minor_version": 1,
                    "key": "onboarding",
                    "data": {"done": ["core_config", "analytics", "integration"]},
                }
            ),
            encoding="utf-8",
        )


def write_http_config(path: Path, port: int) -> None:
    """Listen on 127.0.0.1 only, on the port asked for, on every start.

    Home Assistant keeps its HTTP settings in storage (YAML is only migrated
    once, as a trial the user must confirm in the UI), so they are written
    there as the confirmed ("stable") settings.
    """
    stored: dict[str, Any] = {}
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
    stable = stored.get("data", {}).get("stable", {})
    if stable.get("server_port") == port and stable.get("server_host") == ["127.0.0.1"]:
        return
    stable = {
        "cors_allowed_origins": ["https://cast.home-assistant.io"],
        "login_attempts_threshold": -1,
        "ip_ban_enabled": True,
        "ssl_profile": "modern",
        "use_x_frame_options": True,
        **stable,
        "server_host": ["127.0.0.1"],
        "server_port": port,
        "created_at": datetime.now(UTC).isoformat(),
        "error": None,
        "error_message": None,
    }
    path.write_text(
        json.dumps(
            {
                "version": 2,
                "minor_version": 2,
                "key": "http",
                "data": {
                    "stable": stable,
                    "pending": None,
                    "yaml_migration_done": True,
                },
            },
            indent=2,
        ),
        encoding="utf-8",
    )


def _link(link: Path, target: Path) -> None:
    """Point link at target (relative), replacing a stale link."""
    link.parent.mkdir(parents=True, exist_ok=True)
    relative = os.path.relpath(target, link.parent)
    if link.is_symlink():
        if str(link.readlink()) == relative:
            return
        link.unlink()
    elif link.exists():
        return  # a real folder or file the developer put there wins
    link.symlink_to(relative)


class HomeAssistantClient:
    """Just enough of Home Assistant's HTTP API to onboard and seed it."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        """Talk to the Home Assistant at base."""
        self.session = session
        self.base = base
        self.client_id = f"{base}/"
        self.token = ""

    async def wait_until_up(self, process: subprocess.Popen[bytes]) -> None:
        """Wait for the HTTP server, failing early if Home Assistant died."""
        for _ in range(600):
            if process.poll() is not None:
                raise SystemExit(
                    f"Home Assistant exited with code {process.returncode}"
                )
            try:
                # Any answer will do: it is 400 until onboarding is done.
                async with self.session.get(f"{self.base}/auth/providers"):
                    return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.5)
        raise SystemExit("Home Assistant did not start within five minutes")

    async def log_in(self, *, required: bool) -> bool:
        """Create the user on the first run, else log in as it.

        A developer may have changed the password: that only matters when
        there is something to do as the user (required).
        """
        async with self.session.get(f"{self.base}/api/onboarding") as resp:
            # Once onboarding is complete the endpoint is gone (404).
            steps = {}
            if resp.status == 200:
                steps = {step["step"]: step["done"] for step in await resp.json()}
        if not steps.get("user", True):
            async with self.session.post(
                f"{self.base}/api/onboarding/users",
                json={
                    "client_id": self.client_id,
                    "name": DISPLAY_NAME,
                    "username": USERNAME,
                    "password": PASSWORD,
                    "language": "en",
                },
            ) as resp:
                resp.raise_for_status()
                code = (await resp.json())["auth_code"]
        else:
            async with self.session.post(
                f"{self.base}/auth/login_flow",
                json={
                    "client_id": self.client_id,
                    "handler": ["homeassistant", None],
                    "redirect_uri": self.client_id,
                },
            ) as resp:
                resp.raise_for_status()
                flow_id = (await resp.json())["flow_id"]
            async with self.session.post(
                f"{self.base}/auth/login_flow/{flow_id}",
                json={
                    "client_id": self.client_id,
                    "username": USERNAME,
                    "password": PASSWORD,
                },
            ) as resp:
                resp.raise_for_status()
                result = await resp.json()
            if result.get("type") != "create_entry":
                message = (
                    f"Cannot log in as {USERNAME!r} with the development password "
                    f"(changed?): {result.get('errors')}"
                )
                if required:
                    raise SystemExit(message)
                print(message, flush=True)
                return False
            code = result["result"]
        async with self.session.post(
            f"{self.base}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        ) as resp:
            resp.raise_for_status()
            self.token = (await resp.json())["access_token"]
        return True

    async def call(self, method: str, path: str, payload: Any = None) -> Any:
        """Call the REST API as the development user."""
        async with self.session.request(
            method,
            f"{self.base}{path}",
            json=payload,
            headers={"Authorization": f"Bearer {self.token}"},
        ) as resp:
            body = await resp.text()
            if resp.status >= 400:
                raise SystemExit(f"{method} {path} failed ({resp.status}): {body}")
            return json.loads(body) if body else None

    async def wait_until_running(self) -> None:
        """Wait until every integration has been set up."""
        for _ in range(600):
            if (await self.call("GET", "/api/config"))["state"] == "RUNNING":
                return
            await asyncio.sleep(0.5)
        raise SystemExit("Home Assistant did not finish starting")

    async def ws_command(self, message: dict[str, Any]) -> Any:
        """Send one websocket command as the development user."""
        url = self.base.replace("http", "ws", 1) + "/api/websocket"
        async with self.session.ws_connect(url, max_msg_size=0) as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.token})
            if (reply := await ws.receive_json())["type"] != "auth_ok":
                raise SystemExit(f"Websocket login refused: {reply}")
            await ws.send_json({"id": 1, **message})
            while (reply := await ws.receive_json()).get("id") != 1:
                pass
        if not reply["success"]:
            raise SystemExit(f"{message['type']} failed: {reply['error']}")
        return reply["result"]

    async def add_profile(self, name: str, weekly_goal: int) -> str:
        """Add a profile through the config flow, as the UI does."""
        flow = await self.call(
            "POST",
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "show_advanced_options": False},
        )
        result = await self.call(
            "POST",
            f"/api/config/config_entries/flow/{flow['flow_id']}",
            {"name": name, "weekly_goal": weekly_goal},
        )
        return str(result["result"]["entry_id"])

    async def set_options(self, entry_id: str, options: dict[str, Any]) -> None:
        """Save a profile's options through the options flow."""
        flow = await self.call(
            "POST", "/api/config/config_entries/options/flow", {"handler": entry_id}
        )
        await self.call(
            "POST",
            f"/api/config/config_entries/options/flow/{flow['flow_id']}",
            sectioned_input(flow.get("data_schema") or [], options),
        )

    async def action(self, service: str, data: dict[str, Any]) -> None:
        """Perform one of the integration's actions."""
        await self.call("POST", f"/api/services/{DOMAIN}/{service}", data)


def sectioned_input(
    schema: list[dict[str, Any]], options: dict[str, Any]
) -> dict[str, Any]:
    """Return options as the form sends them: each in its section.

    Fields left out keep what the form shows (its default or suggested
    value), so only the given options change.
    """

    def value(field: dict[str, Any]) -> Any:
        name = field["name"]
        if name in options:
            return options[name]
        if "default" in field:
            return field["default"]
        return (field.get("description") or {}).get("suggested_value")

    form: dict[str, Any] = {}
    for field in schema:
        if field.get("type") == "expandable":
            form[field["name"]] = {
                inner["name"]: chosen
                for inner in field.get("schema", [])
                if (chosen := value(inner)) is not None
            }
        elif (chosen := value(field)) is not None:
            form[field["name"]] = chosen
    return form


@dataclass(frozen=True)
class DemoPerson:
    """Who the demo household is and how they run."""

    name: str
    weekly_goal: int
    run_days: tuple[int, ...]  # weekday numbers, Monday 0
    plan_days: list[str]
    plan_time: str
    weeks: int
    missed_weeks: tuple[int, ...]  # weeks ago with no run at all
    base_km: float


DEMO = (
    DemoPerson(
        name="Alex",
        weekly_goal=3,
        run_days=(0, 2, 5),
        plan_days=["mon", "wed", "sat"],
        plan_time="07:00:00",
        weeks=8,
        missed_weeks=(5,),
        base_km=5.0,
    ),
    DemoPerson(
        name="Sam",
        weekly_goal=2,
        run_days=(1, 6),
        plan_days=["tue", "sun"],
        plan_time="18:30:00",
        weeks=6,
        missed_weeks=(),
        base_km=3.0,
    ),
)


def demo_history(
    person: DemoPerson, now: datetime
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (action, data) for a plausible history ending before now.

    Runs on the person's usual days (now and then a day later), an easy start
    that slowly gets longer, moods before and after each run (mostly a lift),
    evening mood check-ins on some rest days, and whole missed weeks in which
    mood sags. The same day always gives the same history.
    """
    rng = random.Random(f"{person.name}-{now.date().isoformat()}")  # noqa: S311
    today = now.date()
    this_monday = today - timedelta(days=today.weekday())
    latest = now - timedelta(hours=1)
    for weeks_ago in range(person.weeks, -1, -1):
        monday = this_monday - timedelta(weeks=weeks_ago)
        missed = weeks_ago in person.missed_weeks
        progress = (person.weeks - weeks_ago) / person.weeks
        days = [] if missed else list(person.run_days)
        if days and rng.random() < 0.3:  # a run moved by a day
            index = rng.randrange(len(days))
            days[index] = min(6, days[index] + 1)
        for offset in range(7):
            day = monday + timedelta(days=offset)
            if offset in days:
                start = _at(day, time(7 if offset < 5 else 9, rng.randrange(0, 50)))
                if start > latest:
                    continue
                km = round(
                    person.base_km * (1 + 0.4 * progress) + rng.uniform(-1, 1.5), 1
                )
                minutes = round(km * rng.uniform(5.6, 6.6))
                before = rng.choice((4, 5, 5, 6, 6, 7))
                after = min(10, before + rng.choice((0, 1, 2, 2, 3)))
                yield (
                    "log_run",
                    {
                        "start": start.isoformat(),
                        "duration": minutes,
                        "distance": km,
                        "distance_unit": "km",
                        "mood_before": before,
                        "mood_after": after,
                        "effort": rng.randint(4, 8),
                    },
                )
            elif rng.random() < (0.8 if missed else 0.35):
                when = _at(day, time(21, rng.randrange(0, 59)))
                if when > latest:
                    continue
                mood = rng.choice((3, 4, 4, 5) if missed else (5, 6, 6, 7, 8))
                yield ("log_mood", {"mood": mood, "time": when.isoformat()})
        if not missed and weeks_ago == 3:
            # A walk on a rest day: logged, not counted as a run.
            walk = _at(monday + timedelta(days=3), time(12, 15))
            if walk <= latest:
                yield (
                    "log_run",
                    {
                        "activity": "walk",
                        "start": walk.isoformat(),
                        "duration": 40,
                        "distance": 3.2,
                        "distance_unit": "km",
                    },
                )


def _at(day: date, at: time) -> datetime:
    return datetime.combine(day, at, ZoneInfo(TIME_ZONE))


async def import_statistics(
    client: HomeAssistantClient,
    slug: str,
    records: list[tuple[str, dict[str, Any]]],
    now: datetime,
) -> None:
    """Give the charts the demo's past: hourly long-term statistics.

    The recorder only saw the history arrive just now, so the weekly charts and
    the mood graph would show one spike. This imports, for the hours before
    now, what the sensors would have recorded had the history happened live:
    sums continue into what the recorder compiles from here on (its zero point
    is the profile's first state, 0), means are the 7- and 30-day windows.
    """
    tz = ZoneInfo(TIME_ZONE)
    runs = [
        (datetime.fromisoformat(data["start"]), data)
        for service, data in records
        if service == "log_run" and data.get("activity", "run") == "run"
    ]
    runs.sort(key=lambda run: run[0])
    observations: list[tuple[datetime, int]] = []
    lifts: list[tuple[datetime, int]] = []
    for service, data in records:
        if service == "log_mood":
            observations.append((datetime.fromisoformat(data["time"]), data["mood"]))
        elif "mood_before" in data:
            start = datetime.fromisoformat(data["start"])
            end = start + timedelta(minutes=data["duration"])
            observations += [(start, data["mood_before"]), (end, data["mood_after"])]
            lifts.append((start, data["mood_after"] - data["mood_before"]))
    if not runs:
        return
    first = runs[0][0].astimezone(tz)
    # From a few weeks before the first run, so that a chart's first week has
    # a baseline to count its change from.
    hour = datetime.combine(
        first.date() - timedelta(days=first.weekday(), weeks=4), time(), tz
    )
    this_hour = now.replace(minute=0, second=0, microsecond=0)
    this_week = this_hour.date() - timedelta(days=this_hour.weekday())
    km_before_this_week = sum(
        data["distance"] for start, data in runs if start.date() < this_week
    )
    total: list[dict[str, Any]] = []
    distance: list[dict[str, Any]] = []
    mood: list[dict[str, Any]] = []
    lift: list[dict[str, Any]] = []
    while hour < this_hour:
        end = (hour + timedelta(hours=1)).astimezone(tz)
        day = (end - timedelta(microseconds=1)).date()
        week = datetime.combine(day - timedelta(days=day.weekday()), time(), tz)
        done = [(start, data) for start, data in runs if start < end]
        km_all = sum(data["distance"] for _, data in done)
        km_week = sum(data["distance"] for start, data in done if start >= week)
        start_utc = hour.astimezone(UTC).isoformat()
        total.append({"start": start_utc, "state": len(done), "sum": len(done)})
        distance.append(
            {
                "start": start_utc,
                "state": round(km_week, 3),
                "sum": round(km_all - km_before_this_week, 3),
                "last_reset": week.astimezone(UTC).isoformat(),
            }
        )
        if window := [
            value
            for when, value in observations
            if when < end and (day - when.astimezone(tz).date()).days < 7
        ]:
            value = round(sum(window) / len(window), 1)
            mood.append({"start": start_utc, "mean": value, "min": value, "max": value})
        if window := [
            value
            for when, value in lifts
            if when < end and (day - when.astimezone(tz).date()).days < 30
        ]:
            value = round(sum(window) / len(window), 1)
            lift.append({"start": start_utc, "mean": value, "min": value, "max": value})
        hour = (hour + timedelta(hours=1)).astimezone(tz)
    for key, unit_class, rows in (
        ("total_runs", None, total),
        ("distance_this_week", "distance", distance),
        ("mood_score", None, mood),
        ("mood_lift", None, lift),
    ):
        entity_id = f"sensor.{slug}_{key}"
        state = await client.call("GET", f"/api/states/{entity_id}")
        has_sum = "sum" in rows[0] if rows else False
        await client.ws_command(
            {
                "type": "recorder/import_statistics",
                "metadata": {
                    "statistic_id": entity_id,
                    "source": "recorder",
                    "name": None,
                    # As the sensor reports it, so the recorder sees no change.
                    "unit_of_measurement": state["attributes"].get(
                        "unit_of_measurement"
                    ),
                    "unit_class": unit_class,
                    "has_sum": has_sum,
                    "mean_type": 0 if has_sum else 1,
                },
                "stats": rows,
            }
        )


async def seed_demo(client: HomeAssistantClient) -> None:
    """Add the demo household once, through the integration's own flows and actions."""
    entries = await client.call(
        "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
    )
    existing = {entry["title"] for entry in entries}
    now = datetime.now(ZoneInfo(TIME_ZONE))
    for person in DEMO:
        if person.name in existing:
            continue
        entry_id = await client.add_profile(person.name, person.weekly_goal)
        records = list(demo_history(person, now))
        for service, data in records:
            await client.action(service, {"config_entry_id": entry_id, **data})
        await import_statistics(client, person.name.lower(), records, now)
        await client.set_options(
            entry_id,
            {
                "weekly_goal": person.weekly_goal,
                "week_start": "monday",
                "counted_activities": ["run"],
                "plan_days": person.plan_days,
                "plan_time": person.plan_time,
                "plan_duration": 30,
                "low_mood_threshold": 4.0,
            },
        )
        print(f"Demo profile {person.name}: {len(records)} records logged", flush=True)


# Home Assistant exits with this code when asked to restart (Settings ->
# Restart); its supervisor, here this script, starts it again.
RESTART_EXIT_CODE = 100


def start_home_assistant(config: Path) -> subprocess.Popen[bytes]:
    """Start Home Assistant on config, installing nothing at run time."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "homeassistant", "--config", str(config), "--skip-pip"],
        cwd=ROOT,
    )


async def serve(config: Path, base: str, demo: bool) -> int:
    """Start Home Assistant, get it ready, then run it until it stops."""
    loop = asyncio.get_running_loop()
    process = start_home_assistant(config)
    stopping = False

    def stop() -> None:
        nonlocal stopping
        stopping = True
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop)
    try:
        async with aiohttp.ClientSession() as session:
            client = HomeAssistantClient(session, base)
            await client.wait_until_up(process)
            if await client.log_in(required=demo):
                await client.wait_until_running()
            if demo:
                await seed_demo(client)
        print(
            f"{READY_MARKER}: {base} (user {USERNAME!r}, password {PASSWORD!r})",
            flush=True,
        )
        while True:
            code = await loop.run_in_executor(None, process.wait)
            if code != RESTART_EXIT_CODE or stopping:
                return code
            print("Home Assistant asked for a restart: starting it again", flush=True)
            process = start_home_assistant(config)
    except BaseException:
        stop()
        await loop.run_in_executor(None, process.wait)
        raise


def main() -> int:
    """Prepare the config folder, then serve Home Assistant until it stops."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="add demo profiles")
    parser.add_argument("--config", default=str(ROOT / "config"))
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args()
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            raise SystemExit(f"Port {args.port} is in use; stop what runs there first")
    config = Path(args.config).resolve()
    prepare_config(config, args.port)
    return asyncio.run(serve(config, f"http://127.0.0.1:{args.port}", args.demo))


if __name__ == "__main__":
    sys.exit(main())
