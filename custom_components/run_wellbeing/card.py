"""Serve the card's bundle and load it in every dashboard.

The bundle is committed under `frontend/`, so HACS users need no build. Its
URL carries a hash of its content, so browsers never run a stale card after
an update.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http.server import StaticPathConfig
from homeassistant.core import HomeAssistant

CARD_FILE = Path(__file__).parent / "frontend" / "run-wellbeing-card.js"
CARD_URL = "/run_wellbeing/run-wellbeing-card.js"
DATA_CARD_REGISTERED = "run_wellbeing_card_registered"


def _bundle_hash() -> str:
    """Return a short hash of the bundle (runs in the executor)."""
    return hashlib.sha256(CARD_FILE.read_bytes()).hexdigest()[:12]


async def async_register_card(hass: HomeAssistant) -> None:
    """Serve the bundle and add it to the frontend, once per Home Assistant run.

    Without the frontend (a headless install) there is no dashboard to add
    the card to; the websocket commands still work.
    """
    if hass.data.get(DATA_CARD_REGISTERED) or "frontend" not in hass.config.components:
        return
    hass.data[DATA_CARD_REGISTERED] = True
    version = await hass.async_add_executor_job(_bundle_hash)
    await hass.http.async_register_static_paths(
        [StaticPathConfig(CARD_URL, str(CARD_FILE), cache_headers=True)]
    )
    add_extra_js_url(hass, f"{CARD_URL}?v={version}")
