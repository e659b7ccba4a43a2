"""How long the emergency check and a whole turn take on long messages (1 KB, 10 KB, 100 KB).

The check itself runs in this process on the adversarial texts that once went quadratic
(tests/test_emergency.py); the turn goes over REST to a running bot (which reads at most
HRBOT_MAX_MESSAGE_CHARS and answers longer messages with a short note). Medians of 5 runs.

    .venv/bin/python benchmarks/emergency_check.py [--no-bot]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

import requests
from running_bot import running_bot  # noqa: E402  (benchmarks/ is on the path when run as a script)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.emergency import looks_like_emergency  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
PIECES = ("narcan ohio ", "passed out ", "signs ", "died ", "help ", "breathing ")
RUNS = 5


def text_of(size: int, piece: str) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def median_ms(work) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-bot", action="store_true", help="time the check only")
    args = parser.parse_args()
    print("emergency check (bot/emergency.py), median of 5, worst of the adversarial texts:")
    for size in SIZES:
        texts = [text_of(size, piece) for piece in PIECES]
        worst = max(median_ms(lambda text=text: looks_like_emergency(text)) for text in texts)
        print(f"  {size // 1000:>4} KB   {worst:8.2f} ms")
    if args.no_bot:
        return
    with running_bot() as (url, _):

        def turn(text: str) -> None:
            reply = requests.post(
                f"{url}/webhooks/rest/webhook", json={"sender": uuid.uuid4().hex, "message": text}, timeout=120
            )
            reply.raise_for_status()

        turn("hello")  # warm up
        print("whole turn over REST (an emergency first line, then the rest), median of 5:")
        for size in SIZES:
            message = "my friend isnt breathing " + text_of(size, "narcan ohio ")
            ms = median_ms(lambda message=message: turn(message))
            print(f"  {size // 1000:>4} KB   {ms:8.1f} ms")


if __name__ == "__main__":
    main()
