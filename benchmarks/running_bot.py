"""The real bot (Rasa server + action server) on free ports over a fresh database, for benchmarks."""

from __future__ import annotations

import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import DEFAULT_DATA_DIR  # noqa: E402
from bot.dataset.importer import import_dataset  # noqa: E402
from bot.dataset.validate import load_dataset  # noqa: E402
from bot.db.engine import new_session  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.launcher import bot_services, start, stop  # noqa: E402
from tests.conftest import _free_port  # noqa: E402


@contextmanager
def running_bot(env: dict[str, str] | None = None):
    """Yields (url, token) of a bot built from data/resources; stops it afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        url_db = f"sqlite:///{Path(tmp) / 'bot.db'}"
        upgrade(url_db)
        with new_session(url_db) as session, session.begin():
            import_dataset(session, load_dataset(DEFAULT_DATA_DIR), actor="benchmark")
        rasa_port, action_port, token = _free_port(), _free_port(), uuid.uuid4().hex
        services = bot_services(
            rasa_port=rasa_port, action_port=action_port, token=token, env={"DATABASE_URL": url_db, **(env or {})}
        )
        try:
            start(services, log_dir=Path(tmp) / "logs")
            yield f"http://127.0.0.1:{rasa_port}", token
        finally:
            stop(services)
