"""Telling the user what the bot can do: on greeting, on request, when it did not understand,
and the short replies to small talk, all in the user's language."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import SafeAction, database, known_topic, language_of, send
from bot import intents, texts
from bot.answers import capabilities_answer, contextual_guide, fallback_answer, guide_answer


def _previous_user_intent(tracker: Tracker) -> str | None:
    user_events = [event for event in tracker.events if event.get("event") == "user"]
    if len(user_events) < 2:
        return None
    return user_events[-2].get("parse_data", {}).get("intent", {}).get("name")


class ActionHandleFallback(SafeAction):
    """Not understood: a vague how-to about the topic just discussed gets its steps; else the menu."""

    def name(self) -> Text:
        return "action_handle_fallback"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        repeated = _previous_user_intent(tracker) == intents.NLU_FALLBACK
        guide = contextual_guide(tracker.latest_message.get("text") or "", known_topic(tracker))
        language = language_of(tracker)
        with database() as session:
            answer = (guide and guide_answer(session, guide, language)) or fallback_answer(session, repeated, language)
        return send(dispatcher, tracker, answer, disclaimer=guide is not None) + [SlotSet("language", language)]


class ActionShowCapabilities(SafeAction):
    def name(self) -> Text:
        return "action_show_capabilities"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        greeting = tracker.latest_message.get("intent", {}).get("name") == intents.GREET
        language = language_of(tracker)
        answer = capabilities_answer(greeting, language)
        return send(dispatcher, tracker, answer, disclaimer=False) + [SlotSet("language", language)]


# Small talk -> what the bot says (data/texts small_talk.*).
SMALL_TALK = {
    intents.GOODBYE: "small_talk.goodbye",
    intents.THANKS: "small_talk.welcome",
    intents.AFFIRM: "small_talk.anything_else",
    intents.DENY: "small_talk.anything_else",
    intents.OUT_OF_SCOPE: "small_talk.out_of_scope",
}


class ActionReplySmallTalk(SafeAction):
    """Goodbye, thanks, yes or no, and out of scope: one short line in the user's language."""

    def name(self) -> Text:
        return "action_reply_small_talk"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        language = language_of(tracker)
        dispatcher.utter_message(text=texts.text(SMALL_TALK.get(intent, "small_talk.anything_else"), language))
        return [SlotSet("language", language)]
