"""Every custom action, run directly against a real SQLite database built from the real data."""

from __future__ import annotations

import asyncio

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.emergency import ActionEmergencyResponse
from actions.guides import ActionGiveGuide, ActionGiveHotlines
from actions.navigation import ActionHandleFallback, ActionShowCapabilities
from actions.topics import ActionAnswerTopic, ActionAskState, ValidateLocationForm
from bot import texts
from bot.answers import GUIDE_FOR_INTENT, MENU
from bot.db.engine import new_session
from bot.formatting import segments
from bot.jurisdictions import JURISDICTIONS
from bot.queries import get_profile
from tests.conftest import PROJECT_ROOT, run_async

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


@pytest.fixture(autouse=True)
def _real_data(real_db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", real_db_url)


def tracker(text="", intent="greet", slots=None, channel="rest", previous_intent=None, active_loop=None):
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    events = []
    if previous_intent:
        events.append({"event": "user", "text": "earlier", "parse_data": {"intent": {"name": previous_intent}}})
    events.append({"event": "user", "text": text, "parse_data": latest, "input_channel": channel})
    return Tracker("test-user", slots or {}, latest, events, False, None, active_loop or {}, "action_listen")


def run(action, tr):
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, tr, DOMAIN)
    if asyncio.iscoroutine(result):
        result = run_async(result)
    return dispatcher.messages, result


def slot_events(events):
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def profile(state, topic, real_db_url):
    with new_session(real_db_url) as session:
        return get_profile(session, state, topic)


def test_answer_topic_is_short_with_sources_more_and_the_disclaimer_once(real_db_url):
    messages, events = run(
        ActionAnswerTopic(), tracker("narcan in ohio", "ask_naloxone", {"state": "OH", "topic": "naloxone"})
    )
    text = messages[0]["text"]
    expected = profile("OH", "naloxone", real_db_url)
    assert text.startswith("Ohio: " + expected.sms_summary.removeprefix("Ohio:").strip()[:40])
    assert len(text.split("\n\nNext step")[0]) <= 600  # one phone screen before the next step and sources
    assert messages[0]["custom"]["sources"][0]["title"] == expected.sources[0].title
    assert texts.text("format.disclaimer") in text
    assert [b["payload"] for b in messages[0]["buttons"]][:2] == ["/ask_more", "/ask_naloxone_howto"]
    assert slot_events(events) == {
        "disclaimer_shown": True,
        "state_asked": False,
        "topic": "naloxone",
        "language": "en",
    }
    more, _ = run(ActionAnswerTopic(), tracker("more", "ask_more", {"state": "OH", "topic": "naloxone"}))
    assert more[0]["text"].startswith("Ohio: " + expected.summary.removeprefix("Ohio:").strip()[:40])
    messages, _ = run(
        ActionAnswerTopic(),
        tracker("and ohio", "inform_location", {"state": "OH", "topic": "naloxone", "disclaimer_shown": True}),
    )
    assert texts.text("format.disclaimer") not in messages[0]["text"]


@pytest.mark.parametrize("topic", ["good_samaritan", "naloxone", "test_strips", "treatment"])
def test_every_state_and_topic_answers_within_three_sms_segments(topic):
    for state in sorted(JURISDICTIONS):
        messages, _ = run(
            ActionAnswerTopic(), tracker("x", f"ask_{topic}", {"state": state, "topic": topic}, channel="sms")
        )
        assert segments(messages[0]["text"]) <= 2, (state, topic)
        assert "buttons" not in messages[0] or not messages[0]["buttons"]
        assert JURISDICTIONS[state] in messages[0]["text"]


def test_the_full_good_samaritan_answer_says_what_is_not_covered(real_db_url):
    with new_session(real_db_url) as session:
        profiles = [get_profile(session, state, "good_samaritan") for state in JURISDICTIONS]
    no_gear = next(p for p in profiles if p and p.fields.get("protects_paraphernalia") is False)
    messages, _ = run(
        ActionAnswerTopic(),
        tracker("more", "ask_more", {"state": no_gear.state, "topic": "good_samaritan"}),
    )
    assert "Does not cover:" in messages[0]["text"] and "drug gear" in messages[0]["text"]
    homicide = next(p for p in profiles if p and p.fields.get("drug_induced_homicide_law"))
    messages, _ = run(
        ActionAnswerTopic(), tracker("more", "ask_more", {"state": homicide.state, "topic": "good_samaritan"})
    )
    assert "does not cover that charge" in messages[0]["text"]


def test_ambiguous_place_is_explained():
    messages, _ = run(
        ActionAnswerTopic(),
        tracker("test strips in washington", "ask_test_strips", {"state": "WA", "topic": "test_strips"}),
    )
    assert "For Washington, DC, say DC" in messages[0]["text"]


def test_no_state_after_asking_gives_national_answer():
    messages, _ = run(ActionAnswerTopic(), tracker("idk", "deny", {"topic": "treatment", "state_asked": True}))
    assert "applies everywhere" in messages[0]["text"]


def test_place_without_topic_offers_topics():
    messages, _ = run(ActionAnswerTopic(), tracker("ohio", "inform_location", {"state": "OH"}))
    assert "Got it: Ohio" in messages[0]["text"] and len(messages[0]["buttons"]) == len(MENU)


def test_ask_state_asks_once_and_names_the_topic():
    messages, events = run(ActionAskState(), tracker("narcan", "ask_naloxone", {"topic": "naloxone"}))
    assert messages[0]["text"].startswith("Which state are you in?") and "naloxone" in messages[0]["text"]
    assert slot_events(events) == {"state_asked": True, "language": "en"}


@pytest.mark.parametrize("reply, expected", [("oh", "OH"), ("im in 43215", "OH"), ("jersey", "NJ")])
def test_location_form_reads_bare_codes_after_asking(reply, expected):
    tr = tracker(
        reply,
        "inform_location",
        {"topic": "naloxone", "state_asked": True, "requested_slot": "state"},
        active_loop={"name": "location_form"},
    )
    _, events = run(ValidateLocationForm(), tr)
    assert slot_events(events).get("state") == expected


def test_location_form_gives_up_after_one_unanswered_question():
    tr = tracker(
        "idk",
        "deny",
        {"topic": "naloxone", "state_asked": True, "requested_slot": "state"},
        active_loop={"name": "location_form"},
    )
    _, events = run(ValidateLocationForm(), tr)
    assert slot_events(events) == {"state": None, "requested_slot": None}  # form done: answer nationally


def _texts(messages):
    return "\n\n".join(message["text"] for message in messages)


def test_emergency_starts_with_call_911_then_the_state_law(real_db_url):
    messages, events = run(
        ActionEmergencyResponse(),
        tracker("hes not breathing", "emergency_overdose", {"state": "PA"}, active_loop={"name": "location_form"}),
    )
    text = _texts(messages)
    assert text.startswith("Call 911 now.")
    law = (
        profile("PA", "good_samaritan", real_db_url)
        .sms_summary.removeprefix("Pennsylvania:")
        .removeprefix("PA:")
        .strip()
    )
    assert f"Pennsylvania 911 law: {law}" in text
    assert text.index("Call 911") < text.index("1. ") < text.index("Pennsylvania 911 law")
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)  # the emergency ends the form
    assert slot_events(events)["topic"] == "good_samaritan"


def test_emergency_without_state_asks_for_it_after_the_steps():
    messages, _ = run(ActionEmergencyResponse(), tracker("she wont wake up", "emergency_overdose"))
    assert messages[0]["text"].startswith("Call 911")
    assert "Tell me your state" in messages[-1]["text"]


def test_emergency_steps_are_not_repeated_when_the_channel_sent_them():
    tr = tracker("she wont wake up", "emergency_overdose", {"state": "OH"})
    tr.latest_message["metadata"] = {"hrbot_emergency_steps_sent": True}
    messages, _ = run(ActionEmergencyResponse(), tr)
    assert "Call 911 now." not in _texts(messages) and messages[0]["text"].startswith("Ohio 911 law")


def test_emergency_still_answers_when_the_database_is_down(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'nope.db'}")
    messages, _ = run(ActionEmergencyResponse(), tracker("od!!", "emergency_overdose", {"state": "OH"}))
    text = _texts(messages)
    assert text.startswith("Call 911") and "naloxone" in text.lower()


def test_emergency_by_sms_is_short():
    messages, _ = run(ActionEmergencyResponse(), tracker("od", "emergency_overdose", {"state": "OH"}, channel="sms"))
    assert messages[0]["text"].startswith("Call 911") and all(segments(m["text"]) <= 3 for m in messages)


@pytest.mark.parametrize("intent", sorted(GUIDE_FOR_INTENT))
def test_guides_give_numbered_steps_with_source(intent):
    messages, _ = run(ActionGiveGuide(), tracker("how", intent))
    assert "1. " in messages[0]["text"] and messages[0]["custom"]["sources"]


def test_hotlines_come_from_the_database():
    messages, _ = run(ActionGiveHotlines(), tracker("hotline", "ask_hotline"))
    text = messages[0]["text"]
    for name in ("SAMHSA", "988", "Never Use Alone", "Poison"):
        assert name in text


def test_fallback_offers_topics_then_hotlines_when_repeated():
    messages, _ = run(ActionHandleFallback(), tracker("asdf", "nlu_fallback"))
    assert "I can help with" in messages[0]["text"] and len(messages[0]["buttons"]) == len(MENU)
    messages, _ = run(ActionHandleFallback(), tracker("qwer", "nlu_fallback", previous_intent="nlu_fallback"))
    assert "988" in messages[0]["text"]


def test_capabilities_greets_on_greeting():
    messages, _ = run(ActionShowCapabilities(), tracker("hi", "greet"))
    assert messages[0]["text"].startswith("Hi.") and messages[0]["buttons"]


def test_vague_how_to_after_a_topic_gets_that_topics_steps():
    messages, _ = run(ActionHandleFallback(), tracker("how do i use it", "nlu_fallback", {"topic": "test_strips"}))
    assert "test strip" in messages[0]["text"].lower() and "1. " in messages[0]["text"]
    messages, _ = run(ActionHandleFallback(), tracker("how do i use it", "nlu_fallback"))
    assert "I can help with" in messages[0]["text"]
