"""What the fake Bot API servers share: an aiohttp server on a free port of 127.0.0.1 that
answers POST `/bot<TOKEN>/<method>`, records every call, wakes long polls and waiting
tests when anything happens, and fails on demand.

A subclass answers the methods in `_answer`, may add routes in `routes`, and keeps in
`sent` what the bot delivered.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from aiohttp import web

Json = dict[str, Any]
ChatId = TypeVar("ChatId", int, str)
T = TypeVar("T")


class Delivered(Protocol):
    """What a fake keeps of each message the bot delivered."""

    @property
    def chat_id(self) -> int | str: ...

    @property
    def text(self) -> str: ...


SentT = TypeVar("SentT", bound=Delivered)


@dataclass(frozen=True)
class Call:
    method: str
    params: Json
    status: int


@dataclass
class Failure(Generic[ChatId]):
    method: str
    status: int
    description: str
    times: int | None
    chat_id: ChatId | None = None
    retry_after: int | None = None
    text: str | None = None

    def matches(self, method: str, params: Json) -> bool:
        return (
            method == self.method
            and (self.chat_id is None or params.get("chat_id") == self.chat_id)
            and (self.text is None or params.get("text") == self.text)
        )


class FakeBotApi(ABC, Generic[ChatId, SentT]):
    client_max_size: ClassVar[int] = 1024**2
    unrecorded_params: ClassVar[frozenset[str]] = frozenset()
    blocked_methods: ClassVar[frozenset[str]]
    blocked_description: ClassVar[str]

    def __init__(self, token: str, hold: float) -> None:
        self.token = token
        self.hold = hold
        self.calls: list[Call] = []
        self.sent: list[SentT] = []
        self.webhook: Json = {}
        self._failures: list[Failure[ChatId]] = []
        self._changed = asyncio.Condition()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- life cycle -------------------------------------------------------------------

    async def start(self) -> Self:
        app = web.Application(client_max_size=self.client_max_size)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    def routes(self, app: web.Application) -> None:
        """Add the routes beyond the Bot API methods."""

    async def stop(self) -> None:
        self._closing = True
        await self._notify()
        await asyncio.gather(*self._tasks)
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- what happened --------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def sent_to(self, chat_id: ChatId) -> list[SentT]:
        return [message for message in self.sent if message.chat_id == chat_id]

    def duplicates(self) -> int:
        """Messages delivered more than once to the same chat with the same text."""
        return sum(times - 1 for times in Counter((m.chat_id, m.text) for m in self.sent if not self._is_file(m)).values())

    def _is_file(self, message: SentT) -> bool:
        """A file is not a text: `duplicates` leaves it out."""
        return False

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        async def waiting() -> None:
            async with self._changed:
                await self._changed.wait_for(condition)

        await asyncio.wait_for(waiting(), timeout)

    # --- failures on demand -----------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        description: str,
        times: int | None = 1,
        chat_id: ChatId | None = None,
        retry_after: int | None = None,
        text: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, with `text`, if given)
        with an error; `times` None: every call from now on."""
        self._failures.append(Failure(method, status, description, times, chat_id, retry_after, text))

    def block(self, chat_id: ChatId) -> None:
        """The person blocked the bot: every message to them gets 403 from now on."""
        for method in self.blocked_methods:
            self.fail(method, 403, self.blocked_description, times=None, chat_id=chat_id)

    def heal(self) -> None:
        """Forget every failure asked for: calls succeed again."""
        self._failures.clear()

    # --- the API ---------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._error(method, {}, 401, "Unauthorized")
        params = await self._params(request)
        failure = next((f for f in self._failures if f.matches(method, params)), None)
        if failure is not None:
            return self._failed(method, params, failure)
        return await self._answer(method, params)

    async def _params(self, request: web.Request) -> Json:
        """The Bot API takes a query string, a form or JSON alike."""
        params: Json = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(await request.post())
        return params

    @abstractmethod
    async def _answer(self, method: str, params: Json) -> web.Response:
        """Answer a call that no failure on demand caught."""

    def _failed(self, method: str, params: Json, failure: Failure[ChatId]) -> web.Response:
        if failure.times is not None:
            failure.times -= 1
            if failure.times <= 0:
                self._failures.remove(failure)
        return self._error(method, params, failure.status, failure.description, failure.retry_after)

    def _error(self, method: str, params: Json, status: int, description: str, retry_after: int | None = None) -> web.Response:
        body: Json = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return self._record(method, params, status, body)

    def _record(self, method: str, params: Json, status: int, body: Json) -> web.Response:
        """Record the call with its status (the error code of an error) and answer it."""
        self.calls.append(Call(method, {k: v for k, v in params.items() if k not in self.unrecorded_params}, status))
        self._poke()
        return web.json_response(body, status=self.http_status(status))

    def http_status(self, status: int) -> int:
        """The HTTP status an answer with this status (or error code) comes with."""
        return status

    async def _long_poll(self, timeout: float, take: Callable[[], T]) -> T:
        """Call `take` until it gives something, the server stops or `timeout` (at most
        `hold`) has passed; its last answer."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(timeout, self.hold)
        async with self._changed:
            while True:
                taken = take()
                remaining = deadline - loop.time()
                if taken or remaining <= 0 or self._closing:
                    return taken
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    pass

    def _poke(self) -> None:
        """Wake whoever waits for a change (a long poll, a test), once this call returns."""
        task = asyncio.get_running_loop().create_task(self._notify())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()
