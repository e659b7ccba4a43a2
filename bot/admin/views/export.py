"""Write the published data back to YAML (data/resources by default) so it can be reviewed in git."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, request
from flask_admin import expose

from bot.admin.database import db
from bot.admin.views.base import StaffView
from bot.dataset.exporter import export_to_directory


class ExportView(StaffView):
    reviewers_only = True

    @expose("/", methods=("GET", "POST"))
    def index(self):
        directory = Path(current_app.config["EXPORT_DIR"])
        result = export_to_directory(db(), directory) if request.method == "POST" else None
        return self.render("hrbot/export.html", directory=directory, result=result)
