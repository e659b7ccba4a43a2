"""The change log: every published change, who made it and when, with one-click revert for reviewers."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose

from bot.admin.auth import reviewer_only, safe_next, signed_in_user
from bot.admin.database import db
from bot.admin.diff import changes
from bot.admin.drafts import WorkflowError, change_history, revert
from bot.admin.published import SECTION_OF_ENTITY, SECTIONS, published_record
from bot.admin.views.base import SECTION_NAMES, StaffView


class HistoryView(StaffView):
    @expose("/")
    def index(self):
        return self._render(change_history(db()), section=None, key=None)

    @expose("/<section>/<path:key>")
    def record(self, section: str, key: str):
        if section not in SECTIONS:
            abort(404)
        return self._render(
            change_history(db(), section, key),
            section=section,
            key=key,
            exists=published_record(db(), section, key) is not None,
        )

    @expose("/change/<int:change_id>/revert", methods=("POST",))
    @reviewer_only
    def revert(self, change_id: int):
        try:
            entry = revert(db(), change_id, signed_in_user())
        except WorkflowError as error:
            db().rollback()
            details = "; ".join(str(item) for item in error.errors)
            flash(f"{error}" + (f" {details}" if details else ""), "error")
        else:
            db().commit()
            flash(
                f"Reverted change {change_id}: {entry.entity} {entry.entity_key} is back as it was before it.",
                "success",
            )
        return redirect(safe_next(request.form.get("next")) or url_for(".index"))

    def _render(self, entries, section, key, exists=False):
        return self.render(
            "hrbot/history.html",
            # The full list only names records; one record's page shows each change field by field.
            entries=[
                (entry, SECTION_OF_ENTITY.get(entry.entity), changes(section, entry.before, entry.after) if key else [])
                for entry in entries
            ],
            section=section,
            key=key,
            exists=exists,
            name=SECTION_NAMES.get(section or ""),
        )
