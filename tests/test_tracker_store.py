"""The conversation store keeps transcripts only as long as configured, and hands out copies."""

from __future__ import annotations

import pytest
from rasa.core.tracker_store import create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot import config
from rasa_server.stores.tracker_store import ExpiringInMemoryTrackerStore
from tests.conftest import PROJECT_ROOT, run_async

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _store(clock, retention_minutes=60, max_conversations=100) -> ExpiringInMemoryTrackerStore:
    return ExpiringInMemoryTrackerStore(
        DOMAIN, retention_minutes=retention_minutes, max_conversations=max_conversations, clock=clock
    )


def _tracker(sender: str, state: str = "OH", sessions: int = 1) -> DialogueStateTracker:
    events = []
    for _ in range(sessions):
        events += [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    events += [
        UserUttered("is narcan free in ohio", {"name": "ask_naloxone", "confidence": 1.0}),
        SlotSet("state", state),
        ActionExecuted("action_answer_topic"),
        ActionExecuted("action_listen"),
    ]
    return DialogueStateTracker.from_events(sender, events, DOMAIN.slots)


def test_saved_conversation_comes_back_with_its_events_and_slots():
    store = _store(FakeClock())
    original = _tracker("a")
    run_async(store.save(original))
    again = run_async(store.retrieve("a"))
    assert again.get_slot("state") == "OH"
    assert [e.as_dict() for e in again.events] == [e.as_dict() for e in original.events]
    assert run_async(store.retrieve("nobody")) is None


def test_retrieve_gives_a_copy():
    store = _store(FakeClock())
    run_async(store.save(_tracker("a")))
    copy = run_async(store.retrieve("a"))
    copy.update(SlotSet("state", "TX"))
    assert run_async(store.retrieve("a")).get_slot("state") == "OH"


def test_idle_conversation_is_forgotten_after_the_retention_time():
    clock = FakeClock()
    store = _store(clock, retention_minutes=30)
    run_async(store.save(_tracker("old")))
    clock.now += 20 * 60
    run_async(store.save(_tracker("recent")))
    clock.now += 11 * 60  # "old" idle 31 minutes, "recent" 11
    assert run_async(store.retrieve("old")) is None
    assert run_async(store.retrieve("recent")) is not None
    assert list(run_async(store.keys())) == ["recent"]


def test_new_activity_keeps_a_conversation():
    clock = FakeClock()
    store = _store(clock, retention_minutes=30)
    run_async(store.save(_tracker("a")))
    clock.now += 25 * 60
    run_async(store.save(run_async(store.retrieve("a"))))
    clock.now += 25 * 60
    assert run_async(store.retrieve("a")) is not None


def test_memory_is_bounded_by_dropping_the_longest_idle():
    clock = FakeClock()
    store = _store(clock, max_conversations=2)
    for sender in ["a", "b", "c"]:
        run_async(store.save(_tracker(sender)))
        clock.now += 1
    assert sorted(run_async(store.keys())) == ["b", "c"]


def test_retrieve_returns_the_last_session_and_full_retrieve_all():
    store = _store(FakeClock())
    run_async(store.save(_tracker("a", sessions=2)))
    last = run_async(store.retrieve("a"))
    full = run_async(store.retrieve_full_tracker("a"))
    count = lambda tracker: sum(isinstance(e, SessionStarted) for e in tracker.events)  # noqa: E731
    assert (count(last), count(full)) == (1, 2)


def test_endpoints_file_selects_this_store(monkeypatch):
    monkeypatch.setenv("HRBOT_CONVERSATION_RETENTION_MINUTES", "15")
    store = create_tracker_store(read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "tracker_store"), DOMAIN)
    assert isinstance(store, ExpiringInMemoryTrackerStore)
    assert store.retention_seconds == 15 * 60


@pytest.mark.parametrize("value", ["0", "-5", "soon"])
def test_bad_retention_setting_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("HRBOT_CONVERSATION_RETENTION_MINUTES", value)
    with pytest.raises(ValueError, match="HRBOT_CONVERSATION_RETENTION_MINUTES must be a positive number"):
        config.conversation_retention_minutes()


def test_defaults(monkeypatch):
    monkeypatch.delenv("HRBOT_CONVERSATION_RETENTION_MINUTES", raising=False)
    monkeypatch.delenv("HRBOT_MAX_CONVERSATIONS", raising=False)
    assert (config.conversation_retention_minutes(), config.max_conversations()) == (60, 50_000)
