"""Constants of the Run Wellbeing integration."""

import logging
from typing import Final

from homeassistant.const import Platform

# The storage format is the repository's own (storage/store.py).
from .storage.store import STORAGE_MINOR_VERSION, STORAGE_VERSION  # noqa: F401

DOMAIN: Final = "run_wellbeing"
LOGGER = logging.getLogger(__package__)

PLATFORMS: Final = [
    Platform.BINARY_SENSOR,
    Platform.CALENDAR,
    Platform.NUMBER,
    Platform.SENSOR,
]


CONF_WEEKLY_GOAL: Final = "weekly_goal"
CONF_WEEK_START: Final = "week_start"
CONF_COUNTED_ACTIVITIES: Final = "counted_activities"
CONF_PLAN_DAYS: Final = "plan_days"
CONF_PLAN_TIME: Final = "plan_time"
CONF_PLAN_DURATION: Final = "plan_duration"
CONF_LOW_MOOD_THRESHOLD: Final = "low_mood_threshold"

DEFAULT_WEEKLY_GOAL: Final = 3
DEFAULT_WEEK_START: Final = "monday"
DEFAULT_COUNTED_ACTIVITIES: Final = ["run"]
DEFAULT_PLAN_TIME: Final = "07:00:00"
DEFAULT_PLAN_DURATION: Final = 30
DEFAULT_LOW_MOOD_THRESHOLD: Final = 4.0

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_ACTIVITY: Final = "activity"
ATTR_START: Final = "start"
ATTR_END: Final = "end"
ATTR_DURATION: Final = "duration"
ATTR_DISTANCE: Final = "distance"
ATTR_DISTANCE_UNIT: Final = "distance_unit"
ATTR_MOOD: Final = "mood"
ATTR_MOOD_BEFORE: Final = "mood_before"
ATTR_MOOD_AFTER: Final = "mood_after"
ATTR_EFFORT: Final = "effort"
ATTR_NOTE: Final = "note"
ATTR_TIME: Final = "time"
ATTR_RECORD_ID: Final = "record_id"
ATTR_PLAN_ID: Final = "plan_id"

EVENT_SESSION_LOGGED: Final = "run_wellbeing_session_logged"
EVENT_MOOD_LOGGED: Final = "run_wellbeing_mood_logged"
EVENT_WEEKLY_GOAL_REACHED: Final = "run_wellbeing_weekly_goal_reached"
EVENT_STREAK_MILESTONE: Final = "run_wellbeing_streak_milestone"
STREAK_MILESTONES: Final = (2, 4, 8, 12, 26, 52)

CONF_PERSON: Final = "person"
# Voice, third edition: the satellites and areas whose speech is this profile's
# ("the bedroom speaker is Alex's"), and whether Assist asks how the person
# feels after a run logged by voice.
CONF_VOICE_SATELLITES: Final = "voice_satellites"
CONF_VOICE_AREAS: Final = "voice_areas"
CONF_ASK_MOOD_AFTER_RUN: Final = "ask_mood_after_run"
DEFAULT_ASK_MOOD_AFTER_RUN: Final = True

CONF_ACTIVITY_SENSOR: Final = "activity_sensor"
CONF_NOTIFY_SERVICE: Final = "notify_service"
CONF_AUTO_LOG_MINUTES: Final = "auto_log_minutes"
CONF_SLEEP_SENSOR: Final = "sleep_sensor"
DEFAULT_AUTO_LOG_MINUTES: Final = 10
AUTO_LOG_MINUTES_MIN: Final = 2
AUTO_LOG_MINUTES_MAX: Final = 240

INTENT_LOG_RUN: Final = "RunWellbeingLogRun"
INTENT_LOG_MOOD: Final = "RunWellbeingLogMood"
INTENT_GET_STREAK: Final = "RunWellbeingGetStreak"
INTENT_GET_WEEK: Final = "RunWellbeingGetWeek"
INTENT_GET_NEXT_RUN: Final = "RunWellbeingGetNextRun"
INTENT_LOG_MOOD_WORD: Final = "RunWellbeingAskMood"
INTENT_ANSWER_MOOD: Final = "RunWellbeingAnswerMood"
INTENT_GET_DISTANCE: Final = "RunWellbeingGetDistance"
INTENT_GET_DURATION: Final = "RunWellbeingGetDuration"
INTENT_GET_RAN_TODAY: Final = "RunWellbeingGetRanToday"
INTENT_GET_MOOD_SCORE: Final = "RunWellbeingGetMoodScore"
INTENT_GET_MOOD_LIFT: Final = "RunWellbeingGetMoodLift"
INTENT_GET_ON_TRACK: Final = "RunWellbeingGetOnTrack"
INTENT_GET_LONGEST_STREAK: Final = "RunWellbeingGetLongestStreak"
INTENT_UNDO: Final = "RunWellbeingUndo"
