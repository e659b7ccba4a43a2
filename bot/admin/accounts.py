"""Staff accounts: roles, password hashing, sign-in with a database-backed lockout."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from functools import lru_cache

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from bot.db.models import LoginAttempt, User, utcnow

ROLES = ("editor", "reviewer")
PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 10
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
KEEP_ATTEMPTS = dt.timedelta(days=90)
FIRST_REVIEWER = "admin"


class AccountError(ValueError):
    """An account change that cannot be made; the message says why, in plain words."""


class LockedOut(Exception):
    """Too many recent failed sign-ins for this username."""


def normalize_username(username: str) -> str:
    return username.strip().lower()


def find_user(session: Session, username: str) -> User | None:
    return session.execute(select(User).where(User.username == normalize_username(username))).scalar_one_or_none()


def get_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise AccountError(f"there is no user named {username!r}")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.execute(select(User).order_by(User.username)).scalars())


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")


def create_user(session: Session, username: str, role: str, password: str) -> User:
    username = normalize_username(username)
    if not USERNAME_PATTERN.match(username):
        raise AccountError(
            "a username is 2 to 40 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit"
        )
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    if find_user(session, username) is not None:
        raise AccountError(f"the username {username!r} is already taken")
    check_new_password(password)
    user = User(
        username=username,
        role=role,
        password_hash=generate_password_hash(password, PASSWORD_METHOD),
        active=True,
        session_version=0,
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Change the password and end the user's open sessions."""
    check_new_password(password)
    user.password_hash = generate_password_hash(password, PASSWORD_METHOD)
    user.session_version += 1
    session.flush()


def set_active(session: Session, user: User, active: bool) -> None:
    """Enable or disable an account; disabling ends its open sessions at once."""
    if not active:
        _keep_a_reviewer(session, user)
        user.session_version += 1
    user.active = active
    session.flush()


def set_role(session: Session, user: User, role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    if role != "reviewer":
        _keep_a_reviewer(session, user)
    user.role = role
    session.flush()


def _keep_a_reviewer(session: Session, user: User) -> None:
    """Refuse to remove the last active reviewer: nobody could publish or manage accounts."""
    if user.role != "reviewer" or not user.active:
        return
    others = session.execute(
        select(func.count()).select_from(User).where(User.role == "reviewer", User.active.is_(True), User.id != user.id)
    ).scalar()
    if not others:
        raise AccountError(f"{user.username} is the only active reviewer; add another reviewer first")


def ensure_first_reviewer(session: Session) -> tuple[str, str] | None:
    """With no accounts at all, create reviewer `admin` with a random password and return (username, password).

    The caller shows the password once; it is stored only as a hash.
    """
    if session.execute(select(func.count()).select_from(User)).scalar():
        return None
    password = secrets.token_urlsafe(15)
    create_user(session, FIRST_REVIEWER, "reviewer", password)
    return FIRST_REVIEWER, password


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None; every attempt is recorded.

    Raises LockedOut after MAX_FAILURES failures within LOCKOUT, even for the right password,
    and does not record attempts made while locked (so the lock does not grow forever).
    The caller commits, so failures are kept.
    """
    username = normalize_username(username)[:120]
    now = utcnow()
    if _recent_failures(session, username, now) >= MAX_FAILURES:
        raise LockedOut(username)
    user = find_user(session, username) if username else None
    # Check a hash even for unknown names so the answer takes the same time either way.
    matches = check_password_hash(user.password_hash if user else _decoy_hash(), password)
    succeeded = bool(user and user.active and matches)
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_ATTEMPTS))
    session.add(LoginAttempt(username=username, at=now, succeeded=succeeded))
    session.flush()
    return user if succeeded else None


def _recent_failures(session: Session, username: str, now: dt.datetime) -> int:
    since = now - LOCKOUT
    last_success = session.execute(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, LoginAttempt.succeeded.is_(True), LoginAttempt.at >= since
        )
    ).scalar()
    query = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.username == username, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since)
    )
    if last_success is not None:
        query = query.where(LoginAttempt.at > last_success)
    return session.execute(query).scalar()


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16), PASSWORD_METHOD)
