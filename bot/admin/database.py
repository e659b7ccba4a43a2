"""One database session per request, closed when the request ends (nothing cached between requests)."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from bot.db.engine import new_session


def db() -> Session:
    """The session of the current request; views commit it themselves when a change is complete."""
    if "db_session" not in g:
        g.db_session = new_session(current_app.config["DATABASE_URL"])
    return g.db_session


def init_app(app: Flask) -> None:
    @app.teardown_appcontext
    def close_session(_exception: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()  # rolls back anything not committed
