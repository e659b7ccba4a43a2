"""SMS: signed Twilio-style webhooks to the running bot, carrier keywords, MORE pages,
numbered replies, and privacy (no phone number stored)."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

import pytest
import requests
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from bot import sms_rules as sms
from bot import texts as text_catalog
from bot.db.engine import new_session
from bot.db.models import SmsSender, UserReport
from bot.formatting import MORE_HINT, segments
from tests.conftest import SMS_AUTH_TOKEN, SMS_HASH_KEY


def webhook(bot_server) -> str:
    return f"{bot_server['url']}/webhooks/sms/webhook"


def post(bot_server, body: str, phone: str, token: str = SMS_AUTH_TOKEN, signed: bool = True, **extra):
    """POST a form exactly as Twilio does, signed with the account's auth token."""
    form = {
        "From": phone,
        "To": "+15550000000",
        "Body": body,
        "NumMedia": "0",
        "MessageSid": "SM" + uuid.uuid4().hex,
        **extra,
    }
    headers = {}
    if signed:
        headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(webhook(bot_server), form)
    return requests.post(webhook(bot_server), data=form, headers=headers, timeout=60)


def texts(response) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/xml")
    return [message.text or "" for message in ET.fromstring(response.text).iter("Message")]


def reports_about(bot_server, record: str) -> list[UserReport]:
    with new_session(bot_server["database_url"]) as session:
        return list(session.execute(select(UserReport).where(UserReport.record == record)).scalars())


def new_phone() -> str:
    return "+1555" + str(uuid.uuid4().int)[:7]


def test_unsigned_and_forged_requests_are_rejected(bot_server):
    assert post(bot_server, "hi", new_phone(), signed=False).status_code == 403
    assert post(bot_server, "hi", new_phone(), token="not-the-real-token").status_code == 403


def test_a_question_gets_a_plain_answer_within_three_segments(bot_server):
    phone = new_phone()
    replies = texts(post(bot_server, "narcan in ohio", phone))
    assert replies and replies[0].startswith("Ohio")
    assert all(segments(text) <= 2 for text in replies)
    assert not any(mark in "".join(replies) for mark in ("**", "](", "<", ">"))


def test_more_pages_and_numbered_replies(bot_server):
    phone = new_phone()
    first = texts(post(bot_server, "what are the good samaritan laws in pennsylvania", phone))
    assert first[-1].endswith(MORE_HINT)
    pages = [first[-1]]
    for _ in range(5):
        page = texts(post(bot_server, "MORE", phone))[0]
        pages.append(page)
        if "Reply 1 for" in page:
            break
    assert "Reply 1 for" in pages[-1]
    assert all(segments(page) <= 2 for page in pages)
    # "1" is the first numbered option: a how-to with numbered steps.
    answer = texts(post(bot_server, "1", phone))
    assert "1. " in "\n".join(answer)
    assert texts(post(bot_server, "more", new_phone()))  # no page waiting: the bot answers "more" itself


def test_stop_start_and_help(bot_server):
    phone = new_phone()
    assert texts(post(bot_server, "STOP", phone)) == [text_catalog.text("sms.stopped")]
    assert texts(post(bot_server, "narcan in ohio", phone)) == []  # nothing to an opted-out number
    assert texts(post(bot_server, "help", phone)) == []
    assert texts(post(bot_server, "START", phone)) == [text_catalog.text("sms.started")]
    assert texts(post(bot_server, "narcan in ohio", phone))[0].startswith("Ohio")
    assert "Reply STOP" in texts(post(bot_server, "HELP", phone))[0]


def test_spanish_keywords_opt_out_and_back_in_spanish(bot_server):
    phone = new_phone()
    assert texts(post(bot_server, "ALTO", phone)) == [text_catalog.text("sms.stopped", "es")]
    assert texts(post(bot_server, "naloxona en ohio", phone)) == []
    assert texts(post(bot_server, "comenzar", phone)) == [text_catalog.text("sms.started", "es")]
    assert texts(post(bot_server, "AYUDA", phone)) == [sms.help_text("es")]


def test_opt_out_survives_a_restart_because_it_is_in_the_database(bot_server):
    phone = new_phone()
    texts(post(bot_server, "unsubscribe", phone))
    sender = sms.sender_id(phone, SMS_HASH_KEY.encode())
    with new_session(bot_server["database_url"]) as session:
        row = session.get(SmsSender, sender)
    assert row is not None and row.opted_out


def test_picture_without_text_gets_a_reply_not_an_error(bot_server):
    replies = texts(post(bot_server, "", new_phone(), NumMedia="1", MediaUrl0="https://example.org/x.jpg"))
    assert replies == [sms.media_only_text()] and "Solo puedo leer texto" in replies[0]


def test_emergency_by_sms_starts_with_call_911(bot_server):
    replies = texts(post(bot_server, "my friend isnt breathing", new_phone()))
    assert replies[0].startswith("Call 911")


def test_phone_numbers_are_never_stored(bot_server):
    phone = new_phone()
    texts(post(bot_server, "narcan in ohio", phone))
    digits = phone.lstrip("+")
    with new_session(bot_server["database_url"]) as session:
        senders = session.execute(select(SmsSender.sender)).scalars().all()
    assert senders and not any(digits in sender for sender in senders)
    tracker = requests.get(
        f"{bot_server['url']}/conversations/{sms.sender_id(phone, SMS_HASH_KEY.encode())}/tracker",
        params={"token": bot_server["token"]},
        timeout=30,
    ).json()
    assert digits not in str(tracker)


def test_sender_id_is_a_keyed_hash():
    key = b"k" * 32
    assert sms.sender_id("+1 (555) 010-0000", key) == sms.sender_id("+15550100000", key)
    assert sms.sender_id("+15550100000", key) != sms.sender_id("+15550100000", b"other-key")
    assert "5550100000" not in sms.sender_id("+15550100000", key)


@pytest.mark.parametrize(
    "body, word",
    [
        ("STOP", "stop"),
        ("Stop.", "stop"),
        ("unsubscribe", "stop"),
        ("cancel", "stop"),
        ("END", "stop"),
        ("quit", "stop"),
        ("START", "start"),
        ("unstop", "start"),
        ("HELP", "help"),
        ("info", "help"),
        ("More", "more"),
        ("stop the overdose", None),
        ("ALTO", "stop"),
        ("Ayuda", "help"),
        ("más", "more"),
        ("comenzar", "start"),
        ("ayuda mi amigo no respira", None),
    ],
)
def test_keywords(body, word):
    found = sms.keyword(body)
    assert (found.name if found else None) == word


def test_a_spanish_keyword_is_answered_in_spanish():
    assert sms.keyword("ALTO") == sms.Keyword("stop", "es") and sms.keyword("STOP") == sms.Keyword("stop", "en")
    assert "ALTO" in sms.help_text("es") and "STOP" in sms.help_text("en")


def test_twiml_escapes_text():
    assert "<Message>a &lt;b&gt; &amp; c</Message>" in sms.twiml(["a <b> & c"])
    assert sms.twiml([]).endswith("<Response></Response>")


def test_prune_keeps_opt_outs(db_url):
    import datetime as dt

    with new_session(db_url) as session, session.begin():
        store = sms.SenderStore(session)
        store.set_opted_out("sms-a", True)
        store.remember(sms.Reply(texts=[], more=["page"]), "sms-b")
        session.flush()
        for row in session.execute(select(SmsSender)).scalars():
            row.updated_at = row.updated_at - dt.timedelta(days=60)
    with new_session(db_url) as session, session.begin():
        assert sms.prune(session, days=30) == 1
    with new_session(db_url) as session:
        assert [row.sender for row in session.execute(select(SmsSender)).scalars()] == ["sms-a"]


def test_the_answer_still_goes_out_while_the_database_is_locked(bot_server):
    """Another process holds the write lock for the whole turn: bookkeeping fails, the answer does not."""
    import sqlite3

    path = bot_server["database_url"].removeprefix("sqlite:///")
    holder = sqlite3.connect(path, timeout=1, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        replies = texts(post(bot_server, "narcan in ohio", new_phone()))
        assert replies and replies[0].startswith("Ohio") and replies[0] != sms.error_text("narcan in ohio")
        emergency = texts(post(bot_server, "my friend isnt breathing", new_phone()))
        assert emergency[0].startswith("Call 911 now.")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_wrong_by_sms_files_a_report_on_the_last_answer(bot_server):
    phone = new_phone()
    (first, *_) = texts(post(bot_server, "are fentanyl test strips legal in kentucky", phone))
    assert "Kentucky" in first
    texts(post(bot_server, "thanks", phone))  # small talk in between: WRONG is still about the answer
    marker = uuid.uuid4().hex[:8]
    assert texts(post(bot_server, f"WRONG they changed the law {marker}", phone)) == [
        "Thank you. Staff will check that answer. In an emergency call 911."
    ]
    assert texts(post(bot_server, "wrong", phone))[0].startswith("To tell us an answer is wrong, text WRONG")
    (report,) = [r for r in reports_about(bot_server, "profiles/KY/test_strips") if marker in r.report_text]
    assert report.channel == "sms" and report.report_text == f"they changed the law {marker}"
    assert "Kentucky" in report.answer_text
    # An overdose is never taken for a report: the steps come first.
    assert texts(post(bot_server, "wrong, hes not breathing", phone))[0].startswith("Call 911")
