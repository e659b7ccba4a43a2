"""Shared fixtures: a migrated database on SQLite (always) and PostgreSQL (when reachable)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot import config
from bot.db.engine import get_engine, new_session
from bot.db.migrate import upgrade

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data" / "resources"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTGRES_URL = config.postgres_url_for_tests()


def run_async(coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API (the browser tests) holds
    the main thread's event loop for the rest of the session."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _postgres_reachable() -> bool:
    if not POSTGRES_URL:
        return False
    try:
        engine = create_engine(POSTGRES_URL, future=True, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


POSTGRES_UP = _postgres_reachable()


def pytest_report_header(config):
    if POSTGRES_UP:
        return f"database tests: SQLite and PostgreSQL ({make_url(POSTGRES_URL).render_as_string(hide_password=True)})"
    return "database tests: SQLite only; PostgreSQL NOT reachable, its cases are skipped"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, migrated database URL: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        upgrade(url)
        yield url
        get_engine(url).dispose()
        return
    with new_postgres_database() as url:
        try:
            upgrade(url)
            yield url
        finally:
            get_engine(url).dispose()


@contextmanager
def new_postgres_database():
    """The URL of a new, empty PostgreSQL database, dropped afterwards; skips when PostgreSQL is not reachable."""
    if not POSTGRES_UP:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL or '(TEST_POSTGRES_URL empty)'}")
    name = f"hrbot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def session(db_url):
    with new_session(db_url) as session:
        yield session


@pytest.fixture
def use_db(db_url, monkeypatch):
    """Point DATABASE_URL (and so the CLI) at the test database."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(app):
    """A WSGI app (the admin) on a free port in a background thread; yields its address."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", _free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def sign_in_page(page, url: str, username: str, password: str) -> None:
    """Open an admin page in the browser and sign in on the form it sends you to first."""
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


# tests/test_sms.py signs its webhooks with this token; the bot hashes numbers with this key.
SMS_AUTH_TOKEN = "test-auth-token-" + uuid.uuid4().hex
SMS_HASH_KEY = uuid.uuid4().hex

# tests/test_widget.py serves the widget demo here; the bot below accepts only this origin.
WIDGET_DEMO_PORT = _free_port()
WIDGET_DEMO_ORIGIN = f"http://127.0.0.1:{WIDGET_DEMO_PORT}"


SITES_DIR = PROJECT_ROOT / "data" / "sites"


def import_directories(session) -> None:
    """The treatment directories of data/sites, as `make run` imports them."""
    from bot.directory import apply_import, plan_import

    plan = plan_import(session, SITES_DIR)
    assert plan.errors == [], plan.errors[:5]
    apply_import(session, plan)


def start_or_fail(services, log_dir: Path, what: str) -> None:
    """Start the services; if one does not come up, stop them all and fail with the ends of their logs."""
    from bot.launcher import start, stop

    try:
        start(services, log_dir=log_dir)
    except RuntimeError as exc:
        stop(services)
        logs = "\n".join(path.read_text()[-3000:] for path in log_dir.glob("*.log"))
        pytest.fail(f"{what} did not start: {exc}\n{logs}")


@pytest.fixture(scope="session")
def bot_server(tmp_path_factory):
    """The real bot (Rasa server + action server) on free ports, over a database built from data/resources.

    Started once per test run; needs the model that `make test` trains into models/.
    """
    from bot.dataset.importer import import_dataset
    from bot.dataset.validate import load_dataset
    from bot.launcher import bot_services, stop

    if not any((PROJECT_ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/: run `make test`, which trains one")
    workdir = tmp_path_factory.mktemp("bot")
    url = f"sqlite:///{workdir / 'bot.db'}"
    upgrade(url)
    dataset = load_dataset(DATA_DIR)
    assert dataset.errors == [], [str(error) for error in dataset.errors[:5]]
    with new_session(url) as session, session.begin():
        import_dataset(session, dataset, actor="test")
        import_directories(session)
    rasa_port, action_port = _free_port(), _free_port()
    token = uuid.uuid4().hex
    services = bot_services(
        rasa_port=rasa_port,
        action_port=action_port,
        token=token,
        env={
            "DATABASE_URL": url,
            "HRBOT_WIDGET_ORIGINS": WIDGET_DEMO_ORIGIN,
            "TWILIO_AUTH_TOKEN": SMS_AUTH_TOKEN,
            "HRBOT_SMS_HASH_KEY": SMS_HASH_KEY,
        },
    )
    start_or_fail(services, workdir / "logs", "bot")
    yield {
        "url": f"http://127.0.0.1:{rasa_port}",
        "token": token,
        "database_url": url,
        "logs": workdir / "logs",
        "action_port": action_port,
        "pids": [service.started.pid for service in services],
    }
    stop(services)


@pytest.fixture(scope="session")
def real_db_url(tmp_path_factory):
    """A SQLite database built from the real data in data/resources and data/sites (read-only use)."""
    from bot.dataset.importer import import_dataset
    from bot.dataset.validate import load_dataset

    url = f"sqlite:///{tmp_path_factory.mktemp('real') / 'real.db'}"
    upgrade(url)
    dataset = load_dataset(DATA_DIR)
    assert dataset.errors == [], [str(error) for error in dataset.errors[:5]]
    with new_session(url) as session, session.begin():
        import_dataset(session, dataset, actor="test")
        import_directories(session)
    return url


CHROMIUM = config.chromium_path()
# Flags for a root user on a machine with no outside network (see scripts/ensure-chromium).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: `make test` installs it (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def installed_patch(name: str):
    """An autouse fixture for a test module: the named Rasa patch installed for each test, then removed."""

    @pytest.fixture(autouse=True)
    def fixture():
        from rasa_server.patches import install, uninstall

        install([name])
        yield
        uninstall([name])

    return fixture


# Tests that need the trained model, a running bot or a browser: `make check` leaves them out.
SLOW_FIXTURES = {"bot_server", "bot_without_actions", "browser", "trained_model", "scaled_bot"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.path.name == "test_sequential_runner.py":
            item.add_marker(pytest.mark.slow)
