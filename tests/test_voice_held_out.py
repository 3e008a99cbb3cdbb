"""Held-out phrasings: sentences the templates were not written from.

Each language has its own table of phrasings, said to Home Assistant's
built-in agent twice: in the app, by a user linked to Alex's person, and on a
voice satellite linked to Alex's profile. What counts is the effect: what was
stored (activity, metres, seconds, start day, mood) or the numbers answered,
and which intent answered. A phrasing not understood at all is a miss; one
that stores or answers something else is a wrong effect. The product asks for
at least 80 % right and no wrong effect (PRODUCT.md, "Voice, third edition").

The phrasings are not in test_voice_phrasings.py's generated tables (checked
below), so they measure what people say rather than what the tables contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
import re
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.components import conversation
from homeassistant.components.assist_satellite.const import DATA_COMPONENT
from homeassistant.core import Context, HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.run_wellbeing.core.models import Activity
from custom_components.run_wellbeing.voice.intents import DATA_PENDING

from . import test_voice_speaker as on_the_speaker
from .conftest import ProfileFactory
from .test_voice_phrasings import LANGUAGES as TABLES, generated
from .test_voice_speaker import (
    SATELLITE,
    Speaker,
    converse,
    coordinator,
    moods,
    sessions,
    spoken,
)

# The speaker tests' fixtures, used here by name: the kitchen satellite (and
# Assist, at the frozen NOW) and the people Alex (the admin user) and Sam.
speaker = on_the_speaker.speaker
people = on_the_speaker.people

TODAY = date(2026, 11, 25)  # the speaker fixture's NOW, a Wednesday at 8:00
ZONE = ZoneInfo("Europe/Amsterdam")  # conftest's time zone
LOG_RUN = "RunWellbeingLogRun"
LOG_MOOD = "RunWellbeingLogMood"
ASK_MOOD = "RunWellbeingAskMood"
UNDO = "RunWellbeingUndo"
WEEK = "RunWellbeingGetWeek"
STREAK = "RunWellbeingGetStreak"
NEXT = "RunWellbeingGetNextRun"
DISTANCE = "RunWellbeingGetDistance"
DURATION = "RunWellbeingGetDuration"
RAN_TODAY = "RunWellbeingGetRanToday"
MOOD_SCORE = "RunWellbeingGetMoodScore"
MOOD_LIFT = "RunWellbeingGetMoodLift"
ON_TRACK = "RunWellbeingGetOnTrack"
QUESTIONS = {
    WEEK,
    STREAK,
    NEXT,
    DISTANCE,
    DURATION,
    RAN_TODAY,
    MOOD_SCORE,
    MOOD_LIFT,
    ON_TRACK,
}


@dataclass(frozen=True)
class Case:
    """A phrasing, the intent that must answer it and the effect it must have."""

    text: str
    intent: str
    activity: str | None = None
    distance: float | None = None
    duration: float | None = None
    days_back: int = 0
    hour: int | None = None
    """Local start hour, when the phrasing names a part of the day."""
    mood_after: int | None = None
    mood: int | None = None
    """The mood entry stored (directly, or by the answer in `then`)."""
    numbers: tuple[str, ...] | None = None
    """The numbers in the answer, in order (questions)."""
    before: str | None = None
    """Said first (undo): the record it logs is the one to remove."""
    then: str | None = None
    """The answer to the question Assist asks back (a mood number)."""
    who: str = "Alex"


def run(text: str, **effect: Any) -> Case:
    """Return a phrasing that logs a session."""
    return Case(text, LOG_RUN, **effect)


def ask(text: str, intent: str, *numbers: str) -> Case:
    """Return a question and the numbers its answer holds."""
    return Case(text, intent, numbers=numbers)


# What the questions are asked about: last week's goal of 3 runs reached, two
# runs this week (Monday 6 km in 40 minutes, mood 4 -> 7; today 8 km in 50
# minutes, mood 5 -> 8) and a run planned for Friday at 18:30.
SEEDED_RUNS = (
    (datetime(2026, 11, 16, 7, tzinfo=ZONE), 5000, 1800, None, None),
    (datetime(2026, 11, 18, 7, tzinfo=ZONE), 5000, 1800, None, None),
    (datetime(2026, 11, 20, 7, tzinfo=ZONE), 5000, 1800, None, None),
    (datetime(2026, 11, 23, 7, tzinfo=ZONE), 6000, 2400, 4, 7),
    (datetime(2026, 11, 25, 6, tzinfo=ZONE), 8000, 3000, 5, 8),
)
PLANNED = datetime(2026, 11, 27, 18, 30, tzinfo=ZONE)

ENGLISH = (
    run(
        "I jogged six point five k this morning", activity="run", distance=6500, hour=7
    ),
    run(
        "yesterday evening I ran 8 km",
        activity="run",
        distance=8000,
        days_back=1,
        hour=19,
    ),
    run("could you log a 40 minute jog please", activity="run", duration=2400),
    run(
        "I did a twelve k trail run on Sunday",
        activity="run",
        distance=12000,
        days_back=3,
        hour=12,
    ),
    run(
        "I went swimming for three quarters of an hour", activity="swim", duration=2700
    ),
    run(
        "I ran 5k in 28 minutes and I feel 7",
        activity="run",
        distance=5000,
        duration=1680,
        mood_after=7,
    ),
    run(
        "Sam ran a half marathon on Sunday",
        activity="run",
        distance=21097.5,
        days_back=3,
        hour=12,
        who="Sam",
    ),
    run(
        "I ran 10 k and I'm feeling pretty knackered",
        activity="run",
        distance=10000,
        then="six",
        mood_after=6,
    ),
    Case("I'd like to log my mood as eight", LOG_MOOD, mood=8),
    Case("put my mood down as 4", LOG_MOOD, mood=4),
    Case("I'm feeling about a five today", LOG_MOOD, mood=5),
    Case("I feel pretty rubbish", ASK_MOOD, then="three", mood=3),
    Case("undo my last run", UNDO, before="I ran 3 km"),
    Case("delete that last run", UNDO, before="I walked 2 miles"),
    ask("how many runs have I done so far this week", WEEK, "2", "3", "14"),
    ask("what's my current streak", STREAK, "1", "1"),
    ask("when's my next scheduled run", NEXT, "18:30"),
    ask("how far have I gone this week", DISTANCE, "14"),
    ask("have I been running today", RAN_TODAY),
    ask("is running helping my mood", MOOD_LIFT, "3", "30"),
)

GERMAN = (
    run(
        "ich bin heute früh sechs Kilometer gejoggt",
        activity="run",
        distance=6000,
        hour=7,
    ),
    run(
        "gestern Abend bin ich 8 km gelaufen",
        activity="run",
        distance=8000,
        days_back=1,
        hour=19,
    ),
    run("trag bitte einen Lauf von 7 Kilometern ein", activity="run", distance=7000),
    run("ich habe eine Dreiviertelstunde Yoga gemacht", activity="yoga", duration=2700),
    run(
        "ich bin am Sonntag einen Halbmarathon gelaufen",
        activity="run",
        distance=21097.5,
        days_back=3,
        hour=12,
    ),
    run(
        "Sam ist heute Morgen 10 km Rad gefahren",
        activity="cycle",
        distance=10000,
        hour=7,
        who="Sam",
    ),
    run(
        "ich bin 5 km in 28 Minuten gelaufen und mir geht es 7 von 10",
        activity="run",
        distance=5000,
        duration=1680,
        mood_after=7,
    ),
    run(
        "ich bin zehn Kilometer gelaufen und bin total kaputt",
        activity="run",
        distance=10000,
        then="sechs",
        mood_after=6,
    ),
    run(
        "ich war gestern Abend eine Stunde schwimmen",
        activity="swim",
        duration=3600,
        days_back=1,
        hour=19,
    ),
    Case("meine Laune ist heute eine acht", LOG_MOOD, mood=8),
    Case("ich fühle mich heute wie eine fünf", LOG_MOOD, mood=5),
    Case("mir geht es richtig mies", ASK_MOOD, then="drei", mood=3),
    Case("lösch den letzten Lauf", UNDO, before="ich bin 3 km gelaufen"),
    Case("nimm das zurück", UNDO, before="ich bin 2 km spazieren gegangen"),
    ask("wie viele Läufe hab ich diese Woche", WEEK, "2", "3", "14"),
    ask("wie lang ist meine aktuelle Serie", STREAK, "1", "1"),
    ask("wann steht mein nächster Lauf an", NEXT, "18:30"),
    ask("wie viele Kilometer bin ich diese Woche gelaufen", DISTANCE, "14"),
    ask("bin ich heute schon joggen gewesen", RAN_TODAY),
    ask("macht mich Laufen glücklicher", MOOD_LIFT, "3", "30"),
)

DUTCH = (
    run(
        "ik heb vanmorgen zes kilometer hardgelopen",
        activity="run",
        distance=6000,
        hour=7,
    ),
    run(
        "gisteravond heb ik 8 km gelopen",
        activity="run",
        distance=8000,
        days_back=1,
        hour=19,
    ),
    run("voeg een hardloopsessie van 7 km toe", activity="run", distance=7000),
    run("ik heb drie kwartier gefietst", activity="cycle", duration=2700),
    run(
        "ik heb zondag een halve marathon gelopen",
        activity="run",
        distance=21097.5,
        days_back=3,
        hour=12,
    ),
    run(
        "Sam heeft vanochtend 10 km gefietst",
        activity="cycle",
        distance=10000,
        hour=7,
        who="Sam",
    ),
    run(
        "ik heb 5 km gelopen in 28 minuten en ik voel me een 7",
        activity="run",
        distance=5000,
        duration=1680,
        mood_after=7,
    ),
    run(
        "ik heb tien kilometer gelopen en ik ben kapot",
        activity="run",
        distance=10000,
        then="zes",
        mood_after=6,
    ),
    run(
        "ik ben gisteravond een uur gaan zwemmen",
        activity="swim",
        duration=3600,
        days_back=1,
        hour=19,
    ),
    Case("mijn stemming is vandaag een acht", LOG_MOOD, mood=8),
    Case("zet mijn humeur op vijf", LOG_MOOD, mood=5),
    Case("ik voel me echt beroerd", ASK_MOOD, then="drie", mood=3),
    Case("haal mijn laatste run weg", UNDO, before="ik heb 3 km gelopen"),
    Case("draai dat terug", UNDO, before="ik heb 2 km gewandeld"),
    ask("hoeveel keer heb ik deze week hardgelopen", WEEK, "2", "3", "14"),
    ask("hoe lang is mijn huidige reeks", STREAK, "1", "1"),
    ask("wanneer moet ik weer hardlopen", NEXT, "18:30"),
    ask("hoeveel kilometer heb ik deze week afgelegd", DISTANCE, "14"),
    ask("heb ik vandaag al hardgelopen", RAN_TODAY),
    ask("word ik blijer van hardlopen", MOOD_LIFT, "3"),
)

FRENCH = (
    run("ce matin j'ai couru six kilomètres", activity="run", distance=6000, hour=7),
    run(
        "hier soir j'ai couru 8 km", activity="run", distance=8000, days_back=1, hour=19
    ),
    run(
        "peux-tu enregistrer une course de 7 km s'il te plaît",
        activity="run",
        distance=7000,
    ),
    run("j'ai fait trois quarts d'heure de yoga", activity="yoga", duration=2700),
    run(
        "dimanche j'ai couru un semi-marathon",
        activity="run",
        distance=21097.5,
        days_back=3,
        hour=12,
    ),
    run(
        "Sam a fait 10 km de vélo ce matin",
        activity="cycle",
        distance=10000,
        hour=7,
        who="Sam",
    ),
    run(
        "j'ai couru 5 km en 28 minutes et je me sens à 7",
        activity="run",
        distance=5000,
        duration=1680,
        mood_after=7,
    ),
    run(
        "j'ai couru dix kilomètres et je suis crevé",
        activity="run",
        distance=10000,
        then="six",
        mood_after=6,
    ),
    run(
        "hier soir j'ai nagé une heure",
        activity="swim",
        duration=3600,
        days_back=1,
        hour=19,
    ),
    Case("mon moral est à huit", LOG_MOOD, mood=8),
    Case("je me sens à cinq sur dix aujourd'hui", LOG_MOOD, mood=5),
    Case("je me sens vraiment nul", ASK_MOOD, then="trois", mood=3),
    Case("efface la dernière course", UNDO, before="j'ai couru 3 km"),
    Case("annule la dernière entrée", UNDO, before="j'ai marché 2 km"),
    ask("combien de courses j'ai fait cette semaine", WEEK, "2", "3", "14"),
    ask("c'est quoi ma série en cours", STREAK, "1", "1"),
    ask("c'est quand ma prochaine course", NEXT, "18:30"),
    ask("combien de kilomètres ai-je parcourus cette semaine", DISTANCE, "14"),
    ask("est-ce que je suis allé courir aujourd'hui", RAN_TODAY),
    ask("est-ce que courir me rend plus heureux", MOOD_LIFT, "3"),
)

SPANISH = (
    run("corrí seis kilómetros esta mañana", activity="run", distance=6000, hour=7),
    run(
        "ayer por la noche salí a correr 8 km",
        activity="run",
        distance=8000,
        days_back=1,
        hour=19,
    ),
    run(
        "¿puedes registrar una carrera de 7 km, por favor?",
        activity="run",
        distance=7000,
    ),
    run("hice tres cuartos de hora de yoga", activity="yoga", duration=2700),
    run(
        "el domingo corrí una media maratón",
        activity="run",
        distance=21097.5,
        days_back=3,
        hour=12,
    ),
    run(
        "Sam montó en bici 10 km esta mañana",
        activity="cycle",
        distance=10000,
        hour=7,
        who="Sam",
    ),
    run(
        "Sam nadó dos kilómetros ayer",
        activity="swim",
        distance=2000,
        days_back=1,
        hour=12,
        who="Sam",
    ),
    run(
        "corrí 5 km en 28 minutos y me siento un 7",
        activity="run",
        distance=5000,
        duration=1680,
        mood_after=7,
    ),
    run(
        "corrí diez kilómetros y estoy agotado",
        activity="run",
        distance=10000,
        then="seis",
        mood_after=6,
    ),
    run("anoche nadé una hora", activity="swim", duration=3600, days_back=1, hour=19),
    Case("mi ánimo hoy es un ocho", LOG_MOOD, mood=8),
    Case("me siento como un cinco", LOG_MOOD, mood=5),
    Case("me siento fatal", ASK_MOOD, then="tres", mood=3),
    Case("elimina mi última carrera", UNDO, before="corrí 3 km"),
    Case("bórralo", UNDO, before="caminé 2 km"),
    ask("cuántas carreras he hecho esta semana", WEEK, "2", "3", "14"),
    ask("cuánto dura mi racha actual", STREAK, "1", "1"),
    ask("cuándo me toca correr otra vez", NEXT, "18:30"),
    ask("cuántos kilómetros he recorrido esta semana", DISTANCE, "14"),
    ask("¿he salido a correr hoy?", RAN_TODAY),
    ask("correr me hace sentir mejor", MOOD_LIFT, "3"),
)

HELD_OUT = {
    "en": ENGLISH,
    "de": GERMAN,
    "nl": DUTCH,
    "fr": FRENCH,
    "es": SPANISH,
}
MODES = ("app", "satellite")


@dataclass(frozen=True)
class Outcome:
    """What one phrasing did: right, not understood (a miss), or wrong."""

    case: Case
    verdict: str
    detail: str = ""


@pytest.fixture
async def profiles(
    hass: HomeAssistant,
    add_profile: ProfileFactory,
    speaker: Speaker,
    people: MockUser,
) -> dict[str, MockConfigEntry]:
    """Alex and Sam, each linked to their person; the satellite is Alex's."""
    return {
        "Alex": await add_profile(
            "Alex", person="person.alex", voice_satellites=[SATELLITE]
        ),
        "Sam": await add_profile("Sam", person="person.sam"),
    }


async def clear(hass: HomeAssistant, entries: dict[str, MockConfigEntry]) -> None:
    """Remove every record, plan and waiting question: each phrasing is new."""
    for entry in entries.values():
        coord = coordinator(entry)
        history = coord.history
        for record_id in [*history.sessions, *history.moods]:
            await coord.async_delete_record(record_id)
    hass.data.get(DATA_PENDING, {}).clear()
    satellite = hass.data[DATA_COMPONENT].get_entity(SATELLITE)
    assert isinstance(satellite, Speaker)
    satellite.answers.clear()


def records(entries: dict[str, MockConfigEntry]) -> list[dict[str, object]]:
    """Return every profile's sessions and mood entries, as stored."""
    return [
        record
        for entry in entries.values()
        for record in (
            *sessions(entry),
            *(m.as_dict() for m in coordinator(entry).history.moods.values()),
        )
    ]


async def seed(entry: MockConfigEntry) -> None:
    """Store what the questions are asked about."""
    coord = coordinator(entry)
    for start, metres, seconds, before, after in SEEDED_RUNS:
        await coord.async_log_session(
            start=start,
            activity=Activity.RUN,
            distance=metres,
            duration=seconds,
            mood_before=before,
            mood_after=after,
        )
    if not coord.history.plans:
        await coord.async_plan_run(start=PLANNED)


def numbers_in(text: str) -> tuple[str, ...]:
    """Return the numbers (and times of day) said, in order."""
    return tuple(
        n.replace(",", ".") for n in re.findall(r"\d+(?::\d\d|[.,]\d+)?", text)
    )


def session_effect(case: Case, stored: dict[str, object]) -> list[str]:
    """Return how a stored session differs from what was said."""
    start = dt_util.as_local(dt_util.parse_datetime(str(stored["start"])) or TODAY)
    want = {
        "activity": case.activity,
        "distance": case.distance,
        "duration": case.duration,
        "mood_after": case.mood_after,
        "day": TODAY - timedelta(days=case.days_back),
    }
    got = {
        "activity": stored["activity"],
        "distance": stored["distance"],
        "duration": stored["duration"],
        "mood_after": stored["mood_after"],
        "day": start.date(),
    }
    if case.hour is not None:
        want["hour"] = case.hour
        if case.days_back == 0 and case.duration:
            # Never in the future: it ended by now (8:00) at the latest.
            want["hour"] = min(case.hour, int(8 - case.duration / 3600))
        got["hour"] = start.hour
    return [f"{k} {got[k]!r}, want {v!r}" for k, v in want.items() if got[k] != v]


async def say(
    hass: HomeAssistant,
    text: str,
    *,
    code: str,
    mode: str,
    user: MockUser,
    conversation_id: str | None = None,
) -> conversation.ConversationResult:
    """Say it in the app (as Alex's user) or on Alex's satellite (no user)."""
    if mode == "app":
        return await converse(
            hass,
            text,
            code,
            context=Context(user_id=user.id),
            conversation_id=conversation_id,
        )
    return await converse(
        hass, text, code, satellite=True, conversation_id=conversation_id
    )


async def attempt(
    hass: HomeAssistant,
    case: Case,
    *,
    code: str,
    mode: str,
    user: MockUser,
    entries: dict[str, MockConfigEntry],
) -> Outcome:
    """Say one phrasing afresh and judge its effect."""
    await clear(hass, entries)
    satellite = hass.data[DATA_COMPONENT].get_entity(SATELLITE)
    assert isinstance(satellite, Speaker)
    mine, other = entries[case.who], entries["Sam" if case.who == "Alex" else "Alex"]
    if case.intent in QUESTIONS:
        await seed(mine)
    if case.before is not None:
        await say(hass, case.before, code=code, mode=mode, user=user)
        if not sessions(mine):
            return Outcome(case, "wrong", f"{case.before!r} logged nothing first")
        hass.data.get(DATA_PENDING, {}).clear()
    if case.then is not None and mode == "satellite":
        # The satellite asks back and hears the answer without a wake word.
        satellite.answers.append(case.then)
    records_before = records(entries)
    result = await say(hass, case.text, code=code, mode=mode, user=user)
    answer = spoken(result)
    heard = result.response.intent.intent_type if result.response.intent else None
    if case.then is not None and mode == "app":
        await say(
            hass,
            case.then,
            code=code,
            mode=mode,
            user=user,
            conversation_id=result.conversation_id,
        )
    stored_sessions, stored_moods = sessions(mine), moods(mine)
    problems: list[str] = []
    if heard != case.intent:
        problems.append(f"intent {heard}, want {case.intent}")
    if sessions(other) or moods(other):
        problems.append(f"stored for {other.title}")
    if case.intent == LOG_RUN:
        if len(stored_sessions) != 1:
            problems.append(f"{len(stored_sessions)} sessions stored")
        else:
            problems.extend(session_effect(case, stored_sessions[0]))
        if stored_moods:
            problems.append(f"moods {stored_moods} stored as well")
    elif case.intent == UNDO:
        if stored_sessions:
            problems.append("the session logged before is still there")
    elif case.intent in QUESTIONS:
        if case.numbers is not None and numbers_in(answer) != case.numbers:
            problems.append(f"numbers {numbers_in(answer)}, want {case.numbers}")
    elif stored_sessions:
        problems.append("a session was stored")
    if case.intent in {LOG_MOOD, ASK_MOOD} and stored_moods != [case.mood]:
        problems.append(f"moods {stored_moods}, want {[case.mood]}")
    if not problems:
        return Outcome(case, "right")
    # Not understood: no intent of ours answered and no record changed.
    ours = heard is not None and heard.startswith("RunWellbeing")
    unheard = not ours and records(entries) == records_before
    detail = f"{'; '.join(problems)}; answered {answer!r}"
    return Outcome(case, "miss" if unheard else "wrong", detail)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("code", list(HELD_OUT))
async def test_held_out_phrasings(
    hass: HomeAssistant,
    profiles: dict[str, MockConfigEntry],
    people: MockUser,
    code: str,
    mode: str,
) -> None:
    """Every held-out phrasing has the right effect; none a wrong one."""
    await hass.config.async_update(language=code)
    outcomes = [
        await attempt(hass, case, code=code, mode=mode, user=people, entries=profiles)
        for case in HELD_OUT[code]
    ]
    wrong = [o for o in outcomes if o.verdict == "wrong"]
    missed = [o for o in outcomes if o.verdict == "miss"]
    report = "\n".join(
        f"{o.verdict}: {o.case.text!r}: {o.detail}" for o in [*wrong, *missed]
    )
    right = len(outcomes) - len(wrong) - len(missed)
    assert len(wrong) == 0, f"{len(wrong)} wrong effects in {code} ({mode}):\n{report}"
    assert right >= 0.8 * len(outcomes), report
    assert not missed, report


def test_tables_are_held_out() -> None:
    """Each language has 12 to 24 phrasings of its own, none from the tables."""
    for code, cases in HELD_OUT.items():
        texts = [case.text for case in cases]
        assert 12 <= len(texts) <= 24, code
        assert len(set(texts)) == len(texts), code
        lang = TABLES[code]
        seen = {said.text.lower() for said in generated(lang)}
        seen |= {text.lower() for text, _ in lang.questions}
        seen |= {text.lower() for text, _ in lang.moods}
        seen |= {text.lower() for text in (*lang.mood_words, *lang.undo)}
        assert not seen & {text.lower() for text in texts}, code


@pytest.mark.usefixtures("profiles")
async def test_the_judge(hass: HomeAssistant, people: MockUser) -> None:
    """A wrong effect is counted as wrong, a sentence nobody knows as a miss."""
    entries = {
        entry.title: entry
        for entry in hass.config_entries.async_entries("run_wellbeing")
    }
    judged = [
        await attempt(hass, case, code="en", mode="app", user=people, entries=entries)
        for case in (
            run("I ran 5 km", activity="run", distance=5000),
            run("I walked 5 km", activity="run", distance=5000),
            run("I ran 5 km", activity="run", distance=5000, who="Sam"),
            Case("log my mood as 6", LOG_MOOD, mood=7),
            ask("how far have I run this week", DISTANCE, "15"),
            run("please teleport me five kilometres", activity="run", distance=5000),
        )
    ]
    assert [outcome.verdict for outcome in judged] == [
        "right",
        "wrong",
        "wrong",
        "wrong",
        "wrong",
        "miss",
    ]
