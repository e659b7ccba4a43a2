"""Conversations in PostgreSQL, shared by every Rasa replica, deleted after the same bounded time.

The tracker store of scaled mode (README, "Scaling out"): Rasa's own SQLTrackerStore, so a
replica can carry on a conversation another one started (or one that died mid-turn), with
the privacy bound of the one-machine store (`tracker_store.py`): a conversation idle for
`HRBOT_CONVERSATION_RETENTION_MINUTES` is deleted from the table, not only forgotten.

- A conversation asked for after its time is deleted then and there, and starts afresh.
- Every other expired conversation is deleted by a purge each replica runs on its own
  thread every `PURGE_EVERY_S`, so transcripts go even when no message comes in.

What is stored is Rasa's events: the message text, what the NLU made of it and the
dialogue's steps, under the channel's sender id: the SMS channel's keyed hash of the number,
the widget's random session id, the REST client's id. Channels attach no client metadata.
The database comes from `HRBOT_TRACKER_STORE_URL` (default `DATABASE_URL`), so the password
is in the environment, not in the generated endpoints file.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot import config

logger = logging.getLogger(__name__)

PURGE_EVERY_S = 60.0


class ExpiringSQLTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        retention_minutes: Optional[float] = None,
        purge_every_seconds: float = PURGE_EVERY_S,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, host=host or config.tracker_store_url(), event_broker=event_broker, **kwargs)
        minutes = config.conversation_retention_minutes() if retention_minutes is None else float(retention_minutes)
        self.retention_seconds = minutes * 60
        self._create_purge_indexes()
        self._stopped = threading.Event()
        threading.Thread(target=self._purge_periodically, args=(purge_every_seconds,), daemon=True).start()

    def _create_purge_indexes(self) -> None:
        """The purge looks for old events of conversations with no recent one: both by index."""
        try:
            with self.engine.begin() as connection:
                connection.execute(sa.text("CREATE INDEX IF NOT EXISTS events_timestamp ON events (timestamp)"))
                connection.execute(
                    sa.text("CREATE INDEX IF NOT EXISTS events_sender_id_timestamp ON events (sender_id, timestamp)")
                )
        except (sa.exc.ProgrammingError, sa.exc.IntegrityError) as error:  # replicas starting together
            logger.info("Another replica is creating the purge indexes: %s", type(error).__name__)

    def _cutoff(self) -> float:
        """Events are stamped with `time.time()` by whichever replica made them."""
        return time.time() - self.retention_seconds

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        if tracker is None or not tracker.events or (tracker.events[-1].timestamp or 0) >= self._cutoff():
            return tracker
        self._delete(self.SQLEvent.sender_id == sender_id)
        return None

    def purge(self) -> int:
        """Delete every conversation whose last event is older than the retention; return the rows deleted."""
        cutoff = self._cutoff()
        recent = sa.orm.aliased(self.SQLEvent)
        return self._delete(
            self.SQLEvent.timestamp < cutoff,
            ~sa.exists().where(recent.sender_id == self.SQLEvent.sender_id, recent.timestamp >= cutoff),
        )

    def _delete(self, *conditions: Any) -> int:
        with self.session_scope() as session:
            statement = sa.delete(self.SQLEvent).where(*conditions).execution_options(synchronize_session=False)
            deleted = session.execute(statement).rowcount
            session.commit()
        return deleted

    def _purge_periodically(self, every_seconds: float) -> None:
        while not self._stopped.wait(every_seconds):
            try:
                self.purge()
            except sa.exc.SQLAlchemyError as error:  # the database is away: try again next time
                logger.error("Purging expired conversations failed: %s", type(error).__name__)

    def stop_purging(self) -> None:
        """End the purge thread (a replica's ends with its process; tests end theirs)."""
        self._stopped.set()
