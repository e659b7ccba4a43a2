"""One user message through a channel: emergency steps first, then the dialogue, never silence.

Every channel (REST, web chat, SMS) hands its messages to `respond`, which:
- takes away Rasa's "/intent{slots}" syntax, but for the bare payloads our buttons send;
- cuts a message longer than the channel allows, and answers it with a short note;
- when the message may describe an overdose in progress, sends "Call 911 now." and the
  steps at once, from memory (`bot.emergency_reply`), before the dialogue runs, so they
  go out even when the action server is down or slow or the database is locked, and
  tells the dialogue so (message metadata) that it does not repeat them;
- runs the dialogue with a time limit, and when it said nothing (a failure, a timeout),
  says it cannot answer right now and gives the emergency line.
Failures are logged by kind only: never the message text or the sender.
"""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot import texts
from bot.config import turn_timeout_seconds
from bot.emergency_conversation import STEPS_SENT_KEY
from bot.emergency_reply import EmergencyReply
from bot.formatting import SMS, WEB
from bot.intents import as_user_text
from bot.language import detect

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def emergency_reply() -> EmergencyReply:
    """One copy of the emergency steps per Rasa server process."""
    return EmergencyReply()


class CountingOutput(OutputChannel):
    """Passes every message on to `inner` and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> Text:  # type: ignore[override]
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def _log_late_failure(task: asyncio.Future) -> None:
    """Retrieve the outcome of a dialogue that ended after its time limit (else asyncio warns)."""
    if not task.cancelled() and task.exception() is not None:
        logger.debug("A late dialogue turn failed: %s", type(task.exception()).__name__)


def cap(text: str, limit: int) -> tuple[str, bool]:
    """The text cut to `limit` characters, and whether it was cut."""
    return (text[:limit], True) if len(text) > limit else (text, False)


async def respond(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    text: str,
    sender_id: str,
    output: OutputChannel,
    input_channel: str,
    max_length: int,
    metadata: Optional[Dict[Text, Any]] = None,
) -> None:
    """Handle one message as described above; whatever happens, something is sent."""
    text, too_long = cap(as_user_text(text), max_length)
    language = detect(text)
    kind = SMS if input_channel == "sms" else WEB
    steps = emergency_reply().first_reply(text, kind, language)
    for message in steps:
        await output.send_response(sender_id, message)
    if too_long:  # only the first part was checked for an emergency; the dialogue never sees it
        await output.send_response(sender_id, {"text": texts.text("emergency.too_long", language)})
        return
    counting = CountingOutput(output)
    message = UserMessage(
        text,
        counting,
        sender_id,
        input_channel=input_channel,
        metadata={**(metadata or {}), STEPS_SENT_KEY: bool(steps)},
    )
    task = asyncio.ensure_future(on_new_message(message))
    task.add_done_callback(_log_late_failure)
    try:
        # Shielded: after the time limit the dialogue still finishes and keeps the
        # conversation's state; only its answer comes too late for this reply.
        await asyncio.wait_for(asyncio.shield(task), turn_timeout_seconds())
    except asyncio.TimeoutError:
        logger.warning("A %s message got no answer within %s s", input_channel, turn_timeout_seconds())
    except Exception as error:
        logger.error("A %s message failed: %s", input_channel, type(error).__name__)
    if counting.sent == 0 and not steps:
        await output.send_response(sender_id, {"text": texts.text("emergency.unavailable", language)})
