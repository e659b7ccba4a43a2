"""The Rasa server works on a bounded number of messages at once, in arrival order."""

from __future__ import annotations

import asyncio

from rasa.core.channels import UserMessage
from rasa.core.processor import MessageProcessor

from rasa_server.patches import message_admission
from tests.conftest import installed_patch, run_async

installed = installed_patch("admission")


def test_patch_is_in_effect():
    assert MessageProcessor.handle_message is message_admission.handle_message_in_turn


def test_at_most_the_configured_number_run_at_once_in_arrival_order(monkeypatch):
    monkeypatch.setenv("HRBOT_MAX_CONCURRENT_MESSAGES", "2")
    inside, most_inside, started = 0, 0, []

    async def fake_handle_message(self, message):
        nonlocal inside, most_inside
        inside += 1
        most_inside = max(most_inside, inside)
        started.append(message)
        await asyncio.sleep(0.01)  # waiting on the action server, say
        inside -= 1
        return [{"text": f"reply to {message}"}]

    monkeypatch.setattr(message_admission.PATCH, "original", fake_handle_message)

    async def scenario():
        return await asyncio.gather(*(message_admission.handle_message_in_turn(None, m) for m in messages))

    messages = [UserMessage(f"question {n}") for n in range(7)]
    replies = run_async(scenario())
    assert replies == [[{"text": f"reply to {m}"}] for m in messages]
    assert most_inside == 2
    assert started == messages


def test_a_possible_overdose_does_not_wait_its_turn(monkeypatch):
    monkeypatch.setenv("HRBOT_MAX_CONCURRENT_MESSAGES", "1")
    finished = []

    async def fake_handle_message(self, message):
        await asyncio.sleep(0.05)
        finished.append(message.text)

    monkeypatch.setattr(message_admission.PATCH, "original", fake_handle_message)
    texts = ["is narcan free in ohio", "strips?", "hi", "my friend is not breathing"]

    async def scenario():
        await asyncio.gather(*(message_admission.handle_message_in_turn(None, UserMessage(t)) for t in texts))

    run_async(scenario())
    # The emergency ran beside the one message already inside, ahead of the two waiting.
    assert finished == ["is narcan free in ohio", "my friend is not breathing", "strips?", "hi"]
