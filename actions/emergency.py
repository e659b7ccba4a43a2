"""Every message of an overdose emergency: the steps (unless the channel sent them), then a short answer."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import SafeAction, channel_of, count_usage, database, known_state, language_of, utter
from bot import usage
from bot.answers import About
from bot.emergency_conversation import STEPS_SENT_KEY, emergency_turn
from bot.intents import EMERGENCY_ACTION

logger = logging.getLogger(__name__)


def _previous_bot_action(tracker: Tracker) -> str | None:
    """The last action before the latest message, other than listening."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_latest = True
        elif seen_latest and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


class ActionEmergencyResponse(SafeAction):
    def name(self) -> Text:
        return EMERGENCY_ACTION

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        message = tracker.latest_message
        text = message.get("text") or ""
        language = language_of(tracker)
        arguments = dict(
            message=text,
            intent=(message.get("intent") or {}).get("name"),
            state=known_state(tracker),
            names_state=any(entity.get("entity") == "state" for entity in message.get("entities") or []),
            language=language,
            steps_sent=bool((message.get("metadata") or {}).get(STEPS_SENT_KEY)),
            continuing=_previous_bot_action(tracker) == EMERGENCY_ACTION,
        )
        try:
            with database() as session:
                answers = emergency_turn(session, **arguments)
        except Exception as error:  # never let a database problem silence the emergency steps
            logger.error("Emergency answer without the database: %s", type(error).__name__)
            answers = emergency_turn(None, **arguments)
        for answer in answers:
            utter(dispatcher, answer, channel_of(tracker))
        if not arguments["continuing"]:  # one emergency, however many messages it takes
            count_usage(tracker, usage.EMERGENCY, language, About(usage.EMERGENCY, state=arguments["state"] or ""))
        # The emergency interrupts any form; a later place or "will I be arrested" is about the 911 law.
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            SlotSet("topic", "good_samaritan"),
            SlotSet("language", language),
        ]
