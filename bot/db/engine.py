"""Engines and sessions, one engine per database URL per process."""

from __future__ import annotations

import os
from functools import cache

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.config import database_url


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: DATABASE_URL as it is now)."""
    return _engine_for(url or database_url())


@cache
def _engine_for(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True)
    if parsed.database in (None, "", ":memory:"):
        engine = create_engine(url, future=True)
    else:
        _create_private(parsed.database)
        # A pool of open connections, as SQLAlchemy 2.0 does for SQLite files (1.4 opened
        # a new connection, and ran the pragmas, for every session: 20% of an action call).
        engine = create_engine(url, future=True, poolclass=QueuePool, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _create_private(database: str) -> None:
    """Create a new SQLite file readable by its owner only (SQLite would follow the umask: 0644)."""
    if not os.path.exists(database):
        os.makedirs(os.path.dirname(os.path.abspath(database)), exist_ok=True)
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def session_factory(url: str | None = None) -> sessionmaker:
    return sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)


def new_session(url: str | None = None) -> Session:
    return session_factory(url)()
