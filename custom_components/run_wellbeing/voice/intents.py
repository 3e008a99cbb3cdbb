"""Assist intents: log runs and moods and ask about progress by voice.

The `intent` integration calls `async_setup_intents` for every loaded
integration with this platform. The same handlers serve the built-in agent
(templates/en.yaml) and LLM agents (llm.py), so they validate what they get,
pick the speaker's profile, and answer with something short to say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, ClassVar, Final, override

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import chat_session, intent
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey
import probatio as vol

from ..const import (
    CONF_ASK_MOOD_AFTER_RUN,
    DEFAULT_ASK_MOOD_AFTER_RUN,
    DOMAIN,
    INTENT_ANSWER_MOOD,
    INTENT_GET_DISTANCE,
    INTENT_GET_DURATION,
    INTENT_GET_LONGEST_STREAK,
    INTENT_GET_MOOD_LIFT,
    INTENT_GET_MOOD_SCORE,
    INTENT_GET_NEXT_RUN,
    INTENT_GET_ON_TRACK,
    INTENT_GET_RAN_TODAY,
    INTENT_GET_STREAK,
    INTENT_GET_WEEK,
    INTENT_LOG_MOOD,
    INTENT_LOG_MOOD_WORD,
    INTENT_LOG_RUN,
    INTENT_UNDO,
)
from ..coordinator import (
    RunWellbeingConfigEntry,
    RunWellbeingCoordinator,
    refused,
)
from ..core.models import (
    MAX_DISTANCE_M,
    MAX_DURATION_S,
    MOOD_MAX,
    MOOD_MIN,
    WEEKDAYS,
    Activity,
    MoodEntry,
    Plan,
    RecordError,
    Session,
    Source,
)
from ..ownership import async_may_manage
from ..services import DISTANCE_UNITS, default_distance_unit, to_metres
from .follow_up import async_ask_on_satellite
from .phrases import label, names_said, text, word
from .replies import (
    RefusedError,
    WhoError,
    day_said,
    distance_said,
    loaded_profiles,
    logged_speech,
    minutes_said,
    mood_speech,
    next_run_speech,
    number,
    plural,
    resolve_profile,
    streak_speech,
    undone_speech,
    week_speech,
)

SLOT_PROFILE = "profile"
SLOT_DISTANCE = "distance"
SLOT_DISTANCE_UNIT = "distance_unit"
SLOT_DURATION = "duration"
SLOT_ACTIVITY = "activity"
SLOT_MOOD = "mood"
SLOT_HOURS = "hours"
SLOT_RACE = "race"
SLOT_DAY = "day"
SLOT_PART = "part"
SLOT_NEGATIVE = "negative"
"""Set by sentences like "I ran minus 3 km", so they can be refused aloud."""

SLOT_RECORD = "record"
SLOT_NEVERMIND = "nevermind"
"""Set by "forget it", "laat maar": undo the log just made, else never mind."""
SLOT_CONFIRMED = "confirmed"
SLOT_FEELING = "feeling"

INTENT_ANSWER_WHO: Final = "RunWellbeingAnswerWho"
INTENT_CONFIRM: Final = "RunWellbeingConfirm"

UNDO_WINDOW: Final = timedelta(minutes=15)
PENDING_FOR: Final = timedelta(minutes=5)
"""How long a question ("Who is this for?", "From 1 to 10?") waits for its answer."""
PENDING_MOOD_FOR: Final = PENDING_FOR

PLAUSIBLE_KM: Final = {Activity.CYCLE: 400.0, Activity.SWIM: 50.0}
"""Farther than this in one session is confirmed before it is stored."""
PLAUSIBLE_KM_OTHER: Final = 120.0
PLAUSIBLE_MINUTES: Final = 12 * 60


@dataclass(slots=True)
class Pending:
    """A question Assist asked and the request its answer completes."""

    kind: str
    """who, mood, mood_after or confirm."""
    asked: datetime
    entry_id: str | None = None
    name: str | None = None
    intent_type: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    record_id: str | None = None
    question: str = ""
    """What to ask again on a satellite that stopped listening."""


DATA_PENDING: HassKey[dict[str, Pending]] = HassKey(f"{DOMAIN}_pending")
"""Conversation id (and satellite) -> the question waiting there."""


def _pending_keys(intent_obj: intent.Intent) -> list[str]:
    keys = []
    if (conversation_id := _conversation_id()) is not None:
        keys.append(conversation_id)
    if intent_obj.satellite_id is not None:
        # A satellite's next request may start a new conversation.
        keys.append(f"satellite:{intent_obj.satellite_id}")
    return keys


def remember(hass: HomeAssistant, intent_obj: intent.Intent, pending: Pending) -> None:
    """Keep a question for the next request in this conversation or satellite."""
    waiting = hass.data.setdefault(DATA_PENDING, {})
    # Questions nobody answered are forgotten, so this never grows.
    for stale in [
        k for k, v in waiting.items() if pending.asked - v.asked > PENDING_FOR
    ]:
        del waiting[stale]
    for key in _pending_keys(intent_obj):
        waiting[key] = pending


def recall(
    hass: HomeAssistant, intent_obj: intent.Intent, *kinds: str
) -> Pending | None:
    """Return (and forget) the question of one of these kinds asked here."""
    waiting = hass.data.get(DATA_PENDING, {})
    keys = _pending_keys(intent_obj)
    for key in keys:
        pending = waiting.get(key)
        if pending is None or pending.kind not in kinds:
            continue
        for other in keys:
            if waiting.get(other) is pending:
                del waiting[other]
        if dt_util.utcnow() - pending.asked <= PENDING_FOR:
            return pending
    return None


def forget(hass: HomeAssistant, intent_obj: intent.Intent) -> None:
    """Forget the question asked here: another request came instead."""
    waiting = hass.data.get(DATA_PENDING, {})
    for key in _pending_keys(intent_obj):
        waiting.pop(key, None)


MOOD_SLOT = vol.All(vol.Coerce(int), vol.Range(min=MOOD_MIN, max=MOOD_MAX))


@dataclass(slots=True)
class Ask:
    """One request: whose profile, in which language, from whom."""

    hass: HomeAssistant
    entry: RunWellbeingConfigEntry
    intent: intent.Intent
    name: str | None
    """The profile's name when the request named it, so the answer does too."""

    @property
    def coordinator(self) -> RunWellbeingCoordinator:
        """Return the profile's coordinator."""
        return self.entry.runtime_data

    @property
    def language(self) -> str:
        """Return the language to answer in."""
        return self.intent.language

    def say(self, key: str, **fields: object) -> str:
        """Return a reply in the request's language."""
        return text(self.language, key, **fields)


class RunWellbeingIntentHandler(intent.IntentHandler):
    """Resolve the profile, run the request, and speak the answer or refusal."""

    response_type = intent.IntentResponseType.ACTION_DONE
    slots: ClassVar[dict[Any, Any]] = {}
    """What LLM agents are told they may pass, besides the profile's name."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Keep hass: the profile slot lists the loaded profiles."""
        self.hass = hass

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """Return the slots, with the names of the profiles loaded right now."""
        schema = dict(self.slots)
        if names := [entry.title for entry in loaded_profiles(self.hass)]:
            schema[
                vol.Optional(
                    SLOT_PROFILE,
                    description=(
                        "Whose profile. Leave out for the speaker's own; when "
                        "there are several and the answer says it is not "
                        "known, ask the user."
                    ),
                )
            ] = vol.In(names)
        return schema

    def profile(
        self, intent_obj: intent.Intent, values: dict[str, Any]
    ) -> tuple[RunWellbeingConfigEntry, str | None]:
        """Return the profile asked about, and its name when it was said."""
        requested = _text(values.get(SLOT_PROFILE))
        entry = resolve_profile(self.hass, intent_obj, requested)
        return entry, entry.title if requested else None

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Answer the request, or ask or refuse aloud and store nothing."""
        values = {name: slot.get("value") for name, slot in intent_obj.slots.items()}
        return await self.respond(intent_obj, values, None)

    async def respond(
        self,
        intent_obj: intent.Intent,
        values: dict[str, Any],
        profile: tuple[RunWellbeingConfigEntry, str | None] | None,
    ) -> intent.IntentResponse:
        """Answer for a profile found now, or one a follow-up answer gave."""
        response = intent_obj.create_response()
        response.response_type = self.response_type
        language = intent_obj.language
        started = dt_util.utcnow()
        try:
            entry, name = profile or self.profile(intent_obj, values)
            speech = await self.answer(Ask(self.hass, entry, intent_obj, name), values)
        except WhoError as err:
            remember(
                self.hass,
                intent_obj,
                Pending(
                    "who",
                    dt_util.utcnow(),
                    intent_type=self.intent_type,
                    values=values,
                ),
            )
            names = [entry.title for entry in err.candidates]
            speech = text(language, "who", names=names_said(language, names))
            response.response_type = intent.IntentResponseType.QUERY_ANSWER
        except RefusedError as err:
            # Said, not shown as an error: the request was heard, and refused.
            speech = err.speech
            response.response_type = intent.IntentResponseType.QUERY_ANSWER
        except ServiceValidationError as err:
            speech = f"{err}."
            response.response_type = intent.IntentResponseType.QUERY_ANSWER
        response.async_set_speech(speech)
        keys = _pending_keys(intent_obj)
        waiting = self.hass.data.get(DATA_PENDING, {})
        if keys and (pending := waiting.get(keys[0])) and pending.asked >= started:
            # We asked something: the satellite must hear the answer too.
            async_ask_on_satellite(
                self.hass, intent_obj, pending.question or speech, _conversation_id()
            )
        return response

    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Do what was asked and return what to say."""
        raise NotImplementedError


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


def _number(value: Any, field: str) -> float | None:
    """Read a number slot; the agent gives floats for digits and ints for words."""
    if value is None:
        return None
    try:
        return float(value)
    except TypeError, ValueError:
        raise RefusedError(f"I didn't understand the {field} {value}.") from None


DAY_HOURS = {"morning": 7, "afternoon": 14, "evening": 19}
"""When a session said to be on a past day ("yesterday evening") started."""
PLAIN_DAY_HOUR = 12


def session_start(
    day: str | None, part: str | None, minutes: float | None, now: datetime
) -> datetime | None:
    """Return when a session said to be on a day started, never in the future.

    "yesterday" starts at noon, "this morning" at 7:00, "on Saturday" on the
    last Saturday before today; with no day, it ended just now.
    """
    ended_now = None
    if minutes is not None and 0 < minutes <= MAX_DURATION_S / 60:
        ended_now = now - timedelta(minutes=minutes)
    if day is not None and "@" in day:
        day, said_part = day.split("@", 1)
        part = part or said_part
    if day in (None, "0") and part is None:
        return ended_now
    today = dt_util.as_local(now).date()
    if day in WEEKDAYS:
        back = (today.weekday() - WEEKDAYS.index(day)) % 7 or 7
    else:
        back = -int(day or 0)
    hour = DAY_HOURS.get(part or "", PLAIN_DAY_HOUR)
    start = datetime.combine(
        today - timedelta(days=back), time(hour), dt_util.get_default_time_zone()
    )
    latest = ended_now or now
    return min(start, latest)


def _mood(value: Any) -> int | None:
    """Read a mood slot, refusing anything but a whole number from 1 to 10."""
    mood = _number(value, "mood")
    if mood is None:
        return None
    if not mood.is_integer() or not MOOD_MIN <= mood <= MOOD_MAX:
        raise refused(RecordError("invalid_mood", value=number(mood)))
    return int(mood)


class LogRunHandler(RunWellbeingIntentHandler):
    """Log a run, or any other activity, that just finished."""

    intent_type = INTENT_LOG_RUN
    description = (
        "Logs a run, walk or other activity the user has just done, for their "
        "Run Wellbeing habit tracker. Give the distance with its unit, or the "
        "duration in minutes, or both. Answers with the week's progress."
    )
    slots: ClassVar[dict[Any, Any]] = {
        vol.Optional(SLOT_DISTANCE, description="How far, in distance_unit"): vol.All(
            vol.Coerce(float), vol.Range(min=0)
        ),
        vol.Optional(
            SLOT_DISTANCE_UNIT,
            description="Unit of the distance; defaults to the home's unit system",
        ): vol.In(list(DISTANCE_UNITS)),
        vol.Optional(
            SLOT_DURATION, description="How long it took, in minutes"
        ): vol.All(vol.Coerce(float), vol.Range(min=0, max=1440)),
        vol.Optional(
            SLOT_ACTIVITY, description="What was done; defaults to run"
        ): vol.In([activity.value for activity in Activity]),
        vol.Optional(
            SLOT_MOOD, description="How the user feels now, 1 to 10"
        ): MOOD_SLOT,
    }

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Store the session with source voice; confirm it all and the progress."""
        coordinator = ask.coordinator
        distance = _number(values.get(SLOT_DISTANCE), "distance")
        minutes = _number(values.get(SLOT_DURATION), "duration")
        hours = _number(values.get(SLOT_HOURS), "hours")
        if hours is not None:
            minutes = hours * 60 + (minutes or 0)
        if values.get(SLOT_NEGATIVE) or (distance is not None and distance < 0):
            raise refused(RecordError("invalid_distance"))
        unit = _text(values.get(SLOT_DISTANCE_UNIT)) or default_distance_unit(self.hass)
        if unit not in DISTANCE_UNITS:
            raise RefusedError(f"I don't know the distance unit {unit}.")
        metres = None if distance is None else to_metres(self.hass, distance, unit)
        if (race := _number(values.get(SLOT_RACE), "race")) is not None:
            metres = race
            unit = "km" if default_distance_unit(self.hass) == "km" else "mi"
            distance = round(race / to_metres(self.hass, 1, unit), 4)
        try:
            activity = Activity(_text(values.get(SLOT_ACTIVITY)) or Activity.RUN)
        except ValueError:
            raise RefusedError(
                f"I don't know the activity {values[SLOT_ACTIVITY]}."
            ) from None
        mood = _mood(values.get(SLOT_MOOD))
        if not values.get(SLOT_CONFIRMED) and (
            asked := self._implausible(
                ask,
                activity=activity,
                metres=metres,
                distance=distance,
                unit=unit,
                minutes=minutes,
            )
        ):
            remember(
                self.hass,
                ask.intent,
                Pending(
                    "confirm",
                    dt_util.utcnow(),
                    ask.entry.entry_id,
                    ask.name,
                    self.intent_type,
                    values | {SLOT_CONFIRMED: True},
                ),
            )
            return asked
        now = dt_util.utcnow()
        start = session_start(
            _text(values.get(SLOT_DAY)), _text(values.get(SLOT_PART)), minutes, now
        )
        session = await coordinator.async_log_session(
            start=start,
            activity=activity,
            duration=None if minutes is None else minutes * 60,
            distance=metres,
            mood_after=mood,
            source=Source.VOICE,
            context=ask.intent.context,
        )
        speech = logged_speech(
            language=ask.language,
            activity=activity,
            distance=distance,
            unit=unit,
            minutes=minutes,
            counted=activity in coordinator.stats.settings.counted_activities,
            summary=coordinator.data,
            mood=mood,
            name=ask.name,
            when=day_said(ask.language, start or now, now),
        )
        if mood is None and (
            values.get(SLOT_FEELING)
            or ask.entry.options.get(
                CONF_ASK_MOOD_AFTER_RUN, DEFAULT_ASK_MOOD_AFTER_RUN
            )
        ):
            remember(
                self.hass,
                ask.intent,
                Pending(
                    "mood_after",
                    now,
                    ask.entry.entry_id,
                    ask.name,
                    record_id=session.id,
                ),
            )
            if ask.name:
                question = ask.say("ask_mood_after_named", name=ask.name)
            else:
                question = ask.say("ask_mood_after")
            waiting = self.hass.data[DATA_PENDING]
            for key in _pending_keys(ask.intent):
                waiting[key].question = question.strip()
            return speech + question
        return speech

    def _implausible(
        self,
        ask: Ask,
        *,
        activity: Activity,
        metres: float | None,
        distance: float | None,
        unit: str,
        minutes: float | None,
    ) -> str | None:
        """Return the question to ask when a value is hard to believe."""
        km = PLAUSIBLE_KM.get(activity, PLAUSIBLE_KM_OTHER)
        if (
            metres is not None
            and distance is not None
            and km * 1000 < metres <= MAX_DISTANCE_M
        ):
            amount = (
                f"{number(distance, ask.language)} {word(ask.language, unit, distance)}"
            )
            return ask.say("confirm_distance", amount=amount)
        if minutes is not None and PLAUSIBLE_MINUTES < minutes <= MAX_DURATION_S / 60:
            return ask.say(
                "confirm_duration", amount=minutes_said(minutes, ask.language)
            )
        return None


class LogMoodHandler(RunWellbeingIntentHandler):
    """Log how the user feels right now."""

    intent_type = INTENT_LOG_MOOD
    description = (
        "Logs how the user feels right now, from 1 (very low) to 10 (great), "
        "in their Run Wellbeing habit tracker. Never guess the number from "
        "words like 'low' or 'great': ask the user for 1 to 10 first."
    )
    slots: ClassVar[dict[Any, Any]] = {
        vol.Required(SLOT_MOOD, description="Mood from 1 (very low) to 10 (great)"): (
            MOOD_SLOT
        ),
    }

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Store the mood entry."""
        mood = _mood(values.get(SLOT_MOOD))
        if mood is None:
            raise RefusedError(ask.say("ask_mood"))
        pending = recall(self.hass, ask.intent, "mood_after")
        if pending is not None and pending.entry_id == ask.entry.entry_id:
            return await mood_after(ask, pending, mood)
        await ask.coordinator.async_log_mood(mood=mood, context=ask.intent.context)
        return mood_speech(mood, ask.language, ask.name)


def _conversation_id() -> str | None:
    """Return the id of the conversation this request belongs to, if any."""
    session = chat_session.current_session.get()
    return None if session is None else session.conversation_id


class AskMoodHandler(RunWellbeingIntentHandler):
    """A mood said in words: ask for the number, never guess it."""

    intent_type = INTENT_LOG_MOOD_WORD
    response_type = intent.IntentResponseType.QUERY_ANSWER

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Remember that the next answer in this conversation is a mood."""
        # After a run, the number that answers this is the mood after it.
        after = recall(self.hass, ask.intent, "mood_after")
        if after is None or after.entry_id != ask.entry.entry_id:
            after = Pending("mood", dt_util.utcnow(), ask.entry.entry_id, ask.name)
        after.asked = dt_util.utcnow()
        remember(self.hass, ask.intent, after)
        if ask.name:
            return ask.say("ask_mood_named", name=ask.name)
        return ask.say("ask_mood")


class AnswerMoodHandler(RunWellbeingIntentHandler):
    """A bare number, which is a mood only when we just asked for one."""

    intent_type = INTENT_ANSWER_MOOD

    @override
    def profile(
        self, intent_obj: intent.Intent, values: dict[str, Any]
    ) -> tuple[RunWellbeingConfigEntry, str | None]:
        """Return the profile we asked about in this conversation."""
        asked = recall(self.hass, intent_obj, "mood", "mood_after")
        if asked is not None:
            for entry in loaded_profiles(self.hass):
                if entry.entry_id == asked.entry_id:
                    values["_pending"] = asked
                    return entry, asked.name
        raise RefusedError(text(intent_obj.language, "no_question"))

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Store the mood entry, or the mood after the run just logged."""
        mood = _mood(values.get(SLOT_MOOD))
        assert mood is not None  # the sentence has the number
        pending: Pending = values["_pending"]
        if pending.record_id is not None:
            return await mood_after(ask, pending, mood)
        await ask.coordinator.async_log_mood(mood=mood, context=ask.intent.context)
        return mood_speech(mood, ask.language, ask.name)


async def mood_after(ask: Ask, pending: Pending, mood: int) -> str:
    """Store the mood as the mood after the session logged a moment ago."""
    assert pending.record_id is not None
    if pending.record_id not in ask.coordinator.history.sessions:
        # The session was removed meanwhile ("forget it"): a plain mood then.
        await ask.coordinator.async_log_mood(mood=mood, context=ask.intent.context)
        return mood_speech(mood, ask.language, ask.name)
    session = await ask.coordinator.async_update_record(
        pending.record_id, {"mood_after": mood}, ask.intent.context
    )
    assert isinstance(session, Session)
    what = label(ask.language, "activity", session.activity)
    if ask.name:
        return ask.say("mood_after_logged_named", name=ask.name, mood=mood, what=what)
    return ask.say("mood_after_logged", mood=mood, what=what)


class UndoHandler(RunWellbeingIntentHandler):
    """Remove the record logged last, when it was logged a moment ago."""

    intent_type = INTENT_UNDO
    description = (
        "Undoes the last Run Wellbeing record (run, other activity or mood) "
        "the user logged in the last 15 minutes, for example after a "
        "misheard request. Says what was removed, or that nothing was."
    )

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Remove it, if this user may, and say what it was."""
        if not await async_may_manage(self.hass, ask.entry, ask.intent.context.user_id):
            raise RefusedError(ask.say("undo_refused", name=ask.entry.title))
        forget(self.hass, ask.intent)
        kinds: tuple[type[Session | MoodEntry | Plan], ...] = {
            "session": (Session,),
            "mood": (MoodEntry,),
        }.get(_text(values.get(SLOT_RECORD)) or "", (Session, MoodEntry, Plan))
        record = await ask.coordinator.async_undo_last(
            UNDO_WINDOW, context=ask.intent.context, kinds=kinds
        )
        if record is None:
            if values.get(SLOT_NEVERMIND):
                # Nothing of ours to forget: as Home Assistant's "never mind".
                return ""
            return ask.say("nothing_to_undo")
        unit = default_distance_unit(self.hass)
        return undone_speech(record, ask.language, unit, to_metres(self.hass, 1, unit))


class QueryHandler(RunWellbeingIntentHandler):
    """A question about the profile; it changes nothing."""

    response_type = intent.IntentResponseType.QUERY_ANSWER


class GetStreakHandler(QueryHandler):
    """Tell the user their streak of weeks with the goal met."""

    intent_type = INTENT_GET_STREAK
    description = (
        "Tells the user their Run Wellbeing streak: consecutive weeks in which "
        "they reached their weekly running goal."
    )

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Say the streak in weeks."""
        return streak_speech(ask.coordinator.data, ask.language)


class GetLongestStreakHandler(QueryHandler):
    """Tell the user their longest streaks ever."""

    intent_type = INTENT_GET_LONGEST_STREAK
    description = (
        "Tells the user their longest Run Wellbeing streak ever, in weeks with "
        "the weekly goal met, and their longest streak of days with a run."
    )

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Say the longest week and day streaks."""
        data, lang = ask.coordinator.data, ask.language
        return ask.say(
            "longest",
            weeks=plural(data.longest_streak, "week", lang),
            days=plural(data.longest_day_streak, "day", lang),
        )


class GetWeekHandler(QueryHandler):
    """Tell the user how this week is going."""

    intent_type = INTENT_GET_WEEK
    description = (
        "Tells the user how many runs they have done this week against their "
        "weekly goal, and the distance covered."
    )

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Say the week's runs, goal and distance."""
        return week_speech(self.hass, ask.coordinator.data, ask.language)


class GetNextRunHandler(QueryHandler):
    """Tell the user when their next planned run is."""

    intent_type = INTENT_GET_NEXT_RUN
    description = "Tells the user when their next planned run is."

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Say the day and time of the next planned run."""
        return next_run_speech(
            ask.coordinator.data.next_planned_run, dt_util.utcnow(), ask.language
        )


def _you(ask: Ask) -> str:
    return ask.say("name_has", name=ask.name) if ask.name else ask.say("you_have")


class GetDistanceHandler(QueryHandler):
    """Tell the user how far they went this week."""

    intent_type = INTENT_GET_DISTANCE
    description = (
        "Tells the user the total distance of their counted activities "
        "(runs by default) this week, in the home's unit."
    )

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Say the week's distance."""
        km = ask.coordinator.data.distance_this_week
        if km <= 0:
            return ask.say("distance_none")
        return ask.say(
            "distance_week",
            you=_you(ask),
            distance=distance_said(self.hass, km, ask.language),
        )


class GetDurationHandler(QueryHandler):
    """Tell the user how long they were active this week."""

    intent_type = INTENT_GET_DURATION
    description = (
        "Tells the user the total time of their counted activities (runs by "
        "default) this week."
    )

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Say the week's time in hours and minutes."""
        minutes = ask.coordinator.data.duration_this_week
        if minutes <= 0:
            return ask.say("duration_none")
        return ask.say(
            "duration_week",
            you=_you(ask),
            duration=minutes_said(minutes, ask.language),
        )


class GetRanTodayHandler(QueryHandler):
    """Tell the user whether they ran today."""

    intent_type = INTENT_GET_RAN_TODAY
    description = (
        "Tells the user whether they have logged a run (or another counted "
        "activity) today."
    )

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Say yes or not yet."""
        if ask.coordinator.data.ran_today:
            return ask.say("ran_today", you="you have")
        return ask.say("not_ran_today")


class GetMoodScoreHandler(QueryHandler):
    """Tell the user their mood score."""

    intent_type = INTENT_GET_MOOD_SCORE
    description = (
        "Tells the user their Run Wellbeing mood score: the mean of the moods "
        "they logged in the last 7 days, from 1 to 10."
    )

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Say the 7-day mean."""
        score = ask.coordinator.data.mood_score
        if score is None:
            return ask.say("mood_score_none")
        return ask.say("mood_score", score=number(score, ask.language))


class GetMoodLiftHandler(QueryHandler):
    """Tell the user what running does for their mood."""

    intent_type = INTENT_GET_MOOD_LIFT
    description = (
        "Tells the user their mood lift: how much their mood after a session "
        "differs from before it, on average over the last 30 days."
    )

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Say the mean lift, up or down."""
        lift = ask.coordinator.data.mood_lift
        if lift is None:
            return ask.say("mood_lift_none")
        if lift == 0:
            return ask.say("mood_lift_same")
        key = "mood_lift_up" if lift > 0 else "mood_lift_down"
        return ask.say(key, lift=number(abs(lift), ask.language))


class GetOnTrackHandler(QueryHandler):
    """Tell the user whether this week's goal is still within reach."""

    intent_type = INTENT_GET_ON_TRACK
    description = (
        "Tells the user whether they are on track for this week's running "
        "goal: runs done, runs to go and days left in the week."
    )

    @override
    async def answer(self, ask: Ask, values: dict[str, Any]) -> str:
        """Compare the runs to go with the days left."""
        data, lang = ask.coordinator.data, ask.language
        runs, goal = data.runs_this_week, data.weekly_goal
        if runs >= goal:
            return ask.say("on_track_met", runs=runs, goal=goal)
        today = dt_util.as_local(dt_util.utcnow()).date()
        days = (dt_util.as_local(data.week_start).date() - today).days + 7
        left = goal - runs
        return ask.say(
            "on_track" if left <= days else "off_track",
            left=plural(left, "more_run", lang),
            days=plural(days, "day", lang),
        )


class FollowUpHandler(RunWellbeingIntentHandler):
    """An answer to a question we asked: it completes the request asked about."""

    kind = ""
    nothing_key = ""

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Run the waiting request again, now with what the answer gave."""
        values = {name: slot.get("value") for name, slot in intent_obj.slots.items()}
        pending = recall(self.hass, intent_obj, self.kind)
        handler_type = _BY_TYPE.get(pending.intent_type or "") if pending else None
        if pending is None or handler_type is None:
            response = intent_obj.create_response()
            response.response_type = intent.IntentResponseType.QUERY_ANSWER
            response.async_set_speech(text(intent_obj.language, self.nothing_key))
            return response
        handler = handler_type(self.hass)
        profile = None
        if pending.entry_id is not None:
            for entry in loaded_profiles(self.hass):
                if entry.entry_id == pending.entry_id:
                    profile = (entry, pending.name)
        elif (said := _text(values.get(SLOT_PROFILE))) is not None:
            # The request is now for the one named in the answer.
            pending.values[SLOT_PROFILE] = said
        return await handler.respond(intent_obj, pending.values, profile)


class AnswerWhoHandler(FollowUpHandler):
    """Whose the request we asked about is: "for Alex", "me, Sam"."""

    intent_type = INTENT_ANSWER_WHO
    kind = "who"
    nothing_key = "no_who"


class ConfirmHandler(FollowUpHandler):
    """Yes to "500 km? Say yes to log it."."""

    intent_type = INTENT_CONFIRM
    kind = "confirm"
    nothing_key = "nothing_to_confirm"


HANDLERS: tuple[type[RunWellbeingIntentHandler], ...] = (
    LogRunHandler,
    LogMoodHandler,
    AskMoodHandler,
    AnswerMoodHandler,
    UndoHandler,
    GetStreakHandler,
    GetLongestStreakHandler,
    GetWeekHandler,
    GetNextRunHandler,
    GetDistanceHandler,
    GetDurationHandler,
    GetRanTodayHandler,
    GetMoodScoreHandler,
    GetMoodLiftHandler,
    GetOnTrackHandler,
    AnswerWhoHandler,
    ConfirmHandler,
)
_BY_TYPE: Final = {handler.intent_type: handler for handler in HANDLERS}


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the intents; the intent integration calls this once."""
    for handler in HANDLERS:
        intent.async_register(hass, handler(hass))
