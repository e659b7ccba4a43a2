"""Conversations in memory, forgotten after a bounded time: the tracker store for one machine.

Users may be at legal risk, so a transcript must not outlive its use. Rasa's
InMemoryTrackerStore keeps every conversation until the server restarts; this one drops
a conversation once it has been idle for `HRBOT_CONVERSATION_RETENTION_MINUTES`
(default 60, Rasa's session length here, after which the bot starts afresh anyway) and
keeps at most `HRBOT_MAX_CONVERSATIONS`, dropping the longest idle first, so memory is
bounded too.

Events are kept pickled (this process's own objects, never outside input): a retrieve is
a copy the caller can change freely, without the JSON round trip and per-event class
lookup of Rasa's store, which took 8% of the server's time in benchmarks/latency.py.
Configured in endpoints.yml (`tracker_store: type: rasa_server.stores.tracker_store...`).
"""

from __future__ import annotations

import pickle
import time
from collections import OrderedDict
from typing import Any, Callable, Iterable, List, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, split_events
from rasa.shared.core.trackers import DialogueStateTracker

from bot import config


class ExpiringInMemoryTrackerStore(TrackerStore):
    def __init__(
        self,
        domain: Domain,
        event_broker: Optional[EventBroker] = None,
        retention_minutes: Optional[float] = None,
        max_conversations: Optional[int] = None,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("host", None)  # Rasa passes the endpoint URL; memory has none
        super().__init__(domain, event_broker, **kwargs)
        minutes = config.conversation_retention_minutes() if retention_minutes is None else float(retention_minutes)
        self.retention_seconds = minutes * 60
        self.max_conversations = config.max_conversations() if max_conversations is None else int(max_conversations)
        self._clock = clock
        self._store: OrderedDict[str, tuple[float, bytes]] = OrderedDict()  # least recently saved first

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        self._store[tracker.sender_id] = (self._clock(), pickle.dumps(list(tracker.events), pickle.HIGHEST_PROTOCOL))
        self._store.move_to_end(tracker.sender_id)
        self._forget_old()

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The latest conversation session only (events from its `action_session_start`)."""
        events = self._events(sender_id)
        if events is None:
            return None
        sessions = split_events(
            events, ActionExecuted, {"action_name": ACTION_SESSION_START_NAME}, include_splitting_event=True
        )
        # A conversation saved with no events yet (the HTTP API can do that) has no session.
        return self._tracker(sender_id, sessions[-1] if sessions else [])

    async def retrieve_full_tracker(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        events = self._events(sender_id)
        return None if events is None else self._tracker(sender_id, events)

    async def keys(self) -> Iterable[Text]:
        self._forget_old()
        return list(self._store)

    def _events(self, sender_id: Text) -> Optional[List[Event]]:
        self._forget_old()
        entry = self._store.get(sender_id)
        return None if entry is None else pickle.loads(entry[1])

    def _tracker(self, sender_id: Text, events: List[Event]) -> DialogueStateTracker:
        return DialogueStateTracker.from_events(sender_id, events, self.domain.slots, self.max_event_history)

    def _forget_old(self) -> None:
        cutoff = self._clock() - self.retention_seconds
        while self._store:
            oldest_id, (saved_at, _) = next(iter(self._store.items()))
            if saved_at > cutoff and len(self._store) <= self.max_conversations:
                return
            del self._store[oldest_id]
