"""Follow-up questions on a voice satellite, answered without the wake word.

Home Assistant's built-in agent never keeps a conversation open, and a
satellite's `start_conversation` refuses pipelines that use it. So when a
request from a satellite ends in a question ("Who is this for, Alex or
Sam?"), the question is asked again through the satellite's `ask_question`
(which starts a conversation on the satellite, as `start_conversation` does,
and hears the answer) once the satellite has finished speaking. The answer
goes to the agent in the same conversation, and the reply is announced.
"""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.core import (
    Context,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import intent
from homeassistant.helpers.event import async_track_state_change_event

from ..const import LOGGER

ASSIST_SATELLITE = "assist_satellite"
SPEAKING_STATES = ("listening", "processing", "responding")
"""The satellite is still busy with the request; ask when it is idle again."""
WAIT_FOR_IDLE = 30.0
"""Seconds to wait for the satellite to finish speaking the first answer."""


@callback
def async_ask_on_satellite(
    hass: HomeAssistant,
    intent_obj: intent.Intent,
    question: str,
    conversation_id: str | None,
) -> None:
    """Ask the question on the satellite spoken to, when there is one."""
    satellite = intent_obj.satellite_id
    if satellite is None or not satellite.startswith(f"{ASSIST_SATELLITE}."):
        return
    if not hass.services.has_service(ASSIST_SATELLITE, "ask_question"):
        return
    hass.async_create_background_task(
        _async_ask(hass, intent_obj, question, conversation_id),
        f"run_wellbeing ask on {satellite}",
        eager_start=False,
    )


async def _async_idle(hass: HomeAssistant, satellite: str) -> None:
    """Return once the satellite no longer listens, thinks or speaks."""
    state = hass.states.get(satellite)
    if state is None or state.state not in SPEAKING_STATES:
        return
    idle = hass.loop.create_future()

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if (new is None or new.state not in SPEAKING_STATES) and not idle.done():
            idle.set_result(None)

    unsub = async_track_state_change_event(hass, satellite, changed)
    try:
        async with asyncio.timeout(WAIT_FOR_IDLE):
            await idle
    except TimeoutError:
        pass
    finally:
        unsub()


async def _async_ask(
    hass: HomeAssistant,
    intent_obj: intent.Intent,
    question: str,
    conversation_id: str | None,
) -> None:
    """Ask, hear the answer, let the agent handle it, and say the reply."""
    # Imported here: conversation is loaded by now, and may not be installed.
    from homeassistant.components import conversation  # noqa: PLC0415

    satellite = intent_obj.satellite_id
    assert satellite is not None
    await _async_idle(hass, satellite)
    try:
        answer: Any = await hass.services.async_call(
            ASSIST_SATELLITE,
            "ask_question",
            {"entity_id": satellite, "question": question, "preannounce": False},
            blocking=True,
            return_response=True,
            context=intent_obj.context,
        )
    except HomeAssistantError as err:
        LOGGER.debug("No answer from %s: %s", satellite, err)
        return
    sentence = (answer or {}).get("sentence")
    if not sentence:
        return
    result = await conversation.async_converse(
        hass,
        str(sentence),
        conversation_id,
        Context(parent_id=intent_obj.context.id),
        language=intent_obj.language,
        device_id=intent_obj.device_id,
        satellite_id=satellite,
    )
    reply = result.response.speech.get("plain", {}).get("speech", "")
    if not reply:
        return
    try:
        await hass.services.async_call(
            ASSIST_SATELLITE,
            "announce",
            {"entity_id": satellite, "message": reply, "preannounce": False},
            blocking=True,
            context=intent_obj.context,
        )
    except HomeAssistantError as err:
        LOGGER.debug("Could not say the reply on %s: %s", satellite, err)
