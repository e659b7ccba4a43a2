"""Every intent name the code uses, declared once (tests/test_architecture.py checks them against domain.yml)."""

from __future__ import annotations

import re

GREET = "greet"
GOODBYE = "goodbye"
THANKS = "thanks"
AFFIRM = "affirm"
DENY = "deny"
BOT_CAPABILITIES = "bot_capabilities"
INFORM_LOCATION = "inform_location"
ASK_GOOD_SAMARITAN = "ask_good_samaritan"
ASK_NALOXONE = "ask_naloxone"
ASK_NALOXONE_HOWTO = "ask_naloxone_howto"
ASK_NALOXONE_SIGNS = "ask_naloxone_signs"
ASK_NALOXONE_RECOVERY_POSITION = "ask_naloxone_recovery_position"
ASK_TEST_STRIPS = "ask_test_strips"
ASK_TEST_STRIPS_HOWTO = "ask_test_strips_howto"
ASK_TREATMENT = "ask_treatment"
ASK_HOTLINE = "ask_hotline"
ASK_HUMAN = "ask_human"  # wants a person, or asks whether the bot is one
EMERGENCY = "emergency_overdose"
OUT_OF_SCOPE = "out_of_scope"
ASK_MORE = "ask_more"
COMPARE_STATES = "compare_states"
ASK_SYRINGE_SERVICES = "ask_syringe_services"
ASK_OVERDOSE_PREVENTION_CENTERS = "ask_overdose_prevention_centers"
ASK_DRUG_CHECKING = "ask_drug_checking"

ALL = (
    GREET,
    GOODBYE,
    THANKS,
    AFFIRM,
    DENY,
    BOT_CAPABILITIES,
    INFORM_LOCATION,
    ASK_GOOD_SAMARITAN,
    ASK_NALOXONE,
    ASK_NALOXONE_HOWTO,
    ASK_NALOXONE_SIGNS,
    ASK_NALOXONE_RECOVERY_POSITION,
    ASK_TEST_STRIPS,
    ASK_TEST_STRIPS_HOWTO,
    ASK_TREATMENT,
    ASK_HOTLINE,
    ASK_HUMAN,
    EMERGENCY,
    OUT_OF_SCOPE,
    ASK_MORE,
    COMPARE_STATES,
    ASK_SYRINGE_SERVICES,
    ASK_OVERDOSE_PREVENTION_CENTERS,
    ASK_DRUG_CHECKING,
)
# The intent for a question about each topic, and back.
TOPIC_OF = {
    ASK_GOOD_SAMARITAN: "good_samaritan",
    ASK_NALOXONE: "naloxone",
    ASK_TEST_STRIPS: "test_strips",
    ASK_TREATMENT: "treatment",
    ASK_SYRINGE_SERVICES: "syringe_services",
    ASK_OVERDOSE_PREVENTION_CENTERS: "overdose_prevention_centers",
    ASK_DRUG_CHECKING: "drug_checking",
}
# Rasa's own intent for a message the classifier is unsure of (not in domain.yml).
NLU_FALLBACK = "nlu_fallback"
FOR_TOPIC = {topic: intent for intent, topic in TOPIC_OF.items()}


# The custom action every emergency message goes to (named by the action and the emergency policy).
EMERGENCY_ACTION = "action_emergency_response"


def payload(intent: str) -> str:
    """A button's payload: Rasa reads "/name" as that intent."""
    return f"/{intent}"


_PAYLOAD = re.compile(r"/([a-z_]+)")


def as_user_text(message: str) -> str:
    """What the dialogue may see of a message a person sent.

    Rasa reads any message starting with "/" as an intent, with slots in JSON after it
    ("/inform_location{"state": "ZZ"}", "/restart"). People must not be able to do that: a
    bare payload of one of our intents (what a button sends) stays; anything else loses its
    leading slashes and is read as words.
    """
    stripped = message.strip()
    if not stripped.startswith("/"):
        return message
    match = _PAYLOAD.fullmatch(stripped)
    if match and match.group(1) in ALL:
        return stripped
    return stripped.lstrip("/ ")
