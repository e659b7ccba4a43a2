"""The review queue of "this answer is wrong" reports from the web chat and SMS (bot.feedback)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from bot import feedback
from bot.admin.database import db
from bot.admin.published import find_row
from bot.admin.views.base import StaffView
from bot.facets import facets

SHOW = {"open": feedback.OPEN, "fixed": feedback.FIXED, "not_a_problem": feedback.NOT_A_PROBLEM, "all": None}


def record_link(report) -> tuple[str, str] | None:
    """(endpoint, key) of the published record the answer came from, while it exists."""
    section, _, key = (report.record or "").partition("/")
    if not key:
        return None
    return (f"{section}.edit", key) if find_row(db(), section, key) is not None else None


class ReportsView(StaffView):
    @expose("/")
    def index(self):
        show = request.args.get("show", "open")
        if show not in SHOW:
            abort(404)
        reports = feedback.reports(db(), SHOW[show])
        return self.render(
            "hrbot/reports.html",
            show=show,
            choices=[(name, feedback.STATUSES.get(status or "", "all")) for name, status in SHOW.items()],
            reports=[(report, record_link(report)) for report in reports],
            statuses=feedback.STATUSES,
            facet_labels={facet.key: facet.label("en") for facet in facets()},
            resolutions=[
                (feedback.FIXED, "Fixed: the record is corrected"),
                (feedback.NOT_A_PROBLEM, "Not a problem: the answer is right"),
            ],
        )

    @expose("/<int:report_id>/resolve", methods=("POST",))
    def resolve(self, report_id: int):
        try:
            feedback.resolve(
                db(), report_id, request.form.get("status", ""), request.form.get("note", ""), current_user.username
            )
        except feedback.ReportError as error:
            db().rollback()
            flash(str(error), "error")
        else:
            db().commit()
            flash(f"Report {report_id} resolved. The change history keeps the decision.", "success")
        return redirect(url_for(".index"))
