"""Install the automation blueprints that ship with the integration."""

from __future__ import annotations

from pathlib import Path
import shutil

from homeassistant.core import HomeAssistant

from .const import DOMAIN, LOGGER

BUNDLED = Path(__file__).parent / "blueprints"


def _install(source: Path, target: Path) -> list[str]:
    """Copy each bundled blueprint that is missing; never overwrite a user's copy."""
    copied: list[str] = []
    for blueprint in sorted(source.glob("*.yaml")):
        destination = target / blueprint.name
        if destination.exists():
            continue
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(blueprint, destination)
        copied.append(blueprint.name)
    return copied


async def async_install_blueprints(hass: HomeAssistant) -> list[str]:
    """Copy missing blueprints to <config>/blueprints/automation/run_wellbeing/."""
    target = Path(hass.config.path("blueprints", "automation", DOMAIN))
    try:
        copied = await hass.async_add_executor_job(_install, BUNDLED, target)
    except OSError as err:
        # A read-only or full config folder must not stop the profiles.
        LOGGER.warning("Could not install the Run Wellbeing blueprints: %s", err)
        return []
    if copied:
        LOGGER.info("Installed blueprints %s into %s", ", ".join(copied), target)
    return copied
