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


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            next(lines)
            for line in lines:
                local, state = line.split()[1], line.split()[3]
                address, port_hex = local.rsplit(":", 1)
                if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                    found.add(address)
    return found


def test_the_action_server_listens_on_loopback_only(bot_server):
    assert _listening_addresses(bot_server["action_port"]) == {"0100007F"}  # 127.0.0.1


def test_the_api_token_is_not_on_any_command_line(bot_server):
    for pid in bot_server["pids"]:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            assert bot_server["token"].encode() not in cmdline.read()
