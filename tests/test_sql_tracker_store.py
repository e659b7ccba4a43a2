"""Scaled mode's conversation store: real PostgreSQL, and a conversation past its time is gone from the table."""

from __future__ import annotations

import time

import pytest
from rasa.core.tracker_store import create_tracker_store
from rasa.shared.core.events import SlotSet
from rasa.utils.endpoints import read_endpoint_config
from sqlalchemy import create_engine, text

from bot.launcher import endpoints_file
from rasa_server.stores.sql_tracker_store import ExpiringSQLTrackerStore
from tests.conftest import new_postgres_database, run_async
from tests.test_tracker_store import DOMAIN, _tracker


@pytest.fixture
def tracker_db():
    with new_postgres_database() as url:
        yield url


def _rows(url: str, sender: str) -> int:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    finally:
        engine.dispose()


def _store(url: str, **kwargs) -> ExpiringSQLTrackerStore:
    store = ExpiringSQLTrackerStore(DOMAIN, host=url, **kwargs)
    store.stop_purging()  # these tests purge by hand, except the one about the thread
    return store


def test_a_conversation_comes_back_with_its_slots(tracker_db):
    store = _store(tracker_db)
    run_async(store.save(_tracker("a", state="TX")))
    again = run_async(store.retrieve("a"))
    assert again.get_slot("state") == "TX"
    again.update(SlotSet("state", "OH"))
    run_async(store.save(again))
    assert run_async(store.retrieve("a")).get_slot("state") == "OH"


def test_the_purge_deletes_idle_conversations_from_the_table_and_keeps_live_ones(tracker_db):
    store = _store(tracker_db, retention_minutes=1 / 60)  # one second
    run_async(store.save(_tracker("idle")))
    time.sleep(1.2)
    run_async(store.save(_tracker("live")))
    assert _rows(tracker_db, "idle") > 0
    assert store.purge() > 0
    assert _rows(tracker_db, "idle") == 0
    assert run_async(store.retrieve("live")).get_slot("state") == "OH"


def test_an_expired_conversation_asked_for_is_deleted_and_starts_afresh(tracker_db):
    store = _store(tracker_db, retention_minutes=1 / 60)
    run_async(store.save(_tracker("a")))
    time.sleep(1.2)
    assert run_async(store.retrieve("a")) is None
    assert _rows(tracker_db, "a") == 0


def test_the_purge_runs_on_its_own(tracker_db):
    store = ExpiringSQLTrackerStore(DOMAIN, host=tracker_db, retention_minutes=1 / 60, purge_every_seconds=0.3)
    try:
        run_async(store.save(_tracker("a")))
        deadline = time.monotonic() + 10
        while _rows(tracker_db, "a") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _rows(tracker_db, "a") == 0
    finally:
        store.stop_purging()


def test_nothing_but_the_events_is_stored(tracker_db):
    """No column beyond Rasa's event columns; the sender id is the channel's (SMS: a keyed hash)."""
    _store(tracker_db)
    engine = create_engine(tracker_db, future=True)
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        )
        columns = connection.execute(
            text("SELECT column_name FROM information_schema.columns WHERE table_name = 'events'")
        )
        assert ([t for (t,) in tables], {c for (c,) in columns}) == (
            ["events"],
            {"id", "sender_id", "type_name", "timestamp", "intent_name", "action_name", "data"},
        )
    engine.dispose()


def test_the_scaled_endpoints_file_selects_this_store(tracker_db, monkeypatch):
    monkeypatch.setenv("HRBOT_TRACKER_STORE_URL", tracker_db)
    monkeypatch.setenv("HRBOT_CONVERSATION_RETENTION_MINUTES", "15")
    endpoints = read_endpoint_config(str(endpoints_file(5055, scaled=True)), "tracker_store")
    store = create_tracker_store(endpoints, DOMAIN)
    inner = getattr(store, "_tracker_store", store)  # Rasa wraps it in a fail-safe store
    assert isinstance(inner, ExpiringSQLTrackerStore) and inner.retention_seconds == 15 * 60
    inner.stop_purging()
