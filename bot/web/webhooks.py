"""The messengers' webhooks as routes of the web app (one server, one port, one proxy), or,
when the web is off, of a small app of their own on the channel's port.

Nothing of a request is read before its secret header is right (403 otherwise); a body
declared or streamed past MAX_BODY is refused with 413. The body goes to the channel's
`accept`, which answers the JSON to send back, or None for 400.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.web.server import serve_web

MAX_BODY = 1024 * 1024
Accept = Callable[[bytes], dict[str, Any] | None]


class _TooLarge(Exception):
    pass


@dataclass(frozen=True)
class Webhook:
    path: str
    header: str
    secret: str = field(repr=False)
    accept: Accept = field(repr=False)

    @property
    def route_path(self) -> str:
        return "/" + self.path.strip("/")

    def route(self) -> Route:
        return Route(self.route_path, self.endpoint, methods=["POST"])

    async def endpoint(self, request: Request) -> Response:
        given = request.headers.get(self.header, "").encode()
        if not hmac.compare_digest(given, self.secret.encode()):
            return PlainTextResponse("Forbidden", 403, headers={"Connection": "close"})
        declared = request.headers.get("Content-Length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            return PlainTextResponse("Too large", 413, headers={"Connection": "close"})
        try:
            body = await _capped(request)
        except _TooLarge:
            return PlainTextResponse("Too large", 413, headers={"Connection": "close"})
        answer = self.accept(body)
        if answer is None:
            return PlainTextResponse("Bad request", 400)
        return JSONResponse(answer)


async def _capped(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


class Webhooks:
    """The webhooks the web app serves; a channel adds its own once it is up."""

    def __init__(self) -> None:
        self.routes: list[BaseRoute] = []

    def attach(self, routes: list[BaseRoute]) -> None:
        """Serve on these routes (the web app's, which it reads at every request)."""
        self.routes = routes

    def add(self, hook: Webhook) -> None:
        self.routes.insert(0, hook.route())

    def remove(self, hook: Webhook) -> None:
        self.routes[:] = [r for r in self.routes if not (isinstance(r, Route) and r.path == hook.route_path)]


class OwnServer:
    """A webhook on a port of its own (the web is off)."""

    def __init__(self, hook: Webhook, listen: str, port: int) -> None:
        self.app = Starlette(routes=[hook.route()])
        self.listen, self.port = listen, port
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listening once it returns; OSError if the port cannot be had."""
        up = asyncio.Event()
        self.task = asyncio.create_task(serve_web(self.app, self.listen, self.port, self.stop, up))
        await asyncio.wait({self.task, asyncio.create_task(up.wait())}, return_when=asyncio.FIRST_COMPLETED)
        if self.task.done():
            self.task.result()

    async def close(self) -> None:
        self.stop.set()
        if self.task is not None:
            await asyncio.gather(self.task, return_exceptions=True)


async def receive_at(hook: Webhook, hooks: Webhooks | None, listen: str, port: int) -> Callable[[], Awaitable[None]]:
    """Serve `hook` on the web app (`hooks`) or on its own port; the coroutine function that
    stops it."""
    if hooks is not None:
        hooks.add(hook)

        async def unmount() -> None:
            hooks.remove(hook)

        return unmount
    server = OwnServer(hook, listen, port)
    await server.start()
    return server.close
