"""The admin application: settings, security, and the Flask-Admin menu of pages (under /admin/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask, redirect, url_for
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_wtf.csrf import CSRFError, CSRFProtect

from bot import config as bot_config
from bot.admin import auth, database
from bot.admin.views.account import AccountView
from bot.admin.views.dashboard import DashboardView
from bot.admin.views.export import ExportView
from bot.admin.views.gaps import GapsView
from bot.admin.views.history import HistoryView
from bot.admin.views.login import LoginView
from bot.admin.views.records import RecordView
from bot.admin.views.reports import ReportsView
from bot.admin.views.review import ReviewView
from bot.admin.views.usage import UsageView
from bot.admin.views.users import UsersView

SECRET_KEY_FILE = "admin-secret-key"
ERROR_MESSAGES = {
    400: "The request could not be used. Go back and try again.",
    403: "Your account does not have permission for this page. Reviewers can publish, revert and manage accounts.",
    404: "There is no page here.",
    405: "This address only takes a form sent from its page. Go back and use the button there.",
}


def secret_key(var_dir: Path | None = None) -> str:
    """`HRBOT_ADMIN_SECRET_KEY`, else a random key made once and kept in var/admin-secret-key (mode 0600)."""
    return bot_config.persistent_secret("HRBOT_ADMIN_SECRET_KEY", SECRET_KEY_FILE, var_dir)


def create_app(database_url: str | None = None, config: dict | None = None) -> Flask:
    """The staff admin for `database_url` (default: DATABASE_URL). `config` overrides any setting."""
    config = config or {}
    app = Flask(__name__, template_folder="templates")
    app.config.update(
        DATABASE_URL=database_url or bot_config.database_url(),
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=bot_config.admin_session_minutes()),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bot_config.admin_secure_cookie(),
        WTF_CSRF_TIME_LIMIT=None,  # a form's token lasts as long as its session, which ends when idle
        STALE_DAYS=bot_config.stale_days(),
        EXPORT_DIR=bot_config.admin_export_dir(),
    )
    app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key()
    CSRFProtect(app)
    database.init_app(app)
    auth.init_app(app)
    admin = Admin(
        app,
        name="Harm reduction bot: staff admin",
        index_view=DashboardView(name="Needs attention"),
        theme=Bootstrap4Theme(base_template="hrbot/base.html"),
    )
    admin.add_views(
        RecordView("profiles", name="Laws and policies", endpoint="profiles"),
        RecordView("resources", name="Places and services", endpoint="resources"),
        RecordView("guides", name="Guides and facts", endpoint="guides"),
        GapsView(name="Content gaps", endpoint="gaps"),
        ReviewView(name="Review drafts", endpoint="drafts"),
        ReportsView(name="Reports from users", endpoint="reports"),
        UsageView(name="Usage", endpoint="usage"),
        HistoryView(name="Change history", endpoint="history"),
        UsersView(name="Staff accounts", endpoint="users"),
        ExportView(name="Export to YAML", endpoint="export"),
        AccountView(name="My password", endpoint="account"),
        LoginView(name="Sign in", endpoint="login"),
    )
    app.add_url_rule("/", "root", lambda: redirect(url_for("admin.index")))
    _error_pages(app, admin)
    app.after_request(_security_headers)
    return app


def _security_headers(response):
    """No framing (so no page can trick a reviewer into clicking Publish), no content sniffing."""
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # The admin's own scripts and styles only: no inline code, nothing from other sites.
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    )
    return response


def _error_pages(app: Flask, admin: Admin) -> None:
    """Plain-language error pages in the admin's layout."""

    def render(code: int, message: str):
        return admin.index_view.render("hrbot/error.html", code=code, message=message), code

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        return render(
            400, "This form has expired or did not come from this site. Go back, reload the page and try again."
        )

    for code, message in ERROR_MESSAGES.items():
        app.register_error_handler(code, lambda _error, code=code, message=message: render(code, message))
