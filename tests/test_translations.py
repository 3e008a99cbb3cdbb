"""Every text a person sees exists in English, German, Dutch, French and Spanish."""

from __future__ import annotations

import ast
from datetime import timedelta
import json
from pathlib import Path
import re
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import translation
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.const import DOMAIN

BASE = Path(__file__).parents[1] / "custom_components" / DOMAIN
LANGUAGES = ["de", "en", "es", "fr", "nl"]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
REFERENCE = re.compile(rf"\[%key:component::{DOMAIN}::([^%]+)%\]")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _flat(node: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in node.items():
        if isinstance(value, dict):
            out |= _flat(value, f"{prefix}{key}.")
        else:
            out[prefix + key] = value
    return out


def _resolved_strings() -> dict[str, str]:
    """Return strings.json with its references resolved, as en.json should be."""
    strings = _flat(_load(BASE / "strings.json"))

    def resolve(value: str) -> str:
        if match := REFERENCE.fullmatch(value):
            return resolve(strings[match.group(1).replace("::", ".")])
        return value

    return {key: resolve(value) for key, value in strings.items()}


STRINGS = _resolved_strings()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_is_translated(language: str) -> None:
    translated = _flat(_load(BASE / "translations" / f"{language}.json"))

    missing = sorted(set(STRINGS) - set(translated))

    assert not missing, (
        f"translations/{language}.json lacks {len(missing)} key(s) of strings.json "
        "(scripts/translations-check lists them all):\n  " + "\n  ".join(missing)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders(language: str) -> None:
    translated = _flat(_load(BASE / "translations" / f"{language}.json"))

    differ = sorted(
        key
        for key, english in STRINGS.items()
        if key in translated
        and set(PLACEHOLDER.findall(translated[key]))
        != set(PLACEHOLDER.findall(english))
    )

    assert not differ, f"{language}: placeholders differ from English in {differ}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_are_text_not_english_leftovers(language: str) -> None:
    translated = _flat(_load(BASE / "translations" / f"{language}.json"))

    for key, value in translated.items():
        assert isinstance(value, str)
        assert value == value.strip(), key
        assert "[%key:" not in value, f"{language}: unresolved reference in {key}"
    if language != "en":
        same = [
            key
            for key, english in STRINGS.items()
            if translated.get(key) == english and len(english) > 12
        ]
        assert not same, f"{language}: still English in {same}"


def test_english_is_generated_from_strings() -> None:
    english = _flat(_load(BASE / "translations" / "en.json"))

    assert english == STRINGS, "run scripts/translations after editing strings.json"


def _used_translation_keys() -> tuple[set[str], set[str]]:
    """Return the exception and issue translation keys the code uses."""
    exceptions: set[str] = set()
    issues: set[str] = set()
    for path in BASE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                for keyword in node.keywords:
                    if keyword.arg == "translation_key" and isinstance(
                        keyword.value, ast.Constant
                    ):
                        target = issues if "create_issue" in name else exceptions
                        target.add(keyword.value.value)
                if (
                    name == "RecordError"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    exceptions.add(node.args[0].value)
            if isinstance(node, ast.FunctionDef):
                arguments = node.args.args[-len(node.args.defaults) :]
                for argument, default in zip(
                    arguments, node.args.defaults, strict=False
                ):
                    if argument.arg == "translation_key" and isinstance(
                        default, ast.Constant
                    ):
                        exceptions.add(default.value)
    # Entities and selectors also pass translation_key; only exceptions matter here.
    entity_keys = {key.split(".")[2] for key in STRINGS if key.startswith("entity.")}
    selector_keys = {
        key.split(".")[1] for key in STRINGS if key.startswith("selector.")
    }
    return exceptions - entity_keys - selector_keys, issues


def test_every_raised_error_has_a_message() -> None:
    exceptions, issues = _used_translation_keys()

    assert "invalid_mood" in exceptions  # the scan finds what it should
    assert "unreadable_storage" in issues
    assert not {f"exceptions.{key}.message" for key in exceptions} - set(STRINGS)
    assert not {f"issues.{key}.title" for key in issues} - set(STRINGS)


async def test_home_assistant_loads_the_translations(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    for language, expected in [
        ("de", "Läufe diese Woche"),
        ("nl", "Runs deze week"),
        ("fr", "Courses cette semaine"),
        ("es", "Carreras esta semana"),
    ]:
        entity = await translation.async_get_translations(
            hass, language, "entity", {DOMAIN}
        )
        key = f"component.{DOMAIN}.entity.sensor.runs_this_week.name"
        assert entity[key] == expected
        services = await translation.async_get_translations(
            hass, language, "services", {DOMAIN}
        )
        assert services[f"component.{DOMAIN}.services.log_run.name"]


async def test_errors_carry_a_key_the_frontend_translates(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "log_mood",
            {"mood": 5, "time": dt_util.now() + timedelta(hours=2)},
            blocking=True,
        )

    # The message text is English; the frontend shows the key in the user's language.
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "time_in_future"
    assert str(err.value).startswith("That time is in the future")
    german = await translation.async_get_translations(
        hass, "de", "exceptions", {DOMAIN}
    )
    assert german[f"component.{DOMAIN}.exceptions.time_in_future.message"] == (
        "Dieser Zeitpunkt liegt in der Zukunft; protokolliere ihn, wenn es so weit ist."
    )
