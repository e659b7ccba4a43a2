"""What every action shares: a database session, the channel and language, and sending an Answer."""

from __future__ import annotations

import abc
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from bot import texts, usage
from bot.answers import About, Answer
from bot.dataset.schema import TOPICS
from bot.db.engine import new_session
from bot.formatting import SMS, WEB, render
from bot.intents import NLU_FALLBACK
from bot.jurisdictions import JURISDICTIONS
from bot.language import detect

logger = logging.getLogger(__name__)

SMS_CHANNELS = {"sms"}


def channel_of(tracker: Tracker) -> str:
    return SMS if tracker.get_latest_input_channel() in SMS_CHANNELS else WEB


def language_of(tracker: Tracker) -> str:
    """The language of the latest message, or the conversation's when the message does not say."""
    return detect(tracker.latest_message.get("text") or "", tracker.get_slot("language"))


def utter(dispatcher: CollectingDispatcher, answer: Answer, channel: str, with_disclaimer: bool = False) -> None:
    for message in render(answer, channel, with_disclaimer=with_disclaimer):
        dispatcher.utter_message(
            text=message["text"], buttons=message.get("buttons", []), json_message=message.get("custom")
        )


def send(
    dispatcher: CollectingDispatcher, tracker: Tracker, answer: Answer, disclaimer: bool = True
) -> List[Dict[str, Any]]:
    """Render the answer for the user's channel; add the disclaimer once per conversation."""
    first_time = disclaimer and not tracker.get_slot("disclaimer_shown")
    utter(dispatcher, answer, channel_of(tracker), with_disclaimer=first_time)
    if answer.about is not None:
        count_usage(tracker, answer.about.outcome, answer.language, answer.about)
    return [SlotSet("disclaimer_shown", True)] if first_time else []


def count_usage(tracker: Tracker, measure: str, language: str, about: Optional[About] = None) -> None:
    """Add to the private day counters (bot.usage); a database problem never costs the answer."""
    intent = _guessed_intent(tracker) if measure == usage.FALLBACK else ""
    try:
        with database() as session, session.begin():
            usage.count(session, measure, tracker.get_latest_input_channel() or "", language, about, intent)
    except SQLAlchemyError as error:
        logger.error("Usage not counted: %s", type(error).__name__)


def _guessed_intent(tracker: Tracker) -> str:
    """The intent the bot thought most likely when it was not sure enough (for "not understood")."""
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        if ranked.get("name") and ranked["name"] != NLU_FALLBACK:
            return ranked["name"]
    return ""


def database():
    """A session on DATABASE_URL for one request: published data, read fresh every time."""
    return new_session()


def known_state(tracker: Tracker) -> Optional[str]:
    """The `state` slot if it names one of the 51 jurisdictions (a slot is never trusted blindly)."""
    value = tracker.get_slot("state")
    return value if value in JURISDICTIONS else None


def known_topic(tracker: Tracker) -> Optional[str]:
    value = tracker.get_slot("topic")
    return value if value in TOPICS else None


class SafeAction(Action, metaclass=abc.ABCMeta):
    """A custom action that never fails the conversation.

    Subclasses write `answer` instead of `run`. Any error is logged by its kind only (never
    the tracker, which holds what the person said), and the person gets a short "can't
    answer right now" with the 911 line instead of silence.
    """

    @abc.abstractmethod  # abstract: rasa-sdk registers only concrete actions
    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        """The action's work; its errors are caught by `run`."""

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        try:
            return self.answer(dispatcher, tracker, domain)
        except Exception as error:
            logger.error("Action %s failed: %s", self.name(), type(error).__name__)
            dispatcher.utter_message(text=texts.text("emergency.unavailable", language_of(tracker)))
            return []
