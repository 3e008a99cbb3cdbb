"""Teach Home Assistant's built-in Assist agent the sentences in templates/.

The default agent reads sentences from home-assistant-intents, from the
user's config/custom_sentences folder and from "config intents" (what
`conversation: intents:` in YAML provides). An integration cannot add a
folder, so ours are merged into the config intents, where they go straight to
our intent handlers with the speaker's context. `conversation.reload`
replaces the config intents with the YAML ones; a subscription puts ours back.
The conversation integration is imported only once it is loaded, so Run
Wellbeing still works in an installation without it.
"""

from __future__ import annotations

from collections.abc import Mapping
import copy
import functools
from pathlib import Path
import re
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
)
from homeassistant.const import (
    EVENT_COMPONENT_LOADED,
    EVENT_CORE_CONFIG_UPDATE,
    EVENT_HOMEASSISTANT_STOP,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.util.hass_dict import HassKey
from homeassistant.util.yaml import load_yaml_dict

from ..const import DOMAIN, LOGGER
from .keywords import Keywords, keyed, named
from .replies import loaded_profiles

if TYPE_CHECKING:
    from homeassistant.components.conversation.agent_manager import AgentManager

CONVERSATION = "conversation"
LANGUAGES = ("en", "de", "nl", "fr", "es")
SENTENCES_DIR = Path(__file__).parent / "templates"
SOURCE = f"custom_components/{DOMAIN}/sentences"
"""Marks our blocks among the config intents (as custom_sentences files are)."""
UPDATE_COOLDOWN = 0.25
"""Seconds to gather profile changes (several set up at once) into one update."""
METADATA_FILE = "hass_custom_file"
"""conversation.const.METADATA_CUSTOM_FILE, without importing conversation."""
DATA_SENTENCES: HassKey[Sentences] = HassKey(f"{DOMAIN}_sentences")

# Characters that mean something in a sentence template; never in a name list.
_TEMPLATE_SYNTAX = re.compile(r"[\[\](){}<>|;]")


class Sentences:
    """Our intents in the default agent, with the current profile names."""

    def __init__(
        self, hass: HomeAssistant, languages: dict[str, dict[str, Any]]
    ) -> None:
        """Keep the sentences as loaded from the files, by language."""
        self.hass = hass
        self.languages = languages
        self.spoken: list[str] = []
        self.active = True
        self.ours: dict[str, Any] = {}
        self.profile_names: list[str] | None = None
        self.current: dict[str, Any] = {}
        self.manager: AgentManager | None = None
        self.debouncer = Debouncer(
            hass,
            LOGGER,
            cooldown=UPDATE_COOLDOWN,
            immediate=False,
            function=self.async_update,
            background=True,
        )

    def names(self) -> list[str]:
        """Return the loaded profiles' names as they can be said."""
        return sorted(
            {
                spoken
                for entry in loaded_profiles(self.hass)
                if (spoken := _TEMPLATE_SYNTAX.sub(" ", entry.title).strip())
            }
        )

    def with_profiles(self) -> dict[str, Any]:
        """Return our intents with a `profile` list of the loaded profiles."""
        self.profile_names = names = self.names()
        # Imported here: conversation is loaded by now, and may not be installed.
        from homeassistant.components.conversation.const import (  # noqa: PLC0415
            METADATA_CUSTOM_SENTENCE,
        )

        self.spoken = spoken_languages(self.hass)
        intents: dict[str, Any] = {}
        for language in self.spoken:
            for name, intent_dict in copy.deepcopy(self.languages[language]).items():
                intents.setdefault(name, {"data": []})["data"].extend(
                    intent_dict["data"]
                )
        for intent_dict in named(intents, names).values():
            for data in intent_dict["data"]:
                data.setdefault("lists", {})["profile"] = {"values": names}
                # As for custom_sentences files: preferred over built-in intents.
                data["metadata"] = {
                    METADATA_CUSTOM_SENTENCE: True,
                    METADATA_FILE: SOURCE,
                }
        return intents

    def merged_into(self, current: dict[str, Any]) -> dict[str, Any]:
        """Return the config intents with ours in, next to the user's own.

        A user may add sentences for our intents in YAML; they are kept. Our
        blocks from an earlier merge (other profile names) are replaced.
        """
        merged = dict(current)
        for name in {*current, *self.ours}:
            theirs = [
                data
                for data in current.get(name, {}).get("data", [])
                if data.get("metadata", {}).get(METADATA_FILE) != SOURCE
            ]
            intent_dict = self.ours.get(name) or current[name]
            ours = self.ours.get(name, {}).get("data", [])
            if theirs or ours:
                merged[name] = intent_dict | {"data": theirs + ours}
            else:
                del merged[name]
        return merged

    @callback
    def async_set_active(self, active: bool) -> None:
        """Take our sentences out of the agent, or put them back (benchmark)."""
        self.active = active
        self.profile_names = None
        if active:
            self.async_update()
            return
        assert self.manager is not None
        self.ours = {}
        self.manager.update_config_intents(self.merged_into(self.current))
        self._async_reload_agent()

    @callback
    def async_start(self) -> None:
        """Merge our intents into the default agent and keep them there."""
        from homeassistant.components.conversation.agent_manager import (  # noqa: PLC0415
            get_agent_manager,
        )
        from homeassistant.components.conversation.const import (  # noqa: PLC0415
            IntentSource,
        )

        self.manager = manager = get_agent_manager(self.hass)

        @callback
        def ensure_ours(update: dict[IntentSource, Any]) -> None:
            if (config := update.get(IntentSource.CONFIG)) is None:
                return
            self.current = config.get("intents", {})
            if (merged := self.merged_into(self.current)) != self.current:
                # Comes straight back here, equal this time.
                manager.update_config_intents(merged)

        self.ours = self.with_profiles()
        manager.subscribe_intents(ensure_ours)
        self._async_reload_agent()

    @callback
    def async_schedule_update(self) -> None:
        """Follow profiles being added, removed or renamed, a moment later."""
        self.debouncer.async_schedule_call()

    @callback
    def async_update(self) -> None:
        """Give the agent the profile names now."""
        if self.manager is None or not self.active:
            return
        names = self.names()
        if names == self.profile_names and self.spoken == spoken_languages(self.hass):
            return
        self.ours = self.with_profiles()
        self.manager.update_config_intents(self.merged_into(self.current))
        self._async_reload_agent()

    @callback
    def _async_reload_agent(self) -> None:
        """Make the agent rebuild languages it already loaded."""
        assert self.manager is not None
        if (agent := self.manager.default_agent) is not None:
            self.hass.async_create_task(agent.async_reload(), eager_start=True)


@functools.cache
def load_sentences() -> dict[str, dict[str, Any]]:
    """Read every language's sentences: language -> intents (executor).

    Templates hassil could not skip by a word are split (see keywords.py),
    which takes about 2 s: done once per process (the files ship with the
    integration), so a reload or a second setup does not pay it again.
    Read only: `Sentences` deep-copies a language before changing it.
    """
    try:
        keywords: Keywords | None = Keywords()
    except ImportError:  # pragma: no cover - no conversation, no sentences used
        keywords = None
    languages = {}
    for language in LANGUAGES:
        if (path := SENTENCES_DIR / f"{language}.yaml").is_file():
            intents = load_yaml_dict(str(path))["intents"]
            languages[language] = (
                intents if keywords is None else keyed(intents, keywords)
            )
    return languages


def _base(language: str | None) -> str:
    return (language or "").replace("_", "-").split("-", 1)[0].lower()


@callback
def spoken_languages(hass: HomeAssistant) -> list[str]:
    """Return the languages Assist is spoken in here, of those we have.

    The agent gives config intents to every language, so sentences in a
    language nobody speaks would only slow recognition down: the home's
    language and every Assist pipeline's are loaded, English when none of
    them is one of ours.
    """
    wanted = {_base(hass.config.language)}
    if "assist_pipeline" in hass.config.components:
        from homeassistant.components.assist_pipeline import (  # noqa: PLC0415
            async_get_pipelines,
        )

        wanted |= {
            _base(pipeline.conversation_language)
            for pipeline in async_get_pipelines(hass)
        }
    return [language for language in LANGUAGES if language in wanted] or ["en"]


async def async_setup_sentences(hass: HomeAssistant) -> None:
    """Load our sentences and give them to the agent once conversation is loaded."""
    languages = await hass.async_add_executor_job(load_sentences)
    sentences = hass.data[DATA_SENTENCES] = Sentences(hass, languages)

    @callback
    def entry_changed(_change: ConfigEntryChange, entry: ConfigEntry) -> None:
        # A plain Rename changes the title without reloading the profile.
        if entry.domain == DOMAIN:
            sentences.async_schedule_update()

    async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, entry_changed)

    @callback
    def stopping(_event: Event[Any]) -> None:
        sentences.debouncer.async_shutdown()

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, stopping)

    @callback
    def languages_may_change(_event: Event[Any]) -> None:
        sentences.async_schedule_update()

    hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, languages_may_change)
    if CONVERSATION in hass.config.components:
        sentences.async_start()
        return

    @callback
    def is_conversation(event_data: Mapping[str, Any]) -> bool:
        return bool(event_data["component"] == CONVERSATION)

    @callback
    def conversation_loaded(_event: Event[Any]) -> None:
        unsub()
        sentences.async_start()

    unsub = hass.bus.async_listen(
        EVENT_COMPONENT_LOADED, conversation_loaded, event_filter=is_conversation
    )


@callback
def async_update_sentences(hass: HomeAssistant) -> None:
    """Give the agent the current profile names."""
    if (sentences := hass.data.get(DATA_SENTENCES)) is not None:
        sentences.async_schedule_update()
