"""Finds the place in each message with `bot.location`: `state` (USPS code) and `zip` entities,
and one placeholder word in its stead for the intent classifier.

The state entity is where a 911 call would be made (`place_of_the_call`: "from NY but live in
NC" is NC); every place named is masked. The classifier sees "peer line __place__" instead of "peer line new jersey": the topic
words, not which of 51 places is named, decide the intent, and every training example
that names a place teaches all places at once. It sits right after the tokenizer and
masks the training data the same way.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.geo import warm_up
from bot.location import LocationMatch, find_locations, fold, place_of_the_call

PLACE_TOKEN = "__place__"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=False,
)
class LocationExtractor(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LocationExtractor:
        warm_up()  # build the ZIP index at model load, not during the first user's message
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            for match, start in _places(example):
                self._mask(example, match, start)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            places = _places(message)
            for match, start in places:
                self._mask(message, match, start)
            text = message.get(TEXT) or ""
            match = place_of_the_call(text) if len(places) > 1 else (places[0][0] if places else None)
            if match is None:
                continue
            start = _start(text, match)
            found = {
                "start": start,
                "end": start + len(match.text),
                "confidence_entity": 1.0,
                "extractor": self.__class__.__name__,
            }
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") not in ("state", "zip")]
            entities.append({**found, "entity": "state", "value": match.state})
            if match.zip:
                entities.append({**found, "entity": "zip", "value": match.zip})
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    @staticmethod
    def _mask(message: Message, match: Optional[LocationMatch], start: int) -> None:
        """Replace the tokens of the place's words by one PLACE_TOKEN."""
        tokens = message.get(TOKENS_NAMES[TEXT])
        if match is None or not tokens:
            return
        end = start + len(match.text)
        inside = [i for i, token in enumerate(tokens) if token.start < end and token.end > start]
        if not inside:
            return
        place = Token(PLACE_TOKEN, tokens[inside[0]].start, tokens[inside[-1]].end)
        message.set(TOKENS_NAMES[TEXT], tokens[: inside[0]] + [place] + tokens[inside[-1] + 1 :])


def _places(message: Message) -> list[tuple[LocationMatch, int]]:
    """Every place named in the message, with where its words start."""
    text = message.get(TEXT) or ""
    return [(match, _start(text, match)) for match in find_locations(text)]


def _start(text: str, match: LocationMatch) -> int:
    return max(fold(text.lower()).find(fold(match.text.lower())), 0)
