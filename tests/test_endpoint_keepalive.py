"""Rasa's endpoint requests reuse one connection (and still work after the server drops it)."""

from __future__ import annotations

import asyncio

from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from rasa_server.patches.endpoint_keepalive import IDLE_CONNECTION_SECONDS, shared_session
from tests.conftest import installed_patch, run_async

installed = installed_patch("keepalive")


async def _serve(handler) -> tuple[web.AppRunner, int]:
    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]


def test_patch_is_in_effect():
    assert EndpointConfig.session is shared_session


def test_requests_share_one_connection_and_the_session_stays_open():
    peers = []

    async def handler(request):
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"echo": await request.json()})

    async def scenario():
        runner, port = await _serve(handler)
        try:
            endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
            replies = [await endpoint.request(json={"n": n}, method="post") for n in range(3)]
            async with endpoint.session() as session:
                assert not session.closed
            return replies
        finally:
            await runner.cleanup()

    replies = run_async(scenario())
    assert [reply["echo"]["n"] for reply in replies] == [0, 1, 2]
    assert len(set(peers)) == 1


def test_a_request_after_the_idle_timeout_opens_a_new_connection():
    peers = []

    async def handler(request):
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({})

    async def scenario():
        runner, port = await _serve(handler)
        try:
            endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
            await endpoint.request(json={}, method="post")
            await asyncio.sleep(IDLE_CONNECTION_SECONDS + 0.5)
            await endpoint.request(json={}, method="post")
        finally:
            await runner.cleanup()

    run_async(scenario())
    assert len(peers) == 2 and peers[0] != peers[1]


def test_each_event_loop_gets_its_own_session():
    async def session_of(endpoint):
        async with endpoint.session() as session:
            return session

    endpoint = EndpointConfig("http://127.0.0.1:9/webhook")
    first = run_async(session_of(endpoint))
    second = run_async(session_of(endpoint))
    assert first is not second
