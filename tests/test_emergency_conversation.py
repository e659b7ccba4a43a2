"""The emergency conversation on the real data: what each follow-up gets, and when the emergency ends."""

from __future__ import annotations

import pytest

from bot import texts
from bot.db.engine import new_session
from bot.emergency_conversation import FollowUp, classify, continues_emergency, emergency_turn
from bot.formatting import SMS, WEB, render


@pytest.mark.parametrize(
    "message, intent, names_state, kind",
    [
        ("my friend is not breathing", "emergency_overdose", False, FollowUp.NEW_EMERGENCY),
        ("i dont have narcan", "ask_naloxone", False, FollowUp.NO_NALOXONE),
        ("no tengo narcan", "nlu_fallback", False, FollowUp.NO_NALOXONE),
        ("where can i get narcan", "ask_naloxone", False, FollowUp.NO_NALOXONE),
        (
            "he's breathing now after the narcan, do i still need to call 911?",
            "ask_good_samaritan",
            False,
            FollowUp.AFTER_NALOXONE,
        ),
        ("hes awake and mad", "nlu_fallback", False, FollowUp.AFTER_NALOXONE),
        ("how long do i watch him", "nlu_fallback", False, FollowUp.AFTER_NALOXONE),
        ("ya respira", "nlu_fallback", False, FollowUp.AFTER_NALOXONE),
        ("mi amigo no respira", "emergency_overdose", False, FollowUp.NEW_EMERGENCY),
        ("how do i do rescue breaths", "ask_naloxone_recovery_position", False, FollowUp.RESCUE_BREATHS),
        ("recovery position", "ask_naloxone_recovery_position", False, FollowUp.RESCUE_BREATHS),
        ("im scared of the cops", "nlu_fallback", False, FollowUp.POLICE),
        ("will i get arrested", "ask_good_samaritan", False, FollowUp.POLICE),
        ("me van a arrestar si llamo a la policia?", "nlu_fallback", False, FollowUp.POLICE),
        ("ohio", "inform_location", True, FollowUp.STATE_GIVEN),
        ("what do i do", "nlu_fallback", False, FollowUp.WHAT_NOW),
        ("help", "bot_capabilities", False, FollowUp.WHAT_NOW),
        ("what can you do", "bot_capabilities", False, FollowUp.WHAT_NOW),
        ("que hago", "nlu_fallback", False, FollowUp.WHAT_NOW),
    ],
)
def test_each_follow_up_is_recognised(message, intent, names_state, kind):
    assert classify(message, intent, names_state) is kind


@pytest.mark.parametrize(
    "intent, seconds, expected",
    [
        ("emergency_overdose", None, True),  # an emergency always is one
        ("nlu_fallback", 60, True),  # "what do i do" a minute later
        ("inform_location", 14 * 60, True),
        ("nlu_fallback", 16 * 60, False),  # 15 minutes passed
        ("ask_treatment", 60, False),  # the subject changed
        ("goodbye", 60, False),
        ("nlu_fallback", None, False),  # no emergency before, or another answer since
    ],
)
def test_the_emergency_lasts_15_minutes_or_until_the_subject_changes(intent, seconds, expected):
    assert continues_emergency(intent, seconds, window_minutes=15) is expected


@pytest.fixture
def session(real_db_url):
    with new_session(real_db_url) as session:
        yield session


def _text(answers, channel=WEB):
    return "\n".join(message["text"] for answer in answers for message in render(answer, channel))


def test_a_first_emergency_gets_the_steps_then_asks_the_state(session):
    answers = emergency_turn(
        session,
        "my friend is not breathing",
        "emergency_overdose",
        None,
        False,
        "en",
        steps_sent=False,
        continuing=False,
    )
    text = _text(answers)
    assert text.startswith("Call 911 now.\n\n1. ")
    assert texts.text("emergency.ask_state") in text


def test_the_steps_are_not_repeated_when_the_channel_sent_them(session):
    answers = emergency_turn(
        session,
        "my friend is not breathing",
        "emergency_overdose",
        "OH",
        False,
        "en",
        steps_sent=True,
        continuing=False,
    )
    text = _text(answers)
    assert "Call 911 now." not in text and text.startswith("Ohio 911 law:")


def test_breathing_again_gets_yes_still_call_911_and_the_aftercare(session):
    answers = emergency_turn(
        session,
        "he's breathing now, do i still need to call 911?",
        "nlu_fallback",
        None,
        False,
        "en",
        steps_sent=False,
        continuing=True,
    )
    text = _text(answers)
    assert text.startswith(texts.text("emergency.still_call_911"))
    assert "30 to 90 minutes" in text


def test_police_during_an_emergency_gets_the_steps_first_then_the_state_law(session):
    answers = emergency_turn(
        session, "will i get arrested", "ask_good_samaritan", "PA", False, "en", steps_sent=False, continuing=True
    )
    text = _text(answers)
    assert text.startswith("Call 911 now.")
    assert "Pennsylvania 911 law:" in text and "Covers:" in text


def test_a_state_given_during_an_emergency_gets_its_law_not_a_topic_sheet(session):
    text = _text(
        emergency_turn(session, "ohio", "inform_location", "OH", True, "en", steps_sent=False, continuing=True)
    )
    assert text.startswith("Ohio 911 law:")


def test_spanish_emergencies_get_spanish_steps(session):
    answers = emergency_turn(
        session, "mi amigo no respira", "emergency_overdose", None, False, "es", steps_sent=False, continuing=False
    )
    text = _text(answers, SMS)
    assert text.startswith("Llame al 911 ahora.")
    assert "Trate de despertarla" in text and "Source" not in text


def test_without_a_database_the_steps_line_still_goes_out():
    answers = emergency_turn(
        None, "she wont wake up", "emergency_overdose", None, False, "en", steps_sent=False, continuing=False
    )
    assert _text(answers).startswith("Call 911 now.")
