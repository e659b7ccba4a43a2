"""End to end: a reviewer edits Ohio's naloxone summary in the admin (headless Chromium), publishes it,
and the running bot answers with the new text at once, without a restart."""

from __future__ import annotations

import random
import uuid

import pytest
import requests
from playwright.sync_api import expect

from bot import feedback
from bot.admin.accounts import create_user
from bot.admin.app import create_app
from bot.admin.drafts import apply_change
from bot.admin.published import published_record
from bot.answers import ANSWERED, About
from bot.db.engine import new_session
from tests.conftest import ARTIFACTS, serving, sign_in_page


@pytest.fixture
def admin_server(bot_server, tmp_path):
    """The admin on a free port in a background thread, on the running bot's database."""
    app = create_app(bot_server["database_url"], {"SECRET_KEY": uuid.uuid4().hex, "EXPORT_DIR": str(tmp_path)})
    with serving(app) as url:
        yield url


@pytest.fixture
def ohio_naloxone(bot_server):
    """Ohio's naloxone profile as published; put back afterwards for the other tests sharing the bot."""
    url = bot_server["database_url"]
    with new_session(url) as session:
        original = published_record(session, "profiles", "OH/naloxone")
    yield original
    with new_session(url) as session, session.begin():
        apply_change(session, "profiles", "OH/naloxone", original, actor="test (restore after e2e)")


def test_published_edit_reaches_the_bot_without_a_restart(bot_server, browser, admin_server, ohio_naloxone):
    username, password = f"e2e-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    with new_session(bot_server["database_url"]) as session, session.begin():
        create_user(session, username, "reviewer", password)
    summary = (
        f"Ohio: Naloxone is free at many places. Ask for it at a health department. Code {random.randint(1000, 9999)}."
    )

    page = browser.new_page()
    try:
        sign_in_page(page, f"{admin_server}/admin/profiles/?state=OH&topic=naloxone", username, password)
        page.get_by_role("link", name="OH naloxone").click()
        page.locator("#f-sms_summary").fill(summary)  # the first, short answer is the text-message summary
        page.get_by_role("button", name="Save and publish now").click()
        page.get_by_text("Published OH/naloxone").wait_for()
        page.screenshot(path=str(ARTIFACTS / "admin-e2e-published.png"), full_page=True)
    finally:
        page.close()

    reply = requests.post(
        f"{bot_server['url']}/webhooks/rest/webhook",
        json={"sender": uuid.uuid4().hex, "message": "narcan in ohio"},
        timeout=30,
    )
    reply.raise_for_status()
    text = "\n".join(message.get("text", "") for message in reply.json())
    assert summary.removeprefix("Ohio: ") in text, text


def test_staff_resolve_a_report_in_the_review_queue(bot_server, browser, admin_server):
    marker = uuid.uuid4().hex[:8]
    with new_session(bot_server["database_url"]) as session, session.begin():
        about = About(ANSWERED, "naloxone", "free_naloxone", "OH", "profiles/OH/naloxone")
        report_id = feedback.file_report(session, "sms", "es", about, "Ohio: naloxone is free.", f"ya no {marker}").id
        username, password = f"rev-{marker}", uuid.uuid4().hex
        create_user(session, username, "editor", password)
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        sign_in_page(page, f"{admin_server}/admin/reports/", username, password)
        page.get_by_role("link", name="Reports from users").click()
        card = page.locator(f"#report-{report_id}")
        expect(card).to_contain_text(f"ya no {marker}")
        expect(card).to_contain_text("by text message, in Spanish")
        expect(card.get_by_role("link", name="Open the record OH/naloxone")).to_have_attribute(
            "href", "/admin/profiles/edit/OH/naloxone"
        )
        card.get_by_label("Not a problem: the answer is right").check()
        card.get_by_label("Note for the history").fill("Checked the state page: still free.")
        page.screenshot(path=str(ARTIFACTS / "admin-report-queue.png"), full_page=True)
        card.get_by_role("button", name=f"Resolve report {report_id}").click()
        expect(page.get_by_text(f"Report {report_id} resolved")).to_be_visible()
        expect(page.locator(f"#report-{report_id}")).to_have_count(0)
        page.get_by_role("link", name="Change history").click()
        expect(page.get_by_text(f"report {report_id} on profiles/OH/naloxone: not a problem")).to_be_visible()
    finally:
        page.close()
    assert errors == []  # the admin's CSP allows nothing inline: no violation
