"""Scaled mode's conversation locks, on real Redis: two replicas never work on one conversation at once."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid

import pytest
import redis
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import read_endpoint_config

from bot import config
from bot.launcher import endpoints_file
from rasa_server.stores.lock_store import AtomicRedisLockStore
from tests.conftest import run_async

REDIS_URL = config.redis_url_for_tests()


def _redis_up() -> bool:
    try:
        return bool(REDIS_URL) and bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_up(), reason=f"Redis not reachable at {REDIS_URL or '(TEST_REDIS_URL empty)'}"
)


def test_tickets_issued_by_two_replicas_at_once_are_all_different():
    replicas = [AtomicRedisLockStore(url=REDIS_URL), AtomicRedisLockStore(url=REDIS_URL)]
    conversation = uuid.uuid4().hex
    tickets: list[int] = []
    start = threading.Barrier(8)

    def take(store):
        start.wait()
        for _ in range(25):
            tickets.append(store.issue_ticket(conversation))

    threads = [threading.Thread(target=take, args=(replicas[n % 2],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == list(range(200))
    replicas[0].red.delete(replicas[0].key_prefix + conversation)


def test_messages_of_one_conversation_on_two_replicas_run_one_at_a_time_and_none_fails():
    conversation = uuid.uuid4().hex
    inside, most_inside, done = [0], [0], []
    guard = threading.Lock()

    async def message(store, n):
        async with store.lock(conversation, wait_time_in_seconds=0.005):
            with guard:
                inside[0] += 1
                most_inside[0] = max(most_inside[0], inside[0])
            await asyncio.sleep(0.002)
            with guard:
                inside[0] -= 1
                done.append(n)

    async def replica(offset):
        store = AtomicRedisLockStore(url=REDIS_URL)
        await asyncio.gather(*(message(store, offset + n) for n in range(30)))

    threads = [threading.Thread(target=asyncio.run, args=(replica(offset),)) for offset in (0, 100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert most_inside[0] == 1
    assert sorted(done) == [*range(30), *range(100, 130)]
    assert AtomicRedisLockStore(url=REDIS_URL).get_lock(conversation) is None  # cleaned up


def test_a_ticket_lasts_the_configured_seconds_not_rasas_minute(monkeypatch):
    monkeypatch.setenv("HRBOT_LOCK_SECONDS", "2")
    store = AtomicRedisLockStore(url=REDIS_URL)
    conversation = uuid.uuid4().hex
    store.issue_ticket(conversation, lock_lifetime=60)
    expires = store.get_lock(conversation).tickets[0].expires
    assert 1 < expires - time.time() <= 2
    store.cleanup(conversation, 0)
    assert store.get_lock(conversation) is None


def test_a_slow_turn_keeps_its_conversation_and_a_dead_replicas_hold_lapses(monkeypatch):
    monkeypatch.setenv("HRBOT_LOCK_SECONDS", "0.6")
    store, conversation = AtomicRedisLockStore(url=REDIS_URL), uuid.uuid4().hex
    order = []

    async def turn(name, seconds):
        async with store.lock(conversation, wait_time_in_seconds=0.05):
            order.append(f"{name} in")
            await asyncio.sleep(seconds)
            order.append(f"{name} out")

    async def two_turns():
        slow = asyncio.ensure_future(turn("slow", 1.5))  # 2.5 leases, renewed
        await asyncio.sleep(0.1)
        await asyncio.gather(slow, turn("next", 0))

    run_async(two_turns())
    assert order == ["slow in", "slow out", "next in", "next out"]
    store.issue_ticket(conversation)  # a replica that took the conversation, then died
    started = time.monotonic()
    run_async(turn("after", 0))
    assert 0.4 < time.monotonic() - started < 2


@pytest.mark.parametrize("url", ["", "http://127.0.0.1:6379", "redis://"])
def test_a_bad_url_is_a_clear_error(monkeypatch, url):
    monkeypatch.setenv("HRBOT_LOCK_STORE_URL", url or "nonsense")
    with pytest.raises(ValueError, match="HRBOT_LOCK_STORE_URL must look like redis://"):
        AtomicRedisLockStore(url=url or None)


def test_the_scaled_endpoints_file_selects_this_store(monkeypatch):
    monkeypatch.setenv("HRBOT_LOCK_STORE_URL", REDIS_URL)
    store = LockStore.create(read_endpoint_config(str(endpoints_file(5055, scaled=True)), "lock_store"))
    assert isinstance(store, AtomicRedisLockStore)
    assert store.red.connection_pool.connection_kwargs["db"] == int(REDIS_URL.rsplit("/", 1)[1])
