"""Staff accounts, managed by reviewers: add, change role, disable or enable, set a new password."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose

from bot.admin.accounts import ROLES, AccountError, create_user, list_users, set_active, set_password, set_role
from bot.admin.database import db
from bot.admin.views.base import StaffView
from bot.db.models import User


class UsersView(StaffView):
    reviewers_only = True

    @expose("/")
    def index(self):
        return self.render("hrbot/users.html", users=list_users(db()), roles=ROLES)

    @expose("/add", methods=("POST",))
    def add(self):
        form = request.form
        if form.get("password", "") != form.get("password_again", ""):
            return self._failed("The two passwords are not the same.")
        try:
            user = create_user(db(), form.get("username", ""), form.get("role", ""), form.get("password", ""))
        except AccountError as error:
            return self._failed(f"Could not add the account: {error}.")
        return self._done(f"Added {user.role} {user.username}. Give them the password in person or by phone.")

    @expose("/<int:user_id>/role", methods=("POST",))
    def role(self, user_id: int):
        user = self._user(user_id)
        try:
            set_role(db(), user, request.form.get("role", ""))
        except AccountError as error:
            return self._failed(f"Could not change the role: {error}.")
        return self._done(f"{user.username} is now a {user.role}.")

    @expose("/<int:user_id>/active", methods=("POST",))
    def active(self, user_id: int):
        user = self._user(user_id)
        enable = request.form.get("active") == "yes"
        try:
            set_active(db(), user, enable)
        except AccountError as error:
            return self._failed(f"Could not disable the account: {error}.")
        return self._done(f"{user.username} is {'enabled' if enable else 'disabled and signed out'}.")

    @expose("/<int:user_id>/password", methods=("POST",))
    def password(self, user_id: int):
        user = self._user(user_id)
        if request.form.get("password", "") != request.form.get("password_again", ""):
            return self._failed("The two passwords are not the same.")
        try:
            set_password(db(), user, request.form.get("password", ""))
        except AccountError as error:
            return self._failed(f"Could not set the password: {error}.")
        return self._done(f"New password set for {user.username}; their open sessions have ended.")

    def _user(self, user_id: int) -> User:
        user = db().get(User, user_id)
        if user is None:
            abort(404)
        return user

    def _failed(self, message: str):
        db().rollback()
        flash(message, "error")
        return redirect(url_for(".index"))

    def _done(self, message: str):
        db().commit()
        flash(message, "success")
        return redirect(url_for(".index"))
