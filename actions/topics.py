"""Answer a topic question for the user's state, asking for the state once if it is unknown."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import SafeAction, database, known_state, known_topic, language_of, send
from bot import facets, intents, locator, questions, texts
from bot.answers import state_question
from bot.jurisdictions import JURISDICTIONS
from bot.language import requested_language
from bot.location import find_location
from bot.questions import Question

logger = logging.getLogger(__name__)


# Intents that ask the question themselves; after any other message (a state given, say) the
# question being answered is the last one asked.
_QUESTION_INTENTS = set(intents.TOPIC_OF) | {intents.COMPARE_STATES, intents.ASK_MORE}


def _note_for(tracker: Tracker, state: Optional[str], language: str) -> Optional[str]:
    """The 'I took Washington to mean...' hint, when the latest message named the state that way."""
    match = find_location(tracker.latest_message.get("text") or "")
    return texts.text(match.note, language) if match and match.note and match.state == state else None


def _question_text(tracker: Tracker) -> str:
    """The words of the question being answered: the latest message, unless it only completes an
    earlier question ("ohio" after "is narcan free?"), then that question's."""
    latest = tracker.latest_message.get("text") or ""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent in _QUESTION_INTENTS or facets.detect(latest) or facets.topics_named(latest):
        return latest
    users = [event for event in tracker.events if event.get("event") == "user"]
    for event in reversed(users[:-1]):
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") in _QUESTION_INTENTS:
            return event.get("text") or latest
    return latest


class ActionAnswerTopic(SafeAction):
    def name(self) -> Text:
        return "action_answer_topic"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        state = known_state(tracker)
        question = Question(
            latest=tracker.latest_message.get("text") or "",
            asked=_question_text(tracker),
            intent=(tracker.latest_message.get("intent") or {}).get("name"),
            state=state,
            topic=known_topic(tracker),
            language=language,
            earlier_places=[p for p in tracker.get_slot("places") or [] if p in JURISDICTIONS],
            zip=tracker.get_slot("zip"),
        )
        with database() as session:
            reply = questions.answer(session, question, _note_for(tracker, state, language))
        events = send(dispatcher, tracker, reply.answer, disclaimer=reply.topic is not None)
        events += [SlotSet("state_asked", False), SlotSet("topic", reply.topic), SlotSet("language", language)]
        return events + ([SlotSet("places", reply.places)] if reply.places else [])


class ActionAskState(SafeAction):
    """The location form's question, asked once per topic question."""

    def name(self) -> Text:
        return "action_ask_state"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        latest = tracker.latest_message
        language = language_of(tracker)
        topic = questions.topic_of(
            Question(
                latest.get("text") or "",
                latest.get("text") or "",
                (latest.get("intent") or {}).get("name"),
                None,
                known_topic(tracker),  # asked again after "español": still the same topic
                language,
            )
        )
        nearby = topic in ("treatment", *locator.SUPPLY_TOPICS) and locator.asks_nearby(latest.get("text") or "")
        question = locator.place_question(topic, latest.get("text") or "", language) if nearby else None
        send(dispatcher, tracker, question or state_question(topic, language), disclaimer=False)
        return [SlotSet("state_asked", True), SlotSet("language", language)]


class ValidateLocationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_location_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        try:
            events = await super().run(dispatcher, tracker, domain)
        except Exception as error:  # as SafeAction: never fail the conversation, log only the kind
            logger.error("Action %s failed: %s", self.name(), type(error).__name__)
            dispatcher.utter_message(text=texts.text("emergency.unavailable", language_of(tracker)))
            return []
        if (
            tracker.get_slot("requested_slot") == "state"
            and not self._switches_language(tracker)
            and not any(
                event.get("event") == "slot" and event.get("name") == "state" and event.get("value") for event in events
            )
        ):
            # Asked once and the reply named no place: an explicit "no state" lets the
            # form finish (instead of rejecting the reply), and we answer for the nation.
            events.append(SlotSet("state", None))
        return events

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        # Asked once and the reply names no place: stop asking and answer for the whole country.
        # A reply that only switches language ("español") is not that: the question comes again, in it.
        if (
            tracker.get_slot("state_asked")
            and not tracker.get_slot("state")
            and not self._reply_location(tracker)
            and not self._switches_language(tracker)
        ):
            return []
        return domain_slots

    @staticmethod
    def _reply_location(tracker: Tracker):
        return find_location(tracker.latest_message.get("text") or "", expecting_state=True)

    @staticmethod
    def _switches_language(tracker: Tracker) -> bool:
        return requested_language(tracker.latest_message.get("text") or "") is not None

    async def extract_state(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """After "Which state are you in?", a bare "oh" or "in" is a state code."""
        if tracker.get_slot("requested_slot") != "state":
            return {}
        match = self._reply_location(tracker)
        return {"state": match.state} if match else {}

    def validate_state(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return {"state": value if value in JURISDICTIONS else None}
