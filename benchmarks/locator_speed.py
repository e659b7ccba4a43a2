"""How long the locator's nearest-3 query takes with every directory site (data/sites), on SQLite
and on PostgreSQL when reachable (a scratch database, dropped afterwards).

Times `nearest_sites` for random ZIP codes of the 50 states and DC, asking for methadone,
buprenorphine, or both. Prints the median and p95 per query. Target: p95 <= 5 ms on SQLite.

    .venv/bin/python benchmarks/locator_speed.py [--queries 2000] [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.db.engine import get_engine, new_session  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.db.models import DirectorySite  # noqa: E402
from bot.directory import apply_import, nearest_sites, plan_import  # noqa: E402
from bot.geo import _zip_index  # noqa: E402

SERVICES = (("methadone",), ("buprenorphine",), ("methadone", "buprenorphine"))


def build(url: str) -> int:
    upgrade(url)
    with new_session(url) as session, session.begin():
        plan = plan_import(session, ROOT / "data" / "sites")
        assert not plan.errors, plan.errors[:3]
        apply_import(session, plan)
    with new_session(url) as session:
        return session.execute(select(func.count()).select_from(DirectorySite)).scalar_one()


def measure(url: str, queries: int) -> tuple[float, float]:
    rng = random.Random(7)
    places = rng.sample(list(_zip_index().values()), queries)
    timings = []
    with new_session(url) as session:
        for place in places[:50]:  # warm the connection and the statement cache
            nearest_sites(session, place.latitude, place.longitude, SERVICES[0])
        for place in places:
            services = rng.choice(SERVICES)
            start = time.perf_counter()
            nearest_sites(session, place.latitude, place.longitude, services)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'locator.db'}"
        sites = build(url)
        median, p95 = measure(url, args.queries)
        get_engine(url).dispose()
    print(f"sites: {sites}; queries: {args.queries} random ZIP codes")
    print(f"SQLite      nearest 3: median {median:.2f} ms, p95 {p95:.2f} ms (target p95 <= 5 ms)")
    try:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = f"hrbot_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - a benchmark without PostgreSQL still reports SQLite
        print(f"PostgreSQL  not measured: {type(error).__name__}")
        return
    url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    try:
        build(url)
        median, p95 = measure(url, args.queries)
        print(f"PostgreSQL  nearest 3: median {median:.2f} ms, p95 {p95:.2f} ms")
    finally:
        get_engine(url).dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
