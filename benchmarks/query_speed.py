"""How long the database lookups for one message take, on SQLite with the full data set.

Builds a fresh SQLite database from data/resources plus a synthetic directory of local
sites (to stand in for a full treatment-program import), then times the lookups one
answer makes: profile + state resources + national resources + nearest sites by ZIP.
Prints the median and p95 per message. Target: well under 5 ms.

    .venv/bin/python benchmarks/query_speed.py [--sites 20000] [--messages 2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from bot.config import DEFAULT_DATA_DIR
from bot.dataset.importer import import_dataset
from bot.dataset.schema import TOPICS
from bot.dataset.validate import load_dataset
from bot.db.engine import new_session
from bot.db.migrate import upgrade
from bot.db.models import Resource
from bot.geo import _zip_index, warm_up
from bot.jurisdictions import JURISDICTIONS
from bot.queries import get_profile, national_resources, nearest_resources, state_resources


def build(url: str, sites: int) -> None:
    upgrade(url)
    with new_session(url) as session, session.begin():
        import_dataset(session, load_dataset(DEFAULT_DATA_DIR), actor="benchmark")
        places = random.Random(1).sample(list(_zip_index().values()), sites)
        session.execute(
            insert(Resource),
            [
                {
                    "key": f"bench-site-{n}",
                    "kind": "opioid_treatment_program",
                    "name": f"Benchmark site {n}",
                    "description": "Synthetic site for timing only.",
                    "national": False,
                    "state": place.state,
                    "zip": place.zip,
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                    "languages": [],
                    "last_verified": __import__("datetime").date(2026, 1, 1),
                }
                for n, place in enumerate(places)
            ],
        )


def one_message(session, state: str, topic: str, zip_code: str) -> None:
    get_profile(session, state, topic)
    state_resources(session, state, ("naloxone_distribution", "naloxone_mail"))
    national_resources(session, ("naloxone_mail",))
    nearest_resources(session, zip_code, ("opioid_treatment_program",), limit=3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=20000, help="synthetic local sites to add")
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        build(url, args.sites)
        rng = random.Random(2)
        zips = [z for z in _zip_index()]
        timings = []
        with new_session(url) as session:
            for _ in range(args.messages):
                state, topic, zip_code = rng.choice(sorted(JURISDICTIONS)), rng.choice(TOPICS), rng.choice(zips)
                start = time.perf_counter()
                one_message(session, state, topic, zip_code)
                timings.append((time.perf_counter() - start) * 1000)
                session.expunge_all()
    timings.sort()
    print(
        f"lookups per message (profile + state + national + nearest of {args.sites} sites), SQLite, {args.messages} messages:"
    )
    print(
        f"  median {statistics.median(timings):.2f} ms   p95 {timings[int(len(timings) * 0.95)]:.2f} ms   max {timings[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
