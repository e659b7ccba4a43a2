"""Staff accounts: roles, password hashing, sign-in throttled per username and client, in the database.

Failed sign-ins are counted per (username, client): after MAX_FAILURES that pair must wait,
LOCKOUT at first and twice as long after each further failure (up to MAX_LOCKOUT). Someone
guessing from one place cannot lock a colleague out elsewhere. A client that fails for
CLIENT_MAX_FAILURES usernames' worth of tries within LOCKOUT waits too, whatever username it
tries. `hrbot users unlock NAME` clears a username's failures. The client is kept only as a
keyed hash of its address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from functools import lru_cache

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from bot.config import VAR_DIR, persistent_secret, private_dir
from bot.db.models import LoginAttempt, User, utcnow

ROLES = ("editor", "reviewer")
PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 10
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
MAX_LOCKOUT = dt.timedelta(hours=24)
CLIENT_MAX_FAILURES = 20
KEEP_ATTEMPTS = dt.timedelta(days=90)
FIRST_REVIEWER = "admin"


class AccountError(ValueError):
    """An account change that cannot be made; the message says why, in plain words."""


class LockedOut(Exception):
    """Too many recent failed sign-ins for this username from this client (or from this client at all)."""

    def __init__(self, wait: dt.timedelta):
        super().__init__(f"locked for {wait}")
        self.wait = wait


def client_id(address: str | None) -> str:
    """A keyed hash of the client's address: enough to throttle, not to know who it was."""
    key = persistent_secret("HRBOT_ADMIN_SECRET_KEY", "admin-secret-key").encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()[:32]


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


FIRST_PASSWORD_FILE = "first-reviewer-password"


def first_reviewer_notice(session: Session) -> str:
    """Create the first reviewer when there is no account, write its password to a file only
    the owner can read (var/first-reviewer-password, never to the output, which supervisors
    keep), and say where it is. Empty when accounts exist."""
    created = ensure_first_reviewer(session)
    if created is None:
        return ""
    username, password = created
    path = VAR_DIR / FIRST_PASSWORD_FILE
    private_dir(VAR_DIR)
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(f"{username}\n{password}\n")
    return (
        f"  First staff account: {username}; its password is in {path} (readable only by you).\n"
        f"  Sign in, change it under 'My password' (or `hrbot users passwd {username}`), then delete that file.\n"
    )


def authenticate(session: Session, username: str, password: str, client: str = "") -> User | None:
    """The active user with this username and password, or None; every attempt is recorded.

    Raises LockedOut while this username is locked for this client (even for the right
    password) or this client is locked for all usernames. Attempts made while locked are
    not recorded, so a lock does not grow by itself. The caller commits, so failures are kept.
    """
    username = normalize_username(username)[:120]
    now = utcnow()
    wait = _wait(session, username, client, now)
    if wait:
        raise LockedOut(wait)
    user = find_user(session, username) if username else None
    # Check a hash even for unknown names so the answer takes the same time either way.
    matches = check_password_hash(user.password_hash if user else _decoy_hash(), password)
    succeeded = bool(user and user.active and matches)
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_ATTEMPTS))
    session.add(LoginAttempt(username=username, client=client, at=now, succeeded=succeeded))
    session.flush()
    return user if succeeded else None


def unlock(session: Session, username: str) -> int:
    """Forget a username's failed sign-ins (from every client); how many were forgotten."""
    result = session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.username == normalize_username(username), LoginAttempt.succeeded.is_(False)
        )
    )
    return result.rowcount or 0


def _wait(session: Session, username: str, client: str, now: dt.datetime) -> dt.timedelta | None:
    """How much longer this username, from this client, must wait before another try (None: no wait)."""
    failures = _failures_since_success(
        session, now - MAX_LOCKOUT, LoginAttempt.username == username, LoginAttempt.client == client
    )
    if len(failures) >= MAX_FAILURES:
        lock = min(LOCKOUT * 2 ** (len(failures) - MAX_FAILURES), MAX_LOCKOUT)
        until = _aware(failures[-1]) + lock
        if until > now:
            return until - now
    recent = _failures_since_success(session, now - LOCKOUT, LoginAttempt.client == client)
    if len(recent) >= CLIENT_MAX_FAILURES:
        until = _aware(recent[-1]) + LOCKOUT
        if until > now:
            return until - now
    return None


def _failures_since_success(session: Session, since: dt.datetime, *where) -> list[dt.datetime]:
    """Times of the failed attempts matching `where` after `since` and after the last success, oldest first."""
    last_success = session.execute(
        select(func.max(LoginAttempt.at)).where(*where, LoginAttempt.succeeded.is_(True), LoginAttempt.at >= since)
    ).scalar()
    query = select(LoginAttempt.at).where(*where, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since)
    if last_success is not None:
        query = query.where(LoginAttempt.at > last_success)
    return list(session.execute(query.order_by(LoginAttempt.at)).scalars())


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive times; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16), PASSWORD_METHOD)
