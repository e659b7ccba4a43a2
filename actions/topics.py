"""Answer a topic question for the user's state, asking for the state once if it is unknown."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import SafeAction, database, known_state, known_topic, language_of, send
from bot import texts
from bot.answers import general_answer, place_answer, state_question, topic_answer
from bot.jurisdictions import JURISDICTIONS
from bot.location import find_location

logger = logging.getLogger(__name__)


def _note_for(tracker: Tracker, state: Optional[str]) -> Optional[str]:
    """The 'I took Washington to mean...' hint, when the latest message named the state that way."""
    match = find_location(tracker.latest_message.get("text") or "")
    return match.note if match and match.state == state else None


class ActionAnswerTopic(SafeAction):
    def name(self) -> Text:
        return "action_answer_topic"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        state, topic = known_state(tracker), known_topic(tracker)
        note = _note_for(tracker, state)
        with database() as session:
            if topic is None:
                answer = place_answer(state, note) if state else state_question(None)
            elif state is None:
                answer = general_answer(session, topic)
            else:
                answer = topic_answer(session, state, topic, note)
        return send(dispatcher, tracker, answer, disclaimer=topic is not None) + [SlotSet("state_asked", False)]


class ActionAskState(SafeAction):
    """The location form's question, asked once per topic question."""

    def name(self) -> Text:
        return "action_ask_state"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        send(dispatcher, tracker, state_question(known_topic(tracker)), disclaimer=False)
        return [SlotSet("state_asked", True)]


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
        if tracker.get_slot("requested_slot") == "state" and not any(
            event.get("event") == "slot" and event.get("name") == "state" and event.get("value") for event in events
        ):
            # Asked once and the reply named no place: an explicit "no state" lets the
            # form finish (instead of rejecting the reply), and we answer for the nation.
            events.append(SlotSet("state", None))
        return events

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        # Asked once and the reply names no place: stop asking and answer for the whole country.
        if tracker.get_slot("state_asked") and not tracker.get_slot("state") and not self._reply_location(tracker):
            return []
        return domain_slots

    @staticmethod
    def _reply_location(tracker: Tracker):
        return find_location(tracker.latest_message.get("text") or "", expecting_state=True)

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
