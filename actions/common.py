"""What every action shares: a database session, the channel, and sending an Answer."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.answers import Answer
from bot.db.engine import new_session
from bot.formatting import SMS, WEB, render

SMS_CHANNELS = {"sms", "twilio"}


def channel_of(tracker: Tracker) -> str:
    return SMS if tracker.get_latest_input_channel() in SMS_CHANNELS else WEB


def send(dispatcher: CollectingDispatcher, tracker: Tracker, answer: Answer, disclaimer: bool = True) -> List[Dict[str, Any]]:
    """Render the answer for the user's channel; add the disclaimer once per conversation."""
    first_time = disclaimer and not tracker.get_slot("disclaimer_shown")
    for message in render(answer, channel_of(tracker), with_disclaimer=first_time):
        dispatcher.utter_message(
            text=message["text"], buttons=message.get("buttons", []), json_message=message.get("custom")
        )
    return [SlotSet("disclaimer_shown", True)] if first_time else []


def database():
    """A session on DATABASE_URL for one request: published data, read fresh every time."""
    return new_session()
