"""The deterministic emergency check: every emergency phrasing caught, questions, past events
and news told apart, and every pattern linear in the message length."""

from __future__ import annotations

import time

import pytest

from bot.emergency import NOW, PAST_OR_NEWS, SIGNS, is_known_non_emergency, looks_like_emergency
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
    assert len(flagged) / len(NOT_EMERGENCIES) <= 0.01, flagged


@pytest.mark.parametrize(
    "text",
    [
        # typed in a hurry, mid-conversation
        "wait hes not breathin",
        "nvm my friend just od'd",
        "shes turnin blue",
        "he wont wake upp",
        "HES NOT BREATHING",
        "my bf od'd last night and he still wont wake up",
        "he od'd 5 minutes ago and isnt breathing",
        "i gave him narcan and hes still out",
        "we gave her narcan and she woke up but shes nodding again",
        "will i get arrested if i call 911 my friend is not breathing",
        "is she overdosing? she's gray and not breathing right",
        # Spanish, with and without accents
        "mi amigo no respira",
        "mi hijo no despierta",
        "se está muriendo",
        "se puso morado",
        "ayuda tiene los labios azules",
        "no reacciona",
        "mi novia tuvo una sobredosis ahorita",
    ],
)
def test_emergencies_in_any_wording(text):
    assert looks_like_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "will i get arrested if i call 911 for an od",
        "how do i know if someone is overdosing",
        "signs of an overdose",
        "my friend died of an overdose last year",
        "good samaritan law if someone is overdosing in ohio",
        # past events
        "my teen od'd last month and survived, how do we get him treatment",
        "my sister overdosed 2 years ago and now wants methadone",
        "i overdosed in 2019, can i get narcan for myself",
        "mi hijo tuvo una sobredosis el año pasado, donde empieza tratamiento",
        # pasted news
        "A 31-year-old man was found unresponsive in a car and later died, police said.",
        "According to the coroner, the woman overdosed on fentanyl-laced pills.",
        # questions in general terms
        "can someone od again after narcan wears off",
        "do you always stop breathing when you od",
        "que son los sintomas de una sobredosis",
        "si llamo al 911 por una sobredosis me arrestan",
    ],
)
def test_questions_past_events_and_news_are_not_emergencies(text):
    assert not looks_like_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "my teen od'd last month and survived, how do we get him treatment",
        "do you always stop breathing when you od",
        "A 31-year-old man was found unresponsive in a car and later died, police said.",
    ],
)
def test_the_classifier_is_overruled_only_when_signs_are_named_in_the_past_or_in_general(text):
    assert is_known_non_emergency(text)


@pytest.mark.parametrize("text", ["my son takes pills he buys online, what do i do", "is narcan free in ohio", "hello"])
def test_messages_without_any_sign_are_left_to_the_classifier(text):
    assert not looks_like_emergency(text) and not is_known_non_emergency(text)


# Text that makes a pattern with an unbounded gap between two parts go quadratic: the first
# part many times over, the second never (the reproduction from the security review).
ADVERSARIAL = [
    "narcan ohio " * 8300,
    "passed out " * 9000,
    "too much " * 11000,
    "signs " * 16000,
    "died " * 20000,
    "foam " * 20000,
    "help " * 20000,
    "a" * 100_000,
    "lips " + "blue" * 25_000,
    "breathing " * 9000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda text: text[:12].strip())
def test_every_check_is_linear_on_100_kb(text):
    """Timed generously (a quadratic pattern took about 50 s here); benchmarks/emergency_check.py prints the figures."""
    start = time.perf_counter()
    for check in (SIGNS, NOW, PAST_OR_NEWS):
        check.found(text)
    looks_like_emergency(text)
    assert time.perf_counter() - start < 2.0
