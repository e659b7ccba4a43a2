"""Sign in and sign out."""

from __future__ import annotations

from flask import flash, redirect, request, session, url_for
from flask_admin import BaseView, expose
from flask_login import current_user, login_user, logout_user

from bot.admin.accounts import LockedOut, authenticate, client_id
from bot.admin.auth import StaffUser, safe_next, signed_in_user
from bot.admin.database import db


class LoginView(BaseView):
    """The only page open without an account. Not in the menu."""

    def is_visible(self) -> bool:
        return False

    @expose("/", methods=("GET", "POST"))
    def index(self):
        target = safe_next(request.values.get("next")) or url_for("admin.index")
        if current_user.is_authenticated:
            return redirect(target)
        if request.method == "GET":
            return self.render("hrbot/login.html", next=target, username="", error=None)
        username = request.form.get("username", "")
        try:
            user = authenticate(db(), username, request.form.get("password", ""), client_id(request.remote_addr))
        except LockedOut as locked:
            minutes = max(1, -(-int(locked.wait.total_seconds()) // 60))
            error = (
                f"Too many failed sign-ins. Wait {minutes} minutes and try again, "
                "or ask a reviewer to unlock the account (hrbot users unlock NAME)."
            )
            return self.render("hrbot/login.html", next=target, username=username, error=error), 429
        db().commit()  # keep the attempt, failed or not
        if user is None:
            error = "That username and password do not match an active account."
            return self.render("hrbot/login.html", next=target, username=username, error=error), 401
        session.clear()
        login_user(StaffUser(user))
        session.permanent = True  # ends after PERMANENT_SESSION_LIFETIME without a request
        return redirect(target)

    @expose("/out", methods=("POST",))
    def sign_out(self):
        # A copy of this session's cookie must not outlive the sign-out: end every session
        # of this account (the id in the cookie carries the session version).
        user = signed_in_user() if current_user.is_authenticated else None
        if user is not None:
            user.session_version += 1
            db().commit()
        logout_user()
        session.clear()
        flash("You are signed out.", "info")
        return redirect(url_for("login.index"))
