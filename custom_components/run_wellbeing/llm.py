"""The LLM platform Home Assistant loads: the tools live in `voice/`."""

from .voice.llm import async_get_tools

__all__ = ["async_get_tools"]
