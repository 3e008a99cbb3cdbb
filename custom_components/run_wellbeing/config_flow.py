"""Add a profile per person, tune its goal, week and plan, or rename it."""

from __future__ import annotations

from typing import Any, override

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_NAME
from homeassistant.core import callback
from homeassistant.helpers import selector
from homeassistant.util import slugify
import probatio as vol

from .const import (
    CONF_COUNTED_ACTIVITIES,
    CONF_LOW_MOOD_THRESHOLD,
    CONF_PERSON,
    CONF_PLAN_DAYS,
    CONF_PLAN_DURATION,
    CONF_PLAN_TIME,
    CONF_WEEK_START,
    CONF_WEEKLY_GOAL,
    DEFAULT_COUNTED_ACTIVITIES,
    DEFAULT_LOW_MOOD_THRESHOLD,
    DEFAULT_PLAN_DURATION,
    DEFAULT_PLAN_TIME,
    DEFAULT_WEEK_START,
    DEFAULT_WEEKLY_GOAL,
    DOMAIN,
)
from .coordinator import RunWellbeingConfigEntry
from .import_flow import ImportHistoryFlowMixin
from .models import GOAL_MAX, GOAL_MIN, WEEKDAYS, Activity, WeekStart

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
    MINOR_VERSION = 1

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: RunWellbeingConfigEntry) -> OptionsFlow:
        """Return the options flow."""
        return RunWellbeingOptionsFlow()

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the person's name and weekly goal."""
        errors: dict[str, str] = {}
        if user_input is not None:
            name = user_input[CONF_NAME].strip()
            if not (key := _profile_key(name)):
                errors[CONF_NAME] = "invalid_name"
            else:
                await self.async_set_unique_id(key)
                self._abort_if_unique_id_configured()
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
            else:
                await self.async_set_unique_id(key)
                if entry.unique_id != key:
                    self._abort_if_unique_id_configured()
                return self.async_update_and_abort(
                    entry,
                    unique_id=key,
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
            if options[CONF_COUNTED_ACTIVITIES] and import_history:
                return await self.async_step_import_history(options=options)
            if options[CONF_COUNTED_ACTIVITIES]:
                return self.async_create_entry(data=options)
            errors[CONF_COUNTED_ACTIVITIES] = "no_counted_activities"
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA,
                user_input or default_options() | dict(self.config_entry.options),
            ),
            errors=errors,
        )
