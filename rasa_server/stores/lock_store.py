"""Conversation locks in Redis that hold when two Rasa replicas take messages of one conversation at once.

Rasa Open Source's RedisLockStore reads a conversation's lock, changes it in Python and
writes it back: two replicas doing that together issue the same ticket, or one deletes the
lock the other just joined ("Could not acquire lock"), and two messages of one conversation
run at once (RasaHQ/rasa#9213; the fixed store is in Rasa Pro only). Here each change of a
lock is one Redis transaction (WATCH, then MULTI/EXEC, retried when another replica changed
the lock in between), so tickets are issued and returned one at a time across replicas.

The load balancer already sends a conversation's messages to one replica (README, "Scaling
out"); this store makes that a matter of speed, not of correctness: after a replica dies,
or when a browser reconnects through another one, messages of a conversation still go one
at a time.

A ticket is a lease: it lasts `HRBOT_LOCK_SECONDS` (Rasa's last 60 s) and the replica holding
or waiting with it renews it while alive, so a slow turn keeps its conversation, and a
conversation whose replica died mid-turn is free again within those seconds, well within
the turn timeout of the channel whose message the load balancer sent to another replica.
"""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Callable, Optional, Text, TypeVar
from urllib.parse import unquote, urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot import config

Result = TypeVar("Result")


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, url: Optional[str] = None) -> None:
        """Rasa passes the endpoint config of `lock_store:`; the Redis URL comes from `HRBOT_LOCK_STORE_URL`."""
        parts = urlsplit(url or config.lock_store_url())
        if parts.scheme not in ("redis", "rediss") or not parts.hostname:
            raise ValueError("HRBOT_LOCK_STORE_URL must look like redis://host:6379/1")
        super().__init__(
            host=parts.hostname,
            port=parts.port or 6379,
            db=int(parts.path.strip("/") or 0),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_ssl=parts.scheme == "rediss",
        )
        self.lifetime_seconds = config.lock_seconds()

    def _change(self, conversation_id: Text, change: Callable[[TicketLock], Result]) -> Result:
        """Apply `change` to the stored lock (a new one if none) in one transaction; save it, or delete it when empty."""
        key = self.key_prefix + conversation_id

        def transaction(pipe) -> Result:
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else TicketLock(conversation_id)
            result = change(lock)
            pipe.multi()
            if lock.tickets:
                pipe.set(key, lock.dumps())
            else:
                pipe.delete(key)
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    @asynccontextmanager
    async def lock(
        self, conversation_id: Text, lock_lifetime: float = 0, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        """Rasa's ticket lock, with the ticket renewed from the moment it is issued until it is returned."""
        ticket = self.issue_ticket(conversation_id)
        renewal = asyncio.ensure_future(self._renew(conversation_id, ticket))
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            renewal.cancel()
            self.cleanup(conversation_id, ticket)

    async def _renew(self, conversation_id: Text, number: int) -> None:
        def extend(lock: TicketLock) -> None:
            for ticket in lock.tickets:
                if ticket.number == number:
                    ticket.expires = time.time() + self.lifetime_seconds

        while True:
            await asyncio.sleep(self.lifetime_seconds / 3)
            self._change(conversation_id, extend)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = 0) -> int:
        """A ticket lasting `HRBOT_LOCK_SECONDS`, whatever lifetime Rasa asks for."""
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(self.lifetime_seconds))
        except Exception as error:  # as Rasa's: the message then fails, and the channel says so
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Return the ticket, and delete the lock only if no one took a ticket meanwhile."""
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))
