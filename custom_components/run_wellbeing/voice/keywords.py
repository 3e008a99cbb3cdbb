"""Give sentence templates a word hassil can skip them by.

Home Assistant's agent tries every template of every intent on every
sentence (the best match wins, so it never stops early), ours included:
that is what our sentences cost the built-in ones and the fallback path.
Before matching, hassil drops a template when the input lacks a literal word
the template requires (`Sentence.get_required_clauses`). A template whose
words all come from lists ("<i> {verb:activity} <tail>") requires none, so
it is matched against "what time is it" too; and on the fallback path, where
list values may be missing, its lists and optional parts are tried at every
split of the text.

Such a template is split by the values of one of its lists: one block per
value, with the value's words written into the template and the value given
as a fixed slot ("<i> (ran|jogged|run|jog) <tail>" with activity: run). The
sentences understood and the slot values they give are the same; the words
are now required, and hassil skips the template when none is in the input.
"""

from __future__ import annotations

import re
from typing import Any

MIN_WORD = 3
"""A required word shorter than this ("I", "am", "he") is in nearly any input."""

_LIST_REF = re.compile(r"\{(\w+)(?::(\w+))?\}")
PROFILE = "profile"
"""The list of profile names, known only once profiles are loaded (named())."""
_NAME = "RunWellbeingProfileName"
_NAMES = {PROFILE: {"values": [{"in": _NAME, "out": _NAME}]}}


class Keywords:
    """Tell whether a template requires a word, with hassil's template parser."""

    def __init__(self) -> None:
        """Import hassil (conversation's requirement) only when used."""
        # Imported here: without conversation, no sentence is ever loaded.
        from hassil import expression  # noqa: PLC0415
        from hassil.parse_expression import parse_sentence  # noqa: PLC0415
        from hassil.util import PUNCTUATION_STR  # noqa: PLC0415

        self.expression = expression
        self.parse = parse_sentence
        self.punctuation = frozenset(PUNCTUATION_STR)

    def required(self, template: str, rules: dict[str, str]) -> bool:
        """Return whether every match of the template says a word of MIN_WORD+.

        Like hassil's own prefilter, a word is one whitespace-separated piece
        of literal text without punctuation; unlike it, an alternative counts
        only when each of its branches requires such a word.
        """
        parsed = {
            name: self.parse(body, keep_text=True) for name, body in rules.items()
        }
        return self._required(
            self.parse(template, keep_text=True).expression, parsed, 0
        )

    def _required(self, exp: Any, rules: dict[str, Any], depth: int) -> bool:
        expression = self.expression
        if depth > len(rules) + 8:
            return False  # rules referring to each other
        if isinstance(exp, expression.TextChunk):
            return any(
                len(word) >= MIN_WORD and self.punctuation.isdisjoint(word)
                for word in exp.text.split()
            )
        if isinstance(exp, expression.Alternative):
            return (
                bool(exp.items)
                and not exp.is_optional
                and all(self._required(item, rules, depth + 1) for item in exp.items)
            )
        if isinstance(exp, expression.Group):
            return any(self._required(item, rules, depth + 1) for item in exp.items)
        if isinstance(exp, expression.RuleReference) and exp.rule_name in rules:
            return self._required(rules[exp.rule_name].expression, rules, depth + 1)
        return False  # a list: its words are unknown to the prefilter


def keyed(intents: dict[str, Any], keywords: Keywords) -> dict[str, Any]:
    """Return the intents with each template lacking a required word split.

    A template keyed by nothing but a profile's name is split by a stand-in
    name here, and by the real names in named().
    """
    return {
        name: intent
        | {
            "data": [
                split for block in intent["data"] for split in _split(block, keywords)
            ]
        }
        for name, intent in intents.items()
    }


def named(intents: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Return the intents with the stand-in name's blocks, one per real name.

    With no profile, as with an empty `profile` list, they match nothing.
    """
    for intent in intents.values():
        intent["data"] = [
            named_block
            for block in intent["data"]
            for named_block in (
                [
                    block
                    | {
                        "sentences": [
                            template.replace(_NAME, name)
                            for template in block["sentences"]
                        ],
                        "slots": block["slots"] | {PROFILE: name},
                    }
                    for name in names
                ]
                if block.get("slots", {}).get(PROFILE) == _NAME
                else [block]
            )
        ]
    return intents


def _values(list_dict: Any) -> dict[str, list[str]] | None:
    """Return a text list's words by slot value, None if it cannot be split."""
    if not isinstance(list_dict, dict) or not isinstance(
        values := list_dict.get("values"), list
    ):
        return None
    by_value: dict[str, list[str]] = {}
    for value in values:
        if not isinstance(value, dict) or "out" not in value:
            return None  # the slot value is the text said, not a fixed one
        words = str(value["in"])
        if _LIST_REF.search(words):
            return None
        by_value.setdefault(str(value["out"]), []).append(words)
    return by_value


def _split(block: dict[str, Any], keywords: Keywords) -> list[dict[str, Any]]:
    """Return the block, templates without a required word split by value.

    Each value of the list that gives them one gets a block of its own.
    """
    lists: dict[str, Any] = block.get("lists", {})
    rules: dict[str, str] = block.get("expansion_rules", {})
    slots: dict[str, Any] = block.get("slots", {})
    kept: list[str] = []
    moved: dict[tuple[str, str], list[str]] = {}
    for template in block["sentences"]:
        choice = None
        if not keywords.required(template, rules):
            choice = _keyword_list(template, lists, rules, slots, keywords)
        if choice is None:
            kept.append(template)
            continue
        ref, slot, by_value = choice
        for out, words in by_value.items():
            written = template.replace(ref, _alternatives(words))
            moved.setdefault((slot, out), []).append(written)
    result = [block | {"sentences": kept}] if kept else []
    result.extend(
        block | {"sentences": templates, "slots": slots | {slot: out}}
        for (slot, out), templates in moved.items()
    )
    return result


def _alternatives(words: list[str]) -> str:
    return "(" + "|".join(words) + ")"


def _keyword_list(
    template: str,
    lists: dict[str, Any],
    rules: dict[str, str],
    slots: dict[str, Any],
    keywords: Keywords,
) -> tuple[str, str, dict[str, list[str]]] | None:
    """Return a list reference whose words key the template, its slot and words.

    Only a list said once in the template (written out, two references could
    no longer take different values) and only for a slot not fixed already.
    """
    # A profile's name last: other lists' words are known now, and fixed.
    matches = sorted(
        _LIST_REF.finditer(template), key=lambda match: match.group(1) == PROFILE
    )
    names = [match.group(1) for match in matches]
    for match in matches:
        ref, name = match.group(0), match.group(1)
        slot = match.group(2) or name
        if (
            names.count(name) == 1
            and slot not in slots
            and (by_value := _values(lists.get(name, _NAMES.get(name)))) is not None
            and all(
                keywords.required(template.replace(ref, _alternatives(words)), rules)
                for words in by_value.values()
            )
        ):
            return ref, slot, by_value
    return None
