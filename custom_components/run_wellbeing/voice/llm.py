"""Offer the Run Wellbeing intents to LLM conversation agents as Assist tools.

Home Assistant's Assist API lists only the tools each integration's llm.py
returns, so registering the intents alone is not enough.
"""

from __future__ import annotations

from homeassistant.components.llm import LLMTools
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.helpers.llm import (
    LLM_API_ASSIST,
    IntentTool,
    LLMContext,
    Tool,
    ToolAnnotations,
)

from ..const import (
    DOMAIN,
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
    INTENT_LOG_RUN,
    INTENT_UNDO,
)
from .replies import loaded_profiles

_LOG = ToolAnnotations(destructive=False, open_world=False)
_READ = ToolAnnotations(
    read_only=True, destructive=False, idempotent=True, open_world=False
)

# Intent type: (title, annotations). Logging twice logs twice: not idempotent.
LLM_INTENTS = {
    INTENT_LOG_RUN: ("Log a run", _LOG),
    INTENT_LOG_MOOD: ("Log mood", _LOG),
    INTENT_GET_STREAK: ("Get running streak", _READ),
    INTENT_GET_WEEK: ("Get this week's running progress", _READ),
    INTENT_GET_NEXT_RUN: ("Get next planned run", _READ),
    INTENT_GET_DISTANCE: ("Get this week's distance", _READ),
    INTENT_GET_DURATION: ("Get this week's activity time", _READ),
    INTENT_GET_RAN_TODAY: ("Check whether the user ran today", _READ),
    INTENT_GET_MOOD_SCORE: ("Get mood score (7 days)", _READ),
    INTENT_GET_MOOD_LIFT: ("Get mood lift from running (30 days)", _READ),
    INTENT_GET_ON_TRACK: ("Check whether this week's goal is on track", _READ),
    INTENT_GET_LONGEST_STREAK: ("Get longest streaks", _READ),
    INTENT_UNDO: (
        "Undo the last record",
        ToolAnnotations(destructive=True, idempotent=False, open_world=False),
    ),
}

PROMPT = (
    "Use the run_wellbeing tools when the user tells you about a run, walk or "
    "other exercise they did or how they feel, asks about their running "
    "streak, this week's runs, distance or time, their mood score or mood "
    "lift, whether they ran today or are on track, or their next planned run, "
    "or wants to undo what they just logged. Never turn mood words such as "
    "'low' or 'great' into a number: ask for 1 to 10."
)


@callback
def async_get_tools(
    hass: HomeAssistant, llm_context: LLMContext, api_id: str
) -> LLMTools | None:
    """Return the tools while at least one profile is loaded."""
    if api_id != LLM_API_ASSIST or not loaded_profiles(hass):
        return None
    tools: list[Tool] = [
        IntentTool(
            f"{DOMAIN}__{handler.intent_type}",
            handler,
            title=LLM_INTENTS[handler.intent_type][0],
            integration=DOMAIN,
            annotations=LLM_INTENTS[handler.intent_type][1],
        )
        for handler in intent.async_get(hass)
        if handler.intent_type in LLM_INTENTS
    ]
    return LLMTools(tools=tools, prompt=PROMPT)
