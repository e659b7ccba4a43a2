"""Staff admin: sign-in, roles, CSRF, drafts, publish, reject, revert, history, freshness, export, accounts.

Tests that touch the database run on real ones (SQLite, and PostgreSQL when reachable), through Flask's test client.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from itsdangerous import TimestampSigner
from markupsafe import escape
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from bot import feedback, usage
from bot.admin import forms
from bot.admin.accounts import ensure_first_reviewer
from bot.admin.app import create_app, secret_key
from bot.admin.diff import changes
from bot.admin.published import published_record
from bot.answers import FALLBACK, UNKNOWN, About
from bot.cli import main
from bot.dataset.importer import import_dataset
from bot.dataset.schema import GUIDE_FIELDS, RESOURCE_FIELDS, TOPIC_FIELDS, TRANSLATION_FIELDS
from bot.dataset.validate import load_dataset, validate_record
from bot.db.engine import get_engine, new_session
from bot.db.models import Base, ChangeLog, Citation, Draft, LoginAttempt, User, UserReport, utcnow
from bot.queries import get_profile
from tests.conftest import FIXTURES

PASSWORD = "correct horse battery"
# Test accounts get a one-round hash so signing in is instant; real accounts use scrypt (see the CLI test).
QUICK_HASH = generate_password_hash(PASSWORD, "pbkdf2:sha256:1")
NEW_SUMMARY = "Naloxone is free at many places in Ohio. Ask for it at a health department."


@pytest.fixture
def admin_db(db_url):
    """The fixture dataset (5 records) plus editor erin and reviewer rita."""
    with new_session(db_url) as session, session.begin():
        import_dataset(session, load_dataset(FIXTURES / "dataset"), actor="test")
        for username, role in (("erin", "editor"), ("rita", "reviewer")):
            session.add(User(username=username, role=role, password_hash=QUICK_HASH, active=True, session_version=0))
    return db_url


def make_app(db_url, tmp_path, **config):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "EXPORT_DIR": str(tmp_path / "export"),
    }
    return create_app(db_url, {**settings, **config})


@pytest.fixture
def app(admin_db, tmp_path):
    return make_app(admin_db, tmp_path)


def sign_in(app, username, password=PASSWORD):
    client = app.test_client()
    response = client.post("/admin/login/", data={"username": username, "password": password})
    assert response.status_code == 302, response.text
    return client


@pytest.fixture
def editor(app):
    return sign_in(app, "erin")


@pytest.fixture
def reviewer(app):
    return sign_in(app, "rita")


def record(db_url, section, key):
    with new_session(db_url) as session:
        return published_record(session, section, key)


def rows(db_url, model, *where):
    with new_session(db_url) as session:
        return list(session.execute(select(model).where(*where).order_by(model.id)).scalars())


def form_for(section, data, action="save", **changes):
    values = forms.form_values(section, data)
    values.update(changes)
    values["action"] = action
    return values


def admin_changes(db_url):
    return rows(db_url, ChangeLog, ChangeLog.source == "admin")


def test_every_page_requires_sign_in(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'never-opened.db'}", tmp_path)  # refused before any database work
    client = app.test_client()
    samples = {
        "section": "profiles",
        "key": "OH/naloxone",
        "draft_id": "1",
        "change_id": "1",
        "user_id": "1",
        "report_id": "1",
    }
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "login.index" or rule.endpoint.endswith("static"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda match: samples[match.group(1)], rule.rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(path, method=method)
            assert response.status_code == 302, (method, path)
            assert response.headers["Location"].startswith("/admin/login/"), (method, path)
            checked += 1
    assert checked >= 25
    page = client.get("/admin/login/")
    assert page.status_code == 200 and '<label for="password">Password</label>' in page.text
    assert page.headers["X-Frame-Options"] == "DENY"


def test_editors_cannot_publish_revert_export_or_manage_accounts(app, admin_db, editor, reviewer):
    profile = record(admin_db, "profiles", "OH/naloxone")
    assert (
        editor.post(
            "/admin/profiles/edit/OH/naloxone", data=form_for("profiles", profile, summary=NEW_SUMMARY)
        ).status_code
        == 302
    )
    draft = rows(admin_db, Draft)[0]
    assert editor.post(f"/admin/drafts/{draft.id}/publish").status_code == 403
    assert editor.post(f"/admin/drafts/{draft.id}/reject").status_code == 403
    change_id = rows(admin_db, ChangeLog)[0].id
    assert editor.post(f"/admin/history/change/{change_id}/revert").status_code == 403
    for path in ("/admin/users/", "/admin/export/"):
        assert editor.get(path).status_code == 403
        assert reviewer.get(path).status_code == 200
    assert editor.post("/admin/export/").status_code == 403
    assert (
        editor.post(
            "/admin/users/add",
            data={"username": "x1", "role": "reviewer", "password": PASSWORD, "password_again": PASSWORD},
        ).status_code
        == 403
    )
    publish = form_for("profiles", profile, action="publish", summary=NEW_SUMMARY)
    assert editor.post("/admin/profiles/edit/OH/naloxone", data=publish).status_code == 403
    assert editor.post("/admin/profiles/remove/OH/naloxone", data={"action": "publish"}).status_code == 403
    assert record(admin_db, "profiles", "OH/naloxone") == profile
    assert rows(admin_db, Draft)[0].status == "pending" and len(rows(admin_db, Draft)) == 1
    home = editor.get("/admin/").text
    assert "Staff accounts" not in home and "Export to YAML" not in home
    assert "Staff accounts" in reviewer.get("/admin/").text
    assert "Save and publish now" not in editor.get("/admin/profiles/edit/OH/naloxone").text
    assert "Save and publish now" in reviewer.get("/admin/profiles/edit/OH/naloxone").text


def csrf_token(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_forms_are_refused_without_the_csrf_token(admin_db, tmp_path):
    client = make_app(admin_db, tmp_path, WTF_CSRF_ENABLED=True).test_client()
    refused = client.post("/admin/login/", data={"username": "rita", "password": PASSWORD})
    assert refused.status_code == 400 and "did not come from this site" in refused.text
    assert rows(admin_db, LoginAttempt) == []
    token = csrf_token(client.get("/admin/login/").text)
    assert (
        client.post("/admin/login/", data={"username": "rita", "password": PASSWORD, "csrf_token": token}).status_code
        == 302
    )
    assert client.post("/admin/profiles/verify/OH/naloxone").status_code == 400
    token = csrf_token(client.get("/admin/").text)  # signing in starts a new session, with a new token
    assert client.post("/admin/profiles/verify/OH/naloxone", data={"csrf_token": token}).status_code == 302
    assert rows(admin_db, ChangeLog, ChangeLog.source == "admin")[0].entity_key == "OH/naloxone"


def test_invalid_form_shows_each_error_at_its_field_and_saves_nothing(admin_db, editor):
    before = record(admin_db, "profiles", "OH/naloxone")
    form = form_for(
        "profiles",
        before,
        summary="",
        **{
            "fields.standing_order": "maybe",
            "citations-0-url": "not a url",
            "citations-0-accessed": "2026-13-40",
        },
    )
    response = editor.post("/admin/profiles/edit/OH/naloxone", data=form)
    assert response.status_code == 422
    page = response.text
    raw, _ = forms.raw_record("profiles", form, {"state": "OH", "topic": "naloxone"})
    _, errors = validate_record("profiles", raw, where="admin form")
    assert {error.field for error in errors} == {
        "summary",
        "fields.standing_order",
        "citations[1].url",
        "citations[1].accessed",
    }
    html_ids = {
        "summary": "f-summary",
        "fields.standing_order": "f-fields-standing_order",
        "citations[1].url": "f-citations-0-url",
        "citations[1].accessed": "f-citations-0-accessed",
    }
    for error in errors:
        html_id = html_ids[error.field]
        found = re.search(rf'<div id="{html_id}-error" class="invalid-feedback d-block">([^<]*)</div>', page)
        assert found and escape(error.message) in found.group(1), error
        assert re.search(rf'id="{html_id}"[^>]*aria-describedby="[^"]*{html_id}-error"[^>]*aria-invalid="true"', page)
    assert "Nothing was saved" in page
    assert 'value="not a url"' in page  # what was typed stays in the form
    assert rows(admin_db, Draft) == [] and admin_changes(admin_db) == []
    assert record(admin_db, "profiles", "OH/naloxone") == before

    resource = form_for("resources", record(admin_db, "resources", "oh-naloxone-test-program"), national="yes")
    response = editor.post("/admin/resources/edit/oh-naloxone-test-program", data=resource)
    assert response.status_code == 422
    assert re.search(r'id="f-state-error"[^>]*>a national resource has no state', response.text)
    assert rows(admin_db, Draft) == []


def test_editor_draft_changes_nothing_until_a_reviewer_publishes_it(admin_db, editor, reviewer):
    before = record(admin_db, "profiles", "OH/naloxone")
    response = editor.post("/admin/profiles/edit/OH/naloxone", data=form_for("profiles", before, summary=NEW_SUMMARY))
    assert response.status_code == 302 and response.headers["Location"] == "/admin/profiles/edit/OH/naloxone"
    (draft,) = rows(admin_db, Draft)
    assert (draft.status, draft.action, draft.section, draft.entity_key) == (
        "pending",
        "update",
        "profiles",
        "OH/naloxone",
    )
    assert draft.record["summary"] == NEW_SUMMARY and draft.base == before
    with new_session(admin_db) as session:
        assert get_profile(session, "OH", "naloxone").summary == before["summary"]  # what the bot reads
    assert "1 draft for this record is waiting" in editor.get("/admin/profiles/edit/OH/naloxone").text

    review = reviewer.get(f"/admin/drafts/{draft.id}").text
    assert "Summary (web chat)" in review and before["summary"] in review and NEW_SUMMARY in review
    assert "Written by <strong>erin</strong>" in review and "Publish</button>" in review
    assert "Publish</button>" not in editor.get(f"/admin/drafts/{draft.id}").text
    assert f"Draft {draft.id}" in reviewer.get("/admin/drafts/").text

    assert (
        reviewer.post(f"/admin/drafts/{draft.id}/publish", data={"note": "Checked the state page."}).status_code == 302
    )
    after = record(admin_db, "profiles", "OH/naloxone")
    assert after == {**before, "summary": NEW_SUMMARY}
    with new_session(admin_db) as session:
        assert get_profile(session, "OH", "naloxone").summary == NEW_SUMMARY
    (entry,) = admin_changes(admin_db)
    assert (entry.actor, entry.action, entry.entity, entry.entity_key) == (
        "rita (draft by erin)",
        "update",
        "profile",
        "OH/naloxone",
    )
    assert entry.before == before and entry.after == after
    (draft,) = rows(admin_db, Draft)
    assert draft.status == "published" and draft.note == "Checked the state page." and draft.reviewed_at is not None
    with new_session(admin_db) as session:
        assert session.get(User, draft.reviewer_id).username == "rita"
    again = reviewer.post(f"/admin/drafts/{draft.id}/publish", follow_redirects=True)
    assert "no longer waiting for review" in again.text and len(admin_changes(admin_db)) == 1


def test_rejected_draft_leaves_the_record_alone(admin_db, editor, reviewer):
    before = record(admin_db, "guides", "test-howto")
    changed = form_for("guides", before, steps="Lay the person on their back.\nGive one spray.")
    assert editor.post("/admin/guides/edit/test-howto", data=changed).status_code == 302
    (draft,) = rows(admin_db, Draft)
    assert draft.record["steps"] == ["Lay the person on their back.", "Give one spray."]
    assert reviewer.post(f"/admin/drafts/{draft.id}/reject", data={"note": "Please cite the label."}).status_code == 302
    (draft,) = rows(admin_db, Draft)
    assert (draft.status, draft.note) == ("rejected", "Please cite the label.")
    assert record(admin_db, "guides", "test-howto") == before and admin_changes(admin_db) == []
    assert "Please cite the label." in reviewer.get("/admin/drafts/?status=rejected").text


def test_history_shows_changes_and_revert_restores_the_record(admin_db, reviewer):
    before = record(admin_db, "profiles", "OH/naloxone")
    publish = form_for("profiles", before, action="publish", summary=NEW_SUMMARY)
    assert reviewer.post("/admin/profiles/edit/OH/naloxone", data=publish).status_code == 302
    (entry,) = admin_changes(admin_db)
    assert entry.actor == "rita" and rows(admin_db, Draft)[0].status == "published"  # same path as any draft
    page = reviewer.get("/admin/history/profiles/OH/naloxone").text
    assert f"Change {entry.id}: update" in page and "By <strong>rita</strong> (admin)" in page
    assert "By <strong>test</strong> (import)" in page and NEW_SUMMARY in page
    assert "OH/naloxone" in reviewer.get("/admin/history/").text

    assert reviewer.post(f"/admin/history/change/{entry.id}/revert").status_code == 302
    assert record(admin_db, "profiles", "OH/naloxone") == before
    revert = admin_changes(admin_db)[-1]
    assert (revert.actor, revert.action, revert.before["summary"], revert.after) == (
        f"rita (revert of change {entry.id})",
        "update",
        NEW_SUMMARY,
        before,
    )
    nothing = reviewer.post(f"/admin/history/change/{entry.id}/revert", follow_redirects=True)
    assert "already as it was" in nothing.text and len(admin_changes(admin_db)) == 2

    new_site = {
        "id": "oh-new-site",
        "kind": "syringe_services",
        "name": "New Site",
        "description": "A test site.",
        "national": False,
        "state": "OH",
        "address": None,
        "city": None,
        "zip": None,
        "latitude": None,
        "longitude": None,
        "phone": "555-0100",
        "url": None,
        "hours": None,
        "languages": [],
        "cost": None,
        "last_verified": "2026-01-15",
        "citations": before["citations"],
    }
    assert (
        reviewer.post("/admin/resources/new", data=form_for("resources", new_site, action="publish")).status_code == 302
    )
    assert record(admin_db, "resources", "oh-new-site") == new_site
    created = admin_changes(admin_db)[-1]
    assert created.action == "create" and created.before is None
    assert reviewer.post(f"/admin/history/change/{created.id}/revert").status_code == 302
    assert record(admin_db, "resources", "oh-new-site") is None
    assert admin_changes(admin_db)[-1].action == "delete"


def test_new_records_and_removals_are_drafts_too(admin_db, editor, reviewer):
    site = form_for(
        "resources",
        record(admin_db, "resources", "oh-naloxone-test-program"),
        id="oh-second-program",
        name="Second Program",
        latitude="39.96",
        longitude="-83.0",
    )
    assert editor.post("/admin/resources/new", data=site).status_code == 302
    assert record(admin_db, "resources", "oh-second-program") is None
    (draft,) = rows(admin_db, Draft)
    assert draft.action == "create" and draft.record["latitude"] == 39.96
    taken = editor.post("/admin/resources/new", data={**site, "id": "oh-naloxone-test-program"})
    assert taken.status_code == 422 and "already used by another record" in taken.text
    assert reviewer.post(f"/admin/drafts/{draft.id}/publish").status_code == 302
    assert record(admin_db, "resources", "oh-second-program")["name"] == "Second Program"

    assert editor.post("/admin/resources/remove/oh-second-program").status_code == 302
    removal = rows(admin_db, Draft)[-1]
    assert removal.action == "delete" and removal.record is None
    assert "This draft removes the record" in reviewer.get(f"/admin/drafts/{removal.id}").text
    assert reviewer.post(f"/admin/drafts/{removal.id}/publish").status_code == 302
    assert record(admin_db, "resources", "oh-second-program") is None
    assert admin_changes(admin_db)[-1].action == "delete"

    chooser = editor.get("/admin/profiles/new")
    assert chooser.status_code == 200 and "Choose the state and the topic first" in chooser.text
    existing = editor.get("/admin/profiles/new?state=OH&topic=naloxone")
    assert existing.headers["Location"] == "/admin/profiles/edit/OH/naloxone"
    form = editor.get("/admin/profiles/new?state=OH&topic=treatment").text
    assert all(f'name="fields.{spec.name}"' in form for spec in TOPIC_FIELDS["treatment"])
    treatment = {
        "fields.methadone_programs": "12",
        "fields.methadone_programs_as_of": "2026-01-15",
        "fields.medicaid_covers_methadone": "yes",
        "fields.medicaid_covers_buprenorphine": "",
        "summary": "Ohio has 12 clinics that give methadone.",
        "sms_summary": "Ohio has 12 methadone clinics.",
        "last_verified": "2026-01-15",
        "citations-0-url": "https://example.org/otp",
        "citations-0-title": "Directory",
        "citations-0-publisher": "SAMHSA",
        "citations-0-accessed": "2026-01-15",
        "action": "save",
    }
    assert editor.post("/admin/profiles/new?state=OH&topic=treatment", data=treatment).status_code == 302
    created = rows(admin_db, Draft)[-1]
    assert created.action == "create" and created.entity_key == "OH/treatment"
    assert created.record["fields"] == {
        "methadone_programs": 12,
        "methadone_programs_as_of": "2026-01-15",
        "medicaid_covers_methadone": True,
        "medicaid_covers_buprenorphine": None,
        "telehealth_buprenorphine": None,
        "state_helpline": None,
    }


def test_citation_rows_can_be_added_and_removed(admin_db, editor):
    before = record(admin_db, "profiles", "PA/good_samaritan")
    assert len(before["citations"]) == 2
    added = editor.post(
        "/admin/profiles/edit/PA/good_samaritan", data=form_for("profiles", before, action="add_citation")
    )
    assert added.status_code == 200 and 'id="f-citations-2-url"' in added.text and "Citation 3" in added.text
    assert rows(admin_db, Draft) == []
    form = form_for("profiles", before, **{"citations-0-remove": "yes", "citations-2-url": "", "citations-2-title": ""})
    assert editor.post("/admin/profiles/edit/PA/good_samaritan", data=form).status_code == 302
    assert rows(admin_db, Draft)[0].record["citations"] == before["citations"][1:]
    unfinished = form_for("profiles", before, **{"citations-2-url": "https://example.org/new"})
    page = editor.post("/admin/profiles/edit/PA/good_samaritan", data=unfinished).text
    assert re.search(r'id="f-citations-2-title-error"[^>]*>must not be empty', page)


def test_mark_verified_publishes_for_reviewers_and_drafts_for_editors(admin_db, editor, reviewer):
    today = dt.date.today().isoformat()
    verified = reviewer.post("/admin/profiles/verify/PA/good_samaritan", data={"next": "/admin/?days=30"})
    assert verified.headers["Location"] == "/admin/?days=30"
    assert record(admin_db, "profiles", "PA/good_samaritan")["last_verified"] == today
    (entry,) = admin_changes(admin_db)
    assert entry.actor == "rita" and entry.after["last_verified"] == today
    assert editor.post("/admin/guides/verify/test-howto").status_code == 302
    assert record(admin_db, "guides", "test-howto")["last_verified"] == "2026-01-15"
    (_, draft) = rows(admin_db, Draft)
    assert (draft.status, draft.record["last_verified"]) == ("pending", today)


def test_dashboard_lists_what_needs_attention(admin_db, editor):
    with new_session(admin_db) as session, session.begin():
        hotline_id = session.execute(
            select(Citation.id).where(Citation.url == "https://example.org/hotline")
        ).scalar_one()
        session.execute(update(Citation).where(Citation.id == hotline_id).values(url="example.org/hotline"))
    days = (dt.date.today() - dt.date(2026, 1, 15)).days + 1  # only the 2025 record is older
    page = editor.get(f"/admin/?days={days}").text
    assert f"Not verified in the last {days} days (1)" in page and "PA/good_samaritan" in page
    assert "Propose: verified today" in page
    assert "Not verified in the last 180 days (5)" in editor.get("/admin/").text
    assert "Enter a whole number of days" in editor.get("/admin/?days=soon").text
    assert "Ohio (OH):" in page and "/admin/profiles/new?state=OH&amp;topic=good_samaritan" in page
    assert "Missing or malformed citations (1)" in page and "national-test-hotline" in page
    assert "expected a web address" in page and "not checked online" in page
    assert "0 drafts waiting for a reviewer" in page
    # The two profiles have no Spanish; the guide's Spanish was checked after its English.
    assert "Translations missing or older than the English (2)" in page
    assert page.count("no translation") == 2 and "test-howto" not in page.split('id="translations-heading"')[1]


def test_the_dashboard_shows_each_treatment_directory_and_the_month_of_its_data(admin_db, editor):
    from tests.conftest import import_directories

    assert "No directory is imported" in editor.get("/admin/").text
    with new_session(admin_db) as session, session.begin():
        import_directories(session)
    page = editor.get("/admin/").text
    assert (
        "SAMHSA Opioid Treatment Program Directory (certified methadone programs): data from 2021-07, 1,827 sites"
        in page
    )


def test_a_translation_older_than_its_english_is_on_the_dashboard(admin_db, reviewer):
    reviewer.post("/admin/guides/verify/test-howto", data={"next": "/admin/"})  # the English verified today
    page = reviewer.get("/admin/").text.split('id="translations-heading"')[1].split("</section>")[0]
    assert "Translations missing or older than the English (3)" in page
    assert "test-howto" in page and "2026-01-20" in page and dt.date.today().isoformat() in page


def test_translated_texts_are_edited_beside_the_english(editor):
    page = editor.get("/admin/guides/edit/test-howto").text
    [row] = [row for row in page.split('class="form-row side-by-side"')[1:] if "Summary (Español)" in row]
    assert ">Summary" in row
    assert "Resumen de prueba." in row and "Test summary." in row
    rows = forms.side_by_side(forms.record_inputs("profiles", "naloxone"))
    paired = {row[0].path: [spec.path for spec in row[1:]] for row in rows if len(row) > 1}
    assert paired == {
        "summary": ["translations.es.summary"],
        "sms_summary": ["translations.es.sms_summary"],
        "last_verified": ["translations.es.last_verified"],
    }


def test_lists_search_and_filter(editor):
    national = editor.get("/admin/resources/?state=national").text
    assert "Test Hotline" in national and "Test Naloxone Program" not in national
    assert "Test Naloxone Program" in editor.get("/admin/resources/?q=NALOXONE").text
    assert "Test Hotline" not in editor.get("/admin/resources/?kind=naloxone_distribution").text
    profiles = editor.get("/admin/profiles/?topic=good_samaritan").text
    assert "/admin/profiles/edit/PA/good_samaritan" in profiles and "/admin/profiles/edit/OH/naloxone" not in profiles
    assert "/admin/profiles/edit/OH/naloxone" in editor.get("/admin/profiles/?state=OH").text
    assert "0 records" in editor.get("/admin/guides/?topic=treatment").text


def test_sign_in_locks_after_five_failures_across_processes(admin_db, tmp_path):
    client = make_app(admin_db, tmp_path).test_client()
    for _ in range(5):
        assert client.post("/admin/login/", data={"username": "rita", "password": "wrong"}).status_code == 401
    locked = client.post("/admin/login/", data={"username": "Rita", "password": PASSWORD})
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
    other_process = make_app(admin_db, tmp_path).test_client()
    assert other_process.post("/admin/login/", data={"username": "rita", "password": PASSWORD}).status_code == 429
    assert other_process.post("/admin/login/", data={"username": "erin", "password": PASSWORD}).status_code == 302
    assert len(rows(admin_db, LoginAttempt, LoginAttempt.username == "rita")) == 5
    with new_session(admin_db) as session, session.begin():
        session.execute(update(LoginAttempt).values(at=utcnow() - dt.timedelta(minutes=16)))
    assert client.post("/admin/login/", data={"username": "rita", "password": PASSWORD}).status_code == 302


def test_session_expires_after_inactivity(app, reviewer, monkeypatch):
    assert reviewer.get("/admin/").status_code == 200
    later = int(time.time()) + 31 * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    response = reviewer.get("/admin/profiles/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login/")
    monkeypatch.setenv("HRBOT_ADMIN_SESSION_MINUTES", "5")
    assert create_app(app.config["DATABASE_URL"], {"SECRET_KEY": "x"}).permanent_session_lifetime == dt.timedelta(
        minutes=5
    )


def test_disabling_or_a_new_password_ends_open_sessions(admin_db, app, editor, reviewer):
    erin = rows(admin_db, User, User.username == "erin")[0]
    assert reviewer.post(f"/admin/users/{erin.id}/active", data={"active": "no"}).status_code == 302
    assert editor.get("/admin/").status_code == 302
    assert app.test_client().post("/admin/login/", data={"username": "erin", "password": PASSWORD}).status_code == 401
    assert reviewer.post(f"/admin/users/{erin.id}/active", data={"active": "yes"}).status_code == 302
    editor = sign_in(app, "erin")
    new = "a brand new passphrase"
    assert (
        reviewer.post(f"/admin/users/{erin.id}/password", data={"password": new, "password_again": new}).status_code
        == 302
    )
    assert editor.get("/admin/").status_code == 302
    sign_in(app, "erin", new)
    rita = rows(admin_db, User, User.username == "rita")[0]
    refused = reviewer.post(f"/admin/users/{rita.id}/active", data={"active": "no"}, follow_redirects=True)
    assert "only active reviewer" in refused.text and rows(admin_db, User, User.id == rita.id)[0].active
    assert (
        reviewer.post(
            "/admin/users/add", data={"username": "Sam", "role": "editor", "password": new, "password_again": new}
        ).status_code
        == 302
    )
    assert rows(admin_db, User, User.username == "sam")[0].password_hash.startswith("scrypt:")


def test_export_writes_yaml_that_imports_back_unchanged(admin_db, reviewer, tmp_path):
    before = record(admin_db, "profiles", "OH/naloxone")
    assert (
        reviewer.post(
            "/admin/profiles/edit/OH/naloxone", data=form_for("profiles", before, action="publish", summary=NEW_SUMMARY)
        ).status_code
        == 302
    )
    old_layout = tmp_path / "export" / "profiles" / "naloxone-ak-mo.yaml"
    old_layout.parent.mkdir(parents=True)
    old_layout.write_text((FIXTURES / "dataset" / "profiles.yaml").read_text())
    page = reviewer.post("/admin/export/")
    assert page.status_code == 200 and "Exported 5 records" in page.text and "naloxone-ak-mo.yaml" in page.text
    assert not old_layout.exists()
    dataset = load_dataset(tmp_path / "export")
    assert dataset.errors == [] and dataset.profiles["OH/naloxone"]["summary"] == NEW_SUMMARY
    with new_session(admin_db) as session, session.begin():
        counts = import_dataset(session, dataset, actor="test", prune=True)
        assert (counts.added, counts.changed, counts.removed, counts.unchanged) == (0, 0, 0, 5)
        session.rollback()


def test_users_commands(use_db, monkeypatch, capsys):
    with new_session(use_db) as session, session.begin():
        username, password = ensure_first_reviewer(session)
    with new_session(use_db) as session, session.begin():
        assert ensure_first_reviewer(session) is None
    admin = rows(use_db, User)[0]
    assert (admin.username, admin.role) == (username, "reviewer") == ("admin", "reviewer")
    assert admin.password_hash.startswith("scrypt:") and check_password_hash(admin.password_hash, password)

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["users", "add", "Sam", "--role", "editor", "--password-stdin"]) == 0
    assert "Added editor sam." in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "add", "kim", "--role", "editor", "--password-stdin"]) == 1
    assert "at least 10 characters" in capsys.readouterr().err
    typed = iter(["another good password", "another good password", "one password", "a different one"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    assert main(["users", "passwd", "sam"]) == 0
    assert main(["users", "passwd", "sam"]) == 1
    assert "not the same" in capsys.readouterr().err
    sam = rows(use_db, User, User.username == "sam")[0]
    assert check_password_hash(sam.password_hash, "another good password") and sam.session_version == 1
    assert main(["users", "disable", "sam"]) == 0
    assert main(["users", "disable", "admin"]) == 1
    assert "only active reviewer" in capsys.readouterr().err
    assert main(["users", "passwd", "nobody", "--password-stdin"]) == 1
    assert main(["users", "list"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"admin\s+reviewer\s+active", out) and re.search(r"sam\s+editor\s+disabled", out)
    assert password not in out and "another good password" not in out


def test_every_schema_field_has_a_form_input_and_forms_round_trip():
    for topic, specs in TOPIC_FIELDS.items():
        paths = {spec.path for spec in forms.record_inputs("profiles", topic)}
        assert {f"fields.{spec.name}" for spec in specs} <= paths, topic
    for section, specs in (("resources", RESOURCE_FIELDS), ("guides", GUIDE_FIELDS)):
        paths = {spec.path for spec in forms.record_inputs(section) + forms.KEY_INPUTS[section]}
        assert {spec.name for spec in specs} - {"citations", "translations"} <= paths, section
    for section, specs in TRANSLATION_FIELDS.items():
        paths = {spec.path for spec in forms.record_inputs(section, "naloxone")}
        assert {f"translations.es.{spec.name}" for spec in specs} <= paths, section
    dataset = load_dataset(FIXTURES / "dataset")
    for section in ("profiles", "resources", "guides"):
        for original in dataset.section(section).values():
            raw, _ = forms.raw_record(section, forms.form_values(section, original), {})
            assert validate_record(section, raw, where="test") == (original, [])


def test_diff_names_fields_and_marks_edited_words():
    before = {"summary": "This is a test summary. It is short and plain.", "fields": {"has_law": None}}
    edited = {"summary": "This is a new test summary. It is short and plain.", "fields": {"has_law": True}}
    rows = changes("profiles", before, edited)
    assert [(row.label, row.after) for row in rows] == [
        ("Summary (web chat)", edited["summary"]),
        ("Has a 911 Good Samaritan overdose law", "yes"),
    ]
    assert rows[1].before == "(empty)" and rows[1].words == ""
    assert re.search(r'<ins><span class="sr-only">added: </span>\s?new\s?</ins>', rows[0].words)
    rewritten = changes("guides", before, {**before, "summary": NEW_SUMMARY})
    assert rewritten[0].label == "Summary" and rewritten[0].words == ""  # marking every word would be noise


def test_migrations_match_the_models(db_url):
    with get_engine(db_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_secret_key_is_made_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("HRBOT_ADMIN_SECRET_KEY", raising=False)
    key = secret_key(tmp_path)
    path = tmp_path / "admin-secret-key"
    assert len(key) >= 32 and path.stat().st_mode & 0o777 == 0o600
    assert secret_key(tmp_path) == key
    monkeypatch.setenv("HRBOT_ADMIN_SECRET_KEY", "from-the-environment")
    assert secret_key(tmp_path) == "from-the-environment"


def _post_from(client, address, **form):
    return client.post("/admin/login/", data=form, environ_base={"REMOTE_ADDR": address})


def test_failures_from_one_client_do_not_lock_the_account_elsewhere_and_back_off(admin_db, tmp_path):
    client = make_app(admin_db, tmp_path).test_client()
    for _ in range(5):
        assert _post_from(client, "10.0.0.66", username="rita", password="wrong").status_code == 401
    assert _post_from(client, "10.0.0.66", username="rita", password=PASSWORD).status_code == 429
    her_desk = make_app(admin_db, tmp_path).test_client()
    assert _post_from(her_desk, "10.0.0.7", username="rita", password=PASSWORD).status_code == 302
    # After the first lock ends, one more failure locks again, for twice as long.
    with new_session(admin_db) as session, session.begin():
        session.execute(
            update(LoginAttempt).where(LoginAttempt.succeeded.is_(False)).values(at=utcnow() - dt.timedelta(minutes=16))
        )
    assert _post_from(client, "10.0.0.66", username="rita", password="wrong").status_code == 401
    locked = _post_from(client, "10.0.0.66", username="rita", password=PASSWORD)
    assert locked.status_code == 429 and "Wait 30 minutes" in locked.text


def test_a_client_guessing_many_usernames_is_throttled(admin_db, tmp_path):
    client = make_app(admin_db, tmp_path).test_client()
    statuses = [_post_from(client, "10.0.0.99", username=f"user{n}", password="wrong").status_code for n in range(25)]
    assert statuses[:20] == [401] * 20 and set(statuses[20:]) == {429}
    assert _post_from(client, "10.0.0.99", username="erin", password=PASSWORD).status_code == 429
    elsewhere = make_app(admin_db, tmp_path).test_client()
    assert _post_from(elsewhere, "10.0.0.5", username="erin", password=PASSWORD).status_code == 302


def test_a_reviewer_can_unlock_an_account(admin_db, tmp_path, monkeypatch):
    from bot.cli import main

    client = make_app(admin_db, tmp_path).test_client()
    for _ in range(5):
        client.post("/admin/login/", data={"username": "erin", "password": "wrong"})
    assert client.post("/admin/login/", data={"username": "erin", "password": PASSWORD}).status_code == 429
    monkeypatch.setenv("DATABASE_URL", admin_db)
    assert main(["users", "unlock", "erin"]) == 0
    assert client.post("/admin/login/", data={"username": "erin", "password": PASSWORD}).status_code == 302


def test_a_session_cookie_copied_before_sign_out_no_longer_works(app):
    client = sign_in(app, "erin")
    cookie = client.get_cookie("session").value
    assert client.post("/admin/login/out").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/admin/").status_code == 302  # back to sign-in


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/%09/evil.example".replace("%09", "\t"),
        "/ /evil.example",
        "//evil.example",
        "https://evil.example",
        "/\n/evil.example",
    ],
)
def test_next_never_leads_off_the_site(target):
    from bot.admin.auth import safe_next

    assert safe_next(target) is None
    assert safe_next("/admin/profiles/") == "/admin/profiles/"


# ---- Usage page and the review queue of reports from users

OHIO = About(UNKNOWN, "naloxone", "free_naloxone", "OH", "profiles/OH/naloxone")
WYOMING = About(UNKNOWN, "good_samaritan", "probation_parole", "WY")


def add_counts(db_url, about, measure, times, channel="webchat"):
    with new_session(db_url) as session, session.begin():
        for _ in range(times):
            usage.count(session, measure, channel, "en", about, intent="ask_naloxone" if measure == FALLBACK else "")


def file(db_url, about, note="The price changed", answer="Ohio: naloxone is free.", channel="webchat"):
    with new_session(db_url) as session, session.begin():
        return feedback.file_report(session, channel, "en", about, answer, note).id


def test_usage_page_hides_small_counts_and_links_to_the_record_to_fix(editor, admin_db):
    add_counts(admin_db, OHIO, UNKNOWN, 7)
    add_counts(admin_db, WYOMING, UNKNOWN, 2, channel="sms")
    add_counts(admin_db, None, FALLBACK, 3)
    page = editor.get("/admin/usage/").text
    unknown = page[page.index('Answered "we don\'t know" most often') : page.index("Not understood most often")]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(\w+)</td>", unknown)
    assert rows == [("7", "OH"), ("&lt; 5", "WY")]
    assert 'href="/admin/profiles/edit/OH/naloxone"' in unknown  # the fixture has Ohio's naloxone profile
    assert "/admin/profiles/new?state=WY&amp;topic=good_samaritan" in unknown  # none for Wyoming yet: add it
    assert "ask naloxone" in page
    assert ">2<" not in page and ">3<" not in page  # no small count is ever printed


def test_usage_page_refuses_a_bad_number_of_days(editor):
    for bad in ("0", "abc", "99999", "-3"):
        response = editor.get(f"/admin/usage/?days={bad}")
        assert response.status_code == 200
        assert "Enter a whole number of days from 1 to 365" in response.text


def test_the_review_queue_shows_open_reports_and_resolving_one_is_in_the_history(editor, admin_db):
    report_id = file(admin_db, OHIO)
    other = file(admin_db, None, note="No state here", channel="sms")
    page = editor.get("/admin/reports/").text
    assert f"Report {report_id}:" in page and f"Report {other}:" in page
    assert 'href="/admin/profiles/edit/OH/naloxone"' in page
    assert "Ohio: naloxone is free." in page and "The price changed" in page
    assert "by text message" in page and "came from no single record" in page
    assert "2 reports of a wrong answer waiting for review" in editor.get("/admin/").text

    response = editor.post(
        f"/admin/reports/{report_id}/resolve",
        data={"status": "fixed", "note": "Updated the cost"},
        follow_redirects=True,
    )
    assert f"Report {report_id} resolved" in response.text
    assert f"Report {report_id}:" not in editor.get("/admin/reports/").text
    assert f"Report {report_id}:" in editor.get("/admin/reports/?show=fixed").text
    history = editor.get("/admin/history/").text
    assert f"report {report_id} on profiles/OH/naloxone: fixed (Updated the cost)" in history
    with new_session(admin_db) as session:
        entry = session.execute(select(ChangeLog).where(ChangeLog.entity == "report")).scalar_one()
        assert entry.actor == "erin"


def test_resolving_twice_or_without_a_choice_says_why(reviewer, admin_db):
    report_id = file(admin_db, OHIO)
    response = reviewer.post(f"/admin/reports/{report_id}/resolve", data={"note": "?"}, follow_redirects=True)
    assert "Choose whether the report was fixed" in response.text
    reviewer.post(f"/admin/reports/{report_id}/resolve", data={"status": "not_a_problem"})
    response = reviewer.post(f"/admin/reports/{report_id}/resolve", data={"status": "fixed"}, follow_redirects=True)
    assert "already resolved (not a problem)" in response.text
    response = reviewer.post("/admin/reports/999/resolve", data={"status": "fixed"}, follow_redirects=True)
    assert response.status_code == 200 and "There is no such report" in response.text
    assert reviewer.get("/admin/reports/?show=bogus").status_code == 404
    with new_session(admin_db) as session:
        assert session.get(UserReport, report_id).status == feedback.NOT_A_PROBLEM


def test_signed_out_visitors_see_nothing(app, admin_db):
    file(admin_db, OHIO)
    client = app.test_client()
    for path in ("/admin/reports/", "/admin/usage/"):
        response = client.get(path)
        assert response.status_code in (302, 403) and "The price changed" not in response.text
