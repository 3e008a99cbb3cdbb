"""Input checks that refuse instead of bending, with translated messages.

The rules themselves are plain Python in `core/rules.py`; this module wraps
them for Home Assistant's doors (actions, the card's websocket commands, the
weekly goal number, the config and options flows) so that every refusal is
a ``ServiceValidationError`` naming the field and the allowed range in the
caller's language. Action and command schemas stay permissive about types so
that every refusal comes from here, never from a schema message that would
quote the value into the log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .core import rules
from .core.models import GOAL_MAX, GOAL_MIN, MOOD_MAX, MOOD_MIN, RecordError

ID_MAX_LENGTH = rules.ID_MAX_LENGTH
shown = rules.shown


def refuse(translation_key: str, **placeholders: str) -> ServiceValidationError:
    """Return the translated error for a refused input."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=translation_key,
        translation_placeholders=placeholders,
    )


def _checked[T](rule: Callable[..., T], *args: Any) -> T:
    try:
        return rule(*args)
    except RecordError as err:
        raise refuse(err.translation_key, **err.placeholders) from None


def whole_number(field: str, value: Any, minimum: int, maximum: int) -> int:
    """Return a whole number in [minimum, maximum]; booleans and fractions refused."""
    return _checked(rules.whole_number, field, value, minimum, maximum)


def weekly_goal(value: Any) -> int:
    """Return a weekly goal (whole runs, 1-14), as every door that sets it reads it."""
    return whole_number("weekly_goal", value, GOAL_MIN, GOAL_MAX)


def real_number(translation_key: str, value: Any) -> float:
    """Return a finite number, refusing booleans, text and infinities."""
    return _checked(rules.real_number, translation_key, value)


def _parse(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) <= ID_MAX_LENGTH:
        try:
            return dt_util.parse_datetime(value)
        except ValueError, OverflowError:
            return None
    return None


def moment(field: str, value: Any) -> datetime:
    """Return an aware moment whose local date lies in 1970-01-01..2100-12-31.

    A time without a zone is read as Home Assistant's local time.
    """
    return _checked(
        rules.aware_moment, field, _parse(value), dt_util.get_default_time_zone()
    )


def day(field: str, value: Any) -> date:
    """Return a calendar date (``YYYY-MM-DD``) in 1970-01-01..2100-12-31."""
    parsed: date | None = None
    if isinstance(value, date) and not isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and len(value) <= ID_MAX_LENGTH:
        parsed = dt_util.parse_date(value)
    if parsed is None:
        raise out_of_range(field)
    return _checked(rules.in_date_range, field, parsed)


def out_of_range(field: str) -> ServiceValidationError:
    """Return the error for a date outside the accepted range."""
    err = rules.date_error(field)
    return refuse(err.translation_key, **err.placeholders)


def identifier(field: str, value: Any) -> str:
    """Return an id of 1 to 64 characters, refusing longer ones unechoed."""
    return _checked(rules.identifier, field, value)


def note(value: Any) -> str | None:
    """Return a note of at most 500 characters, or None when empty."""
    return _checked(rules.note, value)


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


def optional_minutes(data: Mapping[str, Any]) -> float | None:
    """Return a duration given in minutes as seconds, None when left out."""
    value = data.get("duration")
    if value is None:
        return None
    return real_number("invalid_duration", value) * 60


def optional_distance(data: Mapping[str, Any]) -> float | None:
    """Return a distance number in the caller's unit, None when left out."""
    value = data.get("distance")
    return None if value is None else real_number("invalid_distance", value)
