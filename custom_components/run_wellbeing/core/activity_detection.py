"""Tell a run, ride or walk from a phone's or watch's activity readings.

Plain Python with no Home Assistant imports. A reading is the state of a
linked sensor and its attributes:
- Android's detected activity: `running`, `on_bicycle`, `walking`,
  `on_foot`, `still`, … with `confidence` 0-100;
- iOS's activity: `Running`, `Cycling`, `Walking`, `Stationary`, … with
  `confidence` `Low`, `Medium` or `High`;
- Wear OS's activity state: `exercise`, with the exercise type in an
  attribute such as `exercise_type` (`RUNNING`, `BIKING`, `WALKING`, …).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .models import Activity

FLICKER = timedelta(minutes=2)
MIN_CONFIDENCE = 50

_STATES: dict[str, Activity] = {
    "running": Activity.RUN,
    "run": Activity.RUN,
    "on_bicycle": Activity.CYCLE,
    "cycling": Activity.CYCLE,
    "walking": Activity.WALK,
    "on_foot": Activity.WALK,
}

# Wear OS / Health Services exercise types, by the word they contain.
_EXERCISE_WORDS: tuple[tuple[str, Activity], ...] = (
    ("run", Activity.RUN),
    ("jog", Activity.RUN),
    ("bik", Activity.CYCLE),
    ("cycl", Activity.CYCLE),
    ("hik", Activity.HIKE),
    ("walk", Activity.WALK),
    ("swim", Activity.SWIM),
    ("yoga", Activity.YOGA),
    ("danc", Activity.DANCE),
    ("strength", Activity.STRENGTH),
    ("weight", Activity.STRENGTH),
)
_EXERCISE_ATTRIBUTES = ("exercise_type", "exercise", "activity_type", "type")
_CONFIDENCE_WORDS = {"low": 0, "medium": 75, "high": 100}


def confidence_trusted(attributes: Mapping[str, Any]) -> bool:
    """Return False when the reading says its confidence is too low to trust."""
    confidence = attributes.get("confidence")
    if confidence is None:
        return True
    if isinstance(confidence, str):
        word = confidence.strip().lower()
        if word in _CONFIDENCE_WORDS:
            return _CONFIDENCE_WORDS[word] >= MIN_CONFIDENCE
        try:
            confidence = float(word)
        except ValueError:
            return True
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        return True
    return confidence >= MIN_CONFIDENCE


def classify(state: str, attributes: Mapping[str, Any]) -> Activity | None:
    """Return the activity a reading shows, None for anything else."""
    name = state.strip().lower()
    if name == "exercise":
        for key in _EXERCISE_ATTRIBUTES:
            if isinstance(kind := attributes.get(key), str):
                lowered = kind.lower()
                for word, activity in _EXERCISE_WORDS:
                    if word in lowered:
                        return activity
        return Activity.OTHER
    # iOS may list several ("Walking, Running"): the first is the main one.
    return _STATES.get(name.split(",")[0].strip())


@dataclass(frozen=True, slots=True)
class Bout:
    """A stretch of one activity, from its first reading to its last."""

    activity: Activity
    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        """Return how long the bout lasted."""
        return self.end - self.start


class ActivityTracker:
    """Follow readings in time order and report bouts once they have ended.

    A bout ends when another state has lasted the flicker window; shorter
    excursions are part of the bout. Readings not trusted are skipped by the
    caller and change nothing here.
    """

    def __init__(self, flicker: timedelta = FLICKER) -> None:
        """Start with no activity under way."""
        self.flicker = flicker
        self.activity: Activity | None = None
        self.start: datetime | None = None
        # Since when the readings show something else, and what.
        self.away_since: datetime | None = None
        self.away_activity: Activity | None = None
        self.away_activity_since: datetime | None = None

    @property
    def deadline(self) -> datetime | None:
        """Return when the current excursion would end the bout, if one is pending."""
        if self.away_since is None:
            return None
        return self.away_since + self.flicker

    def observe(self, when: datetime, activity: Activity | None) -> Bout | None:
        """Take a reading; return the bout it ended, if any."""
        ended = self.expire(when)
        if self.activity is None:
            if activity is not None:
                self.activity, self.start = activity, when
            return ended
        if activity == self.activity:
            self.away_since = None
            self.away_activity = self.away_activity_since = None
            return ended
        if self.away_since is None:
            self.away_since = when
        if activity != self.away_activity:
            self.away_activity = activity
            self.away_activity_since = when if activity is not None else None
        return ended

    def expire(self, now: datetime) -> Bout | None:
        """End the bout when the excursion has lasted the flicker window."""
        if (deadline := self.deadline) is None or now < deadline:
            return None
        assert self.activity is not None
        assert self.start is not None
        assert self.away_since is not None
        bout = Bout(self.activity, self.start, self.away_since)
        self.activity = self.away_activity
        self.start = self.away_activity_since
        self.away_since = None
        self.away_activity = self.away_activity_since = None
        return bout
