"""The deterministic emergency check catches every emergency phrasing in our NLU files."""

from __future__ import annotations

import pytest

from bot.emergency import looks_like_emergency
from tests.conftest import PROJECT_ROOT
from tests.nlu_examples import examples

TRAINING = examples(PROJECT_ROOT / "data" / "nlu")
HELD_OUT = examples(PROJECT_ROOT / "tests" / "nlu")
ALL = TRAINING + HELD_OUT
EMERGENCIES = [text for intent, text, _ in ALL if intent == "emergency_overdose"]
NOT_EMERGENCIES = [text for intent, text, _ in ALL if intent != "emergency_overdose"]


def test_there_are_emergency_examples_in_both_files():
    assert sum(intent == "emergency_overdose" for intent, _, _ in TRAINING) >= 100
    assert sum(intent == "emergency_overdose" for intent, _, _ in HELD_OUT) >= 50


@pytest.mark.parametrize("text", EMERGENCIES)
def test_every_emergency_example_is_caught(text):
    assert looks_like_emergency(text)


def test_false_positives_stay_rare():
    flagged = [text for text in NOT_EMERGENCIES if looks_like_emergency(text)]
    assert len(flagged) / len(NOT_EMERGENCIES) <= 0.02, flagged


@pytest.mark.parametrize(
    "text",
    [
        "will i get arrested if i call 911 for an od",
        "how do i know if someone is overdosing",
        "signs of an overdose",
        "my friend died of an overdose last year",
        "good samaritan law if someone is overdosing in ohio",
    ],
)
def test_questions_about_overdose_are_not_emergencies(text):
    assert not looks_like_emergency(text)
