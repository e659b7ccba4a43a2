"""The running bot answers over the REST channel, and its HTTP API demands the token."""

from __future__ import annotations

import uuid

import requests


def send(bot_server, message: str, sender: str | None = None) -> list[dict]:
    response = requests.post(
        f"{bot_server['url']}/webhooks/rest/webhook",
        json={"sender": sender or uuid.uuid4().hex, "message": message},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


def test_bot_answers_hello(bot_server):
    replies = send(bot_server, "hello")
    assert replies and "naloxone" in replies[0]["text"]


def test_http_api_requires_the_token(bot_server):
    status = f"{bot_server['url']}/status"
    assert requests.get(status, timeout=10).status_code == 401
    assert requests.get(status, params={"token": bot_server["token"]}, timeout=10).status_code == 200
