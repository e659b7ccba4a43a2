"""The web chat widget's channel: Rasa's socket.io channel, open only to the widget's origins.

It is loaded by the Rasa server from credentials.yml (as `rasa_server.channels.web_chat.WebChatInput`). It differs
from Rasa's stock `socketio` channel in these ways:

- Only browsers on the configured origins may connect. Rasa 3.6 creates its server with
  `cors_allowed_origins=[]`, which turns the origin check off, so any website could embed
  the bot. Origins come from `allowed_origins` in credentials.yml, overridden by the
  comma-separated environment variable HRBOT_WIDGET_ORIGINS.
- A socket sends messages only for the session it confirmed with `session_request`, and
  joining the session's room is awaited (Rasa 3.6 forgets the `await` with
  python-socketio 5.x, so with `session_persistence` no reply ever arrives).
- Each bot message is sent whole, paragraphs and all; the widget lays it out.
- Messages go through `rasa_server.channels.turn.respond`: emergency steps first, a length limit,
  never silence. Client metadata is not taken (it would be stored with the conversation).
- Nothing a user says, and no session id, is logged.
- A `feedback` event takes the widget's 👍/👎 and "Report wrong info" (bot.feedback), at most
  MAX_FEEDBACK_PER_SOCKET per connection, and acknowledges each with its result.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text
from urllib.parse import urlsplit

from rasa.core.channels.channel import OutputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from sqlalchemy.exc import SQLAlchemyError

from bot import feedback, texts
from bot.answers import About
from bot.config import max_chat_message_chars, widget_origins
from bot.db.engine import new_session
from rasa_server.channels.turn import respond

logger = logging.getLogger(__name__)

DEFAULT_ORIGINS = ("http://localhost:8080", "http://127.0.0.1:8080")
# The widget makes its session ids with crypto.randomUUID; anything else gets a fresh id.
_SESSION_ID = re.compile(r"[A-Za-z0-9-]{16,64}")


def parse_origins(value: str | Iterable[str] | None) -> list[str]:
    """Origins as `scheme://host[:port]`, from a list or a comma-separated string.

    Raises ValueError on anything that is not a plain http(s) origin ("*" included): the
    point of this channel is an explicit list.
    """
    if value is None:
        return list(DEFAULT_ORIGINS)
    items = value.split(",") if isinstance(value, str) else list(value)
    origins = []
    for item in items:
        origin = str(item).strip().rstrip("/")
        if not origin:
            continue
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or parts.fragment:
            raise ValueError(f"web chat origin {origin!r} is not of the form http(s)://host[:port]")
        origins.append(origin)
    if not origins:
        raise ValueError("no web chat origin configured: no browser could connect")
    return origins


def allowed_origins(credentials: Optional[Dict[Text, Any]]) -> list[str]:
    """HRBOT_WIDGET_ORIGINS if set, else `allowed_origins` from credentials.yml, else the demo's origins."""
    from_env = widget_origins()
    return parse_origins(from_env or (credentials or {}).get("allowed_origins"))


class WebChatOutput(SocketIOOutput):
    """Sends each message whole, with its quick replies and its sources, as one `bot_message_evt` event."""

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        event: Dict[Text, Any] = {"text": message.get("text") or ""}
        if message.get("buttons"):
            event["quick_replies"] = [
                {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in message["buttons"]
            ]
        if message.get("custom"):
            event["custom"] = message["custom"]
        await self._send_message(recipient_id, event)

    @classmethod
    def name(cls) -> Text:
        return WebChatInput.name()

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        quick_replies = [
            {"content_type": "text", "title": button["title"], "payload": button["payload"]} for button in buttons
        ]
        await self._send_message(recipient_id, {"text": text, "quick_replies": quick_replies})


class WebChatInput(SocketIOInput):
    """Socket.IO input for the web chat widget, limited to the configured origins."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_origins = list(DEFAULT_ORIGINS)

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> WebChatInput:
        channel = super().from_credentials(credentials)
        channel.allowed_origins = allowed_origins(credentials)
        return channel

    def get_output_channel(self) -> Optional[OutputChannel]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio else super().get_output_channel()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # A browser on any other origin gets "400 Not an accepted origin" before a socket opens.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.allowed_origins)
        webhook = SocketBlueprint(sio, self.socketio_path, "webchat_webhook", __name__)
        self.sio = sio

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            if not self.jwt_key:
                return True
            token = (auth or {}).get("token")
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            requested = (data or {}).get("session_id") if isinstance(data, dict) else None
            session_id = (
                requested if isinstance(requested, str) and _SESSION_ID.fullmatch(requested) else uuid.uuid4().hex
            )
            async with sio.session(sid, namespace=self.namespace) as socket_session:
                previous = socket_session.get("session_id")
                socket_session["session_id"] = session_id
            if self.session_persistence:
                if previous and previous != session_id:  # "start over" on the same socket
                    await sio.leave_room(sid, previous, namespace=self.namespace)
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            text = data.get("message") if isinstance(data, dict) else None
            if not isinstance(text, str):
                return
            session_id = (await sio.get_session(sid, namespace=self.namespace)).get("session_id")
            if self.session_persistence and not session_id:
                logger.warning("Web chat message before session_request: ignored.")
                return
            await respond(
                on_new_message,
                text,
                session_id if self.session_persistence else sid,
                WebChatOutput(sio, self.bot_message_evt),
                self.name(),
                max_chat_message_chars(),
            )

        @sio.on("feedback", namespace=self.namespace)
        async def handle_feedback(sid: Text, data: Any) -> Dict[str, str]:
            async with sio.session(sid, namespace=self.namespace) as socket_session:
                sent = socket_session.get("feedback_sent", 0)
                socket_session["feedback_sent"] = sent + 1
            result = await asyncio.to_thread(take_feedback, data) if sent < MAX_FEEDBACK_PER_SOCKET else "too_many"
            return {"result": result}  # the widget's acknowledgement callback gets it

        return webhook


MAX_FEEDBACK_PER_SOCKET = 20


def take_feedback(data: Any) -> str:
    """A 👍/👎 or a "Report wrong info" from the widget: "ok", or why it was not taken."""
    if not isinstance(data, dict):
        return "invalid"
    about = About.from_dict(data.get("answer"))
    language = data.get("language") if data.get("language") in texts.languages() else texts.DEFAULT_LANGUAGE
    vote, report, shown = data.get("vote"), data.get("report"), data.get("answer_text")
    try:
        with new_session() as session, session.begin():
            if vote in ("up", "down") and about is not None:
                feedback.vote(session, vote == "up", WebChatInput.name(), language, about)
            elif isinstance(report, str) and isinstance(shown, str):
                feedback.file_report(session, WebChatInput.name(), language, about, shown, report)
            else:
                return "invalid"
    except feedback.ReportError:
        return "empty"
    except SQLAlchemyError as error:
        logger.error("Web chat feedback not saved: %s", type(error).__name__)
        return "unavailable"
    return "ok"
