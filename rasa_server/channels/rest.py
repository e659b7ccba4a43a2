"""The REST channel (`POST /webhooks/rest/webhook`), Rasa's, made safe for any input.

Same request and reply as Rasa's stock `rest` channel (`{"sender", "message"}` in, a
list of bot messages out), but:
- a body that is not a JSON object, a missing or overlong sender id, or a message that
  is not text gets a 400 with a plain reason, never a 500;
- the message goes through `rasa_server.channels.turn.respond` (emergency steps first, a time
  limit, never an empty reply);
- the client cannot claim another channel (`input_channel`) or attach metadata (it would
  be stored with the conversation), and no text is logged.
"""

from __future__ import annotations

import json
import re
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import max_chat_message_chars
from rasa_server.channels.turn import respond

MAX_SENDER_LENGTH = 128
_SENDER = re.compile(r"[A-Za-z0-9_.:@-]+")


def bad_request(reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=400)


class RestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError):
                return bad_request('the body must be a JSON object like {"sender": "id", "message": "text"}')
            if not isinstance(body, dict):
                return bad_request('the body must be a JSON object like {"sender": "id", "message": "text"}')
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not _SENDER.fullmatch(sender) or len(sender) > MAX_SENDER_LENGTH:
                return bad_request(f"sender must be 1 to {MAX_SENDER_LENGTH} letters, digits or _.:@-")
            if not isinstance(text, str):
                return bad_request("message must be text")
            collector = CollectingOutputChannel()
            await respond(on_new_message, text, sender, collector, self.name(), max_chat_message_chars())
            return response.json(collector.messages)

        return webhook
