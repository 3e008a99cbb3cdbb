"""Bad input, fuzzed at every door: each call is refused in words or works.

Every action of `services.yaml` and every websocket command of the card gets
strange values (booleans, huge numbers, NaN, infinities, NUL bytes, 10,000
characters, the years 1 and 9999, nested lists and dictionaries). A call
fails the test when it ends in `unknown_error`, an exception that is not a
refusal, a traceback or an error of the integration in the log, or when a
refused call changed the profile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
import itertools
import logging
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from hypothesis import HealthCheck, given, settings, strategies as st
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator
import yaml

from custom_components.run_wellbeing.const import DOMAIN

SERVICES_YAML = (
    Path(__file__).parents[1] / "custom_components/run_wellbeing/services.yaml"
)
ACTIONS: dict[str, list[str]] = {
    action: list((spec or {}).get("fields", {}))
    for action, spec in yaml.safe_load(SERVICES_YAML.read_text()).items()
}
LOG_RUN = [
    "activity",
    "start",
    "duration",
    "distance",
    "distance_unit",
    "mood_before",
    "mood_after",
    "effort",
    "note",
]
COMMANDS: dict[str, list[str]] = {
    "profiles": [],
    "subscribe": ["entry_id"],
    "log_run": ["entry_id", *LOG_RUN],
    "log_mood": ["entry_id", "mood", "time", "note"],
    "undo": ["entry_id", "record_id"],
    "day": ["entry_id", "date"],
    "update_session": ["entry_id", "record_id", *LOG_RUN],
}
# Enough to find today's kinds of bugs, few enough to run in seconds.
EXAMPLES = 40
# What the websocket answers for a refusal; anything else is a bug.
REFUSAL_CODES = {"invalid_format", "home_assistant_error", "unauthorized"}

ZONES = st.sampled_from(
    [None, UTC, ZoneInfo("Europe/Amsterdam"), ZoneInfo("Asia/Kathmandu")]
)
RECENT = st.datetimes(
    min_value=datetime.fromisoformat("2025-01-01"),
    max_value=datetime.fromisoformat("2027-01-01"),
    timezones=ZONES,
)
EXTREMES = st.sampled_from(
    [
        "0001-01-01T00:00:00+05:00",
        "0001-01-01T00:00:00",
        "0001-01-01",
        "9999-12-31",
        "9999-12-31T23:59:59-05:00",
        "1969-12-31",
        "2101-01-01",
        datetime.min.replace(tzinfo=UTC),
        datetime.max.replace(tzinfo=UTC),
    ]
)
STRANGE = st.sampled_from(
    [
        True,
        False,
        10**30,
        -(10**30),
        float("nan"),
        float("inf"),
        -float("inf"),
        "\x00",
        "a\x00.csv",
        "1e999",
        "NaN",
        "",
        " ",
        "../../configuration.yaml",
        ".storage/core.config_entries",
        "secrets.yaml",
        "x.csv",
        "x.json",
    ]
)
SCALARS = st.one_of(
    st.none(),
    STRANGE,
    # Too long to print: built when drawn, so Hypothesis can show the strategy.
    st.builds(pow, st.just(10), st.just(5000)),
    st.builds(str.__mul__, st.just("x"), st.just(10_000)),
    st.integers(),
    st.integers(min_value=-2, max_value=15),
    st.floats(),
    st.text(max_size=20),
    EXTREMES,
    RECENT.map(datetime.isoformat),
    st.dates().map(str),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=4,
)
# What a websocket client can send: JSON, whose numbers Home Assistant reads
# as 64-bit integers and finite floats.
JSON_SCALARS = st.one_of(
    st.none(),
    STRANGE.filter(
        lambda v: (
            not isinstance(v, float) and not (isinstance(v, int) and abs(v) > 2**63)
        )
    ),
    st.builds(str.__mul__, st.just("x"), st.just(10_000)),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    EXTREMES.filter(lambda v: isinstance(v, str)),
    RECENT.map(datetime.isoformat),
    st.dates().map(str),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=4,
)
MOODS = st.integers(min_value=0, max_value=11)
TIMES = st.one_of(RECENT, RECENT.map(datetime.isoformat), EXTREMES)
JSON_TIMES = st.one_of(
    RECENT.map(datetime.isoformat), EXTREMES.filter(lambda v: isinstance(v, str))
)
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "activity": st.sampled_from(["run", "walk", "yoga", "other"]),
    "start": TIMES,
    "end": TIMES,
    "time": TIMES,
    "date": st.dates().map(str) | EXTREMES.filter(lambda v: isinstance(v, str)),
    "duration": st.floats(min_value=-1, max_value=1500) | st.integers(-1, 1500),
    "distance": st.floats(min_value=-1, max_value=2000) | st.integers(-1, 2000),
    "distance_unit": st.sampled_from(["km", "mi", "m"]),
    "mood_before": MOODS,
    "mood_after": MOODS,
    "effort": MOODS,
    "mood": MOODS,
    "note": st.text(max_size=510),
    "record_id": st.text(max_size=30),
    "plan_id": st.text(max_size=30),
    "path": st.sampled_from(["fuzz.csv", "fuzz.json", "nothing.gpx", "x.yaml"]),
    "format": st.sampled_from(["csv", "json", "auto", "gpx", "strava"]),
}


def call_data(
    fields: list[str], entry_key: str, entry_id: str, *, json: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """Return call data: any keys with any values, or the call's own fields.

    Own fields mostly get plausible values, so that one bad value among good
    ones reaches the checks behind the schema.
    """
    values = JSON_VALUES if json else VALUES
    plausible = PLAUSIBLE | (
        {"start": JSON_TIMES, "end": JSON_TIMES, "time": JSON_TIMES} if json else {}
    )
    keys = [*fields, entry_key, "bogus"]
    anything = st.dictionaries(st.sampled_from(keys), values, max_size=6)
    own = st.fixed_dictionaries(
        {},
        optional={
            entry_key: st.just(entry_id) | values,
            **{
                field: st.one_of(plausible[field], plausible[field], values)
                for field in fields
                if field != entry_key
            },
        },
    )
    return anything | own


class LogWatch(logging.Handler):
    """Collect what would show a bug in the log: tracebacks and unknown errors."""

    def __init__(self) -> None:
        """Watch warnings and errors."""
        super().__init__(logging.WARNING)
        self.bad: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep a record that shows a bug."""
        text = record.getMessage()
        if (
            record.exc_info
            or "unknown_error" in text
            or "Unknown error" in text
            or "never retrieved" in text
            or (
                record.levelno >= logging.ERROR
                and record.name.startswith("custom_components.run_wellbeing")
            )
        ):
            self.bad.append(f"{record.name}: {text[:300]}")


@pytest.fixture
def log_watch() -> Any:
    watch = LogWatch()
    root = logging.getLogger()
    root.addHandler(watch)
    yield watch
    root.removeHandler(watch)


def in_loop(
    hass: HomeAssistant,
    strategy: st.SearchStrategy[dict[str, Any]],
    attempt: Callable[[dict[str, Any], bool], Coroutine[Any, Any, None]],
) -> Callable[..., None]:
    """Return a Hypothesis test that runs each attempt on Home Assistant's loop."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=strategy, flag=st.booleans())
    def run(data: dict[str, Any], flag: bool) -> None:
        asyncio.run_coroutine_threadsafe(attempt(data, flag), hass.loop).result(
            timeout=30
        )

    return run


async def assert_profile_survives(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Reload the profile: it keeps what was accepted, and its sensors agree."""
    await hass.async_block_till_done()
    accepted = entry.runtime_data.history.as_dict()
    assert await hass.config_entries.async_reload(entry.entry_id)
    assert entry.runtime_data.history.as_dict() == accepted
    runs = [s for s in accepted["sessions"] if s["activity"] == "run"]
    state = hass.states.get("sensor.alex_total_runs")
    assert state is not None
    assert state.state == str(len(runs))


def test_every_action_and_command_is_fuzzed() -> None:
    """A new action or card command cannot slip past the fuzz test."""
    assert len(ACTIONS) == 9
    source = (SERVICES_YAML.parent / "websocket.py").read_text()
    for command in COMMANDS:
        assert f'"run_wellbeing/{command}"' in source
    assert source.count('"run_wellbeing/') == len(COMMANDS)


@pytest.mark.parametrize("action", list(ACTIONS))
async def test_actions_refuse_in_words_or_work(
    hass: HomeAssistant, alex: MockConfigEntry, log_watch: LogWatch, action: str
) -> None:
    coordinator = alex.runtime_data
    strategy = call_data(ACTIONS[action], "config_entry_id", alex.entry_id)

    async def attempt(call: dict[str, Any], respond: bool) -> None:
        before = coordinator.history.as_dict()
        try:
            await hass.services.async_call(
                DOMAIN, action, call, blocking=True, return_response=respond
            )
        except vol.Invalid:
            assert coordinator.history.as_dict() == before
        except ServiceValidationError as err:
            refused = err
            assert coordinator.history.as_dict() == before
            assert refused.translation_key != "unknown_error"
        # Whatever happened, the profile still computes and answers.
        coordinator.async_publish()
        assert not log_watch.bad, (call, log_watch.bad)

    await hass.async_add_executor_job(in_loop(hass, strategy, attempt))
    await assert_profile_survives(hass, alex)


@pytest.mark.parametrize("command", list(COMMANDS))
async def test_card_commands_refuse_in_words_or_work(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    log_watch: LogWatch,
    command: str,
) -> None:
    coordinator = alex.runtime_data
    client = await hass_ws_client(hass)
    strategy = call_data(COMMANDS[command], "entry_id", alex.entry_id, json=True)

    ids = itertools.count(1)

    async def answer(msg: dict[str, Any]) -> dict[str, Any]:
        message_id = next(ids)
        await client.send_json({**msg, "id": message_id})
        while True:
            response: dict[str, Any] = await client.receive_json()
            if response["id"] == message_id and response["type"] == "result":
                return response

    if command == "update_session":
        # Edits reach the checks behind the lookup only for a real session.
        session = await coordinator.async_log_session(duration=1800.0, note="x")
        real_id = session.id

    async def attempt(data: dict[str, Any], _: bool) -> None:
        if command == "update_session" and isinstance(data.get("record_id"), str):
            data = {**data, "record_id": real_id}
        msg = {"type": f"run_wellbeing/{command}", **data}
        before = coordinator.history.as_dict()
        response = await answer(msg)
        if response["success"]:
            if command == "subscribe":
                unsubscribe = {
                    "type": "unsubscribe_events",
                    "subscription": response["id"],
                }
                assert (await answer(unsubscribe))["success"]
        else:
            assert response["error"]["code"] in REFUSAL_CODES, (msg, response)
            assert coordinator.history.as_dict() == before
        assert not log_watch.bad, (msg, log_watch.bad)

    try:
        await hass.async_add_executor_job(in_loop(hass, strategy, attempt))
    finally:
        await client.close()
    await assert_profile_survives(hass, alex)


async def test_too_old_start_is_refused(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """A start before any plausible run is refused, not stored to break the stats."""
    start = datetime(1, 1, 1, 1, tzinfo=UTC) + timedelta(minutes=30)
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "log_run", {"start": start.isoformat()}, blocking=True
        )
    assert alex.runtime_data.history.sessions == {}


@pytest.mark.parametrize(
    ("action", "data", "translation_key"),
    [
        ("log_run", {"distance": "1e999"}, "invalid_distance"),
        ("log_run", {"distance": 1001}, "invalid_distance"),
        ("log_run", {"start": "2099-01-01T00:00:00+00:00"}, "time_in_future"),
        ("log_run", {"start": "2999-01-01T00:00:00+00:00"}, "invalid_start"),
        ("log_run", {"start": "1850-06-01T07:00:00+00:00"}, "invalid_start"),
        ("log_mood", {"mood": 5, "time": "2099-01-01T00:00:00"}, "time_in_future"),
        ("log_mood", {"mood": 5, "time": "2999-01-01T00:00:00"}, "invalid_time"),
        ("log_mood", {"mood": 5, "time": "1899-12-31T23:00:00"}, "invalid_time"),
        ("delete_record", {"record_id": "nothing-here"}, "record_not_found"),
    ],
)
async def test_values_the_schema_lets_through_get_a_translated_error(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    action: str,
    data: dict[str, Any],
    translation_key: str,
) -> None:
    """Past the schema, the profile's own checks say what is wrong, in words."""
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(DOMAIN, action, data, blocking=True)
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == translation_key
    assert alex.runtime_data.history.as_dict()["sessions"] == []
    assert alex.runtime_data.history.as_dict()["moods"] == []
