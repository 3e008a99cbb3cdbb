"""Voice on the speaker (third edition): who is speaking, follow-ups, undo.

Everything goes through Home Assistant's built-in agent. The voice satellite
is an entity of a test platform inheriting AssistSatelliteEntity: it records
what it is asked and said and answers with the next of its `answers` (the
hardware and its speech-to-text are outside the product; the rest is real).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import conversation
from homeassistant.components.assist_pipeline import PipelineEvent
from homeassistant.components.assist_satellite import (
    AssistSatelliteAnnouncement,
    AssistSatelliteConfiguration,
    AssistSatelliteEntity,
    AssistSatelliteEntityFeature,
)
from homeassistant.components.assist_satellite.const import DATA_COMPONENT
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar, entity_registry as er, intent
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_fire_time_changed,
)

from custom_components.run_wellbeing.coordinator import RunWellbeingCoordinator

from .conftest import ProfileFactory

NOW = "2026-11-25 08:00:00+01:00"  # a Wednesday, 8:00
SATELLITE = "assist_satellite.kitchen_speaker"


class Speaker(AssistSatelliteEntity):
    """A voice satellite that records what it is asked and answers from a list."""

    _attr_name = "Kitchen speaker"
    _attr_unique_id = "kitchen-speaker"
    _attr_supported_features = (
        AssistSatelliteEntityFeature.ANNOUNCE
        | AssistSatelliteEntityFeature.START_CONVERSATION
    )

    def __init__(self) -> None:
        """Start with nothing said and nothing to answer."""
        self.answers: list[str] = []
        self.conversations: list[str] = []
        self.announced: list[str] = []

    def async_get_configuration(self) -> AssistSatelliteConfiguration:
        """Return no wake words: the speaker's own business."""
        return AssistSatelliteConfiguration(
            available_wake_words=[], active_wake_words=[], max_active_wake_words=0
        )

    async def async_set_configuration(
        self, config: AssistSatelliteConfiguration
    ) -> None:
        """Accept any configuration."""

    async def _resolve_announcement_media_id(
        self,
        message: str,
        media_id: str | None,
        preannounce_media_id: str | None = None,
    ) -> AssistSatelliteAnnouncement:
        """Skip text-to-speech: the test speaker has no voice, only a record."""
        return AssistSatelliteAnnouncement(
            message=message,
            media_id="media",
            original_media_id="media",
            tts_token=None,
            media_id_source="url",
        )

    def on_pipeline_event(self, event: PipelineEvent) -> None:
        """Ignore pipeline events: no pipeline runs on the test speaker."""

    async def async_announce(self, announcement: AssistSatelliteAnnouncement) -> None:
        """Record what was said."""
        self.announced.append(announcement.message)

    async def async_start_conversation(
        self, start_announcement: AssistSatelliteAnnouncement
    ) -> None:
        """Record the question and hear the next answer, without a wake word."""
        self.conversations.append(start_announcement.message)
        if self._ask_question_future is not None:
            # Silence (None) when nobody answers.
            answer = self.answers.pop(0) if self.answers else None
            self._ask_question_future.set_result(answer)


async def start_assist(hass: HomeAssistant) -> None:
    """Set up Assist's built-in agent, as default_config does."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})


@pytest.fixture
async def speaker(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> Speaker:
    """Set up Assist and a satellite in the kitchen."""
    freezer.move_to(NOW)
    await start_assist(hass)
    entity = Speaker()
    assert await async_setup_component(hass, "assist_satellite", {})
    await hass.data[DATA_COMPONENT].async_add_entities([entity])
    await hass.async_block_till_done()
    assert hass.states.get(SATELLITE) is not None
    return entity


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


@pytest.fixture
async def two(
    add_profile: ProfileFactory, speaker: Speaker, people: MockUser
) -> tuple[MockConfigEntry, MockConfigEntry]:
    """Alex and Sam, each linked to their person."""
    return (
        await add_profile("Alex", person="person.alex"),
        await add_profile("Sam", person="person.sam"),
    )


async def converse(
    hass: HomeAssistant,
    text: str,
    language: str = "en",
    *,
    satellite: bool = False,
    context: Context | None = None,
    conversation_id: str | None = None,
) -> conversation.ConversationResult:
    """Say something to the built-in agent, on the satellite or in the app."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))
    await hass.async_block_till_done()
    result = await conversation.async_converse(
        hass,
        text,
        conversation_id,
        context or Context(),
        language=language,
        satellite_id=SATELLITE if satellite else None,
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    return result


def spoken(result: conversation.ConversationResult) -> str:
    """Return what Assist says."""
    return str(result.response.speech["plain"]["speech"])


def coordinator(entry: MockConfigEntry) -> RunWellbeingCoordinator:
    """Return the profile's coordinator."""
    runtime: RunWellbeingCoordinator = entry.runtime_data
    return runtime


def sessions(entry: MockConfigEntry) -> list[dict[str, Any]]:
    """Return the stored sessions, as stored."""
    return [s.as_dict() for s in coordinator(entry).history.sessions.values()]


def moods(entry: MockConfigEntry) -> list[int]:
    """Return the stored mood entries' moods."""
    return [m.mood for m in coordinator(entry).history.moods.values()]


def empty(*entries: MockConfigEntry) -> bool:
    """Return whether none of the profiles holds a record."""
    return all(not sessions(e) and not moods(e) for e in entries)


async def link(hass: HomeAssistant, entry: MockConfigEntry, **options: Any) -> None:
    """Set voice options on a profile, as the options form does."""
    hass.config_entries.async_update_entry(entry, options=entry.options | options)
    await hass.async_block_till_done()


async def test_satellite_linked_to_a_profile(
    hass: HomeAssistant, two: tuple[MockConfigEntry, MockConfigEntry]
) -> None:
    """Speech on Sam's satellite is Sam's; a name said still wins."""
    alex, sam = two
    await link(hass, sam, voice_satellites=[SATELLITE])
    result = await converse(hass, "I ran 5 km", satellite=True)
    assert result.response.intent is not None
    assert result.response.intent.intent_type == "RunWellbeingLogRun"
    assert [s["distance"] for s in sessions(sam)] == [5000.0]
    assert empty(alex)
    await converse(hass, "Alex ran 3 km this morning", satellite=True)
    assert [s["distance"] for s in sessions(alex)] == [3000.0]


async def test_area_linked_to_a_profile(
    hass: HomeAssistant, two: tuple[MockConfigEntry, MockConfigEntry]
) -> None:
    """A satellite in Alex's bedroom speaks for Alex."""
    alex, sam = two
    bedroom = ar.async_get(hass).async_create("Bedroom")
    er.async_get(hass).async_update_entity(SATELLITE, area_id=bedroom.id)
    await link(hass, alex, voice_areas=[bedroom.id])
    await converse(hass, "log my mood as 6", satellite=True)
    assert moods(alex) == [6]
    assert empty(sam)


async def test_who_is_asked_on_the_satellite(
    hass: HomeAssistant, speaker: Speaker, two: tuple[MockConfigEntry, MockConfigEntry]
) -> None:
    """Nothing links the satellite: it asks whose, and hears the answer itself."""
    alex, sam = two
    speaker.answers.append("for Alex")
    result = await converse(hass, "I ran 5 km", satellite=True)
    assert result.response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert spoken(result) == "Who is this for, Alex or Sam?"
    # Asked again on the speaker, which heard "for Alex" without a wake word.
    # Then the mood question after the run, on the speaker too (unanswered).
    assert speaker.conversations == [
        "Who is this for, Alex or Sam?",
        "How does Alex feel now, from 1 to 10?",
    ]
    assert [s["distance"] for s in sessions(alex)] == [5000.0]
    assert empty(sam)
    assert speaker.announced
    assert speaker.announced[0].startswith("Logged a 5 kilometre run for Alex.")


async def test_nothing_stored_without_an_answer(
    hass: HomeAssistant, speaker: Speaker, two: tuple[MockConfigEntry, MockConfigEntry]
) -> None:
    """No answer on the satellite: nothing is stored on a guess."""
    result = await converse(hass, "log my mood as 4", satellite=True)
    assert spoken(result) == "Who is this for, Alex or Sam?"
    assert empty(*two)


@pytest.mark.parametrize(
    ("language", "request_", "answer", "asked"),
    [
        ("en", "I ran 5 km", "me, Sam", "Who is this for, Alex or Sam?"),
        ("de", "ich bin 5 km gelaufen", "für Sam", "Für wen ist das, Alex oder Sam?"),
        ("nl", "ik heb 5 km gelopen", "voor Sam", "Voor wie is dit, Alex of Sam?"),
        ("fr", "j'ai couru 5 km", "c'est pour Sam", "C'est pour qui, Alex ou Sam ?"),
        ("es", "corrí 5 km", "para Sam", "¿Para quién es, Alex o Sam?"),
    ],
)
async def test_who_is_asked_in_the_app(
    hass: HomeAssistant,
    *,
    add_profile: ProfileFactory,
    speaker: Speaker,
    language: str,
    request_: str,
    answer: str,
    asked: str,
) -> None:
    """Unknown speaker in the app: the question in their language, answered."""
    alex = await add_profile("Alex")
    sam = await add_profile("Sam")
    await hass.config.async_update(language=language)
    first = await converse(hass, request_, language)
    assert spoken(first) == asked
    assert empty(alex, sam)
    second = await converse(
        hass, answer, language, conversation_id=first.conversation_id
    )
    assert second.response.response_type is intent.IntentResponseType.ACTION_DONE
    assert [s["distance"] for s in sessions(sam)] == [5000.0]
    assert "Sam" in spoken(second)
    assert empty(alex)
    assert speaker.conversations == []  # the app keeps the dialog itself


@pytest.mark.usefixtures("speaker")
async def test_names_anywhere(
    hass: HomeAssistant, two: tuple[MockConfigEntry, MockConfigEntry]
) -> None:
    """A name said anywhere picks the profile, and the answer names them."""
    alex, sam = two
    result = await converse(hass, "Sam ran 10k this morning", satellite=True)
    assert [s["distance"] for s in sessions(sam)] == [10000.0]
    assert "for Sam" in spoken(result)
    result = await converse(hass, "Alex is feeling tired", satellite=True)
    assert spoken(result) == "From 1 to 10, how is Alex feeling?"
    result = await converse(
        hass, "like a four", satellite=True, conversation_id=result.conversation_id
    )
    assert moods(alex) == [4]
    result = await converse(
        hass, "how many times did Sam run this week", satellite=True
    )
    assert result.response.intent is not None
    assert result.response.intent.intent_type == "RunWellbeingGetWeek"


async def test_mood_after_a_run(hass: HomeAssistant, alex: MockConfigEntry) -> None:
    """After a run logged by voice: how do you feel? A bare number answers it."""
    await start_assist(hass)
    first = await converse(hass, "I ran 5 km")
    assert spoken(first).endswith("How do you feel now, from 1 to 10?")
    second = await converse(hass, "7", conversation_id=first.conversation_id)
    assert [s["mood_after"] for s in sessions(alex)] == [7]
    assert moods(alex) == []
    assert "7 out of 10" in spoken(second)


async def test_mood_question_off(
    hass: HomeAssistant, add_profile: ProfileFactory
) -> None:
    """With the option off, a run is logged without a question."""
    await start_assist(hass)
    alex = await add_profile("Alex", ask_mood_after_run=False)
    result = await converse(hass, "I ran 5 km")
    assert not spoken(result).endswith("?")
    again = await converse(hass, "7", conversation_id=result.conversation_id)
    assert again.response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert [s["mood_after"] for s in sessions(alex)] == [None]
    assert moods(alex) == []


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        ("en", "I ran 5k and feel great", "8"),
        ("de", "ich bin 5 km gelaufen und fühle mich super", "acht"),
        ("nl", "ik heb 5 km gelopen en ik voel me top", "een acht"),
        ("fr", "j'ai couru 5 km et je me sens bien", "8"),
        ("es", "corrí 5 km y me siento genial", "un 8"),
    ],
)
async def test_run_and_mood_in_one_sentence(
    hass: HomeAssistant, *, alex: MockConfigEntry, language: str, said: str, answer: str
) -> None:
    """The run is logged; the mood word is asked as a number, never guessed."""
    await hass.config.async_update(language=language)
    await start_assist(hass)
    first = await converse(hass, said, language)
    assert first.response.intent is not None
    assert first.response.intent.intent_type == "RunWellbeingLogRun"
    assert [s["distance"] for s in sessions(alex)] == [5000.0]
    assert spoken(first).endswith("?")
    await converse(hass, answer, language, conversation_id=first.conversation_id)
    assert [s["mood_after"] for s in sessions(alex)] == [8]


@pytest.mark.parametrize(
    ("language", "said", "forget", "removed"),
    [
        ("en", "I ran 5 km", "forget it", "Removed"),
        ("de", "ich bin 5 km gelaufen", "vergiss es", "Entfernt"),
        ("nl", "ik heb 5 km gelopen", "laat maar", ""),
        ("fr", "j'ai couru 5 km", "annule", ""),
        ("es", "corrí 5 km", "olvídalo", ""),
    ],
)
async def test_forget_it_undoes_the_log(
    hass: HomeAssistant,
    *,
    alex: MockConfigEntry,
    language: str,
    said: str,
    forget: str,
    removed: str,
) -> None:
    """Undo said right after a log wins over Home Assistant's "never mind"."""
    await hass.config.async_update(language=language)
    await start_assist(hass)
    first = await converse(hass, said, language)
    assert len(sessions(alex)) == 1
    result = await converse(
        hass, forget, language, conversation_id=first.conversation_id
    )
    assert result.response.intent is not None
    assert result.response.intent.intent_type == "RunWellbeingUndo"
    assert sessions(alex) == []
    assert spoken(result).startswith(removed)
    # Nothing left to forget: as "never mind", quietly.
    nothing = await converse(hass, forget, language)
    assert spoken(nothing) == ""


async def test_delete_my_last_run_keeps_the_mood(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """Delete my last run: a run goes, even when a mood came after it."""
    await start_assist(hass)
    await converse(hass, "I ran 5 km")
    await converse(hass, "log my mood as 6")
    await converse(hass, "delete my last run")
    assert sessions(alex) == []
    assert moods(alex) == [6]
    await converse(hass, "delete my last mood")
    assert moods(alex) == []


@pytest.mark.parametrize(
    ("language", "said", "asked", "yes"),
    [
        ("en", "I ran 500 km", "500 kilometres? Say yes to log it.", "yes"),
        ("de", "ich bin 500 km gelaufen", "500 Kilometer? Sag ja", "ja"),
        ("nl", "ik heb 500 km gelopen", "500 kilometer? Zeg ja", "ja hoor"),
        ("fr", "j'ai couru 500 km", "500 kilomètres ? Dites oui", "oui"),
        ("es", "corrí 500 km", "¿500 kilómetros? Di sí", "sí"),
    ],
)
async def test_implausible_values_are_confirmed(
    hass: HomeAssistant,
    *,
    alex: MockConfigEntry,
    language: str,
    said: str,
    asked: str,
    yes: str,
) -> None:
    """500 km is asked about first; "yes" logs it."""
    await hass.config.async_update(language=language)
    await start_assist(hass)
    first = await converse(hass, said, language)
    assert spoken(first).startswith(asked)
    assert sessions(alex) == []
    await converse(hass, yes, language, conversation_id=first.conversation_id)
    assert [s["distance"] for s in sessions(alex)] == [500000.0]


@pytest.mark.parametrize(
    ("language", "said", "seconds"),
    [
        ("en", "I ran for an hour and a quarter", 4500),
        ("de", "ich bin eineinviertel Stunden gelaufen", 4500),
        ("nl", "ik heb vijf kwartier gelopen", 4500),
        ("fr", "j'ai couru une heure et quart", 4500),
        ("es", "corrí una hora y cuarto", 4500),
    ],
)
async def test_durations_in_words(
    hass: HomeAssistant,
    *,
    alex: MockConfigEntry,
    language: str,
    said: str,
    seconds: int,
) -> None:
    """Durations as people say them, in each language."""
    await hass.config.async_update(language=language)
    await start_assist(hass)
    await converse(hass, said, language)
    assert [s["duration"] for s in sessions(alex)] == [seconds]


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        ("de", "meine Stimmung ist 15", "15"),
        ("es", "mi ánimo está en 15", "15"),
    ],
)
async def test_refusals_are_spoken_not_errors(
    hass: HomeAssistant, *, alex: MockConfigEntry, language: str, said: str, answer: str
) -> None:
    """A refused mood is answered aloud, not shown as a red error."""
    await hass.config.async_update(language=language)
    await start_assist(hass)
    result = await converse(hass, said, language)
    assert result.response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert answer in spoken(result)
    assert empty(alex)
