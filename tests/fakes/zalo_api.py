"""A fake Zalo Bot API server on 127.0.0.1, for the end-to-end tests.

It answers the methods the bot uses as the Zalo Bot docs describe them (POST
`/bot<TOKEN>/<method>`, answers `{"ok": true, "result": …}` or `{"ok": false, "error_code",
"description"}`), hands out scripted updates through getUpdates one per call (408 when
none comes in time, as Zalo does), records every call, refuses texts over 2,000
characters, and fails on demand: 429, 5xx, 403.

Point the bot at it with ZaloOptions(token=fake.token, api_base_url=fake.url).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

TOKEN = "3222229135581534944:FakeZaloTokenForTheTests-phoihop"
TEXT_LIMIT = 2000
TEXT = "message.text.received"
IMAGE = "message.image.received"
Json = dict[str, Any]


@dataclass(frozen=True)
class Call:
    method: str
    params: Json
    status: int


@dataclass(frozen=True)
class Sent:
    chat_id: str
    text: str
    message_id: str


@dataclass(frozen=True)
class User:
    id: str
    name: str

    def private_chat(self) -> Json:
        return {"id": self.id, "chat_type": "PRIVATE"}


def group(chat_id: str) -> Json:
    return {"id": chat_id, "chat_type": "GROUP"}


def envelope(update: Json) -> Json:
    """A webhook body, as Zalo POSTs it."""
    return {"ok": True, "result": update}


@dataclass
class Failure:
    method: str
    status: int
    description: str
    times: int | None
    chat_id: str | None = None
    retry_after: int | None = None

    def matches(self, method: str, params: Json) -> bool:
        return method == self.method and (self.chat_id is None or params.get("chat_id") == self.chat_id)


def _message_id() -> str:
    return secrets.token_hex(10)


class FakeZalo:
    def __init__(self, token: str = TOKEN, name: str = "Bot Phối hợp Lào Cai", hold: float = 0.5) -> None:
        self.token = token
        self.name = name
        self.hold = hold
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.webhook: Json = {}
        self._failures: list[Failure] = []
        self._pending: list[Json] = []
        self._changed = asyncio.Condition()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- life cycle -------------------------------------------------------------------

    async def start(self) -> FakeZalo:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._closing = True
        await self._notify()
        await asyncio.gather(*self._tasks)
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeZalo:
        return await self.start()

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- what happened --------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def sent_to(self, chat_id: str) -> list[Sent]:
        return [message for message in self.sent if message.chat_id == chat_id]

    def duplicates(self) -> int:
        return sum(times - 1 for times in Counter((m.chat_id, m.text) for m in self.sent).values())

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        async def waiting() -> None:
            async with self._changed:
                await self._changed.wait_for(condition)

        await asyncio.wait_for(waiting(), timeout)

    # --- failures on demand -----------------------------------------------------------

    def fail(
        self, method: str, status: int, description: str, times: int | None = 1, chat_id: str | None = None, retry_after: int | None = None
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given) with an error;
        `times` None: every call from now on."""
        self._failures.append(Failure(method, status, description, times, chat_id, retry_after))

    def block(self, chat_id: str) -> None:
        """The person blocked the bot: every message to them gets 403 from now on."""
        for method in ("sendMessage", "sendPhoto", "sendChatAction"):
            self.fail(method, 403, "Forbidden: user blocked the bot", times=None, chat_id=chat_id)

    def heal(self) -> None:
        self._failures.clear()

    # --- scripted updates --------------------------------------------------------------

    def push(self, update: Json) -> None:
        """Queue an update for getUpdates (pushing one twice delivers it twice)."""
        self._pending.append(update)
        self._poke()

    def message_update(self, user: User, text: str | None = None, chat: Json | None = None, event: str = TEXT, **extra: Any) -> Json:
        message: Json = {
            "from": {"id": user.id, "display_name": user.name, "is_bot": False},
            "chat": chat or user.private_chat(),
            "message_id": _message_id(),
            "date": int(time.time() * 1000),
            **extra,
        }
        if text is not None:
            message["text"] = text
        return {"event_name": event, "message": message}

    def photo_update(self, user: User, url: str, caption: str | None = None) -> Json:
        extra = {"photo": url, **({"caption": caption} if caption else {})}
        return self.message_update(user, None, None, IMAGE, **extra)

    def says(self, user: User, text: str, chat: Json | None = None) -> Json:
        update = self.message_update(user, text, chat)
        self.push(update)
        return update

    # --- the API ---------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._error(method, {}, 401, "Unauthorized")
        params = await _params(request)
        failure = next((f for f in self._failures if f.matches(method, params)), None)
        if failure is not None:
            return self._failed(method, params, failure)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(method, params, 404, "Not found")
        return await handler(params)

    def _failed(self, method: str, params: Json, failure: Failure) -> web.Response:
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

    def _ok(self, method: str, params: Json, result: Any = None) -> web.Response:
        return self._record(method, params, 200, {"ok": True, **({"result": result} if result is not None else {})})

    def _record(self, method: str, params: Json, status: int, body: Json) -> web.Response:
        self.calls.append(Call(method, params, status))
        self._poke()
        return web.json_response(body, status=status)

    def _poke(self) -> None:
        task = asyncio.get_running_loop().create_task(self._notify())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _m_getMe(self, params: Json) -> web.Response:
        me = {"id": "1459232241454765289", "account_name": "bot.PhoiHop", "account_type": "BASIC", "can_join_groups": True}
        return self._ok("getMe", params, {**me, "display_name": self.name})

    async def _m_getUpdates(self, params: Json) -> web.Response:
        if self.webhook.get("url"):
            return self._error("getUpdates", params, 400, "Webhook is set; use deleteWebhook first")
        deadline = asyncio.get_running_loop().time() + min(float(params.get("timeout") or 30), self.hold)
        async with self._changed:
            while not self._pending and not self._closing:
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    pass
        if not self._pending:
            return self._error("getUpdates", params, 408, "Request timeout")
        return self._ok("getUpdates", params, self._pending.pop(0))

    async def _m_setWebhook(self, params: Json) -> web.Response:
        self.webhook = {"url": params["url"], "secret_token": params["secret_token"]}
        return self._ok("setWebhook", params, {"url": params["url"], "updated_at": int(time.time() * 1000)})

    async def _m_deleteWebhook(self, params: Json) -> web.Response:
        self.webhook = {}
        return self._ok("deleteWebhook", params, {"url": "", "updated_at": int(time.time() * 1000)})

    async def _m_getWebhookInfo(self, params: Json) -> web.Response:
        return self._ok("getWebhookInfo", params, {"url": self.webhook.get("url", ""), "updated_at": int(time.time() * 1000)})

    async def _m_sendMessage(self, params: Json) -> web.Response:
        chat_id, text = str(params.get("chat_id", "")), str(params.get("text", ""))
        if not chat_id or not 1 <= len(text) <= TEXT_LIMIT:
            return self._error("sendMessage", params, 400, "Bad request: text must have 1 to 2000 characters")
        message_id = _message_id()
        self.sent.append(Sent(chat_id, text, message_id))
        return self._ok("sendMessage", params, {"message_id": message_id, "date": int(time.time() * 1000)})

    async def _m_sendChatAction(self, params: Json) -> web.Response:
        return self._ok("sendChatAction", params)


async def _params(request: web.Request) -> Json:
    """The Bot API takes a query string, a form or JSON alike."""
    params: Json = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            params.update(await request.json())
        else:
            params.update(await request.post())
    return params
