"""Hundreds of ways people say it, in five languages, through the real agent.

The phrasings are generated from tables (verbs by amounts by days, per
language); each one is said to Home Assistant's built-in agent and checked for
what is stored and what is answered. One Home Assistant per language keeps it
quick: each record is removed again before the next phrasing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import product

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.run_wellbeing.coordinator import RunWellbeingCoordinator

NOW = "2026-11-25 08:00:00+01:00"  # a Wednesday, 8:00
TODAY = date(2026, 11, 25)
MILE = 1609.344


@dataclass(frozen=True)
class Said:
    """A phrasing and what it must store and answer."""

    text: str
    activity: str = "run"
    distance: float | None = None
    duration: float | None = None
    days_back: int = 0
    hour: int | None = None
    """Local start hour for a session said to be on another day or part of it."""
    mood: int | None = None
    answer: tuple[str, ...] = field(default_factory=tuple)
    """Words the answer contains."""


@dataclass(frozen=True)
class Language:
    """One language's tables."""

    code: str
    # (phrase with {dist}, activity); (phrase, metres, spoken in the answer)
    distance_verbs: tuple[tuple[str, str], ...]
    distances: tuple[tuple[str, float, str], ...]
    duration_verbs: tuple[tuple[str, str], ...]
    durations: tuple[tuple[str, float, str], ...]
    bare: tuple[tuple[str, str], ...]
    # (words, days back, local hour or None, answer word)
    days: tuple[tuple[str, int, int | None, str], ...]
    moods: tuple[tuple[str, int], ...]
    mood_words: tuple[str, ...]
    follow_up: tuple[tuple[str, int], ...]
    with_mood: tuple[tuple[str, float, int], ...]
    questions: tuple[tuple[str, str], ...]
    undo: tuple[str, ...]
    ask: str
    nothing_to_undo: str


def phrase(template: str, when: str, **amounts: str) -> str:
    """Put the day where the language says it, or at the end."""
    if "{when}" in template:
        return template.format(when=when, **amounts)
    return template.format(**amounts) + when


def generated(lang: Language) -> Iterator[Said]:
    """Return every logging phrasing of a language, from its tables."""
    for (verb, activity), (dist, metres, said), (when, back, hour, day_word) in product(
        lang.distance_verbs, lang.distances, lang.days
    ):
        yield Said(
            phrase(verb, when, dist=dist),
            activity,
            distance=metres,
            days_back=back,
            hour=hour,
            answer=(said, day_word),
        )
    for (verb, activity), (length, seconds, said), (
        when,
        back,
        hour,
        day_word,
    ) in product(lang.duration_verbs, lang.durations, lang.days[:3]):
        yield Said(
            phrase(verb, when, len=length),
            activity,
            duration=seconds,
            days_back=back,
            hour=hour,
            answer=(said, day_word),
        )
    for (said, activity), (when, back, hour, day_word) in product(lang.bare, lang.days):
        yield Said(
            phrase(said, when), activity, days_back=back, hour=hour, answer=(day_word,)
        )
    for text, metres, mood in lang.with_mood:
        yield Said(text, distance=metres, mood=mood, answer=(str(mood),))


ENGLISH = Language(
    code="en",
    distance_verbs=(
        ("I ran {dist}", "run"),
        ("I just ran {dist}", "run"),
        ("I jogged {dist}", "run"),
        ("just finished {dist}", "run"),
        ("I did {dist}", "run"),
        ("I just got back from {dist} run", "run"),
        ("I went for {dist} run", "run"),
        ("add a run of {dist}", "run"),
        ("log {dist} run", "run"),
        ("record a run of {dist}", "run"),
        ("I walked {dist}", "walk"),
        ("I went for {dist} walk", "walk"),
        ("I cycled {dist}", "cycle"),
        ("I did {dist} bike ride", "cycle"),
        ("I hiked {dist}", "hike"),
        ("I swam {dist}", "swim"),
    ),
    distances=(
        ("5 kilometres", 5000.0, "5 kilometre"),
        ("five kilometers", 5000.0, "5 kilometre"),
        ("a 10k", 10000.0, "10 kilometre"),
        ("a half marathon", 21097.5, "21.1 kilometre"),
        ("a marathon", 42195.0, "42.2 kilometre"),
        ("3 miles", 3 * MILE, "3 mile"),
        ("a parkrun", 5000.0, "5 kilometre"),
    ),
    duration_verbs=(
        ("I ran for {len}", "run"),
        ("I went running for {len}", "run"),
        ("I did {len} of yoga", "yoga"),
        ("I did yoga for {len}", "yoga"),
        ("I went for a walk for {len}", "walk"),
        ("log {len} of strength training", "strength"),
        ("I danced for {len}", "dance"),
        ("I did a workout for {len}", "strength"),
        ("I went swimming for {len}", "swim"),
        ("I cycled for {len}", "cycle"),
    ),
    durations=(
        ("45 minutes", 2700.0, "45 minute"),
        ("half an hour", 1800.0, "30 minute"),
        ("an hour and a half", 5400.0, "90 minute"),
        ("an hour", 3600.0, "60 minute"),
        ("two hours", 7200.0, "120 minute"),
    ),
    bare=(
        ("I went for a run", "run"),
        ("I went running", "run"),
        ("I ran", "run"),
        ("I went for a walk", "walk"),
        ("I did yoga", "yoga"),
        ("I went for a swim", "swim"),
        ("log a run", "run"),
        ("I went for a hike", "hike"),
        ("I did a workout", "strength"),
        ("I went for a bike ride", "cycle"),
    ),
    days=(
        ("", 0, None, ""),
        (" yesterday", 1, 12, "yesterday"),
        (" this morning", 0, 7, ""),
        (" last night", 1, 19, "yesterday"),
        (" on Saturday", 4, 12, "on Saturday"),
        (" yesterday morning", 1, 7, "yesterday"),
    ),
    moods=(
        ("log my mood as 7", 7),
        ("I feel 3 out of 10", 3),
        ("my mood is six", 6),
        ("I'm feeling 8 out of 10", 8),
        ("I'd rate my mood a 5", 5),
        ("mood 4", 4),
    ),
    mood_words=(
        "I'm feeling low",
        "I feel great",
        "I'm feeling a bit down",
        "I'm not feeling great",
        "I feel tired",
        "log my mood",
    ),
    follow_up=(("three", 3), ("7", 7), ("about a six", 6), ("8 out of 10", 8)),
    with_mood=(
        ("I ran 5 km and feel 8 out of 10", 5000.0, 8),
        ("I ran 10k and I feel 9", 10000.0, 9),
    ),
    questions=(
        ("how far did I run this week", "10 kilometres"),
        ("how far have I run this week", "10 kilometres"),
        ("how many kilometres have I run this week", "10 kilometres"),
        ("how long have I run this week", "1 hour"),
        ("how much time have I spent running this week", "1 hour"),
        ("did I run today", "Yes"),
        ("have I been for a run today", "Yes"),
        ("what is my mood score", "out of 10"),
        ("what's my mood score", "out of 10"),
        ("how is my mood", "out of 10"),
        ("what is my mood lift", "lift"),
        ("does running help my mood", "lift"),
        ("am I on track this week", "on track"),
        ("will I reach my goal this week", "on track"),
        ("what's my longest streak", "longest streak"),
        ("what is my best streak", "longest streak"),
        ("when is my next run", "No run is planned"),
        ("what is my running streak", "streak"),
        ("how many runs this week", "this week"),
        ("how many runs have I done this week", "this week"),
    ),
    undo=("undo that", "delete my last run", "that was wrong", "undo"),
    ask="From 1 to 10, how are you feeling?",
    nothing_to_undo="There is nothing recent to undo.",
)

GERMAN = Language(
    code="de",
    distance_verbs=(
        ("ich bin{when} {dist} gelaufen", "run"),
        ("ich bin{when} gerade {dist} gejoggt", "run"),
        ("ich habe{when} {dist} geschafft", "run"),
        ("ich habe{when} gerade {dist} gemacht", "run"),
        ("ich bin{when} {dist} Rad gefahren", "cycle"),
        ("ich bin{when} {dist} gewandert", "hike"),
        ("ich bin{when} {dist} geschwommen", "swim"),
        ("ich bin{when} {dist} spazieren gegangen", "walk"),
    ),
    distances=(
        ("5 Kilometer", 5000.0, "5 Kilometer"),
        ("fünf Kilometer", 5000.0, "5 Kilometer"),
        ("10 km", 10000.0, "10 Kilometer"),
        ("einen Halbmarathon", 21097.5, "21,1 Kilometer"),
        ("einen Marathon", 42195.0, "42,2 Kilometer"),
        ("3 Meilen", 3 * MILE, "3 Meilen"),
        ("einen Parkrun", 5000.0, "5 Kilometer"),
    ),
    duration_verbs=(
        ("ich bin{when} {len} gelaufen", "run"),
        ("ich war{when} {len} laufen", "run"),
        ("ich habe{when} {len} Yoga gemacht", "yoga"),
        ("ich war{when} {len} schwimmen", "swim"),
        ("ich bin{when} {len} Rad gefahren", "cycle"),
        ("ich habe{when} {len} Krafttraining gemacht", "strength"),
        ("ich habe{when} {len} getanzt", "dance"),
        ("ich war{when} {len} spazieren", "walk"),
    ),
    durations=(
        ("45 Minuten", 2700.0, "45 Minuten"),
        ("eine halbe Stunde", 1800.0, "30 Minuten"),
        ("anderthalb Stunden", 5400.0, "90 Minuten"),
        ("eine Stunde", 3600.0, "60 Minuten"),
        ("zwei Stunden", 7200.0, "120 Minuten"),
    ),
    bare=(
        ("ich war{when} laufen", "run"),
        ("ich bin{when} gelaufen", "run"),
        ("ich war{when} joggen", "run"),
        ("ich war{when} spazieren", "walk"),
        ("ich war{when} schwimmen", "swim"),
        ("ich war{when} wandern", "hike"),
        ("ich habe{when} Yoga gemacht", "yoga"),
        ("ich war{when} im Fitnessstudio", "strength"),
        ("trag einen Lauf{when} ein", "run"),
        ("ich bin{when} Rad gefahren", "cycle"),
    ),
    days=(
        ("", 0, None, ""),
        (" gestern", 1, 12, "von gestern"),
        (" heute Morgen", 0, 7, ""),
        (" gestern Abend", 1, 19, "von gestern"),
        (" am Samstag", 4, 12, "vom Samstag"),
        (" gestern früh", 1, 7, "von gestern"),
    ),
    moods=(
        ("trag meine Stimmung mit 7 ein", 7),
        ("meine Stimmung ist 3 von 10", 3),
        ("ich fühle mich wie eine sechs", 6),
        ("mir geht es 8 von 10", 8),
        ("setze meine Stimmung auf fünf", 5),
        ("Stimmung 4", 4),
    ),
    mood_words=(
        "mir geht es schlecht",
        "ich fühle mich super",
        "ich bin ein bisschen müde",
        "mir gehts nicht so gut",
        "ich fühle mich total gestresst",
        "trag meine Stimmung ein",
    ),
    follow_up=(("drei", 3), ("7", 7), ("ungefähr eine sechs", 6), ("8 von 10", 8)),
    with_mood=(
        ("ich bin 5 Kilometer gelaufen und fühle mich wie eine 8", 5000.0, 8),
        ("ich bin 10 km gelaufen und mir geht es 9 von 10", 10000.0, 9),
    ),
    questions=(
        ("wie weit bin ich diese Woche gelaufen", "10 Kilometer"),
        ("wie viele Kilometer habe ich diese Woche geschafft", "10 Kilometer"),
        ("wie lange bin ich diese Woche gelaufen", "1 Stunde"),
        ("wie viel Zeit habe ich diese Woche trainiert", "1 Stunde"),
        ("bin ich heute schon gelaufen", "Ja"),
        ("war ich heute laufen", "Ja"),
        ("wie ist meine Stimmung", "von 10"),
        ("was ist mein Stimmungswert", "von 10"),
        ("was ist mein Stimmungsplus", "Punkte"),
        ("hilft Laufen meiner Stimmung", "Punkte"),
        ("bin ich diese Woche im Plan", "weitere Läufe"),
        ("schaffe ich mein Wochenziel", "weitere Läufe"),
        ("was ist meine längste Serie", "längste"),
        ("wann ist mein nächster Lauf", "kein Lauf geplant"),
        ("was ist meine Serie", "Serie"),
        ("wie viele Läufe habe ich diese Woche gemacht", "Diese Woche"),
        ("wie oft bin ich diese Woche gelaufen", "Diese Woche"),
    ),
    undo=("mach das rückgängig", "lösche meinen letzten Lauf", "das war falsch"),
    ask="Von 1 bis 10, wie geht es dir?",
    nothing_to_undo="Es gibt nichts Neues zum Rückgängigmachen.",
)

LANGUAGES = {lang.code: lang for lang in (ENGLISH, GERMAN)}


@pytest.fixture
async def profile(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> MockConfigEntry:
    """Load Assist and one profile, Alex, in a metric home."""
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/Berlin")
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    entry = MockConfigEntry(
        domain="run_wellbeing",
        title="Alex",
        data={"name": "Alex"},
        options={"weekly_goal": 3},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))
    await hass.async_block_till_done()
    return entry


async def converse(
    hass: HomeAssistant, text: str, language: str, conversation_id: str | None = None
) -> conversation.ConversationResult:
    """Say something to the built-in agent."""
    return await conversation.async_converse(
        hass, text, conversation_id, Context(), language=language
    )


def spoken(result: conversation.ConversationResult) -> str:
    """Return what Assist says."""
    return str(result.response.speech["plain"]["speech"])


def coordinator(entry: MockConfigEntry) -> RunWellbeingCoordinator:
    """Return the profile's coordinator."""
    runtime: RunWellbeingCoordinator = entry.runtime_data
    return runtime


async def clear(entry: MockConfigEntry) -> None:
    """Remove every record, so the next phrasing starts afresh."""
    history = coordinator(entry).history
    for record_id in [*history.sessions, *history.moods]:
        await coordinator(entry).async_delete_record(record_id)


def start_of(said: Said) -> tuple[date, int | None]:
    """Return the local day and hour a phrasing's session must start on."""
    return TODAY - timedelta(days=said.days_back), said.hour


@pytest.mark.parametrize("code", list(LANGUAGES))
async def test_logging_phrasings(
    hass: HomeAssistant, profile: MockConfigEntry, code: str
) -> None:
    """Every generated logging phrasing stores what was said and confirms it."""
    lang = LANGUAGES[code]
    problems: list[str] = []
    cases = list(generated(lang))
    assert len(cases) >= 100
    for said in cases:
        result = await converse(hass, said.text, code)
        answer = spoken(result)
        sessions = list(coordinator(profile).history.sessions.values())
        if len(sessions) != 1:
            problems.append(f"{said.text!r}: nothing stored; answered {answer!r}")
            continue
        stored = sessions[0]
        start = dt_util.as_local(stored.start)
        day, hour = start_of(said)
        checks = {
            "activity": (stored.activity, said.activity),
            "distance": (
                None if stored.distance is None else round(stored.distance, 1),
                None if said.distance is None else round(said.distance, 1),
            ),
            "duration": (stored.duration, said.duration),
            "mood": (stored.mood_after, said.mood),
            "day": (start.date(), day),
        }
        if hour is not None:
            if said.days_back == 0 and said.duration:
                # Never in the future: it ended by now (8:00) at the latest.
                hour = min(hour, int(8 - said.duration / 3600))
            checks["hour"] = (start.hour, hour)
        for what, (got, want) in checks.items():
            if got != want:
                problems.append(f"{said.text!r}: {what} {got!r}, want {want!r}")
        problems.extend(
            f"{said.text!r}: {word!r} not in {answer!r}"
            for word in said.answer
            if word not in answer
        )
        await clear(profile)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", list(LANGUAGES))
async def test_mood_phrasings(
    hass: HomeAssistant, profile: MockConfigEntry, code: str
) -> None:
    """Moods with a number log; mood words ask, and the answer logs."""
    lang = LANGUAGES[code]
    problems: list[str] = []
    for text, mood in lang.moods:
        answer = spoken(await converse(hass, text, code))
        moods = [m.mood for m in coordinator(profile).history.moods.values()]
        if moods != [mood] or str(mood) not in answer:
            problems.append(f"{text!r}: stored {moods}, answered {answer!r}")
        await clear(profile)
    for text, (answer_text, mood) in product(lang.mood_words, lang.follow_up):
        asked = await converse(hass, text, code)
        if spoken(asked) != lang.ask or coordinator(profile).history.moods:
            problems.append(f"{text!r}: answered {spoken(asked)!r}")
            continue
        answered = await converse(hass, answer_text, code, asked.conversation_id)
        moods = [m.mood for m in coordinator(profile).history.moods.values()]
        if moods != [mood] or str(mood) not in spoken(answered):
            problems.append(
                f"{text!r} then {answer_text!r}: stored {moods}, "
                f"answered {spoken(answered)!r}"
            )
        await clear(profile)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", list(LANGUAGES))
async def test_a_number_nobody_asked_for(
    hass: HomeAssistant, profile: MockConfigEntry, code: str
) -> None:
    """A bare number in a new conversation stores nothing."""
    lang = LANGUAGES[code]
    result = await converse(hass, lang.follow_up[1][0], code)
    assert result.response.response_type is intent.IntentResponseType.ERROR
    assert not coordinator(profile).history.moods


@pytest.mark.parametrize("code", list(LANGUAGES))
async def test_question_phrasings(
    hass: HomeAssistant, profile: MockConfigEntry, code: str
) -> None:
    """Every question reaches our intent and is answered from the profile."""
    lang = LANGUAGES[code]
    coord = coordinator(profile)
    now = dt_util.utcnow()
    await coord.async_log_session(
        start=now - timedelta(hours=1),
        distance=10000,
        duration=3600,
        mood_before=5,
        mood_after=7,
    )
    problems = []
    for text, word in lang.questions:
        result = await converse(hass, text, code)
        answer = spoken(result)
        if (
            result.response.response_type is not intent.IntentResponseType.QUERY_ANSWER
            or word not in answer
        ):
            problems.append(f"{text!r}: answered {answer!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", list(LANGUAGES))
async def test_undo_phrasings(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    code: str,
) -> None:
    """Undo removes what was just logged, and only within 15 minutes."""
    lang = LANGUAGES[code]
    problems = []
    for text in lang.undo:
        await converse(hass, phrase(lang.distance_verbs[0][0], "", dist="5 km"), code)
        assert len(coordinator(profile).history.sessions) == 1
        answer = spoken(await converse(hass, text, code))
        if coordinator(profile).history.sessions or "5" not in answer:
            problems.append(f"{text!r}: answered {answer!r}")
        answer = spoken(await converse(hass, text, code))
        if answer != lang.nothing_to_undo:
            problems.append(f"{text!r} again: answered {answer!r}")
    await converse(hass, phrase(lang.distance_verbs[0][0], "", dist="5 km"), code)
    freezer.tick(timedelta(minutes=16))
    answer = spoken(await converse(hass, lang.undo[0], code))
    assert answer == lang.nothing_to_undo
    assert len(coordinator(profile).history.sessions) == 1
    assert not problems, "\n".join(problems)


def test_tables_generate_hundreds() -> None:
    """The tables make hundreds of phrasings in all."""
    assert sum(len(list(generated(lang))) for lang in LANGUAGES.values()) >= 200


def test_start_helper() -> None:
    """The expected start day is counted back from the frozen today."""
    assert start_of(Said("x", days_back=1, hour=7)) == (date(2026, 11, 24), 7)
