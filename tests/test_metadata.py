"""The files hassfest, HACS and Home Assistant read are valid and agree with each other."""

from __future__ import annotations

from http import HTTPStatus
from io import BytesIO
import json
from pathlib import Path
import re
from typing import Any

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
import homeassistant
from homeassistant import loader
from homeassistant.const import __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, icon, service
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
from PIL import Image
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.run_wellbeing.const import DOMAIN

BASE = Path(__file__).parents[1] / "custom_components" / DOMAIN
ROOT = BASE.parents[1]
CORE = Path(homeassistant.__file__).parent


def _json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


MANIFEST = _json(BASE / "manifest.json")
STRINGS = _json(BASE / "strings.json")
ICONS = _json(BASE / "icons.json")
SERVICES = load_yaml_dict(str(BASE / "services.yaml"))

# --- manifest.json ------------------------------------------------------------
# What hassfest accepts in the manifest of a custom integration (its custom
# manifest schema), written out here because script.hassfest is not installed.


def _version(value: str) -> str:
    AwesomeVersion(
        value,
        ensure_strategy=[
            AwesomeVersionStrategy.CALVER,
            AwesomeVersionStrategy.SEMVER,
            AwesomeVersionStrategy.SIMPLEVER,
            AwesomeVersionStrategy.BUILDVER,
            AwesomeVersionStrategy.PEP440,
        ],
    )
    return value


def _https(value: str) -> str:
    if not value.startswith("https://"):
        raise vol.Invalid("must be an https URL")
    return str(cv.url(value))


CUSTOM_MANIFEST = vol.Schema(
    {
        vol.Required("domain"): str,
        vol.Required("name"): str,
        vol.Required("codeowners"): [vol.Match(r"^@[\w.-]+(/[\w.-]+)?$")],
        vol.Required("documentation"): _https,
        vol.Required("version"): vol.All(str, _version),
        vol.Optional("issue_tracker"): _https,
        vol.Optional("config_flow"): bool,
        vol.Optional("integration_type"): vol.In(
            ["device", "entity", "hardware", "helper", "hub", "service", "system"]
        ),
        vol.Optional("iot_class"): vol.In(
            [
                "assumed_state",
                "calculated",
                "cloud_polling",
                "cloud_push",
                "local_polling",
                "local_push",
            ]
        ),
        vol.Optional("dependencies"): [str],
        vol.Optional("after_dependencies"): [str],
        vol.Optional("requirements"): [str],
        vol.Optional("loggers"): [str],
        vol.Optional("single_config_entry"): bool,
        vol.Optional("import_executor"): bool,
        vol.Optional("quality_scale"): vol.In(
            ["bronze", "silver", "gold", "platinum", "internal"]
        ),
    },
    extra=vol.PREVENT_EXTRA,
)


def test_manifest_is_what_hassfest_accepts() -> None:
    CUSTOM_MANIFEST(MANIFEST)

    assert MANIFEST["domain"] == BASE.name
    keys = list(MANIFEST)
    assert keys[:2] == ["domain", "name"], "hassfest: domain, name, then sorted"
    assert keys[2:] == sorted(keys[2:]), "hassfest: domain, name, then sorted"
    assert MANIFEST["config_flow"] is True
    assert MANIFEST["iot_class"] == "local_push"  # no cloud, no polling
    assert not (CORE / "components" / DOMAIN).exists(), "collides with core"


async def test_home_assistant_loads_the_manifest(hass: HomeAssistant) -> None:
    integration = await loader.async_get_integration(hass, DOMAIN)

    assert not integration.is_built_in
    assert integration.version == AwesomeVersion(MANIFEST["version"])
    assert integration.config_flow
    assert integration.integration_type == "service"
    assert integration.iot_class == "local_push"
    # Only the history import's parsers, pinned, and pinned alike for the tests.
    assert integration.requirements == ["defusedxml==0.7.1", "fitdecode==0.11.0"]
    pinned = (ROOT / "requirements_test.txt").read_text()
    assert all(requirement in pinned for requirement in integration.requirements)
    assert integration.has_services
    assert integration.has_translations
    assert integration.has_branding


def test_versions_agree() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{MANIFEST["version"]}"' in pyproject
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{MANIFEST['version']}]" in changelog


# --- hacs.json ------------------------------------------------------------------
# The keys HACS accepts (it refuses any other key).
HACS = vol.Schema(
    {
        vol.Required("name"): str,
        vol.Optional("content_in_root"): bool,
        vol.Optional("country"): vol.Any(str, [str]),
        vol.Optional("filename"): str,
        vol.Optional("hacs"): str,
        vol.Optional("hide_default_branch"): bool,
        vol.Optional("homeassistant"): str,
        vol.Optional("persistent_directory"): str,
        vol.Optional("render_readme"): bool,
        vol.Optional("zip_release"): bool,
    },
    extra=vol.PREVENT_EXTRA,
)


def test_hacs_json() -> None:
    hacs = _json(ROOT / "hacs.json")

    HACS(hacs)
    assert hacs["name"] == MANIFEST["name"]
    # The minimum Home Assistant is one this suite runs against.
    assert AwesomeVersion(hacs["homeassistant"]) <= AwesomeVersion(ha_version)
    assert AwesomeVersion(hacs["homeassistant"]).major == 2026
    # HACS installs custom_components/<domain> from the repository root.
    assert not hacs.get("content_in_root", False)
    assert (ROOT / "README.md").is_file()


# --- services.yaml ----------------------------------------------------------------


def test_services_yaml_passes_home_assistant_schema() -> None:
    # The schema Home Assistant itself loads services.yaml with (selectors included).
    validated = service._SERVICES_SCHEMA(SERVICES)

    assert set(validated) == set(STRINGS["services"])


async def test_registered_actions_match_services_yaml(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    registered = set(hass.services.async_services_for_domain(DOMAIN))
    descriptions = await service.async_get_all_descriptions(hass)

    assert registered == set(SERVICES)
    for action, description in descriptions[DOMAIN].items():
        assert set(description["fields"]) == set(SERVICES[action]["fields"])


@pytest.mark.parametrize("action", sorted(SERVICES))
def test_every_action_and_field_is_translated(action: str) -> None:
    strings = STRINGS["services"][action]

    assert strings["name"]
    assert strings["description"]
    assert set(strings["fields"]) == set(SERVICES[action]["fields"])
    for field in strings["fields"].values():
        assert field["name"]
        assert field["description"]


# --- strings.json -------------------------------------------------------------------
# hassfest's rules for strings.json, written out: known sections only, no HTML,
# no surrounding spaces, valid keys, descriptions only for fields that exist.
KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")


def _text(value: Any) -> str:
    text = cv.string_with_no_html(value)
    if text != text.strip():
        raise vol.Invalid("leading or trailing spaces")
    if re.search(r"'\{\w+\}'", text):
        raise vol.Invalid("placeholder inside single quotes")
    if re.search(r"https?://", text):
        raise vol.Invalid("a URL belongs in a description placeholder")
    return text


def _key(value: str) -> str:
    if not KEY.match(value):
        raise vol.Invalid(f"invalid translation key {value}")
    return value


def _described_fields_exist(flow: dict[str, Any]) -> dict[str, Any]:
    for step in flow["step"].values():
        if not set(step.get("data_description", {})) <= set(step.get("data", {})):
            raise vol.Invalid("data_description for a field that is not in data")
    return flow


FLOW = vol.All(
    vol.Schema(
        {
            vol.Required("step"): {
                str: {
                    vol.Optional("title"): _text,
                    vol.Optional("description"): _text,
                    vol.Optional("data"): {str: _text},
                    vol.Optional("data_description"): {str: _text},
                    vol.Optional("sections"): {
                        str: {
                            vol.Optional("name"): _text,
                            vol.Optional("description"): _text,
                            vol.Optional("data"): {str: _text},
                            vol.Optional("data_description"): {str: _text},
                        }
                    },
                    vol.Optional("menu_options"): {str: _text},
                    vol.Optional("submit"): _text,
                }
            },
            vol.Optional("error"): {str: _text},
            vol.Optional("abort"): {str: _text},
            vol.Optional("progress"): {str: _text},
            vol.Optional("create_entry"): {str: _text},
        }
    ),
    _described_fields_exist,
)
ENTITY_STRINGS = cv.schema_with_slug_keys(
    cv.schema_with_slug_keys(
        {
            vol.Optional("name"): _text,
            vol.Optional("unit_of_measurement"): _text,
            vol.Optional("state"): cv.schema_with_slug_keys(_text, slug_validator=_key),
            vol.Optional("state_attributes"): cv.schema_with_slug_keys(
                {
                    vol.Optional("name"): _text,
                    vol.Optional("state"): cv.schema_with_slug_keys(
                        _text, slug_validator=_key
                    ),
                },
                slug_validator=_key,
            ),
        },
        slug_validator=_key,
    ),
    slug_validator=cv.slug,
)
STRINGS_SCHEMA = vol.Schema(
    {
        vol.Optional("title"): _text,
        vol.Optional("common"): {cv.slug: _text},
        vol.Optional("config"): FLOW,
        vol.Optional("options"): FLOW,
        vol.Optional("selector"): cv.schema_with_slug_keys(
            {"options": cv.schema_with_slug_keys(_text, slug_validator=_key)},
            slug_validator=cv.slug,
        ),
        vol.Optional("device_automation"): {
            vol.Optional("action_type"): {str: _text},
            vol.Optional("condition_type"): {str: _text},
            vol.Optional("trigger_type"): {str: _text},
            vol.Optional("trigger_subtype"): {str: _text},
            vol.Optional("extra_fields"): {str: _text},
        },
        vol.Optional("entity"): ENTITY_STRINGS,
        vol.Optional("exceptions"): cv.schema_with_slug_keys(
            {vol.Required("message"): _text}, slug_validator=cv.slug
        ),
        vol.Optional("issues"): {
            str: vol.Any(
                {vol.Required("title"): _text, vol.Required("description"): _text},
                {vol.Required("title"): _text, vol.Required("fix_flow"): FLOW},
            )
        },
        vol.Optional("services"): cv.schema_with_slug_keys(
            {
                vol.Required("name"): _text,
                vol.Required("description"): _text,
                vol.Optional("fields"): cv.schema_with_slug_keys(
                    {
                        vol.Required("name"): _text,
                        vol.Required("description"): _text,
                        vol.Optional("example"): _text,
                    },
                    slug_validator=_key,
                ),
                vol.Optional("sections"): cv.schema_with_slug_keys(
                    {vol.Required("name"): _text, vol.Optional("description"): _text},
                    slug_validator=_key,
                ),
            },
            slug_validator=_key,
        ),
    },
    extra=vol.PREVENT_EXTRA,
)


@pytest.mark.parametrize(
    "path",
    [BASE / "strings.json", *sorted((BASE / "translations").glob("*.json"))],
    ids=lambda path: path.name,
)
def test_strings_and_translations_follow_hassfest_rules(path: Path) -> None:
    STRINGS_SCHEMA(_json(path))


def test_every_entity_has_a_translated_name() -> None:
    from custom_components.run_wellbeing.binary_sensor import BINARY_SENSORS
    from custom_components.run_wellbeing.number import WEEKLY_GOAL
    from custom_components.run_wellbeing.sensor import SENSORS

    for platform, descriptions in [
        ("sensor", SENSORS),
        ("binary_sensor", BINARY_SENSORS),
        ("number", (WEEKLY_GOAL,)),
    ]:
        for description in descriptions:
            assert STRINGS["entity"][platform][description.key]["name"]
            assert ICONS["entity"][platform][description.key]["default"]


# --- icons.json ----------------------------------------------------------------------
MDI = vol.Match(r"^mdi:[a-z0-9]+(-[a-z0-9]+)*$")
ICONS_SCHEMA = vol.Schema(
    {
        vol.Optional("entity"): cv.schema_with_slug_keys(
            cv.schema_with_slug_keys(
                {
                    vol.Required("default"): MDI,
                    vol.Optional("state"): cv.schema_with_slug_keys(
                        MDI, slug_validator=_key
                    ),
                    vol.Optional("range"): {vol.Coerce(float): MDI},
                },
                slug_validator=_key,
            ),
            slug_validator=cv.slug,
        ),
        vol.Optional("services"): cv.schema_with_slug_keys(
            vol.Any(MDI, {vol.Required("service"): MDI, vol.Optional("sections"): {}}),
            slug_validator=_key,
        ),
    },
    extra=vol.PREVENT_EXTRA,
)


def test_icons_json() -> None:
    ICONS_SCHEMA(ICONS)

    assert set(ICONS["services"]) == set(SERVICES)
    for platform, entities in ICONS["entity"].items():
        assert set(entities) <= set(STRINGS["entity"][platform]), platform


async def test_home_assistant_loads_the_icons(hass: HomeAssistant) -> None:
    entity_icons = await icon.async_get_icons(hass, "entity", {DOMAIN})
    service_icons = await icon.async_get_icons(hass, "services", {DOMAIN})

    assert entity_icons[DOMAIN]["sensor"]["streak"]["default"] == "mdi:fire"
    assert service_icons[DOMAIN]["log_run"]["service"] == "mdi:run"


# --- brand images -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "size"),
    [("icon.png", 256), ("icon@2x.png", 512), ("logo.png", 128), ("logo@2x.png", 256)],
)
def test_brand_images(name: str, size: int) -> None:
    with Image.open(BASE / "brand" / name) as image:
        assert image.format == "PNG"
        assert image.mode == "RGBA"  # transparent background
        width, height = image.size
        assert min(width, height) == size
        if name.startswith("icon"):
            assert width == height
        else:
            assert width > height  # the name sits beside the icon
        # Trimmed: the drawing reaches every edge.
        assert image.getchannel("A").getbbox() == (0, 0, width, height)


async def test_home_assistant_serves_the_brand(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    assert await async_setup_component(hass, "brands", {})
    client = await hass_client()

    response = await client.get(f"/api/brands/integration/{DOMAIN}/icon.png")

    assert response.status == HTTPStatus.OK
    served = await response.read()
    assert served == (BASE / "brand" / "icon.png").read_bytes()
    with Image.open(BytesIO(served)) as image:
        assert image.size == (256, 256)


# --- quality_scale.yaml --------------------------------------------------------------


def _core_rules() -> set[str]:
    """Return the rule ids of the quality scale, from a core integration's file."""
    core = load_yaml_dict(str(CORE / "components" / "nordpool" / "quality_scale.yaml"))
    return set(core["rules"])


def test_quality_scale_lists_every_rule_with_an_honest_status() -> None:
    rules = load_yaml_dict(str(BASE / "quality_scale.yaml"))["rules"]
    expected = _core_rules()

    assert len(expected) >= 54
    assert set(rules) == expected, (
        f"missing: {sorted(expected - set(rules))}, unknown: {sorted(set(rules) - expected)}"
    )
    for rule, value in rules.items():
        status = value if isinstance(value, str) else value["status"]
        assert status in {"done", "exempt", "todo"}, f"{rule} is {status}"
        if status != "done":
            assert len(value.get("comment", "").strip()) > 20, f"{rule}: say why"
    # With requirements in the manifest, the dependency rules cannot be exempt.
    manifest = json.loads((BASE / "manifest.json").read_text())
    if manifest.get("requirements"):
        for rule in ("dependency-transparency", "async-dependency"):
            assert rules[rule]["status"] != "exempt", rule


# Integrations whose platform this integration provides (Home Assistant loads
# them by file name), and Home Assistant's own core integration.
PLATFORM_OF = {"device_trigger": "device_automation"}


def test_manifest_names_every_integration_the_code_uses() -> None:
    """An imported integration is a dependency or an after dependency (hassfest)."""
    manifest = json.loads((BASE / "manifest.json").read_text())
    declared = {*manifest["dependencies"], *manifest["after_dependencies"]}
    platforms = {
        PLATFORM_OF.get(path.stem, path.stem) for path in BASE.glob("*.py")
    } | {"homeassistant"}
    used = {
        match
        for path in BASE.rglob("*.py")
        for match in re.findall(
            r"homeassistant\.components\.([a-z_]+)", path.read_text()
        )
    }
    assert {"recorder", "assist_pipeline"} <= used
    assert used - platforms <= declared, sorted(used - platforms - declared)


# --- continuous integration ----------------------------------------------------------


def test_ci_runs_the_suite_hassfest_and_hacs() -> None:
    workflows = ROOT / ".github" / "workflows"
    tests = load_yaml_dict(str(workflows / "tests.yml"))
    validate = load_yaml_dict(str(workflows / "validate.yml"))

    runs = [
        step.get("run", "") for job in tests["jobs"].values() for step in job["steps"]
    ]
    assert "scripts/test" in runs
    assert any("hacs.json" in run and "homeassistant==" in run for run in runs)
    uses = {
        step["uses"].split("@")[0]: step.get("with", {})
        for job in validate["jobs"].values()
        for step in job["steps"]
        if "uses" in step
    }
    assert "home-assistant/actions/hassfest" in uses
    assert uses["hacs/action"] == {"category": "integration"}
    dependabot = load_yaml_dict(str(ROOT / ".github" / "dependabot.yml"))
    assert {update["package-ecosystem"] for update in dependabot["updates"]} == {
        "github-actions",
        "pip",
    }
    templates = ROOT / ".github" / "ISSUE_TEMPLATE"
    for name in ("bug_report.yml", "feature_request.yml"):
        template = load_yaml_dict(str(templates / name))
        assert template["name"]
        assert template["body"]
