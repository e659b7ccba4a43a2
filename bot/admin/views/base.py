"""What every admin page shares: who may see it, and small request helpers."""

from __future__ import annotations

from flask import request
from flask_admin import BaseView
from flask_login import current_user

SECTION_NAMES = {"profiles": "law and policy profile", "resources": "place or service", "guides": "guide"}


class StaffView(BaseView):
    """A page for signed-in staff; with `reviewers_only`, editors get 403 and do not see it in the menu."""

    reviewers_only = False

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and (not self.reviewers_only or current_user.is_reviewer)


def page_number() -> int:
    text = request.args.get("page", "1")
    return int(text) if text.isdigit() and int(text) > 0 else 1


def note_from_form() -> str | None:
    return (request.form.get("note") or "").strip() or None
