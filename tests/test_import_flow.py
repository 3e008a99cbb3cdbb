"""The options flow's Import history path: upload, progress, summary."""

from __future__ import annotations

from datetime import UTC, datetime
import io
from pathlib import Path

import aiohttp
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.run_wellbeing.config_flow import default_options, sectioned

from .history_exports import Act, gpx_bytes


async def upload(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, name: str, data: bytes
) -> str:
    # Loaded with the frontend in an installation; on its own here.
    assert await async_setup_component(hass, "file_upload", {})
    client = await hass_client()
    form = aiohttp.FormData()
    form.add_field("file", io.BytesIO(data), filename=name)
    response = await client.post("/api/file_upload", data=form)
    assert response.status == 200
    return str((await response.json())["file_id"])


async def start_import(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        sectioned(hass, default_options(weekly_goal=5) | {"import_history": True}),
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "import_history"
    return str(result["flow_id"])


async def finish(hass: HomeAssistant, flow_id: str, file_id: str, fmt: str) -> dict:
    result = await hass.config_entries.options.async_configure(
        flow_id, {"import_file": file_id, "format": fmt}
    )
    if result["type"] is FlowResultType.SHOW_PROGRESS:
        assert result["progress_action"] == "import_history"
        # The flow moves on by itself when the import task is done.
        flows = hass.config_entries.options
        while flows.async_get(flow_id)["step_id"] == "import_progress":
            await hass.async_block_till_done()
        result = await flows.async_configure(flow_id)
    return dict(result)


async def test_upload_imports_and_summarises(
    hass: HomeAssistant, alex: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    start = datetime(2025, 5, 1, 6, 0, tzinfo=UTC)
    file_id = await upload(
        hass,
        hass_client,
        "Morning_Run.gpx",
        gpx_bytes(Act(start, "", 1800, 1800, 5000)),
    )
    flow_id = await start_import(hass, alex)

    result = await finish(hass, flow_id, file_id, "auto")

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "import_done"
    # Local time (Amsterdam, summer time), counts of each kind.
    assert result["description_placeholders"] == {
        "sessions": "1",
        "moods": "0",
        "plans": "0",
        "duplicates": "0",
        "skipped": "0",
        "first": "2025-05-01 08:00",
        "last": "2025-05-01 08:00",
    }
    assert result["last_step"] is True  # the button is labelled "Done"
    (session,) = alex.runtime_data.history.sessions.values()
    assert session.start == start
    result = await hass.config_entries.options.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert alex.options["weekly_goal"] == 5
    assert "import_history" not in alex.options
    # The uploaded file is gone.
    upload_dir = Path("/tmp/home-assistant-file_upload")  # noqa: S108
    assert not await hass.async_add_executor_job(
        lambda: any(upload_dir.glob("*/Morning_Run.gpx"))
    )


async def test_unreadable_upload_shows_the_error_and_stores_nothing(
    hass: HomeAssistant, alex: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    file_id = await upload(hass, hass_client, "broken.gpx", b"<gpx><trk>")
    flow_id = await start_import(hass, alex)

    result = await finish(hass, flow_id, file_id, "gpx")

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "import_history"
    assert result["errors"] == {"base": "import_failed"}
    assert result["description_placeholders"]["error"] == (
        "broken.gpx cannot be read at line 1. Nothing was imported."
    )
    assert alex.runtime_data.history.sessions == {}


async def test_options_without_import_are_saved_at_once(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(alex.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], sectioned(hass, default_options(weekly_goal=6))
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert alex.options["weekly_goal"] == 6
