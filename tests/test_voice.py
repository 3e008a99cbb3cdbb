"""Talking to Assist: the built-in agent, the intents and the LLM tools."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import conversation
from homeassistant.components.conversation.agent_manager import get_agent_manager
from homeassistant.const import CONF_NAME
from homeassistant.core import Context, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import chat_session, intent, llm
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_fire_time_changed,
)

from custom_components.run_wellbeing.config_flow import sectioned
from custom_components.run_wellbeing.const import DOMAIN
from custom_components.run_wellbeing.coordinator import RunWellbeingCoordinator
from custom_components.run_wellbeing.core.models import Activity, Source
from custom_components.run_wellbeing.voice.llm import async_get_tools
from custom_components.run_wellbeing.voice.replies import next_run_speech

from .conftest import ProfileFactory

NOW = "2026-11-25 08:00:00+01:00"  # a Wednesday; the week started Monday 23rd


@pytest.fixture
def add_profile(add_profile: ProfileFactory) -> ProfileFactory:
    """Add profiles that do not ask for the mood after a run (third edition's is).

    These are the first and second edition's answers, word for word; the
    question after a run is tested in test_voice_speaker.py.
    """

    async def _add(name: str = "Alex", **options: Any) -> MockConfigEntry:
        return await add_profile(name, **({"ask_mood_after_run": False} | options))

    return _add


@pytest.fixture
async def assist(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Set up Assist's built-in agent, as default_config does."""
    freezer.move_to(NOW)
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()


@pytest.fixture
async def us_customary(hass: HomeAssistant) -> None:
    """Use miles, as homes with US customary units do."""
    await hass.config.async_update(unit_system="us_customary")


async def say(
    hass: HomeAssistant, text: str, context: Context | None = None
) -> intent.IntentResponse:
    """Say something to the built-in agent and return its answer."""
    return (await converse(hass, text, context=context)).response


async def converse(
    hass: HomeAssistant,
    text: str,
    language: str = "en",
    context: Context | None = None,
    conversation_id: str | None = None,
) -> conversation.ConversationResult:
    """Say something once profile changes reached the agent; return the result."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))
    await hass.async_block_till_done()
    return await conversation.async_converse(
        hass, text, conversation_id, context or Context(), language=language
    )


def speech(response: intent.IntentResponse) -> str:
    """Return what Assist says."""
    return str(response.speech["plain"]["speech"])


def coordinator(entry: MockConfigEntry) -> RunWellbeingCoordinator:
    """Return the profile's coordinator."""
    runtime: RunWellbeingCoordinator = entry.runtime_data
    return runtime


def only_session(entry: MockConfigEntry) -> dict[str, Any]:
    """Return the one stored session, as stored."""
    sessions = list(coordinator(entry).history.sessions.values())
    assert len(sessions) == 1
    return sessions[0].as_dict()


def nothing_stored(entry: MockConfigEntry) -> bool:
    """Return whether the profile holds no session and no mood entry."""
    history = coordinator(entry).history
    return not history.sessions and not history.moods


@pytest.mark.parametrize(
    ("text", "answer", "stored"),
    [
        (
            "I ran 5 kilometres",
            "Logged a 5 kilometre run. That's 1 of 3 this week.",
            {"activity": "run", "distance": 5000.0, "duration": None},
        ),
        (
            "I ran five kilometres",
            "Logged a 5 kilometre run. That's 1 of 3 this week.",
            {"activity": "run", "distance": 5000.0},
        ),
        (
            "log a 30 minute run",
            "Logged a 30 minute run. That's 1 of 3 this week.",
            {"activity": "run", "duration": 1800.0, "distance": None},
        ),
        (
            "log a thirty minute run",
            "Logged a 30 minute run. That's 1 of 3 this week.",
            {"activity": "run", "duration": 1800.0},
        ),
        (
            "I went for a 4 mile walk",
            "Logged a 4 mile walk.",
            {"activity": "walk", "distance": pytest.approx(6437.376)},
        ),
        (
            "I went for a four mile walk",
            "Logged a 4 mile walk.",
            {"activity": "walk", "distance": pytest.approx(6437.376)},
        ),
        (
            "I ran 8 km in 45 minutes",
            "Logged an 8 kilometre run in 45 minutes. That's 1 of 3 this week.",
            {"distance": 8000.0, "duration": 2700.0},
        ),
        (
            "I ran five point five kilometres and feel 8 out of 10",
            (
                "Logged a 5.5 kilometre run and a mood of 8 out of 10. "
                "That's 1 of 3 this week."
            ),
            {"distance": 5500.0, "mood_after": 8},
        ),
        (
            "I did a 5k run",
            "Logged a 5 kilometre run. That's 1 of 3 this week.",
            {"distance": 5000.0},
        ),
        (
            "I just went running for forty minutes",
            "Logged a 40 minute run. That's 1 of 3 this week.",
            {"activity": "run", "duration": 2400.0},
        ),
        (
            "I went for a run of 3.1 miles today",
            "Logged a 3.1 mile run. That's 1 of 3 this week.",
            {"activity": "run", "distance": pytest.approx(4988.9664)},
        ),
        (
            "I cycled twenty kilometres",
            "Logged a 20 kilometre bike ride.",
            {"activity": "cycle", "distance": 20000.0},
        ),
        (
            "log a 45 minute yoga session",
            "Logged a 45 minute yoga session.",
            {"activity": "yoga", "duration": 2700.0},
        ),
        (
            "I swam 800 metres",
            "Logged an 800 metre swim.",
            {"activity": "swim", "distance": 800.0},
        ),
    ],
)
@pytest.mark.usefixtures("assist")
async def test_log_run_sentences(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    text: str,
    answer: str,
    stored: dict[str, Any],
) -> None:
    """Runs said with digits or words are stored as said, from voice."""
    response = await say(hass, text)
    assert speech(response) == answer
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    session = only_session(alex)
    assert session | stored == session
    assert session["source"] == Source.VOICE
    # A session is told once it is over: it started its duration ago.
    ended = dt_util.parse_datetime(session["start"]) + timedelta(
        seconds=session["duration"] or 0
    )
    assert ended == dt_util.parse_datetime(NOW)


@pytest.mark.parametrize(
    ("text", "mood"),
    [
        ("log my mood as 7", 7),
        ("log my mood as seven", 7),
        ("I feel 3 out of 10", 3),
        ("I feel three out of ten", 3),
        ("I'm feeling 6 out of 10", 6),
        ("my mood is a ten", 10),
    ],
)
@pytest.mark.usefixtures("assist")
async def test_log_mood_sentences(
    hass: HomeAssistant, alex: MockConfigEntry, text: str, mood: int
) -> None:
    """A mood said with digits or words is stored for now."""
    response = await say(hass, text)
    assert speech(response) == f"Logged your mood as {mood} out of 10."
    moods = list(coordinator(alex).history.moods.values())
    assert [(m.mood, m.time) for m in moods] == [(mood, dt_util.utcnow())]
    last_mood = hass.states.get("sensor.alex_last_mood")
    assert last_mood is not None
    assert last_mood.state == str(mood)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("log my mood as 15", "Mood must be a whole number from 1 to 10, not 15."),
        ("log my mood as zero", "Mood must be a whole number from 1 to 10, not 0."),
        ("I feel 11 out of 10", "Mood must be a whole number from 1 to 10, not 11."),
        ("log my mood as 6.5", "Mood must be a whole number from 1 to 10, not 6.5."),
        ("I ran minus 3 km", "Distance must be between 0 and 1000 km."),
        ("I ran minus three kilometres", "Distance must be between 0 and 1000 km."),
        ("I ran -3 km", "Distance must be between 0 and 1000 km."),
        (
            "log a 0 minute run",
            "Duration must be more than 0 and at most 1440 minutes (24 hours).",
        ),
        (
            "I ran 5 km and feel 12 out of 10",
            "Mood must be a whole number from 1 to 10, not 12.",
        ),
    ],
)
@pytest.mark.usefixtures("assist")
async def test_bad_input_is_refused_aloud(
    hass: HomeAssistant, alex: MockConfigEntry, text: str, answer: str
) -> None:
    """A bad number is heard, refused with the reason, and nothing is stored."""
    response = await say(hass, text)
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == answer
    assert nothing_stored(alex)
    runs = hass.states.get("sensor.alex_runs_this_week")
    assert runs is not None
    assert runs.state == "0"


@pytest.mark.usefixtures("assist", "us_customary")
async def test_imperial_home_hears_miles(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """Miles are stored as metres, and the week's distance is said in miles."""
    response = await say(hass, "I ran 3 miles")
    assert speech(response) == "Logged a 3 mile run. That's 1 of 3 this week."
    assert only_session(alex)["distance"] == pytest.approx(4828.032)
    await say(hass, "I ran 5 kilometres")
    response = await say(hass, "how many runs this week")
    assert speech(response) == (
        "You've done 2 of 3 runs this week. That's 6.1 miles in total."
    )


@pytest.mark.usefixtures("assist")
async def test_week_progress(hass: HomeAssistant, alex: MockConfigEntry) -> None:
    """The week's count, goal and distance, and the goal being reached."""
    response = await say(hass, "how many runs this week")
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == "You've done 0 of 3 runs this week."
    await say(hass, "I ran 5 km")
    await say(hass, "log a 30 minute run")
    response = await say(hass, "I ran 4.5 km")
    assert speech(response) == (
        "Logged a 4.5 kilometre run. That's 3 of 3 this week. Weekly goal reached!"
    )
    assert speech(await say(hass, "how many runs did I do this week")) == (
        "You've done 3 of 3 runs this week. That's 9.5 kilometres in total. "
        "Weekly goal reached!"
    )
    response = await say(hass, "I ran for 20 minutes")
    assert speech(response) == (
        "Logged a 20 minute run. That's 4 this week, more than your goal of 3."
    )
    response = await say(hass, "What's my weekly progress?")
    assert speech(response) == (
        "You've done 4 runs this week, more than your goal of 3. "
        "That's 9.5 kilometres in total."
    )
    assert nothing_stored(alex) is False


@pytest.mark.usefixtures("assist")
async def test_streak(hass: HomeAssistant, add_profile: ProfileFactory) -> None:
    """The streak in weeks, and what keeps it going this week."""
    entry = await add_profile("Alex", weekly_goal=1)
    response = await say(hass, "what is my running streak")
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == (
        "You have no streak yet. Reach your goal of 1 run this week to start one."
    )
    now = dt_util.utcnow()
    for weeks in range(1, 5):
        await coordinator(entry).async_log_session(start=now - timedelta(weeks=weeks))
    response = await say(hass, "What's my running streak?")
    assert speech(response) == (
        "Your streak is 4 weeks. 1 more run this week will keep it going."
    )
    await say(hass, "I ran 5 km")
    assert speech(await say(hass, "how long is my streak")) == "Your streak is 5 weeks."


@pytest.mark.usefixtures("assist")
async def test_next_run(hass: HomeAssistant, alex: MockConfigEntry) -> None:
    """Without plans no run is planned; with one, its local day and time."""
    response = await say(hass, "when is my next run")
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == "No run is planned."
    runs = coordinator(alex)
    tomorrow = dt_util.parse_datetime("2026-11-26 07:00:00+01:00")
    runs.data = replace(runs.data, next_planned_run=tomorrow)
    assert speech(await say(hass, "When's my next run?")) == (
        "Your next run is tomorrow at 7:00."
    )


def test_next_run_speech(hass: HomeAssistant, time_zone: str) -> None:
    """Today, tomorrow, a weekday within the week, then a date; local time."""
    now = dt_util.parse_datetime("2026-11-25 23:30:00+01:00")
    assert now is not None

    def at(text: str) -> str:
        return next_run_speech(dt_util.parse_datetime(text), now)

    assert at("2026-11-25 23:45:00+01:00") == "Your next run is today at 23:45."
    assert at("2026-11-25 23:15:00+00:00") == "Your next run is tomorrow at 0:15."
    assert at("2026-11-30 18:05:00+01:00") == "Your next run is on Monday at 18:05."
    assert at("2026-12-02 07:00:00+01:00") == (
        "Your next run is on Wednesday 2 December at 7:00."
    )


@pytest.mark.usefixtures("assist")
async def test_conversation_process_action(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """The conversation.process action reaches the same handlers."""
    result = await hass.services.async_call(
        "conversation",
        "process",
        {"text": "I ran five kilometres", "language": "en"},
        blocking=True,
        return_response=True,
    )
    assert result is not None
    response: Any = result["response"]
    assert response["speech"]["plain"]["speech"] == (
        "Logged a 5 kilometre run. That's 1 of 3 this week."
    )
    assert only_session(alex)["source"] == "voice"


async def test_conversation_set_up_first(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    """The sentences work whichever of the two integrations loads first."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    # Load the default agent's English intents before ours arrive.
    assert speech(await say(hass, "I ran 5 km")) != "Logged a 5 kilometre run."
    entry = await add_profile("Alex")
    assert speech(await say(hass, "I ran 5 km")) == (
        "Logged a 5 kilometre run. That's 1 of 3 this week."
    )
    assert only_session(entry)["distance"] == 5000.0


async def test_conversation_set_up_later(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """Profiles loaded before Assist get their sentences once it loads."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()
    assert speech(await say(hass, "I ran 5 km for Alex")) == (
        "Logged a 5 kilometre run for Alex. That's 1 of 3 this week."
    )


@pytest.mark.usefixtures("assist")
async def test_handled_locally_before_an_llm(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """With "prefer handling commands locally", our sentences skip the LLM."""
    user_input = conversation.ConversationInput(
        text="I ran 5 km",
        context=Context(),
        conversation_id=None,
        device_id=None,
        satellite_id=None,
        language="en",
        agent_id="conversation.some_llm",
    )
    with (
        chat_session.async_get_chat_session(hass) as session,
        conversation.async_get_chat_log(hass, session, user_input) as chat_log,
    ):
        response = await conversation.async_handle_intents(hass, user_input, chat_log)
    assert response is not None
    assert speech(response) == "Logged a 5 kilometre run. That's 1 of 3 this week."
    assert only_session(alex)["distance"] == 5000.0


@pytest.mark.usefixtures("assist")
async def test_sentence_triggers_still_work(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """A user's own sentence trigger and our sentences live side by side."""

    async def answer(*_args: Any) -> str:
        return "Trigger heard"

    manager = get_agent_manager(hass)
    unregister = manager.register_trigger(["I ran a marathon"], answer)
    assert speech(await say(hass, "I ran a marathon")) == "Trigger heard"
    assert speech(await say(hass, "I ran 42 km")) == (
        "Logged a 42 kilometre run. That's 1 of 3 this week."
    )
    unregister()


@pytest.mark.usefixtures("assist")
async def test_survives_conversation_reload(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """conversation.reload re-reads YAML intents; ours stay, and theirs work too."""

    class YamlIntent(intent.IntentHandler):
        intent_type = "UserYamlIntent"

        async def async_handle(
            self, intent_obj: intent.Intent
        ) -> intent.IntentResponse:
            response = intent_obj.create_response()
            response.async_set_speech("Yaml intent")
            return response

    intent.async_register(hass, YamlIntent())
    yaml = {
        "conversation": {
            "intents": {
                "UserYamlIntent": ["my own sentence"],
                "RunWellbeingGetStreak": ["streak please"],
            }
        }
    }
    with patch(
        "homeassistant.components.conversation.services.async_integration_yaml_config",
        return_value=yaml,
    ):
        await hass.services.async_call("conversation", "reload", {}, blocking=True)
    assert speech(await say(hass, "my own sentence")) == "Yaml intent"
    # Their sentences for our intents add to ours.
    assert speech(await say(hass, "streak please")).startswith("You have no streak")
    assert speech(await say(hass, "what's my streak")).startswith("You have no")
    assert (
        speech(await say(hass, "log my mood as 4"))
        == "Logged your mood as 4 out of 10."
    )


@pytest.fixture
async def people(hass: HomeAssistant, hass_admin_user: MockUser) -> MockUser:
    """Two people; Alex is the logged-in admin user."""
    assert await async_setup_component(
        hass,
        "person",
        {
            "person": [
                {"id": "alex", "name": "Alex", "user_id": hass_admin_user.id},
                {"id": "sam", "name": "Sam"},
            ]
        },
    )
    return hass_admin_user


@pytest.mark.usefixtures("assist")
async def test_several_profiles(
    hass: HomeAssistant, add_profile: ProfileFactory, people: MockUser
) -> None:
    """The speaker's linked profile is used; unknown speakers are asked whose."""
    alex = await add_profile("Alex", person="person.alex")
    sam = await add_profile("Sam", person="person.sam")

    response = await say(hass, "I ran 5 km")
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == "Who is this for, Alex or Sam?"
    assert nothing_stored(alex)
    assert nothing_stored(sam)

    alex_speaks = Context(user_id=people.id)
    response = await say(hass, "I ran 5 km", alex_speaks)
    assert speech(response) == "Logged a 5 kilometre run. That's 1 of 3 this week."
    assert only_session(alex)["distance"] == 5000.0
    assert nothing_stored(sam)

    response = await say(hass, "I ran 3 km for Sam")
    assert speech(response) == (
        "Logged a 3 kilometre run for Sam. That's 1 of 3 this week."
    )
    assert only_session(sam)["distance"] == 3000.0
    response = await say(hass, "log Sam's mood as 6")
    assert speech(response) == "Logged Sam's mood as 6 out of 10."
    assert [m.mood for m in coordinator(sam).history.moods.values()] == [6]
    assert speech(await say(hass, "what is Sam's running streak")) == (
        "You have no streak yet. Reach your goal of 3 runs this week to start one."
    )
    assert speech(await say(hass, "how many runs this week for alex")) == (
        "You've done 1 of 3 runs this week. That's 5 kilometres in total."
    )


@pytest.mark.usefixtures("assist")
async def test_single_profile_of_someone_else(
    hass: HomeAssistant, add_profile: ProfileFactory, people: MockUser
) -> None:
    """A known speaker never logs into another person's only profile."""
    sam = await add_profile("Sam", person="person.sam")
    response = await say(hass, "log my mood as 5", Context(user_id=people.id))
    assert speech(response) == (
        "The only Run Wellbeing profile belongs to Sam, and it is not linked to you."
    )
    assert nothing_stored(sam)
    # Without a known speaker, the only profile is the one meant.
    await say(hass, "log my mood as 5")
    assert [m.mood for m in coordinator(sam).history.moods.values()] == [5]


@pytest.mark.usefixtures("assist")
async def test_profiles_follow_setup_and_unload(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    """Names in sentences follow the loaded profiles; none loaded is said so."""
    alex = await add_profile("Alex")
    sam = await add_profile("Sam")
    assert await hass.config_entries.async_unload(sam.entry_id)
    await hass.async_block_till_done()
    response = await say(hass, "I ran 5 km for Sam")
    assert response.response_type is intent.IntentResponseType.ERROR
    assert nothing_stored(alex)
    assert speech(await say(hass, "I ran 5 km")).startswith("Logged a 5 kilometre")
    assert await hass.config_entries.async_unload(alex.entry_id)
    await hass.async_block_till_done()
    response = await say(hass, "log my mood as 5")
    assert speech(response) == "No Run Wellbeing profile is set up yet."


async def handle(
    hass: HomeAssistant, intent_type: str, context: Context | None = None, **slots: Any
) -> intent.IntentResponse:
    """Call an intent as an LLM agent or automation would, with raw slots."""
    return await intent.async_handle(
        hass,
        "test",
        intent_type,
        {name: {"value": value} for name, value in slots.items()},
        context=context,
    )


@pytest.mark.parametrize(
    ("slots", "answer"),
    [
        ({"distance": "far"}, "I didn't understand the distance far."),
        (
            {"distance": 5, "distance_unit": "furlong"},
            "I don't know the distance unit furlong.",
        ),
        ({"duration": 20, "activity": "skate"}, "I don't know the activity skate."),
        ({"distance": -2}, "Distance must be between 0 and 1000 km."),
        ({"distance": 1200}, "Distance must be between 0 and 1000 km."),
        (
            {"duration": 1500},
            "Duration must be more than 0 and at most 1440 minutes (24 hours).",
        ),
        (
            {"duration": 30, "mood": 7.5},
            "Mood must be a whole number from 1 to 10, not 7.5.",
        ),
        (
            {"duration": 30, "profile": "Bob"},
            "There is no Run Wellbeing profile called Bob. The profiles are Alex.",
        ),
    ],
)
@pytest.mark.usefixtures("assist")
async def test_log_run_intent_refusals(
    hass: HomeAssistant, alex: MockConfigEntry, slots: dict[str, Any], answer: str
) -> None:
    """Whatever an LLM passes, bad values are refused in words."""
    response = await handle(hass, "RunWellbeingLogRun", **slots)
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == answer
    assert nothing_stored(alex)


@pytest.mark.usefixtures("assist")
async def test_intents_without_sentences(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """Defaults: a run, in the home's unit; the mood is needed."""
    response = await handle(hass, "RunWellbeingLogRun", distance="2.5", profile="alex")
    assert speech(response) == (
        "Logged a 2.5 kilometre run for Alex. That's 1 of 3 this week."
    )
    assert only_session(alex)["activity"] == Activity.RUN
    response = await handle(hass, "RunWellbeingLogMood")
    assert speech(response) == "From 1 to 10, how are you feeling?"
    assert not coordinator(alex).history.moods


@pytest.fixture
def llm_context() -> llm.LLMContext:
    """Return what an LLM conversation agent passes to the Assist API."""
    return llm.LLMContext(
        platform="test",
        context=Context(),
        language="en",
        assistant="conversation",
        device_id=None,
    )


@pytest.mark.usefixtures("assist")
async def test_llm_tools(
    hass: HomeAssistant, add_profile: ProfileFactory, llm_context: llm.LLMContext
) -> None:
    """The Assist API offers the intents with their slots as tools."""
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, llm_context)
    assert not [tool for tool in api.tools if tool.name.startswith(DOMAIN)]
    assert async_get_tools(hass, llm_context, "other_api") is None

    await add_profile("Alex")
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, llm_context)
    tools = {tool.name: tool for tool in api.tools if tool.name.startswith(DOMAIN)}
    assert set(tools) == {
        "run_wellbeing__RunWellbeingLogRun",
        "run_wellbeing__RunWellbeingLogMood",
        "run_wellbeing__RunWellbeingGetStreak",
        "run_wellbeing__RunWellbeingGetWeek",
        "run_wellbeing__RunWellbeingGetNextRun",
        "run_wellbeing__RunWellbeingGetDistance",
        "run_wellbeing__RunWellbeingGetDuration",
        "run_wellbeing__RunWellbeingGetRanToday",
        "run_wellbeing__RunWellbeingGetMoodScore",
        "run_wellbeing__RunWellbeingGetMoodLift",
        "run_wellbeing__RunWellbeingGetOnTrack",
        "run_wellbeing__RunWellbeingGetLongestStreak",
        "run_wellbeing__RunWellbeingUndo",
    }
    assert "run_wellbeing tools" in api.api_prompt

    def schema(name: str) -> dict[str, Any]:
        tool = tools[f"run_wellbeing__{name}"]
        assert tool.description
        return dict(
            vol.to_openapi(tool.parameters, custom_serializer=api.custom_serializer)
        )

    log_run = schema("RunWellbeingLogRun")
    assert set(log_run["properties"]) == {
        "profile",
        "distance",
        "distance_unit",
        "duration",
        "activity",
        "mood",
    }
    assert log_run["properties"]["distance_unit"]["enum"] == ["km", "mi", "m"]
    assert "required" not in log_run
    log_mood = schema("RunWellbeingLogMood")
    assert log_mood["required"] == ["mood"]
    assert (
        log_mood["properties"]["mood"] | {"minimum": 1, "maximum": 10}
        == (log_mood["properties"]["mood"])
    )
    assert schema("RunWellbeingGetStreak")["properties"]["profile"]["enum"] == ["Alex"]

    # The LLM can name a profile, from the loaded profiles.
    await add_profile("Sam")
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, llm_context)
    tools = {tool.name: tool for tool in api.tools if tool.name.startswith(DOMAIN)}
    assert schema("RunWellbeingGetWeek")["properties"]["profile"]["enum"] == [
        "Alex",
        "Sam",
    ]


@pytest.mark.usefixtures("assist", "us_customary")
async def test_llm_calls_tool(
    hass: HomeAssistant, alex: MockConfigEntry, llm_context: llm.LLMContext
) -> None:
    """An LLM logging a run without a unit gets the home's unit: miles here."""
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, llm_context)
    result = await api.async_call_tool(
        llm.ToolInput(
            tool_name="run_wellbeing__RunWellbeingLogRun",
            tool_args={"distance": 2, "activity": "walk", "mood": 8},
        )
    )
    data: Any = result.data
    assert data["speech"]["plain"]["speech"] == (
        "Logged a 2 mile walk and a mood of 8 out of 10."
    )
    session = only_session(alex)
    assert session["distance"] == pytest.approx(3218.688)
    assert session["mood_after"] == 8
    assert session["source"] == "voice"


async def test_options_link_person(hass: HomeAssistant, alex: MockConfigEntry) -> None:
    """The options flow links a profile to a person, and can unlink it."""
    result = await hass.config_entries.options.async_init(alex.entry_id)
    assert result["type"] is FlowResultType.FORM
    schema = result["data_schema"]
    assert schema is not None
    assert "person" in schema.schema["person_and_voice"].schema.schema
    user_input = dict(alex.options) | {"person": "person.alex"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], sectioned(hass, user_input)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert alex.options["person"] == "person.alex"
    result = await hass.config_entries.options.async_init(alex.entry_id)
    user_input = {k: v for k, v in alex.options.items() if k != "person"}
    await hass.config_entries.options.async_configure(
        result["flow_id"], sectioned(hass, user_input)
    )
    assert "person" not in alex.options
    assert alex.data[CONF_NAME] == "Alex"


def test_marks_blocks_as_conversation_does() -> None:
    """Our blocks carry the metadata key conversation reads for custom files."""
    from homeassistant.components.conversation.const import METADATA_CUSTOM_FILE

    from custom_components.run_wellbeing.voice.sentences import METADATA_FILE

    assert METADATA_FILE == METADATA_CUSTOM_FILE


@pytest.mark.usefixtures("assist")
async def test_english_numbers_in_another_language(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """The agent adds our sentences to every language; the reply follows it."""
    result = await conversation.async_converse(
        hass, "I ran five kilometres", None, Context(), language="de"
    )
    assert speech(result.response) == (
        "Lauf gespeichert: 5 Kilometer. Das ist Nummer 1 von 3 diese Woche."
    )


@pytest.mark.usefixtures("assist")
async def test_plain_rename_is_heard_at_once(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    """The ⋮ Rename changes only the title; the agent hears the new name."""
    await add_profile("Alex")
    sam = await add_profile("Sam")
    hass.config_entries.async_update_entry(sam, title="Samuel")
    await hass.async_block_till_done()
    response = await say(hass, "I ran 3 km for Samuel")
    assert speech(response) == (
        "Logged a 3 kilometre run for Samuel. That's 1 of 3 this week."
    )
    assert only_session(sam)["distance"] == 3000.0
    response = await say(hass, "I ran 3 km for Sam")
    assert response.response_type is intent.IntentResponseType.ERROR
    assert len(coordinator(sam).history.sessions) == 1


@pytest.mark.usefixtures("assist")
async def test_several_profiles_update_the_agent_once(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    """Profiles added together give the agent their names in one update."""
    named: list[list[str]] = []

    def given(update: dict[Any, Any]) -> None:
        """Note the profile names an update gives the agent, as it happens."""
        if (config := update.get("config")) is None:
            return
        if (log_run := config["intents"].get("RunWellbeingLogRun")) is None:
            return
        if names := log_run["data"][0]["lists"]["profile"]["values"]:
            named.append(list(names))

    get_agent_manager(hass).subscribe_intents(given)
    for name in ("Alex", "Sam", "Kim"):
        await add_profile(name)
    await hass.async_block_till_done()
    assert named == []
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))
    await hass.async_block_till_done()
    assert named == [["Alex", "Kim", "Sam"]]


@pytest.mark.usefixtures("assist")
async def test_undo_by_voice(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: MockUser,
) -> None:
    """Undo removes the newest record of the last 15 minutes and says which."""
    assert speech(await say(hass, "undo that")) == "There is nothing recent to undo."
    await say(hass, "I ran 5 km")
    freezer.tick(timedelta(minutes=1))
    await say(hass, "log my mood as 7")
    assert speech(await say(hass, "that was wrong")) == (
        "Removed the mood of 7 out of 10."
    )
    assert not coordinator(alex).history.moods
    assert speech(await say(hass, "delete my last run")) == (
        "Removed a 5 kilometre run."
    )
    assert nothing_stored(alex)
    await coordinator(alex).async_plan_run(
        start=dt_util.parse_datetime("2026-11-26 18:00:00+01:00")
    )
    assert speech(await say(hass, "undo")) == (
        "Removed the planned run on Thursday at 18:00."
    )
    await say(hass, "I went for a 20 minute walk")
    freezer.tick(timedelta(minutes=15, seconds=1))
    assert speech(await say(hass, "undo that")) == "There is nothing recent to undo."
    assert len(coordinator(alex).history.sessions) == 1


@pytest.mark.usefixtures("assist")
async def test_undo_refused_to_someone_else(
    hass: HomeAssistant, add_profile: ProfileFactory, hass_read_only_user: MockUser
) -> None:
    """A user who may not manage the profile cannot undo its records."""
    alex = await add_profile("Alex")
    await say(hass, "I ran 5 km")
    response = await say(hass, "undo that", Context(user_id=hass_read_only_user.id))
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == (
        "Only Alex, or an administrator, can remove Alex's records."
    )
    assert len(coordinator(alex).history.sessions) == 1


@pytest.mark.usefixtures("assist")
async def test_mood_follow_up_for_a_named_profile(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    """The question names the person, and the answer goes to that profile."""
    await add_profile("Alex")
    sam = await add_profile("Sam")
    asked = await converse(hass, "I'm feeling low for Sam")
    assert speech(asked.response) == "From 1 to 10, how is Sam feeling?"
    assert asked.response.response_type is intent.IntentResponseType.QUERY_ANSWER
    answered = await converse(hass, "four", conversation_id=asked.conversation_id)
    assert speech(answered.response) == "Logged Sam's mood as 4 out of 10."
    assert [m.mood for m in coordinator(sam).history.moods.values()] == [4]
    again = await converse(hass, "five", conversation_id=asked.conversation_id)
    assert again.response.response_type is intent.IntentResponseType.QUERY_ANSWER


@pytest.mark.usefixtures("assist")
async def test_unanswered_mood_question_expires(
    hass: HomeAssistant, alex: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """An answer after 5 minutes stores nothing; old questions are dropped."""
    asked = await converse(hass, "I feel great")
    freezer.tick(timedelta(minutes=6))
    await converse(hass, "I'm feeling low")
    late = await converse(hass, "seven", conversation_id=asked.conversation_id)
    assert late.response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(late.response).startswith("I didn't ask for a number.")
    assert nothing_stored(alex)


@pytest.mark.usefixtures("assist")
async def test_questions_answered(
    hass: HomeAssistant, alex: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """The new questions, with no data and with some."""
    answers = {
        "how far did I run this week": "No distance is logged this week yet.",
        "how long have I run this week": "No time is logged this week yet.",
        "did I run today": "Not yet: no run logged today.",
        "what is my mood score": "No mood is logged in the last 7 days.",
        "what is my mood lift": (
            "No session in the last 30 days has a mood before and after. "
            "Log both to see the lift."
        ),
        "am I on track this week": (
            "Yes, on track: 3 more runs to go, with 5 days left this week."
        ),
        "what's my longest streak": (
            "The longest streak is 0 weeks, and the longest day streak 0 days."
        ),
    }
    for text, answer in answers.items():
        assert speech(await say(hass, text)) == answer, text
    now = dt_util.utcnow()
    for day in range(3):
        await coordinator(alex).async_log_session(
            start=now - timedelta(days=day, hours=1),
            distance=5000,
            duration=5400,
            mood_before=6,
            mood_after=5,
        )
    answers = {
        "how far did I run this week": "You've covered 15 kilometres this week.",
        "how far did I run this week for Alex": "Alex has covered 15 kilometres this week.",
        "how long have I run this week": (
            "You've spent 4 hours 30 minutes on counted activities this week."
        ),
        "did I run today": "Yes, you have run today.",
        "what is my mood score": (
            "The mood score is 5.5 out of 10 over the last 7 days."
        ),
        "what is my mood lift": (
            "The mood after a run is 1 points lower than before, on average "
            "over 30 days."
        ),
        "am I on track this week": ("Yes: 3 of 3 this week, the goal is reached."),
    }
    for text, answer in answers.items():
        assert speech(await say(hass, text)) == answer, text


@pytest.mark.usefixtures("assist")
async def test_sentences_follow_the_home_language(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """Only languages spoken here are loaded; others would only slow Assist."""
    await hass.config.async_update(language="de")
    result = await converse(hass, "ich bin 5 Kilometer gelaufen", language="de")
    assert speech(result.response).startswith("Lauf gespeichert: 5 Kilometer.")
    result = await converse(hass, "I ran 5 km", language="de")
    assert result.response.response_type is intent.IntentResponseType.ERROR
    await hass.config.async_update(language="ja")
    result = await converse(hass, "I ran 5 km", language="ja")
    assert speech(result.response).startswith("Logged a 5 kilometre run.")
    assert len(coordinator(alex).history.sessions) == 2


@pytest.mark.usefixtures("assist")
async def test_pipeline_languages_are_loaded(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """An Assist pipeline in another language brings its sentences."""
    # Its preferred pipeline is made in the home's language, English here.
    assert await async_setup_component(hass, "assist_pipeline", {})
    await hass.async_block_till_done()
    await hass.config.async_update(language="fr")
    result = await converse(hass, "j'ai couru 5 kilomètres", language="fr")
    assert speech(result.response).startswith("Course enregistrée : 5 kilomètres.")
    result = await converse(hass, "I ran 5 km", language="en")
    assert speech(result.response).startswith("Logged a 5 kilometre run.")
