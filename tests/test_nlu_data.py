"""The held-out NLU file stays held out, and every intent has training and test examples."""

from __future__ import annotations

import yaml

from tests.conftest import PROJECT_ROOT
from tests.nlu_examples import examples

TRAINING = examples(PROJECT_ROOT / "data" / "nlu")
HELD_OUT = examples(PROJECT_ROOT / "tests" / "nlu")
DOMAIN_INTENTS = set(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"])


def test_no_held_out_example_is_in_the_training_data():
    training = {text.strip().lower() for _, text, _ in TRAINING}
    assert [text for _, text, _ in HELD_OUT if text.strip().lower() in training] == []


def test_every_intent_has_training_and_held_out_examples():
    assert {intent for intent, _, _ in TRAINING} == DOMAIN_INTENTS
    assert {intent for intent, _, _ in HELD_OUT} == DOMAIN_INTENTS


def test_held_out_places_are_annotated_with_codes():
    states = [e["value"] for _, _, entities in HELD_OUT for e in entities if e["entity"] == "state"]
    assert len(states) >= 100 and all(len(code) == 2 and code.isupper() for code in states)
