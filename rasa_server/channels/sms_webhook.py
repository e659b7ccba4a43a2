"""Twilio-compatible SMS webhook (`/webhooks/sms/webhook`), replacing Rasa's stock Twilio channel.

Rasa 3.6's TwilioInput checks no signature, answers 500 to a picture without text and
sends each button as its own SMS. This channel:
- rejects any request without a valid `X-Twilio-Signature` (403), computed with the
  account's auth token over the public webhook URL;
- handles the carrier keywords STOP/START/HELP itself and never writes to an opted-out number;
- takes "WRONG <what is wrong>" as a report on the last answer, for staff (bot.feedback);
- knows a conversation only by a keyed hash of the phone number, and replies in the
  webhook response (TwiML), so the number is never stored or logged;
- serves "Reply MORE" pages and numbered replies from what the formatting layer sent;
- sends a possible emergency's steps first (`rasa_server.channels.turn`), and still answers when
  the database is locked (the bookkeeping failure is logged, the answer goes out).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Awaitable, Callable, Dict, Optional, Text
from urllib.parse import parse_qsl

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError
from twilio.request_validator import RequestValidator

from bot import feedback, sms_rules, texts
from bot.config import sms_webhook_url, twilio_auth_token
from bot.db.engine import new_session
from bot.language import detect
from rasa_server.channels.turn import respond

logger = logging.getLogger(__name__)


class SmsInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            auth_token=credentials.get("auth_token") or twilio_auth_token(),
            webhook_url=credentials.get("webhook_url") or sms_webhook_url(),
        )

    PRUNE_EVERY_S = 3600

    def __init__(self, auth_token: Optional[str], webhook_url: Optional[str] = None) -> None:
        self.validator = RequestValidator(auth_token) if auth_token else None
        self.webhook_url = webhook_url
        self._pruned_at = 0.0
        if self.validator is None:
            logger.warning("SMS webhook is closed: set TWILIO_AUTH_TOKEN to accept signed requests.")

    @staticmethod
    def _form(request: Request) -> Dict[str, str]:
        """The POSTed fields, empty ones included (Twilio signs `Body=` too; Sanic's form drops it)."""
        try:
            return dict(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            return {}

    def _signed(self, request: Request, form: Dict[str, str]) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        if self.validator is None or not signature:
            return False
        # The signature covers the URL Twilio called; behind a proxy, configure it explicitly.
        return self.validator.validate(self.webhook_url or request.url, form, signature)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("sms_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            form = self._form(request)
            if not self._signed(request, form):
                return response.text("invalid signature", status=403)
            phone = form.get("From", "").strip()
            if not phone:
                return response.text("missing From", status=400)
            if not self._first_delivery(form.get("MessageSid", "")):
                return response.text(
                    sms_rules.twiml([]), content_type="text/xml; charset=utf-8"
                )  # a replay: answered already
            sender = sms_rules.sender_id(phone, sms_rules.hash_key())
            body = form.get("Body", "").strip()
            has_media = form.get("NumMedia", "0").strip() not in ("", "0")
            try:
                replies = await self._handle(sender, body, has_media, on_new_message, request)
            except Exception as error:  # never a 500 to the carrier; nothing personal in the log
                logger.error("SMS turn failed: %s", type(error).__name__)
                replies = [sms_rules.error_text(body)]
            return response.text(sms_rules.twiml(replies), content_type="text/xml; charset=utf-8")

        return webhook

    @staticmethod
    def _first_delivery(message_sid: str) -> bool:
        try:
            with new_session() as session, session.begin():
                return sms_rules.first_delivery(session, message_sid)
        except SQLAlchemyError as error:  # cannot tell: answer (an emergency must not wait on bookkeeping)
            logger.error("SMS replay check failed: %s", type(error).__name__)
            return True

    @staticmethod
    def _file_report(session, store: sms_rules.SenderStore, sender: str, report: sms_rules.WrongReport) -> str:
        """WRONG and a note: a report on the last answer, for staff to review (bot.feedback)."""
        about, answer_text = store.last_answer(sender)
        try:
            feedback.file_report(session, "sms", report.language, about, answer_text, report.note)
        except feedback.ReportError:  # no note (or nothing left once private details are removed)
            return texts.text("sms.report_empty", report.language)
        return texts.text("sms.reported", report.language)

    async def _handle(self, sender: str, body: str, has_media: bool, on_new_message, request: Request) -> list[str]:
        found = sms_rules.keyword(body)
        word, language = (found.name, found.language) if found else (None, detect(body))
        text = body
        try:
            with new_session() as session, session.begin():
                if time.monotonic() - self._pruned_at > self.PRUNE_EVERY_S:  # bounded retention, hourly
                    sms_rules.prune(session)
                    self._pruned_at = time.monotonic()
                store = sms_rules.SenderStore(session)
                if word == "start":
                    store.set_opted_out(sender, False)
                    return [texts.text("sms.started", language)]
                if store.is_opted_out(sender):
                    return []  # carriers block texts to an opted-out number; the STOP reply said to call 911
                if word == "stop":
                    store.set_opted_out(sender, True)
                    return [texts.text("sms.stopped", language)]
                if word == "help":
                    return [sms_rules.help_text(language)]
                report = sms_rules.wrong_report(body)
                if report is not None:
                    return [self._file_report(session, store, sender, report)]
                page = store.next_page(sender) if word == "more" else None
                if page:
                    return [page]  # with no page waiting, MORE asks the bot for the full answer
                if not body:
                    return [sms_rules.media_only_text()] if has_media else []
                number = sms_rules.option_number(body)
                text = (store.option_payload(sender, number) if number else None) or body
        except SQLAlchemyError as error:
            # Without the database, a keyword cannot be recorded; any other message is still
            # answered (an emergency above all), as if the number had not opted out.
            logger.error("SMS bookkeeping failed before the answer: %s", type(error).__name__)
            if word or not body:
                return [sms_rules.error_text(body)]
        collector = CollectingOutputChannel()
        await respond(
            on_new_message,
            text,
            sender,
            collector,
            self.name(),
            sms_rules.MAX_MESSAGE_CHARS,
            self.get_metadata(request),
        )
        reply = sms_rules.reply_from_bot(collector.messages)
        try:
            with new_session() as session, session.begin():
                sms_rules.SenderStore(session).remember(reply, sender)
        except SQLAlchemyError as error:  # the answer still goes out; only MORE and numbered replies are lost
            logger.error("SMS bookkeeping failed after the answer: %s", type(error).__name__)
        return reply.texts
