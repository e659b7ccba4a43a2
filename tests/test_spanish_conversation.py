"""Spanish end to end, on the running bot over REST and SMS: each topic, a state switch, a
language switch (typed, and in the middle of the state question), with no English sentence in
the replies apart from the names of places and services."""

from __future__ import annotations

import uuid

import pytest
import requests

from bot.language import sentences_not_in
from tests.test_emergency_states import rest
from tests.test_sms import new_phone, post, texts

# (topic, a question no training or held-out file holds, the state it names)
TOPIC_QUESTIONS = [
    ("good_samaritan", "me pueden arrestar si llamo al 911 por una sobredosis en arizona", "AZ"),
    ("naloxone", "donde me regalan naloxona en colorado", "CO"),
    ("test_strips", "es delito tener tiras de fentanilo en georgia", "GA"),
    ("treatment", "como empiezo con metadona en nevada", "NV"),
    ("syringe_services", "donde cambio jeringas usadas por nuevas en kentucky", "KY"),
    ("overdose_prevention_centers", "existe algun lugar supervisado para usar drogas en nueva york", "NY"),
    ("drug_checking", "donde puedo analizar mis drogas en oregon", "OR"),
]


def slots(bot, sender) -> dict:
    tracker = requests.get(
        f"{bot['url']}/conversations/{sender}/tracker", params={"token": bot["token"]}, timeout=30
    ).json()
    return tracker["slots"]


def reply_text(messages) -> str:
    return "\n".join(message["text"] for message in messages)


def english_in(reply: str, language: str = "es") -> list[str]:
    """Sentences of a reply that are not in `language`, leaving out the "next step" links, which
    are services' own names and addresses."""
    lines = [line for line in reply.splitlines() if not line.startswith("- ") or "http" not in line]
    return sentences_not_in("\n".join(lines), language)


@pytest.mark.parametrize("topic, question, state", TOPIC_QUESTIONS, ids=[t for t, _, _ in TOPIC_QUESTIONS])
def test_each_topic_answers_in_spanish(bot_server, topic, question, state):
    sender = f"es-{uuid.uuid4().hex}"
    reply = reply_text(rest(bot_server, question, sender))
    remembered = slots(bot_server, sender)
    assert (remembered["topic"], remembered["state"], remembered["language"]) == (topic, state, "es"), reply
    assert english_in(reply) == [], reply


def test_a_state_switch_keeps_the_topic_and_the_language(bot_server):
    sender = f"es-{uuid.uuid4().hex}"
    rest(bot_server, "donde cambio jeringas usadas por nuevas en kentucky", sender)
    reply = reply_text(rest(bot_server, "y en tennessee?", sender))
    remembered = slots(bot_server, sender)
    assert (remembered["topic"], remembered["state"], remembered["language"]) == ("syringe_services", "TN", "es")
    assert "Tennessee" in reply and english_in(reply) == [], reply


def test_switching_language_mid_conversation_and_while_asked_for_the_state(bot_server):
    sender = f"switch-{uuid.uuid4().hex}"
    first = reply_text(rest(bot_server, "narcan?", sender))
    assert sentences_not_in(first, "en") == []
    # "español" while the bot waits for the state: the question again, in Spanish, not a national answer.
    again = reply_text(rest(bot_server, "español", sender))
    assert slots(bot_server, sender)["requested_slot"] == "state", again
    assert english_in(again) == [], again
    answer = reply_text(rest(bot_server, "ohio", sender))
    remembered = slots(bot_server, sender)
    assert (remembered["topic"], remembered["state"], remembered["language"]) == ("naloxone", "OH", "es")
    assert english_in(answer) == [], answer
    # And back to English: the next answer is all English.
    rest(bot_server, "english please", sender)
    answer = reply_text(rest(bot_server, "what about michigan", sender))
    assert slots(bot_server, sender)["language"] == "en"
    assert answer.startswith("Michigan") and english_in(answer, "en") == [], answer


def test_a_spanish_question_by_sms_gets_a_short_spanish_answer(bot_server):
    phone = new_phone()
    replies = texts(post(bot_server, "donde me regalan naloxona en colorado", phone))
    assert replies and english_in(replies[0]) == [], replies
