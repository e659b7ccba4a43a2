"""Scaled mode: messages per second and p95 with 2 Rasa replicas and then 1, and the cost of PostgreSQL conversations.

In one run, over one PostgreSQL resource database built from data/resources:
1. the one-machine bot (conversations in memory, no load balancer);
2. scaled mode (`bot.launcher.scaled_services`: HAProxy, conversations in PostgreSQL, locks
   in Redis, 2 action servers) with 2 Rasa replicas, then with one of them stopped (HAProxy
   sends everything to the other);
each under the same concurrent conversations (latency.py's scripts), and the ratio 2 : 1.
Then the tracker store alone, in this process: a retrieve and a save per message, for
--concurrency conversations at once, in memory and in PostgreSQL.
No timed assertions; figures depend on the machine (count its cores: the replicas share them).

    .venv/bin/python benchmarks/scale.py [--concurrency 20] [--conversations 60]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from latency import SCRIPTS, percentile, run_conversation  # noqa: E402  (benchmarks/ is on the path)
from running_bot import running_bot  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import DEFAULT_DATA_DIR  # noqa: E402
from bot.dataset.importer import import_dataset  # noqa: E402
from bot.dataset.validate import load_dataset  # noqa: E402
from bot.db.engine import get_engine, new_session  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.launcher import scaled_services, start, stop  # noqa: E402
from tests.conftest import POSTGRES_UP, _free_port, new_postgres_database  # noqa: E402
from tests.test_lock_store import REDIS_URL, _redis_up  # noqa: E402


def load(url: str, concurrency: int, conversations: int) -> dict[str, float]:
    scripts = [SCRIPTS[n % len(SCRIPTS)] for n in range(conversations)]
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        timings = [t for ts in pool.map(lambda script: run_conversation(url, script), scripts) for t in ts]
    seconds = time.perf_counter() - started
    return {"rate": len(timings) / seconds, "p50": statistics.median(timings), "p95": percentile(timings, 0.95)}


def show(name: str, figures: dict[str, float]) -> None:
    print(
        f"{name:<34} {figures['rate']:6.1f} msg/s   p50 {figures['p50']:7.1f} ms   p95 {figures['p95']:7.1f} ms",
        flush=True,
    )


def scaled_figures(database_url: str, concurrency: int, conversations: int) -> tuple[dict, dict]:
    rasa_ports = [_free_port(), _free_port()]
    public_port = _free_port()
    services = scaled_services(
        rasa_ports,
        [_free_port(), _free_port()],
        public_port=public_port,
        actions_port=_free_port(),
        token=uuid.uuid4().hex,
        env={"DATABASE_URL": database_url, "HRBOT_LOCK_STORE_URL": REDIS_URL},
    )
    url = f"http://127.0.0.1:{public_port}"
    try:
        start(services, log_dir=Path(tempfile.mkdtemp(prefix="hrbot-scale-")))
        load(url, concurrency, len(SCRIPTS))  # warm-up
        two = load(url, concurrency, conversations)
        next(s for s in services if s.name == f"Rasa server {rasa_ports[1]}").started.terminate()
        time.sleep(3)  # HAProxy's health checks take it out
        requests.get(url, timeout=10).raise_for_status()
        one = load(url, concurrency, conversations)
    finally:
        stop(services)
    return two, one


async def store_round_trips(store, domain, concurrency: int, messages: int) -> list[float]:
    """Milliseconds per retrieve + save of a growing conversation, `concurrency` conversations interleaved."""
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    senders = [uuid.uuid4().hex for _ in range(concurrency)]
    for sender in senders:
        await store.save(DialogueStateTracker.from_events(sender, [ActionExecuted("action_listen")], domain.slots))
    timings = []
    for _ in range(messages // concurrency):
        for sender in senders:
            started = time.perf_counter()
            tracker = await store.retrieve(sender)
            for event in (
                UserUttered("is narcan free in ohio", {"name": "ask_naloxone", "confidence": 1.0}),
                SlotSet("state", "OH"),
                ActionExecuted("action_answer_topic"),
                ActionExecuted("action_listen"),
            ):
                tracker.update(event)
            await store.save(tracker)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def tracker_store_figures(database_url: str, concurrency: int) -> None:
    from rasa.shared.core.domain import Domain

    from rasa_server.stores.sql_tracker_store import ExpiringSQLTrackerStore
    from rasa_server.stores.tracker_store import ExpiringInMemoryTrackerStore

    domain = Domain.load(str(ROOT / "domain.yml"))
    postgres = ExpiringSQLTrackerStore(domain, host=database_url)
    postgres.stop_purging()
    for name, store in (("in memory", ExpiringInMemoryTrackerStore(domain)), ("PostgreSQL", postgres)):
        timings = asyncio.run(store_round_trips(store, domain, concurrency, 400))
        print(
            f"tracker store {name:<20} p50 {statistics.median(timings):6.2f} ms   "
            f"p95 {percentile(timings, 0.95):6.2f} ms per message (retrieve + save, {len(timings)} messages)"
        )
    postgres.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--conversations", type=int, default=60)
    args = parser.parse_args()
    if not (POSTGRES_UP and _redis_up()):
        sys.exit("scaled mode needs PostgreSQL (TEST_POSTGRES_URL) and Redis (TEST_REDIS_URL) reachable")
    with new_postgres_database() as database_url:
        upgrade(database_url)
        with new_session(database_url) as session, session.begin():
            import_dataset(session, load_dataset(DEFAULT_DATA_DIR), actor="benchmark")
        get_engine(database_url).dispose()
        print(f"{args.concurrency} concurrent conversations, {args.conversations} conversations a measurement\n")
        with running_bot(env={"DATABASE_URL": database_url}) as (url, _token):
            load(url, args.concurrency, len(SCRIPTS))  # warm-up
            memory = load(url, args.concurrency, args.conversations)
        show("one machine (in memory, no LB)", memory)
        two, one = scaled_figures(database_url, args.concurrency, args.conversations)
        show("scaled, 1 Rasa replica", one)
        show("scaled, 2 Rasa replicas", two)
        print(
            f"\n2 replicas : 1 replica   throughput x{two['rate'] / one['rate']:.2f}   p95 x{two['p95'] / one['p95']:.2f}"
        )
        print(
            f"scaled 1 replica : one machine   throughput x{one['rate'] / memory['rate']:.2f}   "
            f"p95 x{one['p95'] / memory['p95']:.2f}\n"
        )
        tracker_store_figures(database_url, args.concurrency)


if __name__ == "__main__":
    main()
