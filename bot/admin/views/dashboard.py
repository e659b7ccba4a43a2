"""The home page: what needs attention (stale entries, missing topics, citation problems, drafts, reports)."""

from __future__ import annotations

from flask import current_app, request
from flask_admin import AdminIndexView, expose
from flask_login import current_user

from bot import feedback
from bot.admin.database import db
from bot.admin.drafts import pending_count
from bot.admin.freshness import freshness, parse_days


class DashboardView(AdminIndexView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    @expose("/")
    def index(self):
        text = request.args.get("days", "").strip()
        days, days_error = parse_days(text, current_app.config["STALE_DAYS"])
        return self.render(
            "hrbot/dashboard.html",
            report=freshness(db(), days),
            pending=pending_count(db()),
            reports=feedback.open_count(db()),
            days_text=text or str(days),
            days_error=days_error,
        )
