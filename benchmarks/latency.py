"""End-to-end latency over the REST channel versus a bare /model/parse of the same messages.

Starts the bot (Rasa server + action server, database built from data/resources) on
free ports, runs many concurrent conversations with a realistic mix of messages, then
sends the same messages to /model/parse with the same concurrency. Prints p50/p95/p99
and messages per second for both, and the ratio of the p95s (target <= 1.5 at 20
concurrent conversations). The two phases alternate for --rounds rounds against the same
servers; each figure is the median over the rounds (this machine is noisy), and the
ratio is that of the median p95s, with each round's own ratio shown too.

    .venv/bin/python benchmarks/latency.py [--concurrency 20] [--conversations 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from running_bot import running_bot  # noqa: E402  (benchmarks/ is on the path when run as a script)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


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
            response = http.post(
                f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120
            )
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


def figures(timings: list[float], seconds: float) -> dict[str, float]:
    return {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "p99": percentile(timings, 0.99),
        "rate": len(timings) / seconds,
    }


def report(name: str, rounds: list[dict[str, float]], messages: int) -> None:
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    print(
        f"{name:<22} p50 {median['p50']:7.1f} ms   p95 {median['p95']:7.1f} ms   "
        f"p99 {median['p99']:7.1f} ms   {median['rate']:6.1f} msg/s   ({messages} messages a round)"
    )


def timed(pool: ThreadPoolExecutor, work, items) -> dict[str, float]:
    started = time.perf_counter()
    timings = [t for ts in pool.map(work, items) for t in ts]
    return figures(timings, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    rng = random.Random(7)
    scripts = [rng.choice(SCRIPTS) for _ in range(args.conversations)]
    messages = [m for s in scripts for m in s]
    batches = [messages[i :: args.concurrency] for i in range(args.concurrency)]
    e2e, parse = [], []
    with running_bot() as (url, token):
        run_conversation(url, SCRIPTS[0])  # warm up (model, database, connections)
        with ThreadPoolExecutor(args.concurrency) as pool:
            for _ in range(args.rounds):
                e2e.append(timed(pool, lambda s: run_conversation(url, s), scripts))
                parse.append(timed(pool, lambda b: parse_batch(url, token, b), batches))
    print(
        f"{args.conversations} conversations, {args.concurrency} at a time, one machine, "
        f"median of {args.rounds} rounds:"
    )
    report("end to end (REST)", e2e, len(messages))
    report("bare /model/parse", parse, len(messages))
    ratio = statistics.median(r["p95"] for r in e2e) / statistics.median(r["p95"] for r in parse)
    each = ", ".join(f"{a['p95'] / b['p95']:.2f}" for a, b in zip(e2e, parse))
    print(f"p95 ratio end-to-end / parse: {ratio:.2f}   (target <= 1.5; each round: {each})")


if __name__ == "__main__":
    main()
