"""Templates split by a keyword list understand the same, and are skippable.

Recognition cost (issue 21): hassil skips a template only when the input
lacks a literal word the template requires. keywords.py writes list words
into templates that had none; these tests check that the split changes
neither what is understood nor the slot values, and that hardly a template
is left that hassil must match against every sentence.
"""

from __future__ import annotations

import copy
from typing import Any

from hassil.intents import Intents
from hassil.recognize import recognize_all
from homeassistant.util.yaml import load_yaml_dict
import pytest

from custom_components.run_wellbeing.voice.keywords import Keywords, keyed, named
from custom_components.run_wellbeing.voice.sentences import LANGUAGES, SENTENCES_DIR

NAMES = ["Alex", "Sam"]
# Only a number, a name or a yes is said: nothing but lists to key them by.
UNKEYED_INTENTS = {
    "RunWellbeingAnswerMood",
    "RunWellbeingAnswerWho",
    "RunWellbeingConfirm",
}
SAID = {
    "en": [
        "I ran 5 kilometres",
        "Sam ran 10 k this morning",
        "I jogged 3 miles yesterday and feel great",
        "I cycled for an hour",
        "Alex is feeling 7",
        "Alex is feeling tired",
        "it's Sam",
        "for Alex please",
        "I went for a run",
        "I rode my bike 20 km",
        "I lifted weights for 45 minutes",
        "what time is it",
    ],
    "de": ["ich bin gestern 5 Kilometer gelaufen", "Sam ist gelaufen", "Alex"],
    "nl": ["ik heb gisteren 5 kilometer gelopen", "Sam heeft gefietst", "Alex"],
    "fr": ["j'ai couru 5 kilomètres hier", "Sam a nagé 1 kilomètre", "pour Alex"],
    "es": ["ayer corrí 5 kilómetros", "Sam nadó 2 kilómetros", "es para Alex"],
}


def _intents(language: str, split: bool) -> Intents:
    raw = load_yaml_dict(str(SENTENCES_DIR / f"{language}.yaml"))["intents"]
    data = copy.deepcopy(keyed(raw, Keywords()) if split else raw)
    if split:
        data = named(data, NAMES)
    for intent in data.values():
        for block in intent["data"]:
            block.setdefault("lists", {})["profile"] = {"values": NAMES}
    return Intents.from_dict({"language": language, "intents": data})


def _understood(text: str, intents: Intents) -> set[tuple[str, frozenset[Any]]]:
    return {
        (
            result.intent.name,
            frozenset((name, str(e.value)) for name, e in result.entities.items()),
        )
        for result in recognize_all(text, intents)
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_split_understands_the_same(language: str) -> None:
    """Every reading of a sentence, intent and slot values, is kept."""
    before, after = _intents(language, False), _intents(language, True)
    for text in SAID[language]:
        assert _understood(text, after) == _understood(text, before), text


@pytest.mark.parametrize("language", LANGUAGES)
def test_templates_require_a_word(language: str) -> None:
    """Apart from bare answers, every template has a word hassil can skip by."""
    keywords = Keywords()
    raw = load_yaml_dict(str(SENTENCES_DIR / f"{language}.yaml"))["intents"]
    unkeyed = [
        (name, template)
        for name, intent in named(keyed(raw, keywords), NAMES).items()
        if name not in UNKEYED_INTENTS
        for block in intent["data"]
        for template in block["sentences"]
        if not keywords.required(template, block.get("expansion_rules", {}))
    ]
    # A guard against new unkeyed templates; en's <done> allows "do" alone.
    assert len(unkeyed) <= 12, unkeyed


def test_named_without_profiles_drops_name_blocks() -> None:
    """With no profile, the split-by-name templates match nothing, as before."""
    raw = load_yaml_dict(str(SENTENCES_DIR / "en.yaml"))["intents"]
    data = named(keyed(raw, Keywords()), [])
    assert not any(
        "RunWellbeingProfileName" in template
        for intent in data.values()
        for block in intent["data"]
        for template in block["sentences"]
    )


def test_only_fixed_values_split() -> None:
    """A list whose value is the text said, or a list said twice, stays a list."""
    block = {
        "sentences": ["{said} {said}", "{free}", "{verb:activity} {verb:activity}"],
        "lists": {
            "said": {"values": [{"in": "ran", "out": "run"}]},
            "free": {"values": ["walked"]},
            "verb": {"values": [{"in": "ran", "out": "run"}]},
        },
    }
    intents = {"X": {"data": [block]}}
    assert keyed(intents, Keywords()) == intents
    assert not Keywords().required("<loop>", {"loop": "<loop>"})
