"""Calendars: the planned runs (done, missed or upcoming) and the log of sessions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.const import UnitOfLength
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import DistanceConverter
from homeassistant.util.unit_system import METRIC_SYSTEM

from .coordinator import RunWellbeingConfigEntry
from .core.models import MAX_DURATION_S, Activity, Session
from .core.plans import Occurrence, Status
from .core.stats import Summary
from .entity import RunWellbeingEntity

PARALLEL_UPDATES = 0
SESSION_LOOKBACK = timedelta(seconds=MAX_DURATION_S)

PLANNED_RUNS = CalendarEntityDescription(key="planned_runs")
RUN_LOG = CalendarEntityDescription(key="run_log")

PLANNED_SUMMARY = "Planned run"
STATUS_TEXT = {
    Status.DONE: "Done",
    Status.MISSED: "Missed",
    Status.UPCOMING: "Planned",
}
ACTIVITY_TEXT = {
    Activity.RUN: "Run",
    Activity.WALK: "Walk",
    Activity.HIKE: "Hike",
    Activity.CYCLE: "Cycle",
    Activity.SWIM: "Swim",
    Activity.YOGA: "Yoga",
    Activity.DANCE: "Dance",
    Activity.STRENGTH: "Strength",
    Activity.OTHER: "Activity",
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RunWellbeingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's two calendars."""
    coordinator = entry.runtime_data
    async_add_entities(
        [
            PlannedRunsCalendar(coordinator, PLANNED_RUNS),
            RunLogCalendar(coordinator, RUN_LOG),
        ]
    )


class RunWellbeingCalendar(RunWellbeingEntity, CalendarEntity):
    """A read-only calendar of the profile."""

    def _state_key(self) -> Any:
        # The zone too: equal instants read as other local times after a move.
        return (self.event, dt_util.get_default_time_zone())

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when the event moved; refresh open calendar views."""
        key = self._shown()
        if key != self._written:
            self._written = key
            self.async_write_ha_state()  # refreshes open views too
        else:
            # Without subscribers (e.g. the calendar panel) this returns at once.
            self.async_update_event_listeners()


class PlannedRunsCalendar(RunWellbeingCalendar):
    """Planned occurrences: the weekly schedule and one-off plans."""

    _cached_for: Summary | None = None
    _cached_occurrence: Occurrence | None = None
    _cached_event: CalendarEvent | None = None

    @property
    def event(self) -> CalendarEvent | None:
        """Return the current or next planned run, without its note.

        Kept until the profile's summary changes or the event ends, since the
        state machine asks for it several times per write.
        """
        now = dt_util.utcnow()
        cached = self._cached_occurrence
        if self._cached_for is self.coordinator.data and (
            cached is None or now < cached.end
        ):
            return self._cached_event
        self._cached_for = self.coordinator.data
        occurrence = self.coordinator.stats.planned_now(now)
        # Equal instants in another time zone must still show new local times.
        if occurrence != cached or (
            occurrence is not None
            and cached is not None
            and occurrence.start.tzinfo is not cached.start.tzinfo
        ):
            self._cached_occurrence = occurrence
            self._cached_event = (
                None
                if occurrence is None
                else _planned_event(occurrence, with_note=False)
            )
        return self._cached_event

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return planned runs overlapping the range, with status and note."""
        return [
            _planned_event(occurrence, with_note=True)
            for occurrence in self.coordinator.stats.planned(
                start_date, end_date, dt_util.utcnow()
            )
        ]


def _planned_event(occurrence: Occurrence, *, with_note: bool) -> CalendarEvent:
    """Return an occurrence as a calendar event; notes stay out of the state."""
    description = STATUS_TEXT[occurrence.status]
    plan = occurrence.plan
    if with_note and plan is not None and plan.note:
        description = f"{description}\n\n{plan.note}"
    return CalendarEvent(
        start=dt_util.as_local(occurrence.start),
        end=dt_util.as_local(occurrence.end),
        summary=PLANNED_SUMMARY,
        description=description,
        uid=occurrence.uid,
    )


class RunLogCalendar(RunWellbeingCalendar):
    """Every session as an event: activity, distance and duration, never the note."""

    @property
    def event(self) -> CalendarEvent | None:
        """Return nothing: a log has no upcoming event, so its state stays off."""
        return None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the sessions overlapping the range, oldest first."""
        # A session lasts at most a day, so one starting a day before the range
        # may still overlap it; the index finds them without scanning the past.
        sessions = [
            session
            for session in self.coordinator.sessions_between(
                start_date - SESSION_LOOKBACK, end_date
            )
            if session.end > start_date or session.start >= start_date
        ]
        return [self._session_event(session) for session in sessions]

    def _session_event(self, session: Session) -> CalendarEvent:
        activity = ACTIVITY_TEXT[session.activity]
        summary = [activity]
        description = [f"Activity: {activity}"]
        if session.distance is not None:
            distance = self._distance_text(session.distance)
            summary.append(distance)
            description.append(f"Distance: {distance}")
        if session.duration is not None:
            minutes = f"{round(session.duration / 60)} min"
            summary.append(minutes)
            description.append(f"Duration: {minutes}")
        return CalendarEvent(
            start=dt_util.as_local(session.start),
            end=dt_util.as_local(session.end),
            summary=" · ".join(summary),
            description="\n".join(description),
            uid=session.id,
        )

    def _distance_text(self, metres: float) -> str:
        """Return the distance in the unit people of this home think in."""
        if self.hass.config.units is METRIC_SYSTEM:
            return f"{metres / 1000:.2f} km"
        miles = DistanceConverter.convert(
            metres, UnitOfLength.METERS, UnitOfLength.MILES
        )
        return f"{miles:.2f} mi"
