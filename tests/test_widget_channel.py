"""The web chat channel: only configured origins connect, a socket speaks only in the session it
confirmed, replies arrive whole, and no message text is logged. No trained model needed: the
channel runs in a bare Sanic app with a stand-in for the Rasa agent."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

import pytest
import requests
import socketio
import yaml
from sanic import Sanic

from rasa_server.channels.web_chat import DEFAULT_ORIGINS, WebChatInput, allowed_origins, parse_origins
from tests.conftest import PROJECT_ROOT, _free_port, run_async

WIDGET_ORIGIN = "http://widget.test:8080"
SECRET = "my name is Jo Example and I use at 12 Elm St"


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, list(DEFAULT_ORIGINS)),
        ("https://a.org, http://b.org:8080/ ,", ["https://a.org", "http://b.org:8080"]),
        (["https://a.org/"], ["https://a.org"]),
    ],
)
def test_parse_origins(value, expected):
    assert parse_origins(value) == expected


@pytest.mark.parametrize("value", ["*", "a.org", "ftp://a.org", "https://a.org/chat", "https://a.org?x=1", " , "])
def test_parse_origins_refuses_anything_but_plain_origins(value):
    with pytest.raises(ValueError):
        parse_origins(value)


def test_environment_overrides_credentials(monkeypatch):
    credentials = {"allowed_origins": ["https://from-credentials.org"]}
    monkeypatch.delenv("HRBOT_WIDGET_ORIGINS", raising=False)
    assert allowed_origins(credentials) == ["https://from-credentials.org"]
    assert allowed_origins({}) == list(DEFAULT_ORIGINS)
    monkeypatch.setenv("HRBOT_WIDGET_ORIGINS", "https://from-env.org,https://other.org")
    assert allowed_origins(credentials) == ["https://from-env.org", "https://other.org"]


def test_credentials_register_the_channel(monkeypatch):
    monkeypatch.delenv("HRBOT_WIDGET_ORIGINS", raising=False)
    credentials = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text())
    assert "rasa_server.channels.rest.RestInput" in credentials
    settings = credentials["rasa_server.channels.web_chat.WebChatInput"]
    channel = WebChatInput.from_credentials(settings)
    assert (channel.user_message_evt, channel.bot_message_evt) == ("user_uttered", "bot_uttered")
    assert channel.session_persistence is True
    assert channel.allowed_origins == list(DEFAULT_ORIGINS)
    server = channel.blueprint(lambda message: None).ctx.sio
    assert server.eio.cors_allowed_origins == list(DEFAULT_ORIGINS)  # Rasa's stock channel has [] (any origin)


@pytest.fixture(autouse=True)
def one_process_many_apps(monkeypatch):
    """Sanic rewrites its request handler for the first app it serves; test mode lets each test serve its own."""
    monkeypatch.setattr(Sanic, "test_mode", True)


@contextlib.asynccontextmanager
async def running_channel(received: list):
    """The channel in a bare Sanic app; its stand-in agent answers every message with text and buttons."""

    async def answer(message):
        received.append(message)
        await message.output_channel.send_response(
            message.sender_id,
            {"text": "First paragraph.\n\n- a bullet", "buttons": [{"title": "More", "payload": "/more"}]},
        )

    channel = WebChatInput.from_credentials({"session_persistence": True, "allowed_origins": [WIDGET_ORIGIN]})
    app = Sanic(f"webchat_test_{uuid.uuid4().hex}")
    app.blueprint(channel.blueprint(answer), url_prefix="/webhooks/webchat")
    channel.sio.eio.ping_interval = channel.sio.eio.ping_timeout = (
        1  # a long poll lasts about this long: quick disconnect
    )
    port = _free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.start_serving()
    try:
        yield channel, f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


class Listener:
    """A socket.io client (the protocol the widget speaks) that queues what the bot emits.

    Long polling, not WebSocket: python-engineio's WebSocket client needs a newer aiohttp than Rasa's.
    """

    def __init__(self):
        self.client = socketio.AsyncClient(reconnection=False)
        self.events: asyncio.Queue = asyncio.Queue()
        for event in ("session_confirm", "bot_uttered"):
            self.client.on(event, lambda data, event=event: self.events.put_nowait((event, data)))

    async def next(self, timeout: float = 5):
        return await asyncio.wait_for(self.events.get(), timeout)


def test_channel_refuses_other_origins():
    async def scenario():
        async with running_channel([]) as (_, url):
            handshake = f"{url}/socket.io/?EIO=4&transport=polling"
            refused = await asyncio.to_thread(
                requests.get, handshake, headers={"Origin": "https://evil.example"}, timeout=5
            )
            accepted = await asyncio.to_thread(requests.get, handshake, headers={"Origin": WIDGET_ORIGIN}, timeout=5)
            assert refused.status_code == 400
            assert accepted.status_code == 200
            assert accepted.headers["Access-Control-Allow-Origin"] == WIDGET_ORIGIN
            listener = Listener()
            with pytest.raises(socketio.exceptions.ConnectionError):
                await listener.client.connect(url, headers={"Origin": "https://evil.example"}, transports=["polling"])

    run_async(scenario())


def test_session_conversation_and_start_over(caplog):
    caplog.set_level(logging.DEBUG)
    received = []

    async def scenario():
        async with running_channel(received) as (channel, url):
            listener = Listener()
            await listener.client.connect(url, headers={"Origin": WIDGET_ORIGIN}, transports=["polling"])

            await listener.client.emit("user_uttered", {"message": SECRET, "session_id": str(uuid.uuid4())})
            await listener.client.emit("session_request", {"session_id": "<not a session id>"})
            event, replaced = await listener.next()
            assert event == "session_confirm" and replaced != "<not a session id>"
            assert received == []  # nothing is taken from a socket before it has a session

            session_id = str(uuid.uuid4())
            await listener.client.emit("session_request", {"session_id": session_id})
            assert await listener.next() == ("session_confirm", session_id)
            await listener.client.emit("user_uttered", {"message": SECRET, "session_id": "someone-else-entirely"})
            event, reply = await listener.next()
            assert event == "bot_uttered"
            assert reply == {
                "text": "First paragraph.\n\n- a bullet",  # whole, not one event per paragraph
                "quick_replies": [{"content_type": "text", "title": "More", "payload": "/more"}],
            }
            assert [(m.sender_id, m.text, m.input_channel) for m in received] == [(session_id, SECRET, "webchat")]

            # "Start over": the socket moves to the new session and hears nothing more from the old one.
            await listener.client.emit("session_request", {"session_id": str(uuid.uuid4())})
            await listener.next()
            await channel.get_output_channel().send_text_message(session_id, "for the old session")
            with pytest.raises(asyncio.TimeoutError):
                await listener.next(timeout=0.5)
            await listener.client.disconnect()

    run_async(scenario())
    assert not [record for record in caplog.records if SECRET in record.getMessage()]
