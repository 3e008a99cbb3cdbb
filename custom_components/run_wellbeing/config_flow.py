"""Add a profile per person, tune its goal, week and plan, or rename it."""

from __future__ import annotations

from copy import copy
from typing import Any, cast, override

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import section
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import selector
from homeassistant.util import slugify, ulid as ulid_util
import probatio as vol

from .const import (
    AUTO_LOG_MINUTES_MAX,
    AUTO_LOG_MINUTES_MIN,
    CONF_ACTIVITY_SENSOR,
    CONF_ASK_MOOD_AFTER_RUN,
    CONF_AUTO_LOG_MINUTES,
    CONF_COUNTED_ACTIVITIES,
    CONF_LOW_MOOD_THRESHOLD,
    CONF_NOTIFY_SERVICE,
    CONF_PERSON,
    CONF_PLAN_DAYS,
    CONF_PLAN_DURATION,
    CONF_PLAN_TIME,
    CONF_SLEEP_SENSOR,
    CONF_VOICE_AREAS,
    CONF_VOICE_SATELLITES,
    CONF_WEEK_START,
    CONF_WEEKLY_GOAL,
    DEFAULT_ASK_MOOD_AFTER_RUN,
    DEFAULT_AUTO_LOG_MINUTES,
    DEFAULT_COUNTED_ACTIVITIES,
    DEFAULT_LOW_MOOD_THRESHOLD,
    DEFAULT_PLAN_DURATION,
    DEFAULT_PLAN_TIME,
    DEFAULT_WEEK_START,
    DEFAULT_WEEKLY_GOAL,
    DOMAIN,
)
from .coordinator import RunWellbeingConfigEntry
from .core.models import GOAL_MAX, GOAL_MIN, WEEKDAYS, Activity, WeekStart
from .import_flow import ImportHistoryFlowMixin
from .validation import whole_number


class _StepCheckedNumberSelector(selector.NumberSelector):
    """A number field that hands the step the value as sent.

    The stock selector coerces to float, so `true` would arrive as 1.0 and pass;
    the step checks the raw value instead and shows a form error.
    """

    @override
    def __call__(self, data: Any) -> Any:
        return data


class _TimeWithoutSecondsSelector(selector.TimeSelector):
    """A time field whose picker shows hours and minutes only.

    The frontend's time selector reads `no_second`; Home Assistant's own
    selector config does not declare it yet, so this one does.
    """

    CONFIG_SCHEMA = selector.make_selector_config_schema(
        {vol.Optional("no_second", default=True): bool}
    )

    def __init__(self) -> None:
        """Instantiate the selector without seconds."""
        super().__init__(cast("selector.TimeSelectorConfig", {"no_second": True}))


WEEKLY_GOAL_SELECTOR = _StepCheckedNumberSelector(
    selector.NumberSelectorConfig(
        min=GOAL_MIN, max=GOAL_MAX, step=1, mode=selector.NumberSelectorMode.BOX
    )
)
NAME_SELECTOR = selector.TextSelector()


def _profile_key(name: str) -> str:
    """Return the unique id of a name, empty when it has no letter or digit."""
    key = slugify(name)
    return "" if key == "unknown" and name.strip().lower() != "unknown" else key


def _goal(value: Any) -> int | None:
    """Return the weekly goal, or None for a fraction, a boolean or out of range."""
    try:
        return whole_number(CONF_WEEKLY_GOAL, value, GOAL_MIN, GOAL_MAX)
    except ServiceValidationError:
        return None


USER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_NAME): NAME_SELECTOR,
        vol.Required(
            CONF_WEEKLY_GOAL, default=DEFAULT_WEEKLY_GOAL
        ): WEEKLY_GOAL_SELECTOR,
    }
)

CONF_IMPORT_HISTORY = "import_history"
# The options form's collapsible sections; saved flat, every option stays at
# the top level of entry.options (the voice and the coordinator read it there).
SECTION_GOAL = "goal_and_plan"
SECTION_VOICE = "person_and_voice"
SECTION_LINKED = "linked_sensors"
SECTION_HISTORY = "history"
GOAL_FIELDS = {
    vol.Required(CONF_WEEKLY_GOAL): WEEKLY_GOAL_SELECTOR,
    vol.Required(CONF_WEEK_START): selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=[week_start.value for week_start in WeekStart],
            translation_key=CONF_WEEK_START,
            mode=selector.SelectSelectorMode.DROPDOWN,
        )
    ),
    vol.Required(CONF_COUNTED_ACTIVITIES): selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=[activity.value for activity in Activity],
            translation_key="activity",
            multiple=True,
        )
    ),
    vol.Optional(CONF_PLAN_DAYS): selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=list(WEEKDAYS), translation_key=CONF_PLAN_DAYS, multiple=True
        )
    ),
    vol.Required(CONF_PLAN_TIME): _TimeWithoutSecondsSelector(),
    vol.Required(CONF_PLAN_DURATION): selector.NumberSelector(
        selector.NumberSelectorConfig(
            min=5,
            max=300,
            step=5,
            unit_of_measurement="min",
            mode=selector.NumberSelectorMode.BOX,
        )
    ),
    vol.Required(CONF_LOW_MOOD_THRESHOLD): selector.NumberSelector(
        selector.NumberSelectorConfig(
            min=1.0, max=10.0, step=0.5, mode=selector.NumberSelectorMode.SLIDER
        )
    ),
}
VOICE_FIELDS = {
    vol.Optional(CONF_PERSON): selector.EntitySelector(
        selector.EntitySelectorConfig(domain="person")
    ),
    vol.Optional(CONF_VOICE_SATELLITES): selector.EntitySelector(
        selector.EntitySelectorConfig(domain="assist_satellite", multiple=True)
    ),
    vol.Optional(CONF_VOICE_AREAS): selector.AreaSelector(
        selector.AreaSelectorConfig(multiple=True)
    ),
    vol.Required(
        CONF_ASK_MOOD_AFTER_RUN, default=DEFAULT_ASK_MOOD_AFTER_RUN
    ): selector.BooleanSelector(),
}
# Not an option: saving with it on goes on to "Import history".
HISTORY_FIELDS = {
    vol.Optional(CONF_IMPORT_HISTORY, default=False): selector.BooleanSelector(),
}


def mobile_app_notify_actions(hass: HomeAssistant) -> list[str]:
    """Return the notify actions that can show buttons: the companion apps'."""
    return sorted(
        f"notify.{name}"
        for name in hass.services.async_services_for_domain("notify")
        if name.startswith("mobile_app_")
    )


def linked_sensors_schema(hass: HomeAssistant) -> dict[Any, Any]:
    """Return the linked sensors' fields; the notify list holds the mobile apps."""
    return {
        vol.Optional(CONF_ACTIVITY_SENSOR): selector.EntitySelector(
            selector.EntitySelectorConfig(domain="sensor")
        ),
        vol.Optional(CONF_NOTIFY_SERVICE): selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=mobile_app_notify_actions(hass),
                # A typed value reaches the step, which refuses it with a form error.
                custom_value=True,
                mode=selector.SelectSelectorMode.DROPDOWN,
            )
        ),
        vol.Optional(
            CONF_AUTO_LOG_MINUTES, default=DEFAULT_AUTO_LOG_MINUTES
        ): selector.NumberSelector(
            selector.NumberSelectorConfig(
                min=AUTO_LOG_MINUTES_MIN,
                max=AUTO_LOG_MINUTES_MAX,
                step=1,
                unit_of_measurement="min",
                mode=selector.NumberSelectorMode.BOX,
            )
        ),
        vol.Optional(CONF_SLEEP_SENSOR): selector.EntitySelector(
            selector.EntitySelectorConfig(domain="sensor", device_class="duration")
        ),
    }


def options_sections(hass: HomeAssistant) -> dict[str, dict[Any, Any]]:
    """Return the options form's sections and their fields, in order."""
    return {
        SECTION_GOAL: GOAL_FIELDS,
        SECTION_VOICE: VOICE_FIELDS,
        SECTION_LINKED: linked_sensors_schema(hass),
        SECTION_HISTORY: HISTORY_FIELDS,
    }


def options_schema(hass: HomeAssistant, values: dict[str, Any]) -> vol.Schema:
    """Return the sectioned options form, filled with these flat values."""
    schema: dict[Any, Any] = {}
    for name, fields in options_sections(hass).items():
        inner = vol.Schema(fields)
        filled = {
            marker.schema: values[marker.schema]
            for marker in fields
            if marker.schema in values
        }
        schema[vol.Required(name)] = section(
            _suggest(inner, filled), {"collapsed": name != SECTION_GOAL}
        )
    return vol.Schema(schema)


def _suggest(schema: vol.Schema, values: dict[str, Any]) -> vol.Schema:
    """Return the schema with these values as its fields' suggested values."""
    out: dict[Any, Any] = {}
    for marker, validator in schema.schema.items():
        key = marker
        if marker.schema in values:
            key = copy(marker)
            key.description = {"suggested_value": values[marker.schema]}
        out[key] = validator
    return vol.Schema(out)


def sectioned(hass: HomeAssistant, flat: dict[str, Any]) -> dict[str, Any]:
    """Return flat options as the sectioned form sends them (the inverse of flatten)."""
    return {
        name: {
            marker.schema: flat[marker.schema]
            for marker in fields
            if marker.schema in flat
        }
        for name, fields in options_sections(hass).items()
    }


def flatten(user_input: dict[str, Any]) -> dict[str, Any]:
    """Return the options of a sectioned form at the top level."""
    flat: dict[str, Any] = {}
    for key, value in user_input.items():
        if key in (SECTION_GOAL, SECTION_VOICE, SECTION_LINKED, SECTION_HISTORY):
            flat.update(value)
        else:
            flat[key] = value
    return flat


def _notify_error(hass: HomeAssistant, service: str) -> str | None:
    """Return why this notify action cannot ask before logging, or None."""
    domain, _, name = service.partition(".")
    if not (domain == "notify" and name and hass.services.has_service(domain, name)):
        return "unknown_notify_service"
    if not name.startswith("mobile_app_"):
        # Only the companion apps' notifications carry the Log / Ignore buttons.
        return "notify_without_buttons"
    return None


def default_options(weekly_goal: int = DEFAULT_WEEKLY_GOAL) -> dict[str, Any]:
    """Return the options a new profile starts with."""
    return {
        CONF_WEEKLY_GOAL: weekly_goal,
        CONF_WEEK_START: DEFAULT_WEEK_START,
        CONF_COUNTED_ACTIVITIES: list(DEFAULT_COUNTED_ACTIVITIES),
        CONF_PLAN_DAYS: [],
        CONF_PLAN_TIME: DEFAULT_PLAN_TIME,
        CONF_PLAN_DURATION: DEFAULT_PLAN_DURATION,
        CONF_LOW_MOOD_THRESHOLD: DEFAULT_LOW_MOOD_THRESHOLD,
    }


class RunWellbeingConfigFlow(ConfigFlow, domain=DOMAIN):
    """One config entry per person."""

    VERSION = 1
    # 1.2: the unique id is a generated ULID, no longer the slugified name.
    MINOR_VERSION = 2

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: RunWellbeingConfigEntry) -> OptionsFlow:
        """Return the options flow."""
        return RunWellbeingOptionsFlow()

    def _name_taken(self, key: str, except_entry_id: str | None = None) -> bool:
        """Return whether another profile's name slugifies to this key."""
        return any(
            _profile_key(entry.title) == key
            for entry in self._async_current_entries(include_ignore=False)
            if entry.entry_id != except_entry_id
        )

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the person's name and weekly goal."""
        errors: dict[str, str] = {}
        if user_input is not None:
            name = user_input[CONF_NAME].strip()
            goal = _goal(user_input[CONF_WEEKLY_GOAL])
            if not (key := _profile_key(name)):
                errors[CONF_NAME] = "invalid_name"
            elif self._name_taken(key):
                errors[CONF_NAME] = "already_configured"
            if goal is None:
                errors[CONF_WEEKLY_GOAL] = "invalid_weekly_goal"
            if not errors and goal is not None:
                await self.async_set_unique_id(ulid_util.ulid_now())
                return self.async_create_entry(
                    title=name,
                    data={CONF_NAME: name},
                    options=default_options(goal),
                )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename the profile."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            name = user_input[CONF_NAME].strip()
            if not (key := _profile_key(name)):
                errors[CONF_NAME] = "invalid_name"
            elif self._name_taken(key, entry.entry_id):
                errors[CONF_NAME] = "already_configured"
            else:
                # The unique id stays: renaming never changes it.
                return self.async_update_and_abort(
                    entry,
                    title=name,
                    data_updates={CONF_NAME: name},
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema({vol.Required(CONF_NAME): NAME_SELECTOR}),
                user_input or {CONF_NAME: entry.data[CONF_NAME]},
            ),
            errors=errors,
        )


class RunWellbeingOptionsFlow(ImportHistoryFlowMixin, OptionsFlow):
    """Goal and plan, person and voice, linked sensors and history, in sections."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show one form with every option, in collapsible sections."""
        errors: dict[str, str] = {}
        shown = default_options() | dict(self.config_entry.options)
        if user_input is not None:
            options = flatten(user_input)
            shown = options
            import_history = options.pop(CONF_IMPORT_HISTORY, False)
            options = default_options() | options
            goal = _goal(options[CONF_WEEKLY_GOAL])
            if goal is None:
                errors[CONF_WEEKLY_GOAL] = "invalid_weekly_goal"
            else:
                options[CONF_WEEKLY_GOAL] = goal
            options[CONF_PLAN_DURATION] = int(options[CONF_PLAN_DURATION])
            options[CONF_LOW_MOOD_THRESHOLD] = float(options[CONF_LOW_MOOD_THRESHOLD])
            if CONF_AUTO_LOG_MINUTES in options:
                options[CONF_AUTO_LOG_MINUTES] = int(options[CONF_AUTO_LOG_MINUTES])
            if (service := options.get(CONF_NOTIFY_SERVICE)) and (
                problem := _notify_error(self.hass, service)
            ):
                errors[CONF_NOTIFY_SERVICE] = problem
            if not options[CONF_COUNTED_ACTIVITIES]:
                errors[CONF_COUNTED_ACTIVITIES] = "no_counted_activities"
            if not errors and import_history:
                return await self.async_step_import_history(options=options)
            if not errors:
                return self.async_create_entry(data=options)
        return self.async_show_form(
            step_id="init",
            data_schema=options_schema(self.hass, shown),
            errors=errors,
        )
