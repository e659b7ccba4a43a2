"""The deterministic corrections after the classifier: emergencies always win; a bare place is
inform_location; a message that only asks for a language shows what the bot does, in it."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

from rasa_server.nlu.intent_overrides import IntentOverrides
from rasa_server.nlu.location_extractor import LocationExtractor
from tests.test_location_extractor import _tokenized

OVERRIDES = IntentOverrides.create({}, None, None, None)
EXTRACTOR = LocationExtractor.create({}, None, None, None)


def _after_overrides(text: str, classified_as: str) -> str:
    message = _tokenized(text)
    EXTRACTOR.process([message])
    message.set(INTENT, {"name": classified_as, "confidence": 0.4})
    message.set(INTENT_RANKING_KEY, [{"name": classified_as, "confidence": 0.4}])
    OVERRIDES.process([message])
    assert message.get(INTENT_RANKING_KEY)[0] == message.get(INTENT)
    return message.get(INTENT)["name"]


@pytest.mark.parametrize(
    "text, classified_as, expected",
    [
        ("my friend is not breathing", "greet", "emergency_overdose"),
        ("he wont wake up in ohio", "inform_location", "emergency_overdose"),
        ("im in ohio", "ask_naloxone", "inform_location"),
        ("43215", "nlu_fallback", "inform_location"),
        ("what about jersey?", "out_of_scope", "inform_location"),
        ("peer line new jersey", "ask_hotline", "ask_hotline"),
        ("how do i use narcan", "ask_naloxone_howto", "ask_naloxone_howto"),
        ("thanks", "thanks", "thanks"),
        ("a que hora abren?", "out_of_scope", "ask_more"),
        ("what is the weather tomorrow", "out_of_scope", "out_of_scope"),
        ("español", "affirm", "bot_capabilities"),
        ("english please", "affirm", "bot_capabilities"),
        ("i dont speak spanish", "out_of_scope", "out_of_scope"),
        ("mi amigo no respira, en español", "bot_capabilities", "emergency_overdose"),
    ],
)
def test_overrides(text, classified_as, expected):
    assert _after_overrides(text, classified_as) == expected


def test_an_emergency_guess_about_a_past_overdose_gives_way_to_the_next_intent():
    message = _tokenized("my teen od'd last month and survived, how do we get him treatment")
    EXTRACTOR.process([message])
    message.set(INTENT, {"name": "emergency_overdose", "confidence": 0.6})
    message.set(
        INTENT_RANKING_KEY,
        [{"name": "emergency_overdose", "confidence": 0.6}, {"name": "ask_treatment", "confidence": 0.3}],
    )
    OVERRIDES.process([message])
    assert message.get(INTENT)["name"] == "ask_treatment"


def test_an_emergency_guess_with_no_evidence_either_way_stands():
    assert (
        _after_overrides("my son takes pills he buys online what do i do", "emergency_overdose") == "emergency_overdose"
    )
