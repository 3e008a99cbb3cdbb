"""Who is speaking to Assist, and what to say back to them.

Kept apart from the intent handlers so the rules for picking a profile and the
wording of answers can be read (and changed) in one place.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import UnitOfLength
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.util import dt as dt_util, slugify
from homeassistant.util.unit_conversion import DistanceConverter
from homeassistant.util.unit_system import METRIC_SYSTEM

from .const import CONF_PERSON, DOMAIN
from .coordinator import RunWellbeingConfigEntry
from .models import Activity
from .stats import Summary

UNIT_WORDS = {"km": "kilometre", "mi": "mile", "m": "metre"}
ACTIVITY_WORDS = {
    Activity.RUN: "run",
    Activity.WALK: "walk",
    Activity.HIKE: "hike",
    Activity.CYCLE: "bike ride",
    Activity.SWIM: "swim",
    Activity.YOGA: "yoga session",
    Activity.DANCE: "dance",
    Activity.STRENGTH: "strength session",
    Activity.OTHER: "activity",
}


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


def _names(entries: list[RunWellbeingConfigEntry]) -> str:
    names = [entry.title for entry in entries]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} or {names[-1]}"


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
def resolve_profile(
    hass: HomeAssistant, intent_obj: intent.Intent, requested: str | None
) -> RunWellbeingConfigEntry:
    """Return the profile a request is for, or refuse rather than guess.

    An explicit profile name wins; then the profile linked to the speaker's
    person; then the only profile, unless it belongs to someone else.
    """
    entries = loaded_profiles(hass)
    if not entries:
        raise RefusedError("No Run Wellbeing profile is set up yet.")
    if requested:
        wanted = slugify(requested)
        for entry in entries:
            if slugify(entry.title) == wanted:
                return entry
        raise RefusedError(
            f"There is no Run Wellbeing profile called {requested}. "
            f"The profiles are {_names(entries)}."
        )
    persons = speaker_persons(hass, intent_obj.context.user_id)
    linked = [entry for entry in entries if entry.options.get(CONF_PERSON) in persons]
    if len(linked) == 1:
        return linked[0]
    if len(entries) == 1 and not linked:
        only = entries[0]
        if not persons or only.options.get(CONF_PERSON) is None:
            return only
        raise RefusedError(
            f"The only Run Wellbeing profile belongs to {only.title}, "
            "and it is not linked to you."
        )
    candidates = linked or entries
    raise RefusedError(
        f"I don't know whose profile this is for: {_names(candidates)}. "
        f"Say for example “for {candidates[0].title}”, or link each profile "
        "to its person in the profile's options."
    )


def number(value: float) -> str:
    """Return a number as it is said: 5.0 is "5", 5.25 is "5.3"."""
    return f"{value:.1f}".removesuffix(".0")


def article(spoken_number: str) -> str:
    """Return "a" or "an" for a number said in English (an 8, an 11, an 18)."""
    whole = spoken_number.split(".", 1)[0]
    return "an" if whole in ("11", "18") or whole.startswith("8") else "a"


def plural(count: float, word: str) -> str:
    """Return "1 week", "2 weeks", "1.5 kilometres"."""
    return f"{number(count)} {word}" + ("" if count == 1 else "s")


def home_distance_unit(hass: HomeAssistant) -> str:
    """Return the distance unit people in this home think in."""
    return "km" if hass.config.units is METRIC_SYSTEM else "mi"


def logged_speech(
    *,
    activity: Activity,
    distance: float | None,
    unit: str,
    minutes: float | None,
    counted: bool,
    summary: Summary,
) -> str:
    """Return the answer to a logged session, with the week's progress."""
    noun = ACTIVITY_WORDS[activity]
    if distance is not None:
        amount = number(distance)
        what = f"{article(amount)} {amount} {UNIT_WORDS[unit]} {noun}"
        if minutes is not None:
            what += f" in {plural(minutes, 'minute')}"
    else:
        assert minutes is not None
        amount = number(minutes)
        what = f"{article(amount)} {amount} minute {noun}"
    speech = f"Logged {what}."
    if counted:
        speech += " " + progress_speech(summary)
    return speech


def progress_speech(summary: Summary) -> str:
    """Return "That's 2 of 3 this week." and say when the goal is reached."""
    runs, goal = summary.runs_this_week, summary.weekly_goal
    if runs < goal:
        return f"That's {runs} of {goal} this week."
    if runs == goal:
        return f"That's {runs} of {goal} this week. Weekly goal reached!"
    return f"That's {runs} this week, more than your goal of {goal}."


def mood_speech(mood: int) -> str:
    """Return the answer to a logged mood."""
    return f"Logged your mood as {mood} out of 10."


def streak_speech(summary: Summary) -> str:
    """Return the answer to "what is my running streak"."""
    goal = summary.weekly_goal
    left = goal - summary.runs_this_week
    if summary.streak == 0:
        return (
            "You have no streak yet. Reach your goal of "
            f"{plural(goal, 'run')} this week to start one."
        )
    speech = f"Your streak is {plural(summary.streak, 'week')}."
    if left > 0:
        speech += f" {plural(left, 'more run')} this week will keep it going."
    return speech


def week_speech(hass: HomeAssistant, summary: Summary) -> str:
    """Return the answer to "how many runs this week", in the home's units."""
    runs, goal = summary.runs_this_week, summary.weekly_goal
    if runs > goal:
        speech = f"You've done {runs} runs this week, more than your goal of {goal}."
    else:
        speech = f"You've done {runs} of {plural(goal, 'run')} this week."
    if summary.distance_this_week > 0:
        unit = home_distance_unit(hass)
        distance = DistanceConverter.convert(
            summary.distance_this_week,
            UnitOfLength.KILOMETERS,
            UnitOfLength.MILES if unit == "mi" else UnitOfLength.KILOMETERS,
        )
        speech += f" That's {plural(round(distance, 1), UNIT_WORDS[unit])} in total."
    if runs == goal:
        speech += " Weekly goal reached!"
    return speech


def next_run_speech(next_run: datetime | None, now: datetime) -> str:
    """Return the answer to "when is my next run", in local time."""
    if next_run is None:
        return "No run is planned."
    local = dt_util.as_local(next_run)
    days = (local.date() - dt_util.as_local(now).date()).days
    if days == 0:
        day = "today"
    elif days == 1:
        day = "tomorrow"
    elif days < 7:
        day = f"on {local:%A}"
    else:
        day = f"on {local:%A} {local.day} {local:%B}"
    return f"Your next run is {day} at {local.hour}:{local.minute:02d}."
