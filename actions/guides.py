"""How-to steps and hotlines, from the database."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import SafeAction, database, known_state, language_of, send
from bot.answers import GUIDE_FOR_INTENT, fallback_answer, guide_answer, hotline_answer, person_answer


class ActionGiveGuide(SafeAction):
    def name(self) -> Text:
        return "action_give_guide"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        language = language_of(tracker)
        with database() as session:
            answer = guide_answer(session, GUIDE_FOR_INTENT.get(intent, ""), language) or fallback_answer(
                session, True, language
            )
        return send(dispatcher, tracker, answer) + [SlotSet("language", language)]


class ActionGiveHotlines(SafeAction):
    def name(self) -> Text:
        return "action_give_hotlines"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        with database() as session:
            answer = hotline_answer(session, known_state(tracker), language)
        return send(dispatcher, tracker, answer, disclaimer=False) + [SlotSet("language", language)]


class ActionOfferPerson(SafeAction):
    """Someone asks for a person ("can i talk to someone"): say the bot is automated, and where people answer."""

    def name(self) -> Text:
        return "action_offer_person"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        with database() as session:
            answer = person_answer(session, known_state(tracker), language)
        return send(dispatcher, tracker, answer, disclaimer=False) + [SlotSet("language", language)]
