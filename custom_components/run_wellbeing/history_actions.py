"""The `import_history` and `export_history` actions: who may use them, which files."""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import probatio as vol

from .const import ATTR_CONFIG_ENTRY_ID, DOMAIN
from .importers.readers import EXPORT_FORMATS, FORMATS
from .ownership import async_check_may_manage
from .transfer import async_export_file, async_import_file

SERVICE_IMPORT_HISTORY = "import_history"
SERVICE_EXPORT_HISTORY = "export_history"
ATTR_PATH = "path"
ATTR_FORMAT = "format"
MAX_PATH = 4096

IMPORT_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_PATH): vol.All(cv.string, vol.Length(min=1, max=MAX_PATH)),
        vol.Optional(ATTR_FORMAT, default="auto"): vol.In(FORMATS),
    }
)
EXPORT_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_PATH): vol.All(cv.string, vol.Length(min=1, max=MAX_PATH)),
        vol.Optional(ATTR_FORMAT, default="csv"): vol.In(EXPORT_FORMATS),
    }
)


def _error(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def _short(path: str) -> str:
    return path if len(path) <= 120 else "…" + path[-120:]


def _resolve(hass: HomeAssistant, path: str, *, must_exist: bool) -> Path:
    """Return an allowed absolute path; runs in the executor (it touches the disk)."""
    target = Path(hass.config.path(path))
    config_dir = Path(hass.config.config_dir).resolve()
    resolved = target.resolve() if target.exists() else target.parent.resolve()
    if not resolved.is_relative_to(config_dir) and not hass.config.is_allowed_path(
        str(target)
    ):
        raise _error("path_not_allowed", path=_short(path))
    if must_exist and not target.exists():
        raise _error("path_not_found", path=_short(path))
    if not must_exist and (target.is_dir() or not target.parent.is_dir()):
        raise _error("path_not_writable", path=_short(path))
    return target


# Actions ---------------------------------------------------------------------------


@callback
def async_setup_history_services(hass: HomeAssistant) -> None:
    """Register `import_history` and `export_history`."""
    from .services import get_coordinator  # noqa: PLC0415 - services imports us

    async def import_history(call: ServiceCall) -> ServiceResponse:
        coordinator = get_coordinator(hass, call)
        target = await hass.async_add_executor_job(
            lambda: _resolve(hass, call.data[ATTR_PATH], must_exist=True)
        )
        response = await async_import_file(
            hass, coordinator, target, call.data[ATTR_FORMAT], call.context
        )
        return response if call.return_response else None

    async def export_history(call: ServiceCall) -> ServiceResponse:
        coordinator = get_coordinator(hass, call)
        # The export holds every note: only those who may read them may write it.
        await async_check_may_manage(hass, coordinator.config_entry, call.context)
        target = await hass.async_add_executor_job(
            lambda: _resolve(hass, call.data[ATTR_PATH], must_exist=False)
        )
        try:
            response = await async_export_file(
                hass, coordinator, target, call.data[ATTR_FORMAT]
            )
        except ServiceValidationError as err:
            raise _error("export_failed", path=_short(call.data[ATTR_PATH])) from err
        return response if call.return_response else None

    hass.services.async_register(
        DOMAIN,
        SERVICE_IMPORT_HISTORY,
        import_history,
        IMPORT_SCHEMA,
        SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_EXPORT_HISTORY,
        export_history,
        EXPORT_SCHEMA,
        SupportsResponse.OPTIONAL,
    )
