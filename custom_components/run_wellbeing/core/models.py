"""Records and settings of one profile, as plain Python with no Home Assistant imports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Self


class Activity(StrEnum):
    """What a session was; which of them count is the user's choice."""

    RUN = "run"
    WALK = "walk"
    HIKE = "hike"
    CYCLE = "cycle"
    SWIM = "swim"
    YOGA = "yoga"
    DANCE = "dance"
    STRENGTH = "strength"
    OTHER = "other"


class Source(StrEnum):
    """How a session reached the profile."""

    ACTION = "action"
    VOICE = "voice"
    IMPORT = "import"
    SENSOR = "sensor"


# Looked up by value when a long history loads; calling the enum is slower.
_ACTIVITIES: dict[Any, Activity] = {activity.value: activity for activity in Activity}
_SOURCES: dict[Any, Source] = {source.value: source for source in Source}


class WeekStart(StrEnum):
    """The day a week starts on; the value is its Python weekday number."""

    MONDAY = "monday"
    SUNDAY = "sunday"
    SATURDAY = "saturday"

    @property
    def weekday(self) -> int:
        """Return the Python weekday (Monday is 0) of this week start."""
        return {"monday": 0, "sunday": 6, "saturday": 5}[self.value]


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

MOOD_MIN = 1
MOOD_MAX = 10
NOTE_MAX_LENGTH = 500
GOAL_MIN = 1
GOAL_MAX = 14
MAX_DURATION_S = 1440 * 60
MAX_DISTANCE_M = 1_000_000.0
METRES_PER_UNIT: dict[str, float] = {"km": 1000.0, "mi": 1609.344, "m": 1.0}
"""The distance units people log in, and how many metres each is."""
FUTURE_TOLERANCE = timedelta(minutes=5)
"""How far ahead of now a record may claim to be (clocks differ a little)."""
EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# Local dates span UTC offsets of -12 h to +14 h; these bounds hold every
# moment that is inside the range in some time zone, and nothing that
# overflows date arithmetic.
EARLIEST_TIME = datetime(1970, 1, 1, tzinfo=UTC) - timedelta(hours=14)
LATEST_TIME = datetime(2101, 1, 1, tzinfo=UTC) + timedelta(hours=12)


class StoredValueError(ValueError):
    """An impossible value in the stored history, named by record and field."""

    def __init__(self, record: str, field_name: str) -> None:
        """Keep which record and which field."""
        super().__init__(f"{record}: {field_name}")
        self.record = record
        self.field = field_name


class BadValueError(ValueError):
    """A stored field that cannot be read; the record is added by the caller."""

    def __init__(self, field_name: str) -> None:
        """Keep the field's name."""
        super().__init__(field_name)
        self.field = field_name


def _extra(data: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any] | None:
    """Return fields a newer version wrote, so a rewrite keeps them."""
    if data.keys() <= known:
        return None
    return {key: value for key, value in data.items() if key not in known}


def _dt(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        msg = f"naive datetime in storage: {value}"
        raise ValueError(msg)
    return parsed


def _text(value: Any) -> str:
    """Return a stored string; anything else means the file is damaged."""
    if type(value) is not str:
        msg = f"expected text in storage, not {type(value).__name__}"
        raise TypeError(msg)
    return value


def _opt_text(value: Any) -> str | None:
    return value if value is None or type(value) is str else _text(value)


def _opt_int(value: Any) -> int | None:
    """Return a stored whole number, so a damaged file fails on load, not later."""
    # `type() is`, not isinstance: a bool is no number here, and it is faster
    # on the thousands of records of a long history.
    if value is None or type(value) is int:
        return value
    msg = f"expected a whole number in storage, not {type(value).__name__}"
    raise TypeError(msg)


def _int(value: Any) -> int:
    if (number := _opt_int(value)) is None:
        msg = "expected a whole number in storage, not null"
        raise TypeError(msg)
    return number


def _opt_float(value: Any) -> float | None:
    """Return a stored number, so a damaged file fails on load, not later."""
    if value is None or type(value) is float or type(value) is int:
        return value
    msg = f"expected a number in storage, not {type(value).__name__}"
    raise TypeError(msg)


def _sleep_nights(value: Any) -> dict[str, float]:
    """Return stored nights (ISO date to hours); anything else means damage."""
    if not isinstance(value, Mapping):
        msg = f"expected a mapping of nights in storage, not {type(value).__name__}"
        raise TypeError(msg)
    nights: dict[str, float] = {}
    for day, hours in value.items():
        date.fromisoformat(_text(day))
        if (number := _opt_float(hours)) is None or not 0 <= number <= 24:
            msg = f"impossible sleep duration in storage: {hours!r}"
            raise ValueError(msg)
        nights[day] = float(number)
    return nights


@dataclass(frozen=True, slots=True)
class Session:
    """A run, walk or any other activity the person did."""

    id: str
    start: datetime
    activity: Activity = Activity.RUN
    duration: float | None = None
    distance: float | None = None
    mood_before: int | None = None
    mood_after: int | None = None
    effort: int | None = None
    note: str | None = None
    source: Source = Source.ACTION
    # Fields written by a newer version, kept as they are.
    extra: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)
    # The start as a POSIX timestamp, computed once: statistics sort and
    # compare by it, and a rebuild over years of sessions should not redo it.
    start_ts: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Compute the start's timestamp once."""
        object.__setattr__(self, "start_ts", self.start.timestamp())

    @property
    def end(self) -> datetime:
        """Return when the session finished (its start when no duration is known)."""
        return self.start + timedelta(seconds=self.duration or 0)

    def as_dict(self) -> dict[str, Any]:
        """Return the stored form."""
        return (dict(self.extra) if self.extra else {}) | {
            "id": self.id,
            "activity": self.activity.value,
            "start": self.start.isoformat(),
            "duration": self.duration,
            "distance": self.distance,
            "mood_before": self.mood_before,
            "mood_after": self.mood_after,
            "effort": self.effort,
            "note": self.note,
            "source": self.source.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build from the stored form."""
        return cls(
            id=_text(data["id"]),
            start=_dt(data["start"]),
            activity=_ACTIVITIES.get(data.get("activity", "run"))
            or Activity(data["activity"]),
            duration=_opt_float(data.get("duration")),
            distance=_opt_float(data.get("distance")),
            mood_before=_opt_int(data.get("mood_before")),
            mood_after=_opt_int(data.get("mood_after")),
            effort=_opt_int(data.get("effort")),
            note=_opt_text(data.get("note")),
            source=_SOURCES.get(data.get("source", "action")) or Source(data["source"]),
            extra=_extra(data, _SESSION_FIELDS),
        )


@dataclass(frozen=True, slots=True)
class MoodEntry:
    """A mood the person logged on its own, outside a session."""

    id: str
    time: datetime
    mood: int
    note: str | None = None
    extra: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)
    # The time as a POSIX timestamp, computed once (see Session.start_ts).
    time_ts: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Compute the time's timestamp once."""
        object.__setattr__(self, "time_ts", self.time.timestamp())

    def as_dict(self) -> dict[str, Any]:
        """Return the stored form."""
        return (dict(self.extra) if self.extra else {}) | {
            "id": self.id,
            "time": self.time.isoformat(),
            "mood": self.mood,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build from the stored form."""
        return cls(
            id=_text(data["id"]),
            time=_dt(data["time"]),
            mood=_int(data["mood"]),
            note=_opt_text(data.get("note")),
            extra=_extra(data, _MOOD_FIELDS),
        )


@dataclass(frozen=True, slots=True)
class Plan:
    """A one-off planned run."""

    id: str
    start: datetime
    duration: float | None = None
    note: str | None = None
    extra: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """Return the stored form."""
        return (dict(self.extra) if self.extra else {}) | {
            "id": self.id,
            "start": self.start.isoformat(),
            "duration": self.duration,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build from the stored form."""
        return cls(
            id=_text(data["id"]),
            start=_dt(data["start"]),
            duration=_opt_float(data.get("duration")),
            note=_opt_text(data.get("note")),
            extra=_extra(data, _PLAN_FIELDS),
        )


@dataclass(frozen=True, slots=True)
class GoalChange:
    """The weekly goal from a moment on, so past weeks keep the goal they had."""

    effective: datetime
    goal: int

    def as_dict(self) -> dict[str, Any]:
        """Return the stored form."""
        return {"effective": self.effective.isoformat(), "goal": self.goal}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build from the stored form."""
        return cls(effective=_dt(data["effective"]), goal=_int(data["goal"]))


@dataclass(frozen=True, slots=True)
class ScheduleChange:
    """The weekly schedule from a moment on; slots exist only after it was saved."""

    effective: datetime
    days: tuple[str, ...]
    at: time
    duration: float

    def as_dict(self) -> dict[str, Any]:
        """Return the stored form."""
        return {
            "effective": self.effective.isoformat(),
            "days": list(self.days),
            "at": self.at.isoformat(),
            "duration": self.duration,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build from the stored form."""
        return cls(
            effective=_dt(data["effective"]),
            days=tuple(_text(day) for day in data["days"]),
            at=time.fromisoformat(_text(data["at"])),
            duration=float(_opt_float(data["duration"]) or 0),
        )


@dataclass(frozen=True, slots=True)
class Settings:
    """The profile's options that the statistics depend on."""

    weekly_goal: int = 3
    week_start: WeekStart = WeekStart.MONDAY
    counted_activities: frozenset[Activity] = frozenset({Activity.RUN})
    low_mood_threshold: float = 4.0


@dataclass(slots=True)
class History:
    """Everything a profile has recorded, in insertion order."""

    sessions: dict[str, Session] = field(default_factory=dict)
    moods: dict[str, MoodEntry] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    goal_changes: list[GoalChange] = field(default_factory=list)
    schedule_changes: list[ScheduleChange] = field(default_factory=list)
    goal_reached_weeks: set[str] = field(default_factory=set)
    # Hours slept in the night after each local day (ISO date), as observed
    # from the linked sleep sensor; the recorder forgets, this does not.
    sleep_nights: dict[str, float] = field(default_factory=dict)
    # Top-level fields written by a newer version, kept as they are.
    extra: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> History:
        """Return a copy that later changes to this history leave alone.

        Records are immutable, so copying the containers is enough; the copy
        can then be serialized in another thread.
        """
        return History(
            sessions=self.sessions.copy(),
            moods=self.moods.copy(),
            plans=self.plans.copy(),
            goal_changes=self.goal_changes.copy(),
            schedule_changes=self.schedule_changes.copy(),
            goal_reached_weeks=self.goal_reached_weeks.copy(),
            sleep_nights=self.sleep_nights.copy(),
            extra=self.extra.copy(),
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the stored form."""
        return self.extra | {
            "sessions": [s.as_dict() for s in self.sessions.values()],
            "moods": [m.as_dict() for m in self.moods.values()],
            "plans": [p.as_dict() for p in self.plans.values()],
            "goal_changes": [g.as_dict() for g in self.goal_changes],
            "schedule_changes": [c.as_dict() for c in self.schedule_changes],
            "goal_reached_weeks": sorted(self.goal_reached_weeks),
            "sleep_nights": dict(sorted(self.sleep_nights.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build from the stored form; a value that cannot be read is named."""
        if not isinstance(data, Mapping):
            raise StoredValueError("history", "data")
        sessions = _records(data, "sessions", Session.from_dict)
        moods = _records(data, "moods", MoodEntry.from_dict)
        plans = _records(data, "plans", Plan.from_dict)
        try:
            sleep_nights = _sleep_nights(data.get("sleep_nights", {}))
        except (TypeError, ValueError) as err:
            raise StoredValueError("history", "sleep_nights") from err
        weeks = data.get("goal_reached_weeks", [])
        if not isinstance(weeks, list) or not all(type(w) is str for w in weeks):
            raise StoredValueError("history", "goal_reached_weeks")
        return cls(
            sessions={s.id: s for s in sessions},
            moods={m.id: m for m in moods},
            plans={p.id: p for p in plans},
            goal_changes=_records(data, "goal_changes", GoalChange.from_dict),
            schedule_changes=_records(
                data, "schedule_changes", ScheduleChange.from_dict
            ),
            goal_reached_weeks=set(weeks),
            sleep_nights=sleep_nights,
            extra={k: v for k, v in data.items() if k not in _HISTORY_FIELDS},
        )


_SESSION_FIELDS = frozenset(
    (
        "id",
        "activity",
        "start",
        "duration",
        "distance",
        "mood_before",
        "mood_after",
        "effort",
        "note",
        "source",
    )
)
_MOOD_FIELDS = frozenset(("id", "time", "mood", "note"))
_PLAN_FIELDS = frozenset(("id", "start", "duration", "note"))
_HISTORY_FIELDS = frozenset(
    (
        "sessions",
        "moods",
        "plans",
        "goal_changes",
        "schedule_changes",
        "goal_reached_weeks",
        "sleep_nights",
    )
)


def _records[T](
    data: Mapping[str, Any], key: str, build: Callable[[Mapping[str, Any]], T]
) -> list[T]:
    """Build every record of a list, naming the first one that cannot be read."""
    items = data.get(key, [])
    if not isinstance(items, list):
        raise StoredValueError(key, key)
    try:
        return [build(item) for item in items]
    except AttributeError, KeyError, TypeError, ValueError, OverflowError:
        pass
    # Find which record and field, only when something is wrong.
    for index, item in enumerate(items):
        name = f"{key}[{index}]"
        if isinstance(item, Mapping) and type(item.get("id")) is str:
            name = str(item["id"])[:40]
        try:
            build(item)
        except KeyError as err:
            raise StoredValueError(name, str(err.args[0])[:40]) from err
        except (AttributeError, TypeError, ValueError, OverflowError) as err:
            raise StoredValueError(name, _field_of(item, build)) from err
    raise StoredValueError(key, key)  # pragma: no cover - the build failed above


_GOOD_VALUES: dict[str, Any] = {
    "start": "2000-01-01T00:00:00+00:00",
    "time": "2000-01-01T00:00:00+00:00",
    "effective": "2000-01-01T00:00:00+00:00",
    "mood": 5,
    "goal": 3,
    "days": [],
    "at": "07:00:00",
    "duration": 1800,
}


def _field_of(item: Any, build: Callable[[Mapping[str, Any]], Any]) -> str:
    """Return the first field whose value alone makes the record unreadable."""
    if not isinstance(item, Mapping):
        return "record"
    for key in item:
        if key == "id":
            continue
        trimmed = {k: v for k, v in item.items() if k != key}
        try:
            build(trimmed)
        except KeyError:
            # Required: try it alone with a value known to be good instead.
            if key in _GOOD_VALUES:
                try:
                    build({**item, key: _GOOD_VALUES[key]})
                except AttributeError, KeyError, TypeError, ValueError, OverflowError:
                    continue
                return str(key)[:40]
            continue
        except AttributeError, TypeError, ValueError, OverflowError:
            continue
        return str(key)[:40]
    return "record"


def validate_history(history: History) -> None:
    """Raise `StoredValueError` for the first impossible value in a history."""
    for records in (history.sessions, history.moods, history.plans):
        for record in records.values():
            _validate_record(record)
    for index, goal in enumerate(history.goal_changes):
        _validate_goal(f"goal_changes[{index}]", goal)
    for index, change in enumerate(history.schedule_changes):
        _validate_schedule(f"schedule_changes[{index}]", change)


def load_history(data: Any) -> tuple[History, list[StoredValueError]]:
    """Build a history from its stored form, setting impossible records aside.

    Unlike `History.from_dict`, one record that cannot be read (a wrong type,
    a date out of range, a duplicate id) does not refuse the whole history:
    it is left out and named in the returned problems, and everything else
    loads. A `data` that is no mapping at all is one problem and loads empty.
    """
    problems: list[StoredValueError] = []
    history = History()
    if not isinstance(data, Mapping):
        return history, [StoredValueError("history", "data")]
    _load_records(data, "sessions", Session.from_dict, history.sessions, problems)
    _load_records(data, "moods", MoodEntry.from_dict, history.moods, problems)
    _load_records(data, "plans", Plan.from_dict, history.plans, problems)
    for _index, _name, goal in _each(
        data, "goal_changes", GoalChange.from_dict, problems
    ):
        history.goal_changes.append(goal)
    for _index, _name, change in _each(
        data, "schedule_changes", ScheduleChange.from_dict, problems
    ):
        history.schedule_changes.append(change)
    try:
        history.sleep_nights = _sleep_nights(data.get("sleep_nights", {}))
    except TypeError, ValueError, OverflowError:
        problems.append(StoredValueError("history", "sleep_nights"))
    weeks = data.get("goal_reached_weeks", [])
    if not isinstance(weeks, list):
        weeks = []
        problems.append(StoredValueError("history", "goal_reached_weeks"))
    elif not all(type(week) is str for week in weeks):
        problems.append(StoredValueError("history", "goal_reached_weeks"))
    history.goal_reached_weeks = {week for week in weeks if type(week) is str}
    history.extra = {k: v for k, v in data.items() if k not in _HISTORY_FIELDS}
    problems.extend(set_aside_invalid(history))
    return history, problems


def _load_records[R: (Session, MoodEntry, Plan)](
    data: Mapping[str, Any],
    key: str,
    build: Callable[[Mapping[str, Any]], R],
    into: dict[str, R],
    problems: list[StoredValueError],
) -> None:
    """Keep each readable record by id; a second record with an id is set aside."""
    for index, name, record in _each(data, key, build, problems):
        if record.id in into:
            problems.append(StoredValueError(name or f"{key}[{index}]", "id"))
            continue
        into[record.id] = record


def _each[T](
    data: Mapping[str, Any],
    key: str,
    build: Callable[[Mapping[str, Any]], T],
    problems: list[StoredValueError],
) -> list[tuple[int, str | None, T]]:
    """Build each record of a list; a record that cannot be read is named."""
    items = data.get(key, [])
    if not isinstance(items, list):
        problems.append(StoredValueError(key, key))
        return []
    built: list[tuple[int, str | None, T]] = []
    for index, item in enumerate(items):
        name = None
        if isinstance(item, Mapping) and type(item.get("id")) is str:
            name = str(item["id"])[:40]
        try:
            built.append((index, name, build(item)))
        except KeyError as err:
            problems.append(
                StoredValueError(name or f"{key}[{index}]", str(err.args[0])[:40])
            )
        except AttributeError, TypeError, ValueError, OverflowError:
            problems.append(
                StoredValueError(name or f"{key}[{index}]", _field_of(item, build))
            )
    return built


def set_aside_invalid(history: History) -> list[StoredValueError]:
    """Remove every impossible record from a history and name each one."""
    problems: list[StoredValueError] = []
    for records in (history.sessions, history.moods, history.plans):
        bad: list[str] = []
        for record_id, record in records.items():
            try:
                _validate_record(record)
            except StoredValueError as err:
                problems.append(err)
                bad.append(record_id)
        for record_id in bad:
            del records[record_id]
    kept_goals = []
    for index, goal in enumerate(history.goal_changes):
        try:
            _validate_goal(f"goal_changes[{index}]", goal)
        except StoredValueError as err:
            problems.append(err)
        else:
            kept_goals.append(goal)
    kept_changes = []
    for index, change in enumerate(history.schedule_changes):
        try:
            _validate_schedule(f"schedule_changes[{index}]", change)
        except StoredValueError as err:
            problems.append(err)
        else:
            kept_changes.append(change)
    if problems:
        history.goal_changes[:] = kept_goals
        history.schedule_changes[:] = kept_changes
    return problems


def _validate_record(record: Session | MoodEntry | Plan) -> None:
    """Raise `StoredValueError` when one record holds an impossible value."""
    if isinstance(record, Session):
        _check_stored_time(record.id, "start", record.start)
        if record.duration is not None and not 0 < record.duration <= MAX_DURATION_S:
            raise StoredValueError(record.id, "duration")
        if record.distance is not None and not 0 <= record.distance <= MAX_DISTANCE_M:
            raise StoredValueError(record.id, "distance")
        for name in ("mood_before", "mood_after", "effort"):
            value = getattr(record, name)
            if value is not None and not MOOD_MIN <= value <= MOOD_MAX:
                raise StoredValueError(record.id, name)
    elif isinstance(record, MoodEntry):
        _check_stored_time(record.id, "time", record.time)
        if not MOOD_MIN <= record.mood <= MOOD_MAX:
            raise StoredValueError(record.id, "mood")
    else:
        _check_stored_time(record.id, "start", record.start)
        if record.duration is not None and not 0 < record.duration <= MAX_DURATION_S:
            raise StoredValueError(record.id, "duration")


def _validate_goal(name: str, goal: GoalChange) -> None:
    _check_stored_time(name, "effective", goal.effective)
    if not GOAL_MIN <= goal.goal <= GOAL_MAX:
        raise StoredValueError(name, "goal")


def _validate_schedule(name: str, change: ScheduleChange) -> None:
    _check_stored_time(name, "effective", change.effective)
    if not set(change.days) <= set(WEEKDAYS):
        raise StoredValueError(name, "days")
    if not 0 < change.duration <= MAX_DURATION_S:
        raise StoredValueError(name, "duration")


def _check_stored_time(record: str, name: str, moment: datetime) -> None:
    if not EARLIEST_TIME <= moment < LATEST_TIME:
        raise StoredValueError(record, name)


class RecordError(ValueError):
    """A record the profile refuses; the key names a translated message."""

    def __init__(self, translation_key: str, **placeholders: str) -> None:
        """Keep the translation key and its placeholders."""
        super().__init__(translation_key)
        self.translation_key = translation_key
        self.placeholders = placeholders


def check_mood(value: int | None, translation_key: str = "invalid_mood") -> None:
    """Refuse a mood or effort outside 1-10."""
    if value is not None and not MOOD_MIN <= value <= MOOD_MAX:
        raise RecordError(translation_key, value=str(value))


def check_note(note: str | None) -> None:
    """Refuse a note longer than the limit."""
    if note is not None and len(note) > NOTE_MAX_LENGTH:
        raise RecordError("note_too_long", max=str(NOTE_MAX_LENGTH))


def check_not_future(moment: datetime, now: datetime, tolerance: timedelta) -> None:
    """Refuse a record that claims to happen later than now plus a tolerance."""
    if moment.tzinfo is None:
        raise RecordError("naive_time")
    if moment > now + tolerance:
        raise RecordError("time_in_future")
    # Far-past times overflow local-date arithmetic and would break the stats.
    check_in_range(moment)


def check_in_range(moment: datetime, tz: tzinfo | None = None) -> None:
    """Refuse a moment outside 1970-01-01 to 2100-12-31 (local time when given)."""
    if moment.tzinfo is None:
        raise RecordError("naive_time")
    if moment < EARLIEST_TIME:
        raise RecordError("time_too_early")
    if moment >= LATEST_TIME:
        raise RecordError("time_too_late")
    if tz is not None:
        day = moment.astimezone(tz).date()
        if day < EARLIEST_DATE:
            raise RecordError("time_too_early")
        if day > LATEST_DATE:
            raise RecordError("time_too_late")


def check_session(session: Session, now: datetime, tolerance: timedelta) -> None:
    """Refuse a session whose values are out of range."""
    check_not_future(session.start, now, tolerance)
    if session.duration is not None and not 0 < session.duration <= MAX_DURATION_S:
        raise RecordError("invalid_duration")
    if session.distance is not None and not 0 <= session.distance <= MAX_DISTANCE_M:
        raise RecordError("invalid_distance")
    check_mood(session.mood_before)
    check_mood(session.mood_after)
    check_mood(session.effort, "invalid_effort")
    check_note(session.note)
