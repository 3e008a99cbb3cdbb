"""Authenticated download and upload of a profile's history for the card.

The owner of a profile (the user of its linked person) or an admin may export
it as a file download and import an export by uploading it; anyone else gets
403 and nothing changes. Both go through the transfer module, as the path
actions do: the export is written to a temporary file, sent, then deleted; an
upload is written to a temporary folder first (capped in size), imported,
then deleted.
"""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
import shutil
import tempfile
from typing import Any

from aiohttp import BodyPartReader, web
from homeassistant.components.http.const import KEY_HASS_USER
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.util import slugify

from .const import DOMAIN
from .coordinator import RunWellbeingConfigEntry, RunWellbeingCoordinator
from .importers.readers import EXPORT_FORMATS, FORMATS
from .ownership import async_may_manage
from .transfer import async_export_file, async_import_file

EXPORT_URL = "/api/run_wellbeing/{entry_id}/export"
IMPORT_URL = "/api/run_wellbeing/{entry_id}/import"
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
DATA_VIEWS_REGISTERED = "run_wellbeing_views_registered"
CONTENT_TYPES = {"csv": "text/csv", "json": "application/json"}


def async_register_views(hass: HomeAssistant) -> None:
    """Register the download and upload endpoints, once per Home Assistant run.

    Home Assistant's router accepts late views; a test client's frozen router
    does not, and then the endpoints are simply not there.
    """
    if hass.data.get(DATA_VIEWS_REGISTERED):
        return
    try:
        hass.http.register_view(ExportView())
        hass.http.register_view(ImportView())
    except RuntimeError:
        return
    hass.data[DATA_VIEWS_REGISTERED] = True


def _error(status: HTTPStatus, key: str, message: str = "") -> web.Response:
    return web.json_response(
        {"error": key, "message": message or key}, status=int(status)
    )


async def _managed(
    request: web.Request, entry_id: str
) -> RunWellbeingCoordinator | web.Response:
    """Return the profile's coordinator if this user may manage it, else a refusal."""
    hass: HomeAssistant = request.app[KEY_HASS]
    entry: RunWellbeingConfigEntry | None = hass.config_entries.async_get_entry(
        entry_id
    )
    if entry is None or entry.domain != DOMAIN:
        return _error(HTTPStatus.NOT_FOUND, "no_profile_loaded")
    if not await async_may_manage(hass, entry, request[KEY_HASS_USER].id):
        return _error(HTTPStatus.FORBIDDEN, "not_owner")
    if entry.state is not ConfigEntryState.LOADED:
        return _error(HTTPStatus.NOT_FOUND, "no_profile_loaded")
    return entry.runtime_data


def _failure(err: HomeAssistantError) -> web.Response:
    return _error(HTTPStatus.BAD_REQUEST, err.translation_key or "failed", str(err))


class ExportView(HomeAssistantView):
    """GET: the profile's history as a file download (csv or json)."""

    url = EXPORT_URL
    name = "api:run_wellbeing:export"
    requires_auth = True

    async def get(self, request: web.Request, entry_id: str) -> web.StreamResponse:
        """Write the export to a temporary file, send it, delete it."""
        hass: HomeAssistant = request.app[KEY_HASS]
        fmt = request.query.get("format", "csv")
        if fmt not in EXPORT_FORMATS:
            return _error(HTTPStatus.BAD_REQUEST, "invalid_format")
        managed = await _managed(request, entry_id)
        if isinstance(managed, web.Response):
            return managed
        folder = Path(await hass.async_add_executor_job(tempfile.mkdtemp))
        name = f"run_wellbeing_{slugify(managed.profile_name)}.{fmt}"
        try:
            await async_export_file(hass, managed, folder / name, fmt)
            body = await hass.async_add_executor_job((folder / name).read_bytes)
        except HomeAssistantError as err:
            return _failure(err)
        finally:
            await hass.async_add_executor_job(shutil.rmtree, folder, True)
        return web.Response(
            body=body,
            content_type=CONTENT_TYPES[fmt],
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
            },
        )


class ImportView(HomeAssistantView):
    """POST multipart `file` (and `format`): import an export, return the summary."""

    url = IMPORT_URL
    name = "api:run_wellbeing:import"
    requires_auth = True

    async def post(self, request: web.Request, entry_id: str) -> web.Response:
        """Save the upload to a temporary folder (size-capped), import it, delete it."""
        hass: HomeAssistant = request.app[KEY_HASS]
        fmt = request.query.get("format", "auto")
        if fmt not in FORMATS:
            return _error(HTTPStatus.BAD_REQUEST, "invalid_format")
        managed = await _managed(request, entry_id)
        if isinstance(managed, web.Response):
            return managed
        folder = Path(await hass.async_add_executor_job(tempfile.mkdtemp))
        try:
            target = await _receive(hass, request, folder)
            if isinstance(target, web.Response):
                return target
            summary: dict[str, Any] = await async_import_file(
                hass,
                managed,
                target,
                fmt,
                Context(user_id=request[KEY_HASS_USER].id),
            )
        except HomeAssistantError as err:
            return _failure(err)
        finally:
            await hass.async_add_executor_job(shutil.rmtree, folder, True)
        return web.json_response(summary)


async def _receive(
    hass: HomeAssistant, request: web.Request, folder: Path
) -> Path | web.Response:
    """Write the multipart field `file` into the folder, refusing large uploads."""
    if request.content_length and request.content_length > MAX_UPLOAD_BYTES:
        return _error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "upload_too_large")
    try:
        reader = await request.multipart()
    except AssertionError, ValueError, KeyError:
        return _error(HTTPStatus.BAD_REQUEST, "no_file")
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name != "file":
            continue
        # Only the base name, made safe: the upload never chooses a path.
        raw = Path(part.filename or "upload").name
        stem, dot, suffix = raw.rpartition(".")
        name = f"{slugify(stem) or 'upload'}.{slugify(suffix)}" if dot else slugify(raw)
        target = folder / (name or "upload")
        handle = await hass.async_add_executor_job(target.open, "wb")
        size = 0
        try:
            while chunk := await part.read_chunk(CHUNK_BYTES):
                size += len(chunk)
                if size > MAX_UPLOAD_BYTES:
                    return _error(
                        HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "upload_too_large"
                    )
                await hass.async_add_executor_job(handle.write, chunk)
        finally:
            await hass.async_add_executor_job(handle.close)
        return target
    return _error(HTTPStatus.BAD_REQUEST, "no_file")
