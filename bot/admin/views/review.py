"""Drafts waiting for review: a before/after diff, then publish or reject with a note."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.admin.auth import reviewer_only, signed_in_user
from bot.admin.database import db
from bot.admin.diff import changes
from bot.admin.drafts import WorkflowError, list_drafts, publish, reject
from bot.admin.published import published_record
from bot.admin.views.base import SECTION_NAMES, StaffView, note_from_form
from bot.db.models import Draft

STATUSES = ("pending", "published", "rejected")


class ReviewView(StaffView):
    @expose("/")
    def index(self):
        status = request.args.get("status", "pending")
        if status not in STATUSES:
            status = "pending"
        return self.render(
            "hrbot/draft_list.html",
            drafts=list_drafts(db(), status),
            status=status,
            statuses=STATUSES,
            names=SECTION_NAMES,
        )

    @expose("/<int:draft_id>")
    def show(self, draft_id: int):
        draft = (
            db()
            .execute(
                select(Draft)
                .options(selectinload(Draft.author), selectinload(Draft.reviewer))
                .where(Draft.id == draft_id)
            )
            .scalar_one_or_none()
        )
        if draft is None:
            abort(404)
        current = published_record(db(), draft.section, draft.entity_key)
        return self.render(
            "hrbot/draft.html",
            draft=draft,
            name=SECTION_NAMES[draft.section],
            diff=changes(draft.section, current if draft.status == "pending" else draft.base, draft.record),
            changed_since=draft.status == "pending" and current != draft.base,
            since_draft=changes(draft.section, draft.base, current) if draft.status == "pending" else [],
        )

    @expose("/<int:draft_id>/publish", methods=("POST",))
    @reviewer_only
    def publish(self, draft_id: int):
        try:
            entry = publish(db(), draft_id, signed_in_user(), note_from_form())
        except WorkflowError as error:
            db().rollback()
            details = "; ".join(str(item) for item in error.errors)
            flash(f"{error}" + (f" {details}" if details else ""), "error")
            return redirect(url_for(".show", draft_id=draft_id))
        db().commit()
        flash(
            f"Draft {draft_id} is published. The bot uses it from now on."
            if entry
            else f"Draft {draft_id} is marked published; the record already matched it, so nothing changed.",
            "success",
        )
        return redirect(url_for(".index"))

    @expose("/<int:draft_id>/reject", methods=("POST",))
    @reviewer_only
    def reject(self, draft_id: int):
        try:
            reject(db(), draft_id, signed_in_user(), note_from_form())
        except WorkflowError as error:
            db().rollback()
            flash(str(error), "error")
            return redirect(url_for(".show", draft_id=draft_id))
        db().commit()
        flash(f"Draft {draft_id} is rejected. The published record did not change.", "success")
        return redirect(url_for(".index"))
