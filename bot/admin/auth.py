"""Who is signed in: Flask-Login sessions that expire, sign-in required on every page, and roles."""

from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Flask, abort, redirect, request, url_for
from flask_login import LoginManager, UserMixin, current_user

from bot.admin.database import db
from bot.db.models import User

PUBLIC_ENDPOINTS = {"login.index"}


class StaffUser(UserMixin):
    """The signed-in account as Flask-Login sees it. The id carries the session version, so a
    password change or a disabled account ends every session made before it."""

    def __init__(self, user: User):
        self.id = user.id
        self.username = user.username
        self.role = user.role
        self.session_version = user.session_version

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_reviewer(self) -> bool:
        return self.role == "reviewer"


def load_user(user_id: str) -> StaffUser | None:
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db().get(User, int(ident))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return StaffUser(user)


def signed_in_user() -> User:
    """The database row of the signed-in account (already loaded for this request)."""
    return db().get(User, current_user.id)


def require_sign_in():
    """Every page but the sign-in page needs a signed-in account; others go to sign-in first."""
    if request.routing_exception is not None:
        return None  # no page here (404, 405, or a redirect to add the trailing slash): nothing to protect
    endpoint = request.endpoint or ""
    if endpoint in PUBLIC_ENDPOINTS or endpoint == "static" or endpoint.endswith(".static"):
        return None
    if current_user.is_authenticated:
        return None
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("login.index", next=target))


def reviewer_only(view: Callable) -> Callable:
    """Refuse (403) anyone but a reviewer."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_reviewer:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def safe_next(target: str | None) -> str | None:
    """Only a path on this site may follow sign-in (never another site).

    Browsers drop tabs, newlines and other control characters from URLs, so "/\t/evil.example"
    would become "//evil.example": any control character or space refuses the target.
    """
    if not target or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def init_app(app: Flask) -> None:
    manager = LoginManager()
    manager.session_protection = "strong"
    manager.user_loader(load_user)
    manager.init_app(app)
    app.before_request(require_sign_in)
