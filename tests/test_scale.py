"""Scaled mode on loopback: 2 Rasa replicas and 2 action servers behind HAProxy, conversations in
PostgreSQL, locks in Redis; a replica killed mid-conversation loses no conversation and no message.

Slow (it starts the bot twice over); skipped with the reason when the model, PostgreSQL,
Redis or HAProxy is missing (`make test` provides all four on a Debian machine).
"""

from __future__ import annotations

import shutil
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bot.launcher import scaled_services, start, stop
from tests.conftest import DATA_DIR, PROJECT_ROOT, _free_port, new_postgres_database, start_or_fail
from tests.test_lock_store import REDIS_URL, _redis_up

CONVERSATIONS = 50
# Each conversation: a topic (the bot asks the state), the state, then another topic, answered for that state.
STATES = [("ohio", "OH", "Ohio"), ("texas", "TX", "Texas"), ("oregon", "OR", "Oregon"), ("florida", "FL", "Florida")]
SCRIPT = ["narcan?", "{state}", "what about test strips"]
UNAVAILABLE = "Sorry, I can't answer right now."


@pytest.fixture(scope="module")
def scaled_bot(tmp_path_factory):
    from bot.dataset.importer import import_dataset
    from bot.dataset.validate import load_dataset
    from bot.db.engine import get_engine, new_session
    from bot.db.migrate import upgrade

    if not any((PROJECT_ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/: run `make test`, which trains one")
    if not _redis_up():
        pytest.skip(f"Redis not reachable at {REDIS_URL or '(TEST_REDIS_URL empty)'}")
    if shutil.which("haproxy") is None:
        pytest.skip("HAProxy not installed: scripts/ensure-haproxy installs it")
    with new_postgres_database() as database_url:  # the resources, and (by default) the conversations
        upgrade(database_url)
        with new_session(database_url) as session, session.begin():
            import_dataset(session, load_dataset(DATA_DIR), actor="test")
        get_engine(database_url).dispose()
        workdir = tmp_path_factory.mktemp("scaled")
        rasa_ports, action_ports = [_free_port(), _free_port()], [_free_port(), _free_port()]
        public_port, token = _free_port(), uuid.uuid4().hex
        services = scaled_services(
            rasa_ports,
            action_ports,
            public_port=public_port,
            actions_port=_free_port(),
            token=token,
            env={"DATABASE_URL": database_url, "HRBOT_LOCK_STORE_URL": REDIS_URL},
        )
        start_or_fail(services, workdir / "logs", "scaled bot")
        try:
            yield {
                "url": f"http://127.0.0.1:{public_port}",
                "replicas": [f"http://127.0.0.1:{port}" for port in rasa_ports],
                "token": token,
                "services": services,
            }
        finally:
            stop(services)


def _service(bot, name):
    return next(service for service in bot["services"] if service.name == name)


def say(url: str, sender: str, message: str) -> list[dict]:
    reply = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60)
    reply.raise_for_status()
    return reply.json()


def tracker(bot, replica: str, sender: str) -> dict:
    reply = requests.get(f"{replica}/conversations/{sender}/tracker", params={"token": bot["token"]}, timeout=30)
    reply.raise_for_status()
    return reply.json()


def test_the_public_side_passes_the_channels_and_refuses_the_http_api(scaled_bot):
    url, token = scaled_bot["url"], scaled_bot["token"]
    assert requests.get(f"{url}/", timeout=10).ok
    assert say(url, uuid.uuid4().hex, "hi")
    for path in ("/status", "/model", "/conversations/x/tracker", "/version", "/webhooksx"):
        assert requests.get(f"{url}{path}", params={"token": token}, timeout=10).status_code == 403, path
    assert (
        requests.post(f"{url}/model/parse", params={"token": token}, json={"text": "hi"}, timeout=10).status_code == 403
    )


def test_messages_of_one_conversation_sent_to_both_replicas_at_once_take_turns(scaled_bot):
    sender, replicas = uuid.uuid4().hex, scaled_bot["replicas"]
    messages = ["hi", "narcan?", "thank you", "hi", "bye", "thank you"]
    with ThreadPoolExecutor(len(messages)) as pool:
        replies = list(pool.map(lambda n: say(replicas[n % 2], sender, messages[n]), range(len(messages))))
    assert all(replies) and not any(UNAVAILABLE in r[0]["text"] for r in replies)
    events = [e for e in tracker(scaled_bot, replicas[0], sender)["events"] if e["event"] in ("user", "action")]
    users = [n for n, e in enumerate(events) if e["event"] == "user"]
    assert len(users) == len(messages)
    # One turn at a time: every message came while the bot was listening, none in the middle of another's turn.
    assert all(events[n - 1].get("name") == "action_listen" for n in users)


def test_a_replica_killed_mid_conversation_loses_no_conversation_and_no_message(scaled_bot):
    url = scaled_bot["url"]
    senders = [uuid.uuid4().hex for _ in range(CONVERSATIONS)]
    replies: dict[str, list[list[dict]]] = {sender: [] for sender in senders}
    answered = [0]
    counter = threading.Lock()

    def converse(n: int) -> None:
        sender, (state, _, _) = senders[n], STATES[n % len(STATES)]
        for line in SCRIPT:
            replies[sender].append(say(url, sender, line.format(state=state)))
            with counter:
                answered[0] += 1

    victim = _service(scaled_bot, f"Rasa server {scaled_bot['replicas'][0].rsplit(':', 1)[1]}").started
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        done = [pool.submit(converse, n) for n in range(CONVERSATIONS)]
        deadline = time.monotonic() + 120
        while answered[0] < CONVERSATIONS * len(SCRIPT) // 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        victim.kill()
        killed_after = answered[0]
        for future in done:
            future.result(timeout=180)
    assert 0 < killed_after < CONVERSATIONS * len(SCRIPT)
    assert sum(len(turns) for turns in replies.values()) == CONVERSATIONS * len(SCRIPT)
    survivor = scaled_bot["replicas"][1]
    for n, sender in enumerate(senders):
        _, code, name = STATES[n % len(STATES)]
        texts = [" ".join(message.get("text", "") for message in turn) for turn in replies[sender]]
        assert all(texts) and not any(UNAVAILABLE in text for text in texts), (sender, texts)
        assert name in texts[-1], texts
        slots = tracker(scaled_bot, survivor, sender)["slots"]
        assert (slots["state"], slots["topic"]) == (code, "test_strips"), (sender, slots, texts)


def test_with_the_action_servers_down_the_user_hears_try_again_and_it_recovers_without_a_restart(scaled_bot):
    url, sender = scaled_bot["url"], uuid.uuid4().hex
    action_servers = [service for service in scaled_bot["services"] if service.name.startswith("action server")]
    action_servers[0].started.kill()
    assert "Ohio" in " ".join(m.get("text", "") for m in say(url, sender, "narcan in ohio"))  # the other one answers
    action_servers[1].started.kill()
    time.sleep(2.5)  # HAProxy's health checks see both down
    down = say(url, sender, "what about test strips")
    assert down[0]["text"].startswith(UNAVAILABLE) and "911" in down[0]["text"]
    start(action_servers)  # the Rasa replicas are not restarted
    time.sleep(2.5)  # and HAProxy sees them back
    back = " ".join(m.get("text", "") for m in say(url, sender, "what about test strips"))
    assert "Ohio" in back and UNAVAILABLE not in back
