"""Who is speaking to Assist, and what to say back to them.

Kept apart from the intent handlers so the rules for picking a profile and the
wording of answers can be read (and changed) in one place.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import UnitOfLength
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    intent,
)
from homeassistant.util import dt as dt_util, slugify
from homeassistant.util.unit_conversion import DistanceConverter

from ..const import CONF_PERSON, CONF_VOICE_AREAS, CONF_VOICE_SATELLITES, DOMAIN
from ..coordinator import RunWellbeingConfigEntry
from ..core.models import Activity, MoodEntry, Plan, Session
from ..core.stats import Summary
from ..services import default_distance_unit
from .phrases import is_english, label, names_said, text, word


class RefusedError(Exception):
    """An answer that refuses the request; nothing was stored."""

    def __init__(self, speech: str) -> None:
        """Keep what to say."""
        super().__init__(speech)
        self.speech = speech


@callback
def loaded_profiles(hass: HomeAssistant) -> list[RunWellbeingConfigEntry]:
    """Return the loaded profiles, by name."""
    entries: list[RunWellbeingConfigEntry] = [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    ]
    return sorted(entries, key=lambda entry: entry.title.casefold())


@callback
def speaker_persons(hass: HomeAssistant, user_id: str | None) -> set[str]:
    """Return the person entities of the Home Assistant user who is speaking."""
    if user_id is None:
        return set()
    return {
        state.entity_id
        for state in hass.states.async_all("person")
        if state.attributes.get("user_id") == user_id
    }


@callback
def satellite_area(
    hass: HomeAssistant, satellite_id: str | None, device_id: str | None
) -> str | None:
    """Return the area of the satellite (or device) that heard the request."""
    area_id: str | None = None
    if satellite_id is not None and (
        entity := er.async_get(hass).async_get(satellite_id)
    ):
        area_id = entity.area_id
        device_id = entity.device_id or device_id
    if (
        area_id is None
        and device_id is not None
        and (device := dr.async_get(hass).async_get(device_id)) is not None
    ):
        area_id = device.area_id
    return area_id


@callback
def satellite_profiles(
    hass: HomeAssistant,
    entries: list[RunWellbeingConfigEntry],
    intent_obj: intent.Intent,
) -> list[RunWellbeingConfigEntry]:
    """Return the profiles linked to the satellite spoken to, else to its area."""
    satellite = intent_obj.satellite_id
    if satellite is not None:
        linked = [
            entry
            for entry in entries
            if satellite in entry.options.get(CONF_VOICE_SATELLITES, ())
        ]
        if linked:
            return linked
    area = satellite_area(hass, satellite, intent_obj.device_id)
    if area is None:
        return []
    return [
        entry for entry in entries if area in entry.options.get(CONF_VOICE_AREAS, ())
    ]


@callback
def resolve_profile(
    hass: HomeAssistant, intent_obj: intent.Intent, requested: str | None
) -> RunWellbeingConfigEntry:
    """Return the profile a request is for, or ask rather than guess.

    A name said wins; then the profile linked to the satellite spoken to (or
    its area); then the one linked to the speaker's person; then the only
    profile, unless it belongs to someone else. Otherwise WhoError: the
    handler asks "Who is this for, Alex or Sam?".
    """
    language = intent_obj.language
    entries = loaded_profiles(hass)
    if not entries:
        raise RefusedError(text(language, "no_profile"))
    if requested:
        wanted = slugify(requested)
        for entry in entries:
            if slugify(entry.title) == wanted:
                return entry
        raise RefusedError(
            text(
                language,
                "unknown_profile",
                name=requested,
                names=names_said(language, [entry.title for entry in entries]),
            )
        )
    if len(on_satellite := satellite_profiles(hass, entries, intent_obj)) == 1:
        return on_satellite[0]
    persons = speaker_persons(hass, intent_obj.context.user_id)
    linked = [entry for entry in entries if entry.options.get(CONF_PERSON) in persons]
    if len(linked) == 1:
        return linked[0]
    if len(entries) == 1 and not linked:
        only = entries[0]
        if not persons or only.options.get(CONF_PERSON) is None:
            return only
        raise RefusedError(text(language, "not_linked", name=only.title))
    raise WhoError(on_satellite or linked or entries)


class WhoError(RefusedError):
    """Several profiles fit: ask whose it is, and store nothing yet."""

    def __init__(self, candidates: list[RunWellbeingConfigEntry]) -> None:
        """Keep the profiles to choose from."""
        super().__init__("")
        self.candidates = candidates


def number(value: float, language: str | None = None) -> str:
    """Return a number as it is said: 5.0 is "5", 5.25 is "5.3" ("5,3" in de)."""
    said = f"{value:.1f}".removesuffix(".0")
    return said.replace(".", str(text(language, "decimal")))


def article(spoken_number: str) -> str:
    """Return "a" or "an" for a number said in English (an 8, an 11, an 18)."""
    whole = spoken_number.split(".", 1)[0]
    return "an" if whole in ("11", "18") or whole.startswith("8") else "a"


def plural(count: float, key: str, language: str | None = None) -> str:
    """Return "1 week", "2 weeks", "1.5 kilometres", in the language."""
    return f"{number(count, language)} {word(language, key, count)}"


def minutes_said(minutes: float, language: str | None) -> str:
    """Return a length of time: "45 minutes", "1 hour 20 minutes"."""
    hours, rest = divmod(round(minutes), 60)
    if not hours:
        return plural(rest, "minute", language)
    said = plural(hours, "hour", language)
    return f"{said} {plural(rest, 'minute', language)}" if rest else said


def day_said(language: str | None, start: datetime, now: datetime) -> str:
    """Return "", " yesterday" or " on Saturday" for when a session started."""
    days = (dt_util.as_local(now).date() - dt_util.as_local(start).date()).days
    if days <= 0:
        return ""
    if days == 1:
        return text(language, "yesterday")
    weekday = label(language, "weekday", str(dt_util.as_local(start).weekday()))
    return text(language, "on_day", day=weekday)


def _english_what(
    activity: Activity, distance: float | None, unit: str, minutes: float | None
) -> str:
    noun = label("en", "activity", activity)
    if distance is not None:
        amount = number(distance)
        what = f"{article(amount)} {amount} {word('en', unit, 1)} {noun}"
        if minutes is not None:
            what += f" in {plural(minutes, 'minute')}"
        return what
    if minutes is not None:
        amount = number(minutes)
        return f"{article(amount)} {amount} minute {noun}"
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def session_said(
    language: str | None,
    activity: Activity,
    distance: float | None,
    unit: str,
    minutes: float | None,
) -> tuple[str, str]:
    """Return (what, details): the activity and, apart, its distance and time."""
    if is_english(language):
        return _english_what(activity, distance, unit, minutes), ""
    parts = []
    if distance is not None:
        parts.append(plural(distance, unit, language))
    if minutes is not None:
        parts.append(plural(minutes, "minute", language))
    separator = " : " if (language or "").startswith("fr") else ": "
    in_word = {"de": "in", "nl": "in", "fr": "en", "es": "en"}.get(
        (language or "")[:2], "in"
    )
    details = separator + f" {in_word} ".join(parts) if parts else ""
    return label(language, "activity", activity), details


def logged_speech(
    *,
    language: str | None = None,
    activity: Activity,
    distance: float | None,
    unit: str,
    minutes: float | None,
    counted: bool,
    summary: Summary,
    mood: int | None = None,
    name: str | None = None,
    when: str = "",
) -> str:
    """Return the answer to a logged session: everything stored, then progress."""
    what, details = session_said(language, activity, distance, unit, minutes)
    speech = text(
        language,
        "logged",
        what=what,
        details=details,
        whose=text(language, "whose", name=name) if name else "",
        when=when,
        mood="" if mood is None else text(language, "mood_part", mood=mood),
    )
    if counted:
        speech += " " + progress_speech(summary, language)
    return speech


def progress_speech(summary: Summary, language: str | None = None) -> str:
    """Return "That's 2 of 3 this week." and say when the goal is reached."""
    runs, goal = summary.runs_this_week, summary.weekly_goal
    key = (
        "progress"
        if runs < goal
        else "progress_met"
        if runs == goal
        else ("progress_more")
    )
    return text(language, key, runs=runs, goal=goal)


def mood_speech(mood: int, language: str | None = None, name: str | None = None) -> str:
    """Return the answer to a logged mood."""
    if name:
        return text(language, "mood_logged_named", mood=mood, name=name)
    return text(language, "mood_logged", mood=mood)


def streak_speech(summary: Summary, language: str | None = None) -> str:
    """Return the answer to "what is my running streak"."""
    goal = summary.weekly_goal
    left = goal - summary.runs_this_week
    if summary.streak == 0:
        return text(language, "streak_none", goal=plural(goal, "run", language))
    speech = text(language, "streak", weeks=plural(summary.streak, "week", language))
    if left > 0:
        speech += text(language, "streak_left", left=plural(left, "more_run", language))
    return speech


def distance_said(hass: HomeAssistant, km: float, language: str | None) -> str:
    """Return a distance in the home's unit: "12.5 kilometres"."""
    unit = default_distance_unit(hass)
    distance = DistanceConverter.convert(
        km,
        UnitOfLength.KILOMETERS,
        UnitOfLength.MILES if unit == "mi" else UnitOfLength.KILOMETERS,
    )
    return plural(round(distance, 1), unit, language)


def week_speech(
    hass: HomeAssistant, summary: Summary, language: str | None = None
) -> str:
    """Return the answer to "how many runs this week", in the home's units."""
    runs, goal = summary.runs_this_week, summary.weekly_goal
    if runs > goal:
        speech = text(language, "week_more", runs=runs, goal=goal)
    else:
        speech = text(
            language, "week_runs", runs=runs, goal=plural(goal, "run", language)
        )
    if summary.distance_this_week > 0:
        speech += text(
            language,
            "week_distance",
            distance=distance_said(hass, summary.distance_this_week, language),
        )
    if runs == goal:
        speech += text(language, "goal_reached")
    return speech


def time_said(local: datetime) -> str:
    """Return a local time as said on a 24-hour clock: "7:00"."""
    return f"{local.hour}:{local.minute:02d}"


def next_run_speech(
    next_run: datetime | None, now: datetime, language: str | None = None
) -> str:
    """Return the answer to "when is my next run", in local time."""
    if next_run is None:
        return text(language, "next_none")
    local = dt_util.as_local(next_run)
    days = (local.date() - dt_util.as_local(now).date()).days
    weekday = label(language, "weekday", str(local.weekday()))
    if days == 0:
        day = text(language, "today")
    elif days == 1:
        day = text(language, "tomorrow")
    elif is_english(language):
        day = f"on {weekday}" if days < 7 else f"on {weekday} {local.day} {local:%B}"
    elif days < 7:
        day = (
            weekday
            if (language or "").startswith(("fr", "es"))
            else (
                f"am {weekday}"
                if (language or "").startswith("de")
                else f"op {weekday}"
            )
        )
    else:
        day = f"{weekday} {local.day}.{local.month}."
    return text(language, "next", day=day, time=time_said(local))


def undone_speech(
    record: Session | MoodEntry | Plan,
    language: str | None,
    unit: str,
    to_unit: float,
) -> str:
    """Return what undo removed: "Removed a 5 kilometre run."."""
    if isinstance(record, Session):
        distance = None if record.distance is None else record.distance / to_unit
        minutes = None if record.duration is None else record.duration / 60
        what, details = session_said(language, record.activity, distance, unit, minutes)
        if details:
            what += ", " + details.split(": ", 1)[1]
        return text(language, "undone", what=what)
    if isinstance(record, MoodEntry):
        return text(
            language, "undone", what=text(language, "undone_mood", mood=record.mood)
        )
    local = dt_util.as_local(record.start)
    weekday = label(language, "weekday", str(local.weekday()))
    return text(
        language,
        "undone",
        what=text(language, "undone_plan", day=weekday, time=time_said(local)),
    )
