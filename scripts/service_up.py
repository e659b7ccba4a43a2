"""Exit 0 when a service answers: `service_up.py postgres URL`."""

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


if __name__ == "__main__":
    kind, url = sys.argv[1], sys.argv[2]
    sys.exit(0 if kind == "postgres" and url and postgres_up(url) else 1)
