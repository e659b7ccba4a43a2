"""The emergency reply a channel sends by itself, before the dialogue runs.

"Call 911 now." and the steps must reach the person even when the action server is down
or slow, the database is locked or gone, or the message is huge. The channels (in the
Rasa server) check each message with `bot.emergency` and send this reply first, from a
copy of the steps guide kept in memory: read from the database at start-up and again in
the background every few minutes (so staff edits arrive), from data/resources when the
database cannot be read, and as "Call 911 now." alone if neither can.
"""

from __future__ import annotations

import logging
import threading
import time

from bot.answers import EMERGENCY_GUIDE
from bot.db.engine import new_session
from bot.emergency import looks_like_emergency
from bot.emergency_conversation import guide_from_files, steps_answer
from bot.formatting import BotMessage, render
from bot.queries import GuideInfo, get_guide

logger = logging.getLogger(__name__)

REFRESH_SECONDS = 300
# The emergency check reads at most this much of a message (a longer one is cut, not skipped).
CHECKED_CHARACTERS = 4000


def guide_from_database() -> GuideInfo | None:
    with new_session() as session:
        return get_guide(session, EMERGENCY_GUIDE)


class EmergencyReply:
    """The steps kept in memory, refreshed in the background; never waits on I/O during a message."""

    def __init__(
        self,
        load=guide_from_database,
        fallback=guide_from_files,
        refresh_seconds: float = REFRESH_SECONDS,
        clock=time.monotonic,
    ) -> None:
        self._load, self._fallback = load, fallback
        self._refresh_seconds, self._clock = refresh_seconds, clock
        self._lock = threading.Lock()
        self._refreshing = False
        self._guide: GuideInfo | None = None
        self._loaded_at = float("-inf")
        self.refresh()

    def refresh(self) -> None:
        """Read the guide now (the database first, then the files); keep the last good copy on failure."""
        guide = None
        for source in (self._load, self._fallback):
            try:
                guide = source()
            except Exception as error:  # a locked or missing database must not stop the steps
                logger.warning("Emergency steps not read from %s: %s", source.__name__, type(error).__name__)
                continue
            if guide is not None:
                break
        with self._lock:
            if guide is not None:
                self._guide = guide
            self._loaded_at = self._clock()
            self._refreshing = False

    def guide(self) -> GuideInfo | None:
        """The steps guide now in memory; starts a background refresh when the copy is old."""
        with self._lock:
            stale = self._clock() - self._loaded_at > self._refresh_seconds and not self._refreshing
            if stale:
                self._refreshing = True
        if stale:
            threading.Thread(target=self.refresh, name="emergency-steps-refresh", daemon=True).start()
        return self._guide

    def first_reply(self, message: str, channel: str, language: str) -> list[BotMessage]:
        """Rasa-ready messages with "Call 911 now." and the steps if the message may be an emergency, else []."""
        if not looks_like_emergency(message[:CHECKED_CHARACTERS]):
            return []
        return render(steps_answer(self.guide(), language), channel)
