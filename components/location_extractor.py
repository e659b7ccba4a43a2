"""Adds `state` (USPS code) and `zip` entities found by `bot.location` to every parsed message."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.geo import warm_up
from bot.location import find_location


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LocationExtractor(GraphComponent):
    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LocationExtractor":
        warm_up()  # build the ZIP index at model load, not during the first user's message
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            match = find_location(text)
            if match is None:
                continue
            start = max(text.lower().find(match.text.lower()), 0)
            found = {"start": start, "end": start + len(match.text), "confidence_entity": 1.0,
                     "extractor": self.__class__.__name__}
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") not in ("state", "zip")]
            entities.append({**found, "entity": "state", "value": match.state})
            if match.zip:
                entities.append({**found, "entity": "zip", "value": match.zip})
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
