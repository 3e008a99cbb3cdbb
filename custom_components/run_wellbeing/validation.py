"""Input checks that refuse instead of bending, with translated messages.

Action schemas stay permissive about types so that every refusal comes from
here, as a ``ServiceValidationError`` that names the field and the allowed
range in the caller's language. Nothing the caller sent is echoed in full:
values shown in a message are cut to a few characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
import math
from typing import Any

from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .core.models import EARLIEST_DATE, LATEST_DATE, MOOD_MAX, MOOD_MIN, NOTE_MAX_LENGTH

ID_MAX_LENGTH = 64
SHOWN_MAX_LENGTH = 20


def shown(value: Any) -> str:
    """Return a value as it may appear in a message: short, never unbounded."""
    text = str(value)
    if len(text) <= SHOWN_MAX_LENGTH:
        return text
    return text[: SHOWN_MAX_LENGTH - 1] + "…"


def refuse(translation_key: str, **placeholders: str) -> ServiceValidationError:
    """Return the translated error for a refused input."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=translation_key,
        translation_placeholders=placeholders,
    )


def whole_number(field: str, value: Any, minimum: int, maximum: int) -> int:
    """Return a whole number in [minimum, maximum], refusing anything else.

    Booleans and fractions are refused (6.5 is not 6, true is not 1); an
    integral float such as 7.0 (what number entities pass) and a string of
    digits such as "7" (what a template may render) are read as the number.
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
        raise refuse(f"invalid_{field}", value=shown(value))
    return number


def real_number(translation_key: str, value: Any) -> float:
    """Return a finite number, refusing booleans, text and infinities.

    The range is the record's business; the key names the field's message.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise refuse(translation_key)
    if isinstance(value, str) and len(value) > SHOWN_MAX_LENGTH:
        raise refuse(translation_key)
    try:
        number = float(value)
    except ValueError:
        raise refuse(translation_key) from None
    if not math.isfinite(number):
        raise refuse(translation_key)
    return number


def moment(field: str, value: Any) -> datetime:
    """Return an aware moment whose local date lies in 1970-01-01..2100-12-31.

    A time without a zone is read as Home Assistant's local time.
    """
    parsed: datetime | None = None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and len(value) <= ID_MAX_LENGTH:
        try:
            parsed = dt_util.parse_datetime(value)
        except ValueError:
            parsed = None
    # Years far outside the range overflow zone conversion; refuse them first.
    if parsed is None or not EARLIEST_DATE.year - 1 <= parsed.year <= (
        LATEST_DATE.year + 1
    ):
        raise out_of_range(field)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt_util.get_default_time_zone())
    if not EARLIEST_DATE <= dt_util.as_local(parsed).date() <= LATEST_DATE:
        raise out_of_range(field)
    return parsed


def out_of_range(field: str) -> ServiceValidationError:
    """Return the error for a date outside the accepted range."""
    return refuse(
        f"invalid_{field}",
        min=EARLIEST_DATE.isoformat(),
        max=LATEST_DATE.isoformat(),
    )


def identifier(field: str, value: Any) -> str:
    """Return an id of 1 to 64 characters, refusing longer ones unechoed."""
    if not isinstance(value, str) or not 1 <= len(value) <= ID_MAX_LENGTH:
        raise refuse(f"invalid_{field}", max=str(ID_MAX_LENGTH))
    return value


def note(value: Any) -> str | None:
    """Return a note of at most 500 characters, or None when empty."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > NOTE_MAX_LENGTH:
        raise refuse("note_too_long", max=str(NOTE_MAX_LENGTH))
    return value or None


def optional_moment(field: str, data: Mapping[str, Any]) -> datetime | None:
    """Return a checked moment field of an action or command, None when left out."""
    value = data.get(field)
    return None if value is None else moment(field, value)


def optional_mood(field: str, data: Mapping[str, Any]) -> int | None:
    """Return a 1-10 whole-number field of an action or command, None when left out."""
    value = data.get(field)
    if value is None:
        return None
    return whole_number(field, value, MOOD_MIN, MOOD_MAX)
