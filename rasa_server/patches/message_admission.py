"""At most `HRBOT_MAX_CONCURRENT_MESSAGES` (default 4) user messages in the dialogue engine at once.

The Rasa server does all its work on one event loop. A message is many short steps (the
parse, one prediction per action, each action-server call), and each time it waits for
the action server every other message being handled runs one step first. With 20 at
once, a message with two action calls waited through dozens of other steps: under load
the end-to-end p95 was 2.7x the p95 of a bare parse (benchmarks/latency.py). Letting a
few messages in at a time, in arrival order, keeps the loop's queue short: the same
throughput, and each message finishes soon after it starts (p95 363 -> 182 ms, p99
420 -> 226 ms; the median rises, 105 -> 145 ms, as waiting is shared out evenly).
The per-conversation lock is taken first, so one conversation's messages keep their order.
A message that may describe an overdose in progress (`bot.emergency`) never waits: it
goes straight in.
"""

from __future__ import annotations

import asyncio
import weakref

from rasa.core.processor import MessageProcessor

from bot.config import max_concurrent_messages
from bot.emergency import looks_like_emergency
from rasa_server.patches import Patch

_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def _slots_for(loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore:
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(max_concurrent_messages())
    return _slots[loop]


async def handle_message_in_turn(self: MessageProcessor, message):
    handle_message = PATCH.original
    if looks_like_emergency(message.text or ""):
        return await handle_message(self, message)
    async with _slots_for(asyncio.get_running_loop()):
        return await handle_message(self, message)


PATCH = Patch("admission", MessageProcessor, "handle_message", handle_message_in_turn)
