"""Deterministic corrections to the classifier's intent, from checks in `bot/`.

- A message that only names a place ("MI", "im in columbus") is `inform_location`.
- A message that may describe an overdose in progress is `emergency_overdose`. This
  runs last, after the FallbackClassifier, so nothing can hide an emergency, not even
  low confidence.
- A classifier guess of `emergency_overdose` is overruled only for a message that names
  overdose signs as a general question, a past event or news (`bot.emergency`); then the
  next intent in the ranking wins. With no such evidence the guess stands.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import intents
from bot.emergency import is_known_non_emergency, looks_like_emergency
from bot.location import is_only_location


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
            elif (message.get(INTENT) or {}).get("name") == intents.EMERGENCY and is_known_non_emergency(text):
                self._demote_emergency(message)
        return messages

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
