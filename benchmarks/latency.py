"""End-to-end latency over the REST channel versus a bare /model/parse of the same messages.

Starts the bot (Rasa server + action server, database built from data/resources) on
free ports, runs many concurrent conversations with a realistic mix of messages, then
sends the same messages to /model/parse with the same concurrency. Prints p50/p95/p99
and messages per second for both, and the ratio of the p95s (target <= 1.5 at 20
concurrent conversations).

    .venv/bin/python benchmarks/latency.py [--concurrency 20] [--conversations 100]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import DEFAULT_DATA_DIR  # noqa: E402
from bot.db.engine import new_session  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.dataset.importer import import_dataset  # noqa: E402
from bot.dataset.validate import load_dataset  # noqa: E402
from bot.launcher import bot_services, start, stop  # noqa: E402
from tests.conftest import _free_port  # noqa: E402

# Conversations shaped like real ones: a topic, a state, a switch, a how-to, thanks.
SCRIPTS = [
    ["hi", "is narcan free in ohio", "what about jersey?", "how do i use it", "thanks"],
    ["strips?", "tx", "how do you read a test strip", "ok thanks"],
    ["will i get arrested if i call 911 for an od in philly", "what about probation", "bye"],
    ["how do i get on methadone", "43215", "is there a hotline"],
    ["can i get subs in chicago", "what about bupe telehealth", "thank u"],
    ["my friend is not breathing", "we are in georgia"],
    ["fent test strips legal in washington?", "where can i get narcan", "signs of an overdose"],
    ["whats the weather", "what can you do", "narcan in NYC"],
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_conversation(url: str, script: list[str]) -> list[float]:
    sender = uuid.uuid4().hex
    timings = []
    with requests.Session() as http:
        for message in script:
            started = time.perf_counter()
            response = http.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120)
            response.raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def parse_batch(url: str, token: str, messages: list[str]) -> list[float]:
    timings = []
    with requests.Session() as http:
        for message in messages:
            started = time.perf_counter()
            response = http.post(f"{url}/model/parse", params={"token": token}, json={"text": message}, timeout=120)
            response.raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def report(name: str, timings: list[float], seconds: float) -> None:
    print(f"{name:<22} p50 {statistics.median(timings):7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms   "
          f"p99 {percentile(timings, 0.99):7.1f} ms   {len(timings) / seconds:6.1f} msg/s   ({len(timings)} messages)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--conversations", type=int, default=100)
    args = parser.parse_args()

    rng = random.Random(7)
    scripts = [rng.choice(SCRIPTS) for _ in range(args.conversations)]
    with tempfile.TemporaryDirectory() as tmp:
        url_db = f"sqlite:///{Path(tmp) / 'bot.db'}"
        upgrade(url_db)
        with new_session(url_db) as session, session.begin():
            import_dataset(session, load_dataset(DEFAULT_DATA_DIR), actor="benchmark")
        rasa_port, action_port, token = _free_port(), _free_port(), uuid.uuid4().hex
        services = bot_services(rasa_port=rasa_port, action_port=action_port, token=token, env={"DATABASE_URL": url_db})
        try:
            start(services, log_dir=Path(tmp) / "logs")
            url = f"http://127.0.0.1:{rasa_port}"
            run_conversation(url, SCRIPTS[0])  # warm up (model, database, connections)
            with ThreadPoolExecutor(args.concurrency) as pool:
                started = time.perf_counter()
                e2e = [t for ts in pool.map(lambda s: run_conversation(url, s), scripts) for t in ts]
                e2e_seconds = time.perf_counter() - started
            messages = [m for s in scripts for m in s]
            batches = [messages[i::args.concurrency] for i in range(args.concurrency)]
            with ThreadPoolExecutor(args.concurrency) as pool:
                started = time.perf_counter()
                parse = [t for ts in pool.map(lambda b: parse_batch(url, token, b), batches) for t in ts]
                parse_seconds = time.perf_counter() - started
        finally:
            stop(services)
    print(f"{args.conversations} conversations, {args.concurrency} at a time, one machine:")
    report("end to end (REST)", e2e, e2e_seconds)
    report("bare /model/parse", parse, parse_seconds)
    print(f"p95 ratio end-to-end / parse: {percentile(e2e, 0.95) / percentile(parse, 0.95):.2f}   (target <= 1.5)")


if __name__ == "__main__":
    main()
