"""Deterministic corrections to the classifier's intent, from checks in `bot/`.

- A message that only names a place ("MI", "im in columbus") is `inform_location`.
- A message that only asks for a language ("español", "english please") is `bot_capabilities`:
  the reply, in that language, says what the bot can do.
- A message that may describe an overdose in progress is `emergency_overdose`. This
  runs last, after the FallbackClassifier, so nothing can hide an emergency, not even
  low confidence.
- A question across states ("which states...", "compare ohio and michigan") is `compare_states`.
- A question about one part of a topic ("does it cover parole?", "is it free?") that the
  classifier took for small talk or did not understand goes to that topic's intent; the
  action works out the topic from the conversation (`bot.questions`). So does a question no
  field can answer ("what are the clinic hours"): the action says so, and where to ask.
- A classifier guess of `emergency_overdose` is overruled only for a message that names
  overdose signs as a general question, a past event or news (`bot.emergency`); then the
  next intent in the ranking wins. With no such evidence the guess stands.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import facets, intents
from bot.emergency import is_known_non_emergency, looks_like_emergency
from bot.language import requested_language
from bot.location import is_only_location

# How-to intents that a question about the law can look like ("if i give narcan ... am i protected").
_HOW_TO = {
    intents.ASK_NALOXONE_HOWTO,
    intents.ASK_NALOXONE_SIGNS,
    intents.ASK_NALOXONE_RECOVERY_POSITION,
    intents.ASK_TEST_STRIPS_HOWTO,
}
_STATE_LINE = re.compile(
    r"\bstate('?s)? (own )?(help ?line|hot ?line|number|line)\b|\blinea (de ayuda )?(del |estatal)", re.I
)
# Intents that mean the classifier did not see a question about a topic.
# (Only this one: small talk such as "sure why not" or "ya thats where i am" is not a question.)
_NOT_UNDERSTOOD = {intents.NLU_FALLBACK}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IntentOverrides(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentOverrides:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if looks_like_emergency(text):
                self._set_intent(message, intents.EMERGENCY)
            elif _names_a_state(message) and is_only_location(text):
                self._set_intent(message, intents.INFORM_LOCATION)
            elif requested_language(text) is not None:
                self._set_intent(message, intents.BOT_CAPABILITIES)
            elif (message.get(INTENT) or {}).get("name") == intents.EMERGENCY and (
                is_known_non_emergency(text)
                or facets.detect(text) is not None
                or "good_samaritan" in facets.topics_named(text)
            ):
                # Overdose signs named as a question, past or news, or no sign at all in a question
                # about the law ("can the person who gave him the drugs be charged if he dies").
                self._demote_emergency(message)
            else:
                self._route_question(message, text)
        return messages

    def _route_question(self, message: Message, text: str) -> None:
        intent = (message.get(INTENT) or {}).get("name")
        if intent in (intents.EMERGENCY, intents.GOODBYE, intents.THANKS):
            return
        if facets.asks_across_states(text):
            self._set_intent(message, intents.COMPARE_STATES)
            return
        if intent == intents.ASK_HOTLINE and _STATE_LINE.search(text):
            self._set_intent(message, intents.ASK_TREATMENT)  # "is there a state helpline": the state's own line
            return
        if intent == intents.OUT_OF_SCOPE and facets.asks_what_no_field_answers(text):
            # "a que hora abren?": a question the data cannot answer, not small talk; the action says so
            named = facets.topics_named(text)
            self._set_intent(message, intents.FOR_TOPIC[named[0]] if named else intents.ASK_MORE)
            return
        if intent not in _NOT_UNDERSTOOD and not (intent in _HOW_TO and facets.detect(text) is not None):
            return
        facet = facets.detect(text)
        if facet is not None:
            self._set_intent(message, intents.FOR_TOPIC[facet.topic])
        elif facets.asks_what_no_field_answers(text):
            named = facets.topics_named(text)
            self._set_intent(message, intents.FOR_TOPIC[named[0]] if named else intents.ASK_MORE)

    @staticmethod
    def _demote_emergency(message: Message) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r.get("name") != intents.EMERGENCY]
        if ranking:
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    @staticmethod
    def _set_intent(message: Message, name: str) -> None:
        intent = {"name": name, "confidence": 1.0}
        ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r.get("name") != name]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent] + ranking, add_to_output=True)


def _names_a_state(message: Message) -> bool:
    """The LocationExtractor found a place (spares a second, fuzzy, search of every message)."""
    return any(entity.get("entity") == "state" for entity in message.get(ENTITIES, []))
