"""SMS conversation rules that do not depend on Rasa: carrier keywords, private sender ids,
"Reply MORE" pages and numbered replies, and the TwiML reply.

Phone numbers never leave this module in plaintext: a conversation is known only by a
keyed hash of the number, and replies go back in the webhook's response (TwiML), so the
number is never needed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import delete, null, update
from sqlalchemy.orm import Session

from bot import texts
from bot.answers import About
from bot.config import conversation_retention_minutes, org_name, persistent_secret, sms_retention_days
from bot.db.models import SmsMessageSeen, SmsSender, utcnow
from bot.emergency import mentions_overdose_signs, normalize
from bot.feedback import ANSWER_MAX_CHARS, clean
from bot.language import detect

# The longest SMS a carrier delivers as one message (10 segments); longer input is cut.
MAX_MESSAGE_CHARS = 1600
KEYWORDS = ("stop", "start", "help", "more")


@dataclass(frozen=True)
class Keyword:
    """A carrier keyword ("stop", "start", "help", "more") and the language it was sent in."""

    name: str
    language: str


def help_text(language: str) -> str:
    return texts.text("sms.help", language, org=org_name())


def media_only_text() -> str:
    """A picture without words says nothing about the language: the note in every language."""
    return " / ".join(texts.text("sms.media_only", language) for language in texts.languages())


def error_text(body: str) -> str:
    return texts.text("sms.error", detect(body))


def hash_key() -> bytes:
    """`HRBOT_SMS_HASH_KEY`, else a random key kept in var/ (stable across restarts on one machine)."""
    return persistent_secret("HRBOT_SMS_HASH_KEY", "sms-hash-key").encode()


def sender_id(phone: str, key: bytes) -> str:
    """The conversation id for a phone number: HMAC-SHA256, so the number cannot be read back."""
    digits = re.sub(r"[^\d+]", "", phone)
    return "sms-" + hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()[:40]


def keyword(body: str) -> Keyword | None:
    """The carrier keyword the whole message is, in the first language (English first) that has it."""
    word = re.sub(r"[^a-z]", "", normalize(body.lower()))
    for language in texts.languages():
        for name in KEYWORDS:
            if word in texts.text(f"sms.keywords.{name}", language).split():
                return Keyword(name, language)
    return None


@dataclass(frozen=True)
class WrongReport:
    """ "WRONG the clinic closed": a report that the last answer was wrong, and its language."""

    note: str
    language: str


_FIRST_WORD = re.compile(r"\s*(\w+)\W*(.*)", re.DOTALL)


def wrong_report(body: str) -> WrongReport | None:
    """The message as a report when its first word is the WRONG keyword (in any language), but never
    a message naming overdose signs: that one goes to the dialogue, which answers an emergency first."""
    match = _FIRST_WORD.match(body)
    if match is None or mentions_overdose_signs(body):
        return None
    word = normalize(match.group(1).lower())
    for language in texts.languages():
        if word in texts.text("sms.keywords.wrong", language).split():
            return WrongReport(match.group(2).strip(), language)
    return None


def option_number(body: str) -> int | None:
    match = re.fullmatch(r"\s*(\d{1,2})\s*[.)]?\s*", body)
    return int(match.group(1)) if match else None


def twiml(texts: list[str]) -> str:
    """A TwiML reply sending each text as its own SMS (none: an empty response, nothing sent)."""
    messages = "".join(f"<Message>{escape(text)}</Message>" for text in texts if text)
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{messages}</Response>'


@dataclass
class Reply:
    texts: list[str]
    more: list[str] = field(default_factory=list)
    options: list[dict] = field(default_factory=list)
    about: dict[str, str] | None = None  # what a reportable answer was about (bot.formatting)


def reply_from_bot(messages: list[dict[str, Any]]) -> Reply:
    """Collect the bot's messages for one turn; the formatting layer put pages and options in `custom`."""
    reply = Reply(texts=[])
    for message in messages:
        if message.get("text"):
            reply.texts.append(message["text"])
        custom = message.get("custom") or {}
        if custom.get("sms"):
            reply.more = list(custom["sms"].get("more") or [])
            reply.options = list(custom["sms"].get("options") or [])
        if custom.get("answer"):
            reply.about = custom["answer"]
    return reply


class SenderStore:
    """What we keep per (hashed) sender: opt-out, pending MORE pages, the last numbered options, and
    the last answer to a question (for WRONG), which is forgotten with the conversation
    (HRBOT_CONVERSATION_RETENTION_MINUTES): it may name the person's town."""

    def __init__(self, session: Session):
        self.session = session

    def _row(self, sender: str) -> SmsSender:
        row = self.session.get(SmsSender, sender)
        if row is None:
            row = SmsSender(sender=sender, opted_out=False, pages=[], options=[], updated_at=utcnow())
            self.session.add(row)
        return row

    def is_opted_out(self, sender: str) -> bool:
        row = self.session.get(SmsSender, sender)
        return bool(row and row.opted_out)

    def set_opted_out(self, sender: str, opted_out: bool) -> None:
        row = self._row(sender)
        row.opted_out, row.pages, row.options, row.updated_at = opted_out, [], [], utcnow()

    def remember(self, reply: Reply, sender: str) -> None:
        row = self._row(sender)
        row.pages, row.options, row.updated_at = list(reply.more), list(reply.options), utcnow()
        if reply.about:  # kept as a report would keep it: no ZIP code or phone number
            text = clean("\n".join(reply.texts + reply.more), ANSWER_MAX_CHARS)
            row.last_answer = {"about": reply.about, "text": text, "at": row.updated_at.isoformat()}

    def last_answer(self, sender: str) -> tuple[About | None, str]:
        """What the last answer was about and said, while the conversation is kept; else (None, "")."""
        row = self.session.get(SmsSender, sender)
        kept = row.last_answer if row is not None and row.last_answer else None
        if kept is None or dt.datetime.fromisoformat(kept["at"]) < _conversation_cutoff():
            return None, ""
        return About.from_dict(kept.get("about")), str(kept.get("text") or "")

    def next_page(self, sender: str) -> str | None:
        row = self.session.get(SmsSender, sender)
        if row is None or not row.pages:
            return None
        page, row.pages, row.updated_at = row.pages[0], list(row.pages[1:]), utcnow()
        return page

    def option_payload(self, sender: str, number: int) -> str | None:
        row = self.session.get(SmsSender, sender)
        options = row.options if row else []
        return options[number - 1]["payload"] if 1 <= number <= len(options) else None


REPLAY_WINDOW = dt.timedelta(hours=24)


def first_delivery(session: Session, message_sid: str) -> bool:
    """True the first time a provider's message id is seen; a replayed (still signed) request is False.

    Ids are kept for REPLAY_WINDOW (Twilio retries within minutes); they identify a message, not a person.
    """
    if not message_sid:
        return True
    now = utcnow()
    session.execute(delete(SmsMessageSeen).where(SmsMessageSeen.seen_at < now - REPLAY_WINDOW))
    if session.get(SmsMessageSeen, message_sid[:64]) is not None:
        return False
    session.add(SmsMessageSeen(message_sid=message_sid[:64], seen_at=now))
    return True


def _conversation_cutoff() -> dt.datetime:
    return utcnow() - dt.timedelta(minutes=conversation_retention_minutes())


def prune(session: Session, days: int | None = None) -> int:
    """Forget pages and options older than the retention period, and last answers older than a
    conversation; opt-outs are kept (the law needs them)."""
    cutoff = utcnow() - dt.timedelta(days=sms_retention_days() if days is None else days)
    result = session.execute(delete(SmsSender).where(SmsSender.updated_at < cutoff, SmsSender.opted_out.is_(False)))
    session.execute(
        update(SmsSender)
        .where(SmsSender.updated_at < _conversation_cutoff(), SmsSender.last_answer.is_not(None))
        .values(last_answer=null())
    )
    return result.rowcount or 0
