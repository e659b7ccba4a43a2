"""Small hardening checks: private files, strict page policies, plain-text records, the first password."""

from __future__ import annotations

import stat

from bot import config
from bot.admin.accounts import FIRST_PASSWORD_FILE, first_reviewer_notice
from bot.dataset.validate import validate_record
from bot.db.engine import get_engine, new_session
from bot.widget_demo import content_security_policy
from tests.conftest import FIXTURES
from tests.test_admin import make_app


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_var_and_the_sqlite_database_are_private(tmp_path):
    folder = config.private_dir(tmp_path / "var")
    assert _mode(folder) == 0o700
    database = folder / "hrbot.db"
    with get_engine(f"sqlite:///{database}").connect():
        pass
    assert _mode(database) == 0o600


def test_the_first_password_goes_to_a_private_file_not_the_output(db_url, tmp_path, monkeypatch):
    monkeypatch.setattr("bot.admin.accounts.VAR_DIR", tmp_path)
    with new_session(db_url) as session, session.begin():
        notice = first_reviewer_notice(session)
    secret = tmp_path / FIRST_PASSWORD_FILE
    username, password = secret.read_text().split()
    assert _mode(secret) == 0o600 and password not in notice and str(secret) in notice
    with new_session(db_url) as session, session.begin():
        assert first_reviewer_notice(session) == ""


def test_records_must_be_plain_text():
    import yaml

    guide = yaml.safe_load((FIXTURES / "dataset" / "guides.yaml").read_text())["guides"][0]
    guide["summary"] = "Use it <script>alert(1)</script> now."
    record, errors = validate_record("guides", guide, "test")
    assert record is None and "plain text" in errors[0].message


def test_the_admin_sends_a_strict_content_security_policy(db_url, tmp_path):
    page = make_app(db_url, tmp_path).test_client().get("/admin/login/")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_the_demo_page_policy_allows_only_its_own_inline_blocks_and_the_bot():
    page = "<style>a{}</style><script>window.x = 1;</script>"
    policy = content_security_policy(page, "http://bot:5005 ws://bot:5005")
    assert policy.count("'sha256-") == 2 and "unsafe-inline" not in policy
    assert "connect-src 'self' http://bot:5005 ws://bot:5005" in policy
