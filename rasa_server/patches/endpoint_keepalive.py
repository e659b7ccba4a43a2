"""Reuse one HTTP connection pool per endpoint instead of a new one per request.

Rasa 3.6's `EndpointConfig.request` opens a new `aiohttp.ClientSession` (and TCP
connection) for every call, so each custom action paid for a connect and a teardown,
and every extra await let other conversations' work run first. Here `session()` hands
out one long-lived session per endpoint and event loop, wrapped so that Rasa's
`async with endpoint.session()` no longer closes it. Idle connections are dropped
after 2 s, before the action server's (Sanic) 5 s keep-alive ends, so a request never
lands on a connection the server is closing.
"""

from __future__ import annotations

import asyncio

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from rasa_server.patches import Patch

IDLE_CONNECTION_SECONDS = 2.0


class _SharedSession:
    """`async with` yields the shared session and leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc_info) -> None:
        return None


def shared_session(self: EndpointConfig) -> _SharedSession:
    loop = asyncio.get_running_loop()
    session = getattr(self, "_shared_session", None)
    if session is None or session.closed or getattr(self, "_shared_session_loop", None) is not loop:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_CONNECTION_SECONDS),
        )
        self._shared_session, self._shared_session_loop = session, loop
    return _SharedSession(session)


PATCH = Patch("keepalive", EndpointConfig, "session", shared_session)
