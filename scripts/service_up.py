"""Exit 0 when a service answers: `service_up.py postgres URL` or `service_up.py redis URL`."""

import sys

from sqlalchemy import create_engine, text


def postgres_up(url: str) -> bool:
    try:
        engine = create_engine(url, future=True, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means "not usable for tests"
        return False


def redis_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=3).ping())
    except (redis.RedisError, ValueError):
        return False


if __name__ == "__main__":
    kind, url = sys.argv[1], sys.argv[2]
    checks = {"postgres": postgres_up, "redis": redis_up}
    sys.exit(0 if kind in checks and url and checks[kind](url) else 1)
