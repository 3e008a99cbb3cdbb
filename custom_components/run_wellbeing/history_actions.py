"""The `import_history` and `export_history` actions: who may use them, which files.

Both read or write the server's disk, so they are admin actions: admins and
calls without a user (automations) may use them, everyone else is refused
as unauthorized by Home Assistant's admin-service registration. An import
also needs the right to manage the target profile. Which files they may
touch is decided in `files.py`; the work itself is done in `transfer.py`.
"""

from __future__ import annotations

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_register_admin_service
import probatio as vol

from . import files
from .const import ATTR_CONFIG_ENTRY_ID, DOMAIN
from .importers.readers import EXPORT_FORMATS, FORMATS
from .ownership import async_check_may_manage
from .target import get_coordinator
from .transfer import async_export_file, async_import_file

SERVICE_IMPORT_HISTORY = "import_history"
SERVICE_EXPORT_HISTORY = "export_history"
ATTR_PATH = "path"
ATTR_FORMAT = "format"

# The path's type and length are checked by `files`, whose refusal is
# translated and shortened; a schema error would quote it whole.
IMPORT_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.match_all,
        vol.Required(ATTR_PATH): cv.match_all,
        vol.Optional(ATTR_FORMAT, default="auto"): vol.In(FORMATS),
    }
)
EXPORT_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.match_all,
        vol.Required(ATTR_PATH): cv.match_all,
        vol.Optional(ATTR_FORMAT, default="csv"): vol.In(EXPORT_FORMATS),
    }
)


def _path(call: ServiceCall) -> str:
    path = call.data[ATTR_PATH]
    if not isinstance(path, str):
        raise files.refuse("path_invalid", type(path).__name__)
    return path


@callback
def async_setup_history_services(hass: HomeAssistant) -> None:
    """Register `import_history` and `export_history` as admin actions."""

    async def import_history(call: ServiceCall) -> ServiceResponse:
        coordinator = get_coordinator(hass, call)
        await async_check_may_manage(hass, coordinator.config_entry, call.context)
        path = _path(call)
        source = await hass.async_add_executor_job(
            files.import_source,
            hass.config.config_dir,
            set(hass.config.allowlist_external_dirs),
            path,
        )
        response = await async_import_file(
            hass, coordinator, source, call.data[ATTR_FORMAT], call.context
        )
        return response if call.return_response else None

    async def export_history(call: ServiceCall) -> ServiceResponse:
        coordinator = get_coordinator(hass, call)
        # The export holds every note: only those who may read them may write it.
        await async_check_may_manage(hass, coordinator.config_entry, call.context)
        path = _path(call)
        fmt = call.data[ATTR_FORMAT]
        target = await hass.async_add_executor_job(
            files.export_target,
            hass.config.config_dir,
            set(hass.config.allowlist_external_dirs),
            path,
            fmt,
        )
        try:
            response = await async_export_file(hass, coordinator, target, fmt)
        except ServiceValidationError as err:
            raise files.refuse("export_failed", path) from err
        return response if call.return_response else None

    async_register_admin_service(
        hass,
        DOMAIN,
        SERVICE_IMPORT_HISTORY,
        import_history,
        IMPORT_SCHEMA,
        SupportsResponse.OPTIONAL,
    )
    async_register_admin_service(
        hass,
        DOMAIN,
        SERVICE_EXPORT_HISTORY,
        export_history,
        EXPORT_SCHEMA,
        SupportsResponse.OPTIONAL,
    )
