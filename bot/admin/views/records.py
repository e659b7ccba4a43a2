"""Lists and edit forms for profiles, resources and guides. Saving makes a draft; it never writes
the published tables except through the reviewer's publish path."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from bot.admin import forms
from bot.admin.auth import safe_next, signed_in_user
from bot.admin.database import db
from bot.admin.drafts import WorkflowError, list_drafts, mark_verified, pending_keys, propose, propose_and_publish
from bot.admin.published import published_record, search
from bot.admin.views.base import SECTION_NAMES, StaffView, page_number
from bot.dataset.schema import GUIDE_KINDS, GUIDE_TOPICS, RESOURCE_KINDS, SECTION_FIELDS, TOPICS, record_key
from bot.dataset.validate import ValidationError, validate_record
from bot.jurisdictions import JURISDICTIONS

NEW_CITATION_ROWS = 1


class RecordView(StaffView):
    """One section of the data (profiles, resources or guides)."""

    def __init__(self, section: str, **kwargs):
        self.section = section
        super().__init__(**kwargs)

    @expose("/")
    def index(self):
        filters = {name: request.args.get(name, "").strip() for name in ("q", "state", "topic", "kind")}
        page = search(
            db(),
            self.section,
            text=filters["q"],
            state=filters["state"],
            topic=filters["topic"],
            kind=filters["kind"],
            page=page_number(),
        )
        return self.render(
            "hrbot/record_list.html",
            page=page,
            filters=filters,
            pending=pending_keys(db(), self.section),
            states=sorted(JURISDICTIONS.items()),
            topics=GUIDE_TOPICS if self.section == "guides" else TOPICS,
            kinds=RESOURCE_KINDS if self.section == "resources" else GUIDE_KINDS,
            key_of=lambda row: row.key if self.section != "profiles" else f"{row.state}/{row.topic}",
        )

    @expose("/new", methods=("GET", "POST"))
    def create(self):
        identity: dict = {}
        if self.section == "profiles":
            state, topic = request.args.get("state", ""), request.args.get("topic", "")
            if state not in JURISDICTIONS or topic not in TOPICS:
                return self.render(
                    "hrbot/profile_start.html",
                    states=sorted(JURISDICTIONS.items()),
                    topics=TOPICS,
                    state=state,
                    topic=topic,
                )
            identity = {"state": state, "topic": topic}
            if published_record(db(), "profiles", f"{state}/{topic}") is not None:
                return redirect(url_for(".edit", key=f"{state}/{topic}"))
        if request.method == "POST":
            return self._save(identity, key=None)
        return self._form(dict(identity), identity, key=None)

    @expose("/edit/<path:key>", methods=("GET", "POST"))
    def edit(self, key: str):
        record = published_record(db(), self.section, key)
        if record is None:
            abort(404)
        identity = {"state": record["state"], "topic": record["topic"]} if self.section == "profiles" else {"id": key}
        if request.method == "POST":
            return self._save(identity, key=key)
        return self._form(forms.form_values(self.section, record), identity, key=key)

    @expose("/remove/<path:key>", methods=("POST",))
    def remove(self, key: str):
        publish_now = request.form.get("action") == "publish"
        try:
            if publish_now:
                self._require_reviewer()
                propose_and_publish(db(), signed_in_user(), self.section, None, key)
                message = f"Removed {key}. The bot no longer uses it."
            else:
                draft = propose(db(), signed_in_user(), self.section, None, key)
                message = f"Removal of {key} is waiting for a reviewer (draft {draft.id})."
        except WorkflowError as error:
            db().rollback()
            flash(str(error), "error")
            return redirect(url_for(".edit", key=key))
        db().commit()
        flash(message, "success")
        return redirect(url_for(".index"))

    @expose("/verify/<path:key>", methods=("POST",))
    def verify(self, key: str):
        try:
            result = mark_verified(db(), signed_in_user(), self.section, key)
        except WorkflowError as error:
            db().rollback()
            details = "; ".join(str(item) for item in error.errors)
            flash(f"{key}: {error}" + (f" ({details})" if details else ""), "error")
        else:
            db().commit()
            if current_user.is_reviewer:
                flash(f"{key} is marked verified today.", "success")
            else:
                flash(
                    f"{key}: marking it verified today is waiting for a reviewer (draft {result.id if result else '?'}).",
                    "success",
                )
        return redirect(safe_next(request.form.get("next")) or url_for(".index"))

    def _save(self, identity: dict, key: str | None):
        """Validate the submitted form like `hrbot data validate`; on success make a draft (or publish)."""
        action = request.form.get("action", "save")
        if action == "add_citation":
            values = dict(request.form)
            values[forms.citation_input_name(forms.citation_rows(request.form), "url")] = ""
            return self._form(values, identity, key)
        data, kept_rows = forms.raw_record(self.section, request.form, identity)
        record, errors = validate_record(self.section, data, where="admin form")
        if (
            record is not None
            and key is None
            and published_record(db(), self.section, record_key(self.section, record))
        ):
            errors = [ValidationError("admin form", "new record", "id", "this ID is already used by another record")]
        if errors or record is None:
            return self._form(dict(request.form), identity, key, errors, kept_rows), 422
        new_key = record_key(self.section, record)
        try:
            if action == "publish":
                self._require_reviewer()
                propose_and_publish(db(), signed_in_user(), self.section, record, new_key)
                message = f"Published {new_key}. The bot uses it from now on."
            else:
                draft = propose(db(), signed_in_user(), self.section, record, new_key)
                message = (
                    f"Saved {new_key} as draft {draft.id}. The bot keeps using the published version "
                    "until a reviewer publishes this draft."
                )
        except WorkflowError as error:
            db().rollback()
            return self._form(dict(request.form), identity, key, error.errors, kept_rows, str(error)), 422
        db().commit()
        flash(message, "success")
        return redirect(url_for(".edit", key=new_key))

    def _require_reviewer(self) -> None:
        if not current_user.is_reviewer:
            abort(403)

    def _form(
        self,
        values: dict,
        identity: dict,
        key: str | None,
        errors: list[ValidationError] | None = None,
        kept_rows: list[int] | None = None,
        message: str | None = None,
    ):
        topic = identity.get("topic") if self.section == "profiles" else None
        key_inputs = [spec for spec in forms.KEY_INPUTS[self.section] if spec.path not in identity]
        inputs = list(forms.record_inputs(self.section, topic))
        rows = max(forms.citation_rows(values), NEW_CITATION_ROWS)
        citation_rows = [
            [
                forms.Input(forms.citation_input_name(row, spec.path), spec.label, spec.widget, spec.help)
                for spec in forms.CITATION_INPUTS
            ]
            for row in range(rows)
        ]
        labels = {spec.path: spec.label for spec in key_inputs + inputs}
        labels["citations"] = "Sources"
        for row, specs in enumerate(citation_rows):
            labels[f"{forms.CITATION_PREFIX}-{row}"] = f"Citation {row + 1}"
            labels.update({spec.path: f"Citation {row + 1}: {spec.label}" for spec in specs})
        shown = set(labels)
        by_input, general = forms.field_errors(self.section, errors or [], kept_rows or [], shown)
        return self.render(
            "hrbot/record_form.html",
            section=self.section,
            key=key,
            identity=identity,
            key_inputs=key_inputs,
            input_rows=forms.side_by_side(inputs),
            citation_rows=citation_rows,
            values=values,
            errors=by_input,
            labels=labels,
            general_errors=general,
            message=message,
            required=required_paths(self.section) | {spec.path for row in citation_rows for spec in row},
            waiting=list_drafts(db(), "pending", self.section, key) if key else [],
            noun=SECTION_NAMES[self.section],
        )


def required_paths(section: str) -> set[str]:
    """Fields the schema requires a value for."""
    required = {spec.name for spec in SECTION_FIELDS[section] if spec.required and not spec.nullable}
    return required - {"fields", "citations"}
