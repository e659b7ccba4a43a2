"""What every action shares: a database session, the channel and language, and sending an Answer."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.answers import Answer
from bot.db.engine import new_session
from bot.formatting import SMS, WEB, render
from bot.language import detect

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
    return [SlotSet("disclaimer_shown", True)] if first_time else []


def database():
    """A session on DATABASE_URL for one request: published data, read fresh every time."""
    return new_session()
