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

from .const import (
    DOMAIN,
    INTENT_GET_NEXT_RUN,
    INTENT_GET_STREAK,
    INTENT_GET_WEEK,
    INTENT_LOG_MOOD,
    INTENT_LOG_RUN,
)
from .voice import loaded_profiles

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
}

PROMPT = (
    "Use the run_wellbeing tools when the user tells you about a run, walk or "
    "other exercise they did or how they feel, or asks about their running "
    "streak, this week's runs or their next planned run."
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
