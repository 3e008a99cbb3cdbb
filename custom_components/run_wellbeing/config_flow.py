"""Add a profile per person, tune its goal, week and plan, or rename it."""

from __future__ import annotations

from typing import Any, override

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import selector
from homeassistant.util import slugify, ulid as ulid_util
import probatio as vol

from .const import (
    AUTO_LOG_MINUTES_MAX,
    AUTO_LOG_MINUTES_MIN,
    CONF_ACTIVITY_SENSOR,
    CONF_AUTO_LOG_MINUTES,
    CONF_COUNTED_ACTIVITIES,
    CONF_LOW_MOOD_THRESHOLD,
    CONF_NOTIFY_SERVICE,
    CONF_PERSON,
    CONF_PLAN_DAYS,
    CONF_PLAN_DURATION,
    CONF_PLAN_TIME,
    CONF_SLEEP_SENSOR,
    CONF_WEEK_START,
    CONF_WEEKLY_GOAL,
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

WEEKLY_GOAL_SELECTOR = selector.NumberSelector(
    selector.NumberSelectorConfig(
        min=GOAL_MIN, max=GOAL_MAX, step=1, mode=selector.NumberSelectorMode.BOX
    )
)
NAME_SELECTOR = selector.TextSelector()


def _profile_key(name: str) -> str:
    """Return the unique id of a name, empty when it has no letter or digit."""
    key = slugify(name)
    return "" if key == "unknown" and name.strip().lower() != "unknown" else key


def _goal(value: Any) -> int:
    return int(vol.All(vol.Coerce(float), vol.Range(min=GOAL_MIN, max=GOAL_MAX))(value))


USER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_NAME): NAME_SELECTOR,
        vol.Required(
            CONF_WEEKLY_GOAL, default=DEFAULT_WEEKLY_GOAL
        ): WEEKLY_GOAL_SELECTOR,
    }
)

CONF_IMPORT_HISTORY = "import_history"
OPTIONS_SCHEMA = vol.Schema(
    {
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
        vol.Required(CONF_PLAN_TIME): selector.TimeSelector(),
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
        vol.Optional(CONF_PERSON): selector.EntitySelector(
            selector.EntitySelectorConfig(domain="person")
        ),
        # Not an option: saving with it on goes on to "Import history".
        vol.Optional(CONF_IMPORT_HISTORY, default=False): selector.BooleanSelector(),
    }
)


def linked_sensors_schema(hass: HomeAssistant) -> dict[Any, Any]:
    """Return the linked sensors' fields; the notify list holds the mobile apps."""
    mobile_apps = sorted(
        f"notify.{name}"
        for name in hass.services.async_services_for_domain("notify")
        if name.startswith("mobile_app_")
    )
    return {
        vol.Optional(CONF_ACTIVITY_SENSOR): selector.EntitySelector(
            selector.EntitySelectorConfig(domain="sensor")
        ),
        vol.Optional(CONF_NOTIFY_SERVICE): selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=mobile_apps,
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


def _notify_exists(hass: HomeAssistant, service: str) -> bool:
    domain, _, name = service.partition(".")
    return domain == "notify" and bool(name) and hass.services.has_service(domain, name)


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
            if not (key := _profile_key(name)):
                errors[CONF_NAME] = "invalid_name"
            elif self._name_taken(key):
                errors[CONF_NAME] = "already_configured"
            else:
                await self.async_set_unique_id(ulid_util.ulid_now())
                return self.async_create_entry(
                    title=name,
                    data={CONF_NAME: name},
                    options=default_options(_goal(user_input[CONF_WEEKLY_GOAL])),
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
    """Goal, week start, what counts, the weekly plan and the low-mood threshold."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show one form with every option."""
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = dict(user_input)
            import_history = user_input.pop(CONF_IMPORT_HISTORY, False)
            options = default_options() | user_input
            options[CONF_WEEKLY_GOAL] = _goal(options[CONF_WEEKLY_GOAL])
            options[CONF_PLAN_DURATION] = int(options[CONF_PLAN_DURATION])
            options[CONF_LOW_MOOD_THRESHOLD] = float(options[CONF_LOW_MOOD_THRESHOLD])
            if CONF_AUTO_LOG_MINUTES in options:
                options[CONF_AUTO_LOG_MINUTES] = int(options[CONF_AUTO_LOG_MINUTES])
            service = options.get(CONF_NOTIFY_SERVICE)
            if service and not _notify_exists(self.hass, service):
                errors[CONF_NOTIFY_SERVICE] = "unknown_notify_service"
            if not options[CONF_COUNTED_ACTIVITIES]:
                errors[CONF_COUNTED_ACTIVITIES] = "no_counted_activities"
            if not errors and import_history:
                return await self.async_step_import_history(options=options)
            if not errors:
                return self.async_create_entry(data=options)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA.extend(linked_sensors_schema(self.hass)),
                user_input or default_options() | dict(self.config_entry.options),
            ),
            errors=errors,
        )
