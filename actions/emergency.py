"""The overdose emergency reply: Call 911 and the steps, then the state's Good Samaritan protection."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import database, send
from bot.answers import emergency_answer


class ActionEmergencyResponse(Action):
    def name(self) -> Text:
        return "action_emergency_response"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        try:
            with database() as session:
                answer = emergency_answer(session, tracker.get_slot("state"))
        except Exception:  # never let a database problem silence the emergency steps
            answer = emergency_answer(None, None)
        return send(dispatcher, tracker, answer, disclaimer=False)
