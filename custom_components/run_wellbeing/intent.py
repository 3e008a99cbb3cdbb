"""The intent platform Home Assistant loads: the handlers live in `voice/`."""

from .voice.intents import async_setup_intents

__all__ = ["async_setup_intents"]
