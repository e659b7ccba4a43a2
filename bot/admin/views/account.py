"""Change your own password (every signed-in account). Not in the menu: linked from the top bar."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_login import login_user
from werkzeug.security import check_password_hash

from bot.admin.accounts import AccountError, set_password
from bot.admin.auth import StaffUser, signed_in_user
from bot.admin.database import db
from bot.admin.views.base import StaffView


class AccountView(StaffView):
    def is_visible(self) -> bool:
        return False

    @expose("/", methods=("GET", "POST"))
    def index(self):
        if request.method == "GET":
            return self.render("hrbot/account.html", error=None)
        user = signed_in_user()
        form = request.form
        error = None
        if not check_password_hash(user.password_hash, form.get("current_password", "")):
            error = "Your current password is not right."
        elif form.get("password", "") != form.get("password_again", ""):
            error = "The two new passwords are not the same."
        else:
            try:
                set_password(db(), user, form.get("password", ""))
            except AccountError as exc:
                error = f"Could not change the password: {exc}."
        if error:
            db().rollback()
            return self.render("hrbot/account.html", error=error), 422
        db().commit()
        login_user(StaffUser(user))  # this session stays; every other session of the account ends
        flash("Your password is changed.", "success")
        return redirect(url_for("admin.index"))
