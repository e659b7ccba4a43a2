"""The NLU place component: entities for the dialogue, a placeholder word for the classifier."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_server.nlu.location_extractor import PLACE_TOKEN, LocationExtractor

TOKENIZER = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
EXTRACTOR = LocationExtractor.create({}, None, None, None)


def _tokenized(text: str, intent: str | None = None) -> Message:
    message = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
    TOKENIZER.process([message])
    return message


def _words(message: Message) -> list[str]:
    return [token.text for token in message.get(TOKENS_NAMES[TEXT])]


@pytest.mark.parametrize(
    "text, words, state",
    [
        ("peer line new jersey", ["peer", "line", PLACE_TOKEN], "NJ"),
        ("is narcan free in ohio?", ["is", "narcan", "free", "in", PLACE_TOKEN], "OH"),
        ("can i get subs in Chi-town", ["can", "i", "get", "subs", "in", PLACE_TOKEN], "IL"),
        ("strips legal in PA", ["strips", "legal", "in", PLACE_TOKEN], "PA"),
    ],
)
def test_place_becomes_one_placeholder_and_a_state_entity(text, words, state):
    message = _tokenized(text)
    EXTRACTOR.process([message])
    assert _words(message) == words
    [entity] = message.get(ENTITIES)
    assert (entity["entity"], entity["value"]) == ("state", state)
    assert text[entity["start"] : entity["end"]].lower() in text.lower()


def test_zip_gives_state_and_zip():
    message = _tokenized("methadone near 43215")
    EXTRACTOR.process([message])
    assert _words(message) == ["methadone", "near", PLACE_TOKEN]
    assert {e["entity"]: e["value"] for e in message.get(ENTITIES)} == {"state": "OH", "zip": "43215"}


def test_message_without_a_place_is_left_alone():
    message = _tokenized("how do i use narcan")
    EXTRACTOR.process([message])
    assert _words(message) == ["how", "do", "i", "use", "narcan"]
    assert not message.get(ENTITIES)


def test_training_examples_are_masked_the_same_way():
    examples = [_tokenized("where can i get narcan in texas", "ask_naloxone"), _tokenized("hello", "greet")]
    EXTRACTOR.process_training_data(TrainingData(training_examples=examples))
    assert _words(examples[0]) == ["where", "can", "i", "get", "narcan", "in", PLACE_TOKEN]
    assert _words(examples[1]) == ["hello"]
    assert not examples[0].get(ENTITIES)  # training data keeps its own (absent) annotations
