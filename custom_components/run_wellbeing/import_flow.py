"""The options flow's "Import history" path: upload, progress, summary."""

from __future__ import annotations

import asyncio
from pathlib import Path
import shutil
import tempfile
from typing import Any

from homeassistant.components.file_upload import process_uploaded_file
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import selector
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
import probatio as vol

from .const import DOMAIN, LOGGER
from .importers.readers import FORMATS
from .transfer import async_import_file

CONF_IMPORT_FILE = "import_file"
CONF_IMPORT_FORMAT = "format"
ACCEPT = ".zip,.csv,.xml,.json,.gpx,.tcx,.fit,.gz"

IMPORT_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_IMPORT_FILE): selector.FileSelector(
            selector.FileSelectorConfig(accept=ACCEPT)
        ),
        vol.Required(CONF_IMPORT_FORMAT, default="auto"): selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=list(FORMATS), translation_key="import_format"
            )
        ),
    }
)


def _take_upload(hass: Any, file_id: str) -> Path:
    """Move an uploaded file to a folder of our own; runs in the executor."""
    folder = Path(tempfile.mkdtemp(prefix="run_wellbeing_import_"))
    with process_uploaded_file(hass, file_id) as uploaded:
        return Path(shutil.move(uploaded, folder / uploaded.name))


class ImportHistoryFlowMixin(OptionsFlow):
    """Steps `import_history`, `import_progress` and `import_done` of the options flow.

    The options form hands over with `async_step_import_history(options=...)`;
    the options are saved when the summary is confirmed.
    """

    _import_options: dict[str, Any] | None = None
    _import_task: asyncio.Task[dict[str, Any]] | None = None
    _import_input: dict[str, Any] | None = None
    _import_result: dict[str, Any] | None = None
    _import_error: str | None = None

    async def async_step_import_history(
        self,
        user_input: dict[str, Any] | None = None,
        options: dict[str, Any] | None = None,
    ) -> ConfigFlowResult:
        """Ask for the export file and its format."""
        if options is not None:
            self._import_options = options
        errors: dict[str, str] = {}
        if user_input is not None:
            self._import_input = user_input
            return await self.async_step_import_progress()
        if self._import_error is not None:
            errors["base"] = "import_failed"
        return self.async_show_form(
            step_id="import_history",
            data_schema=IMPORT_SCHEMA,
            errors=errors,
            description_placeholders={"error": self._import_error or ""},
        )

    async def _async_run_import(self) -> dict[str, Any]:
        assert self._import_input is not None
        hass = self.hass
        path = await hass.async_add_executor_job(
            _take_upload, hass, self._import_input[CONF_IMPORT_FILE]
        )
        try:
            return await async_import_file(
                hass,
                self.config_entry.runtime_data,
                path,
                self._import_input[CONF_IMPORT_FORMAT],
            )
        finally:
            await hass.async_add_executor_job(shutil.rmtree, path.parent)

    async def async_step_import_progress(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Import in the background, showing progress until it is done."""
        if self._import_task is None:
            self._import_task = self.hass.async_create_task(self._async_run_import())
        if not self._import_task.done():
            return self.async_show_progress(
                step_id="import_progress",
                progress_action="import_history",
                progress_task=self._import_task,
            )
        task, self._import_task = self._import_task, None
        try:
            self._import_result = task.result()
        except HomeAssistantError as err:
            self._import_error = await self._async_message(err)
            return self.async_show_progress_done(next_step_id="import_history")
        except Exception:  # noqa: BLE001 - the progress must end, whatever happened
            LOGGER.exception("The import from the options failed")
            self._import_error = "-"
            return self.async_show_progress_done(next_step_id="import_history")
        self._import_error = None
        return self.async_show_progress_done(next_step_id="import_done")

    async def _async_message(self, err: HomeAssistantError) -> str:
        """Return an error's message in the user's language, naming the file."""
        language = self.hass.config.language
        strings = await async_get_translations(
            self.hass, language, "exceptions", {DOMAIN}
        )
        template = strings.get(
            f"component.{DOMAIN}.exceptions.{err.translation_key}.message"
        )
        if template is None:
            return str(err)
        return template.format(**(err.translation_placeholders or {}))

    async def async_step_import_done(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show what was imported, in local time; "Done" saves the options."""
        result = self._import_result or {}
        if user_input is not None:
            return self.async_create_entry(
                data=self._import_options or dict(self.config_entry.options)
            )
        return self.async_show_form(
            step_id="import_done",
            data_schema=vol.Schema({}),
            description_placeholders=summary(result),
            last_step=True,
        )


SUMMARY_KEYS = ("sessions", "moods", "plans", "duplicates", "skipped")


def summary(result: dict[str, Any]) -> dict[str, str]:
    """Return the summary's placeholders: counts, and dates in local time."""
    placeholders = {key: str(result.get(key, 0)) for key in SUMMARY_KEYS}
    for key in ("first", "last"):
        value = result.get(key)
        moment = dt_util.parse_datetime(value) if isinstance(value, str) else None
        placeholders[key] = (
            "-"
            if moment is None
            else dt_util.as_local(moment).strftime("%Y-%m-%d %H:%M")
        )
    return placeholders
