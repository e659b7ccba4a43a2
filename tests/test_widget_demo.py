"""`hrbot widget serve`: the demo page with the bot URL filled in, the widget's files, 404 for anything else."""

from __future__ import annotations

import http.client
import re
import socket

import pytest

from bot.cli import main
from bot.widget_demo import BOT_URL_PLACEHOLDER, WIDGET_DIR, bot_url_literal, start_demo_server

BOT_URL = "http://127.0.0.1:5999"


@pytest.fixture(scope="module")
def server():
    server = start_demo_server(port=0, bot_url=BOT_URL)
    yield server
    server.shutdown()
    server.server_close()


def get(server, path: str, method: str = "GET") -> http.client.HTTPResponse:
    """The path exactly as given (no client-side clean-up of "..")."""
    connection = http.client.HTTPConnection(*server.server_address, timeout=5)
    connection.request(method, path)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_demo_page_gets_the_bot_url(server):
    response = get(server, "/")
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    page = response.body.decode()
    assert f'botUrl: "{BOT_URL}"' in page
    assert BOT_URL_PLACEHOLDER not in page
    assert '<script src="/widget/hrbot-widget.js" defer></script>' in page
    assert BOT_URL_PLACEHOLDER in (WIDGET_DIR / "demo" / "index.html").read_text()  # the file itself is unchanged


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/widget/hrbot-widget.js", "javascript"),
        ("/widget/hrbot-widget.css", "text/css"),
        ("/widget/vendor/socket.io.min.js", "javascript"),
    ],
)
def test_widget_files(server, path, content_type):
    response = get(server, path)
    assert response.status == 200
    assert content_type in response.getheader("Content-Type")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.body == (WIDGET_DIR / path.removeprefix("/widget/")).read_bytes()
    assert get(server, path, method="HEAD").status == 200


@pytest.mark.parametrize(
    "path",
    [
        "/README.md",
        "/credentials.yml",
        "/widget",
        "/widget/missing.js",
        "/widget/../credentials.yml",
        "/widget/%2e%2e/credentials.yml",
        "/widget/..%2fbot/cli.py",
        "/widget//etc/passwd",
        "/etc/passwd",
    ],
)
def test_nothing_outside_widget(server, path):
    response = get(server, path)
    assert response.status == 404
    assert b"credentials" not in response.body


def test_bot_url_cannot_break_out_of_the_script():
    literal = bot_url_literal("http://bot.example/</script><script>alert(1)//")
    assert "</" not in literal and "<" not in literal
    for bad in ("javascript:alert(1)", "bot.example", ""):
        with pytest.raises(ValueError):
            bot_url_literal(bad)


def test_cli_reports_a_busy_port(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert main(["widget", "serve", "--port", str(busy.getsockname()[1])]) == 1
    assert "error:" in capsys.readouterr().err


def test_vendored_socket_io_is_documented():
    bundle = (WIDGET_DIR / "vendor" / "socket.io.min.js").read_text()
    version = re.search(r"Socket\.IO v(\d+\.\d+\.\d+)", bundle).group(1)
    assert version.startswith("4.")  # the client protocol of the server's python-socketio 5.x
    notes = (WIDGET_DIR / "vendor" / "README.md").read_text()
    assert f"| {version} |" in notes
    assert "MIT License" in (WIDGET_DIR / "vendor" / "socket.io-client.LICENSE").read_text()
