"""Home Assistant's blocking-call detection, switched on around every test.

pytest-homeassistant-custom-component never enables `block_async_io` (it only
offers `disable_block_async_io` to undo it), and when enabled under tests Home
Assistant skips `open`, `Path.read_text`, `os.listdir` and friends. Here the
detector is enabled for every call it knows, and each call it catches in the
event loop's thread from this integration's code is collected, so a test that
makes one fails even when the caller swallowed the error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from homeassistant import block_async_io
from homeassistant.helpers.frame import MissingIntegrationFrame, get_integration_frame
from homeassistant.util import loop as loop_util

from custom_components.run_wellbeing.const import DOMAIN


@contextmanager
def detect_blocking_calls() -> Iterator[list[str]]:
    """Enable Home Assistant's detector and yield the calls caught from us."""
    caught: list[str] = []
    original = loop_util.raise_for_blocking_call

    def report(
        func: Callable[..., Any],
        check_allowed: Callable[[dict[str, Any]], bool] | None = None,
        strict: bool = True,
        strict_core: bool = True,
        **mapped_args: Any,
    ) -> None:
        if check_allowed is not None and check_allowed(mapped_args):
            return
        try:
            frame = get_integration_frame()
        except MissingIntegrationFrame:
            # Test code and the test harness may touch files; they are not judged.
            return
        if frame.integration == DOMAIN:
            caught.append(
                f"{func.__name__} at {frame.relative_filename}:{frame.line_number}"
            )
        original(func, check_allowed, strict, strict_core, **mapped_args)

    enabled_here = not block_async_io._BLOCKED_CALLS.calls
    if enabled_here:
        in_tests = block_async_io._IN_TESTS
        block_async_io._IN_TESTS = False
        try:
            block_async_io.enable()
        finally:
            block_async_io._IN_TESTS = in_tests
    loop_util.raise_for_blocking_call = report
    try:
        yield caught
    finally:
        loop_util.raise_for_blocking_call = original
        if enabled_here:
            calls = block_async_io._BLOCKED_CALLS.calls
            for call in calls:
                setattr(call.object, call.function, call.original_func)
            calls.clear()
