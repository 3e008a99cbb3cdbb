"""The door-level input rules: one rulebook for every way in.

Actions, the card's websocket commands, voice, the weekly goal number, the
config and options flows, imports and loading all read caller values
through these functions. They refuse instead of bending (6.5 is not 6,
true is not 1) by raising `RecordError` with a translation key that names
the field; `validation.py` turns that into Home Assistant's translated
error. Nothing a caller sent is repeated in full: a value shown in a
message is cut to a few characters. Plain Python, no Home Assistant.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
import math
from typing import Any

from .models import EARLIEST_DATE, LATEST_DATE, NOTE_MAX_LENGTH, RecordError

ID_MAX_LENGTH = 64
SHOWN_MAX_LENGTH = 20
# A number written as text is at most this long ("1440.000001" fits).
NUMBER_TEXT_MAX_LENGTH = 20


def shown(value: Any) -> str:
    """Return a value as it may appear in a message: short, never unbounded."""
    if isinstance(value, str | int | float | bool) or value is None:
        text = str(value) if not isinstance(value, int) or abs(value) < 10**18 else "…"
    else:
        text = type(value).__name__
    if len(text) <= SHOWN_MAX_LENGTH:
        return text
    return text[: SHOWN_MAX_LENGTH - 1] + "…"


def whole_number(field: str, value: Any, minimum: int, maximum: int) -> int:
    """Return a whole number in [minimum, maximum], refusing anything else.

    Booleans and fractions are refused; an integral float such as 7.0 (what
    number entities pass) and a short string of digits such as "7" (what a
    template may render) are read as the number. The error's key is
    ``invalid_<field>``.
    """
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif (isinstance(value, float) and value.is_integer()) or (
        isinstance(value, str) and len(value) <= 3 and value.strip().isdigit()
    ):
        number = int(value)
    if number is None or not minimum <= number <= maximum:
        raise RecordError(f"invalid_{field}", value=shown(value))
    return number


def real_number(translation_key: str, value: Any) -> float:
    """Return a finite number, refusing booleans, text that is no number and infinities.

    The range is the record's business; the key names the field's message.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RecordError(translation_key)
    if isinstance(value, str) and len(value) > NUMBER_TEXT_MAX_LENGTH:
        raise RecordError(translation_key)
    try:
        number = float(value)
    except ValueError, OverflowError:
        raise RecordError(translation_key) from None
    if not math.isfinite(number):
        raise RecordError(translation_key)
    return number


def date_error(field: str) -> RecordError:
    """Return the error for a date outside 1970-01-01..2100-12-31."""
    return RecordError(
        f"invalid_{field}",
        min=EARLIEST_DATE.isoformat(),
        max=LATEST_DATE.isoformat(),
    )


def in_date_range(field: str, day: date) -> date:
    """Return a local date when it lies in 1970-01-01..2100-12-31."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise date_error(field)
    return day


def aware_moment(field: str, parsed: datetime | None, local: tzinfo) -> datetime:
    """Return an aware moment whose local date lies in the accepted range.

    A time without a zone is read in ``local``. Years far outside the range
    are refused before any zone arithmetic, which would overflow.
    """
    if parsed is None or not EARLIEST_DATE.year - 1 <= parsed.year <= (
        LATEST_DATE.year + 1
    ):
        raise date_error(field)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=local)
    in_date_range(field, parsed.astimezone(local).date())
    return parsed


def identifier(field: str, value: Any) -> str:
    """Return an id of 1 to 64 characters, refusing anything else unechoed."""
    if not isinstance(value, str) or not 1 <= len(value) <= ID_MAX_LENGTH:
        raise RecordError(f"invalid_{field}", max=str(ID_MAX_LENGTH))
    return value


def note(value: Any) -> str | None:
    """Return a note of at most 500 characters, or None when empty.

    A note of another type is refused like a long one, never shown.
    """
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > NOTE_MAX_LENGTH:
        raise RecordError("note_too_long", max=str(NOTE_MAX_LENGTH))
    return value or None
