"""A tiny static server for the web chat widget and its demo page (`hrbot widget serve`).

Serves widget/: the demo page at `/`, the widget's files under `/widget/`, and 404 for
everything else. The demo page's bot URL is filled in here, so the same page works
wherever the bot runs. Standard library only; keeps no access log (visitors' addresses
are not recorded).
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import re
import threading
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.config import PROJECT_ROOT

WIDGET_DIR = PROJECT_ROOT / "widget"
DEMO_PAGE = WIDGET_DIR / "demo" / "index.html"
DEFAULT_BOT_URL = "http://localhost:5005"
DEFAULT_PORT = 8080
# In demo/index.html the config reads `botUrl: "{{HRBOT_BOT_URL}}"`; the quotes are replaced too.
BOT_URL_PLACEHOLDER = '"{{HRBOT_BOT_URL}}"'


def bot_url_literal(bot_url: str) -> str:
    """The bot URL as a JavaScript string literal that is safe inside an HTML <script>."""
    parts = urlsplit(bot_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"bot URL {bot_url!r} is not an http(s) URL")
    return json.dumps(bot_url.rstrip("/")).replace("<", "\\u003c")


class WidgetRequestHandler(BaseHTTPRequestHandler):
    server_version = "hrbot-widget"
    sys_version = ""

    def __init__(self, *args, bot_url_js: str, bot_origins: str, **kwargs):
        self.bot_url_js = bot_url_js
        self.bot_origins = bot_origins
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args) -> None:
        """No access log: who visited a harm reduction site is nobody's business."""

    def _respond(self, send_body: bool) -> None:
        path = self._file_for(urlsplit(self.path).path)
        if path is None:
            self._send(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8", send_body)
            return
        body = path.read_bytes()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        policy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
        if content_type == "text/html":
            body = body.replace(BOT_URL_PLACEHOLDER.encode(), self.bot_url_js.encode())
            policy = content_security_policy(body.decode("utf-8"), self.bot_origins)
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        self._send(HTTPStatus.OK, body, content_type, send_body, policy)

    def _file_for(self, url_path: str) -> Path | None:
        """The file under widget/ that a URL path names, or None (never anything outside widget/)."""
        if url_path in ("/", "/index.html"):
            return DEMO_PAGE
        if not url_path.startswith("/widget/"):
            return None
        relative = unquote(url_path[len("/widget/") :])
        path = (WIDGET_DIR / relative).resolve()
        if path.is_dir():
            path = path / "index.html"
        if not path.is_relative_to(WIDGET_DIR.resolve()) or not path.is_file():
            return None
        return path

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        send_body: bool,
        policy: str = "default-src 'none'; frame-ancestors 'none'",
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Security-Policy", policy)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if send_body:
            self.wfile.write(body)


_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.S)


def content_security_policy(page: str, bot_origins: str) -> str:
    """A strict policy for the demo page: its own files, its inline blocks by hash, and the bot."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for kind, block in _INLINE.findall(page):
        digest = base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode()
        hashes[kind].append(f"'sha256-{digest}'")
    return (
        f"default-src 'none'; script-src 'self' {' '.join(hashes['script'])}; "
        f"style-src 'self' {' '.join(hashes['style'])}; connect-src 'self' {bot_origins}; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )


def bot_origins(bot_url: str) -> str:
    """The bot's origin for plain requests and for the WebSocket that socket.io opens."""
    parts = urlsplit(bot_url)
    socket_scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{parts.scheme}://{parts.netloc} {socket_scheme}://{parts.netloc}"


def demo_server(
    host: str = "127.0.0.1", port: int = DEFAULT_PORT, bot_url: str = DEFAULT_BOT_URL
) -> ThreadingHTTPServer:
    """A bound, not yet running server (port 0 picks a free port: see `server_address`)."""
    handler = partial(WidgetRequestHandler, bot_url_js=bot_url_literal(bot_url), bot_origins=bot_origins(bot_url))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def start_demo_server(
    host: str = "127.0.0.1", port: int = DEFAULT_PORT, bot_url: str = DEFAULT_BOT_URL
) -> ThreadingHTTPServer:
    """Serve in a background thread; stop with `.shutdown()` then `.server_close()`."""
    server = demo_server(host, port, bot_url)
    threading.Thread(target=server.serve_forever, name="widget-server", daemon=True).start()
    return server


def serve_demo(host: str = "127.0.0.1", port: int = DEFAULT_PORT, bot_url: str = DEFAULT_BOT_URL) -> int:
    """Serve until Ctrl-C (`hrbot widget serve`)."""
    server = demo_server(host, port, bot_url)
    print(
        f"Web chat widget demo: http://{'localhost' if host == '127.0.0.1' else host}:{port}/ (bot: {bot_url})\n"
        "Press Ctrl-C to stop.",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
