"""A fake Telegram Bot API server on 127.0.0.1, for the end-to-end tests and the benchmark.

It answers the methods the bot uses, hands out scripted user updates through getUpdates,
records every call, and fails on demand: 429 with retry_after, 5xx, 403. Optional rate
limits (all chats per second, one chat per second, one group per minute) answer 429 past
them and count how often they did; every delivered sendMessage is kept with its chat and
text, so a benchmark can count duplicates.

Point python-telegram-bot at it with ApplicationBuilder().base_url(server.api_url)
.base_file_url(server.file_url).
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from aiohttp import web

TOKEN = "123456789:AAFakeTokenForTheTests_phoihop-0123"
JSON_FIELDS = frozenset({"reply_markup", "commands", "scope", "allowed_updates", "link_preview_options", "reply_parameters"})
INT_FIELDS = frozenset({"chat_id", "message_id", "offset", "limit", "timeout", "user_id"})
SENDING = frozenset({"sendMessage", "sendDocument", "sendPhoto"})
Json = dict[str, Any]


@dataclass(frozen=True)
class Call:
    method: str
    params: Json
    status: int


@dataclass(frozen=True)
class Sent:
    """A message the bot delivered (sendMessage, or sendDocument with its bytes)."""

    chat_id: int
    text: str
    message_id: int
    reply_markup: Json | None = None
    filename: str | None = None
    content: bytes | None = None

    def labels(self) -> list[list[str]]:
        return [[button["text"] for button in row] for row in (self.reply_markup or {}).get("inline_keyboard", [])]

    def data(self) -> list[str]:
        return [button["callback_data"] for row in (self.reply_markup or {}).get("inline_keyboard", []) for button in row]

    def button(self, label: str) -> str:
        """The callback data of the button whose label contains `label`."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return next(button["callback_data"] for row in rows for button in row if label in button["text"])


@dataclass(frozen=True)
class User:
    id: int
    first_name: str
    last_name: str | None = None
    language_code: str | None = "vi"
    username: str | None = None

    def as_json(self) -> Json:
        user: Json = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "language_code", "username"):
            if getattr(self, key):
                user[key] = getattr(self, key)
        return user

    def private_chat(self) -> Json:
        return {"id": self.id, "type": "private", "first_name": self.first_name}


def group(chat_id: int, title: str, kind: str = "supergroup") -> Json:
    return {"id": chat_id, "type": kind, "title": title}


@dataclass
class Limits:
    """Telegram's published limits are about 30/s in all, 1/s per chat, 20/min per group."""

    global_per_second: int | None = None
    chat_per_second: int | None = None
    group_per_minute: int | None = None


@dataclass
class RateLimiter:
    limits: Limits
    clock: Callable[[], float] = time.monotonic
    _windows: dict[tuple[str, int], deque[float]] = field(default_factory=dict)

    def _rules(self, chat_id: int) -> list[tuple[tuple[str, int], int, float]]:
        limits, rules = self.limits, []
        if limits.global_per_second:
            rules.append((("all", 0), limits.global_per_second, 1.0))
        if limits.chat_per_second:
            rules.append((("chat", chat_id), limits.chat_per_second, 1.0))
        if limits.group_per_minute and chat_id < 0:
            rules.append((("group", chat_id), limits.group_per_minute, 60.0))
        return rules

    def admit(self, chat_id: int) -> int | None:
        """None when the message may go (and it is counted), else the seconds to wait."""
        now, waits = self.clock(), []
        rules = self._rules(chat_id)
        for key, most, span in rules:
            window = self._windows.setdefault(key, deque())
            while window and window[0] <= now - span:
                window.popleft()
            if len(window) >= most:
                waits.append(window[0] + span - now)
        if waits:
            return max(1, math.ceil(max(waits)))
        for key, _, _ in rules:
            self._windows[key].append(now)
        return None


@dataclass
class Failure:
    method: str
    status: int
    description: str
    times: int | None
    chat_id: int | None = None
    retry_after: int | None = None

    def matches(self, method: str, params: Json) -> bool:
        return method == self.method and (self.chat_id is None or params.get("chat_id") == self.chat_id)


class FakeTelegram:
    def __init__(self, token: str = TOKEN, username: str = "PhoiHopTestBot", limits: Limits | None = None, hold: float = 0.5) -> None:
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":")[0])
        self.limiter = RateLimiter(limits or Limits())
        self.hold = hold
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.too_many_requests = 0
        self.webhook: Json = {}
        self.commands: dict[tuple[str, str], list[Json]] = {}
        self.files: dict[str, bytes] = {}
        self._failures: list[Failure] = []
        self._pending: list[tuple[Json, bool]] = []
        self._update_ids = count(1)
        self._message_ids = count(1)
        self._changed = asyncio.Condition()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- life cycle -------------------------------------------------------------------

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
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

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def file_url(self) -> str:
        return f"{self.url}/file/bot"

    # --- what happened --------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def sent_to(self, chat_id: int) -> list[Sent]:
        return [message for message in self.sent if message.chat_id == chat_id]

    def duplicates(self) -> int:
        """Messages delivered more than once to the same chat with the same text."""
        return sum(times - 1 for times in Counter((m.chat_id, m.text) for m in self.sent if m.content is None).values())

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        async def waiting() -> None:
            async with self._changed:
                await self._changed.wait_for(condition)

        await asyncio.wait_for(waiting(), timeout)

    # --- failures on demand -----------------------------------------------------------

    def fail(
        self, method: str, status: int, description: str, times: int | None = 1, chat_id: int | None = None, retry_after: int | None = None
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given) with an error;
        `times` None: every call from now on."""
        self._failures.append(Failure(method, status, description, times, chat_id, retry_after))

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every message to them gets 403 from now on."""
        for method in SENDING | {"sendChatAction"}:
            self.fail(method, 403, "Forbidden: bot was blocked by the user", times=None, chat_id=chat_id)

    def heal(self) -> None:
        """Forget every failure asked for: calls succeed again."""
        self._failures.clear()

    def flood(self, method: str, retry_after: int, times: int | None = 1) -> None:
        self.fail(method, 429, f"Too Many Requests: retry after {retry_after}", times=times, retry_after=retry_after)

    # --- scripted updates --------------------------------------------------------------

    def push(self, update: Json, redeliver: bool = False) -> int:
        """Queue an update for getUpdates; `redeliver` hands it out once more even if the
        bot already confirmed its update_id (a duplicate delivery)."""
        if "update_id" not in update:
            update = {"update_id": next(self._update_ids), **update}
        self._pending.append((update, redeliver))
        self._poke()
        return int(update["update_id"])

    def message_update(self, user: User, text: str | None = None, chat: Json | None = None, **extra: Any) -> Json:
        message: Json = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat or user.private_chat(),
            "from": user.as_json(),
            **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": next(self._update_ids), "message": message}

    def says(self, user: User, text: str, chat: Json | None = None) -> int:
        return self.push(self.message_update(user, text, chat))

    def document_update(self, user: User, file_id: str, name: str, mime: str, size: int, caption: str | None = None) -> Json:
        document = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_name": name, "mime_type": mime, "file_size": size}
        return self.message_update(user, None, None, document=document, **({"caption": caption} if caption else {}))

    def photo_update(self, user: User, file_id: str, size: int) -> Json:
        sizes = [
            {"file_id": f"{file_id}-small", "file_unique_id": f"u-{file_id}-s", "width": 90, "height": 90, "file_size": size // 20},
            {"file_id": file_id, "file_unique_id": f"u-{file_id}", "width": 1280, "height": 960, "file_size": size},
        ]
        return self.message_update(user, None, None, photo=sizes)

    def press_update(self, user: User, message: Sent, data: str) -> Json:
        """A press on a button of `message`, with any data (a test may forge it)."""
        shown: Json = {"message_id": message.message_id, "date": int(time.time()), "chat": self._chat(message.chat_id), "from": self._me()}
        shown["text"] = message.text
        if message.reply_markup:
            shown["reply_markup"] = message.reply_markup
        query = {"id": f"cq-{message.message_id}", "from": user.as_json(), "chat_instance": "ci-1", "message": shown, "data": data}
        return {"update_id": next(self._update_ids), "callback_query": query}

    def membership_update(self, chat: Json, by: User, old: str, new: str) -> Json:
        """The bot's own membership changed: added to a group, removed, blocked by a user."""
        me = self._me()

        def member(status: str) -> Json:
            return {"user": me, "status": status, **({"until_date": 0} if status == "kicked" else {})}

        change = {
            "chat": chat,
            "from": by.as_json(),
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        return {"update_id": next(self._update_ids), "my_chat_member": change}

    # --- the API ---------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._record(method, {}, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        params = await _params(request)
        failure = next((f for f in self._failures if f.matches(method, params)), None)
        if failure is not None:
            return self._failed(method, params, failure)
        if method in SENDING and (wait := self.limiter.admit(int(params.get("chat_id", 0)))) is not None:
            self.too_many_requests += 1
            return self._error(method, params, 429, f"Too Many Requests: retry after {wait}", wait)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(method, params, 404, "Not Found: method not found")
        result = await handler(params)
        return self._record(method, params, 200, {"ok": True, "result": result})

    def _failed(self, method: str, params: Json, failure: Failure) -> web.Response:
        if failure.times is not None:
            failure.times -= 1
            if failure.times <= 0:
                self._failures.remove(failure)
        if failure.status == 429:
            self.too_many_requests += 1
        return self._error(method, params, failure.status, failure.description, failure.retry_after)

    def _error(self, method: str, params: Json, status: int, description: str, retry_after: int | None = None) -> web.Response:
        body: Json = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return self._record(method, params, status, body)

    def _record(self, method: str, params: Json, status: int, body: Json) -> web.Response:
        self.calls.append(Call(method, {k: v for k, v in params.items() if k != "document"}, status))
        self._poke()
        return web.json_response(body, status=status)

    def _poke(self) -> None:
        """Wake whoever waits for a change (a long poll, a test), once this call returns."""
        task = asyncio.get_running_loop().create_task(self._notify())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _me(self) -> Json:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Phối hợp", "username": self.username}

    def _chat(self, chat_id: int) -> Json:
        return {"id": chat_id, "type": "private", "first_name": "?"} if chat_id > 0 else group(chat_id, "?")

    def _message(self, chat_id: int, **content: Any) -> Json:
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": self._chat(chat_id), "from": self._me(), **content}

    async def _m_getMe(self, _params: Json) -> Json:
        return {**self._me(), "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    async def _m_getUpdates(self, params: Json) -> list[Json]:
        offset = int(params.get("offset") or 0)
        deadline = asyncio.get_running_loop().time() + min(float(params.get("timeout") or 0), self.hold)
        async with self._changed:
            while True:
                ready = [update for update, again in self._pending if again or update["update_id"] >= offset]
                self._pending = [(update, False) for update, _ in self._pending if update["update_id"] >= offset]
                remaining = deadline - asyncio.get_running_loop().time()
                if ready or remaining <= 0 or self._closing:
                    return ready
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    pass

    async def _m_setWebhook(self, params: Json) -> bool:
        self.webhook = dict(params)
        return True

    async def _m_deleteWebhook(self, _params: Json) -> bool:
        self.webhook = {}
        return True

    async def _m_getWebhookInfo(self, _params: Json) -> Json:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": len(self._pending)}

    async def _m_sendMessage(self, params: Json) -> Json:
        chat_id, text = int(params["chat_id"]), str(params["text"])
        markup = params.get("reply_markup")
        message = self._message(chat_id, text=text, **({"reply_markup": markup} if markup else {}))
        self.sent.append(Sent(chat_id, text, message["message_id"], markup))
        return message

    async def _m_sendDocument(self, params: Json) -> Json:
        chat_id, upload = int(params["chat_id"]), params["document"]
        file_id, content = f"doc-{len(self.files) + 1}", upload.file.read()
        self.files[file_id] = content
        document = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_name": upload.filename, "file_size": len(content)}
        caption = str(params.get("caption", ""))
        message = self._message(chat_id, document=document, caption=caption)
        self.sent.append(Sent(chat_id, caption, message["message_id"], None, upload.filename, content))
        return message

    async def _m_sendPhoto(self, params: Json) -> Json:
        chat_id, upload = int(params["chat_id"]), params["photo"]
        file_id, content = f"photo-{len(self.files) + 1}", upload.file.read()
        self.files[file_id] = content
        photo = [{"file_id": file_id, "file_unique_id": f"u-{file_id}", "width": 800, "height": 600, "file_size": len(content)}]
        caption = str(params.get("caption", ""))
        message = self._message(chat_id, photo=photo, caption=caption)
        self.sent.append(Sent(chat_id, caption, message["message_id"], None, upload.filename, content))
        return message

    async def _m_editMessageText(self, params: Json) -> Json:
        return self._message(int(params["chat_id"]), text=params["text"]) | {"message_id": params["message_id"]}

    async def _m_editMessageReplyMarkup(self, params: Json) -> Json:
        return self._message(int(params["chat_id"]), text="") | {"message_id": params["message_id"]}

    async def _m_answerCallbackQuery(self, _params: Json) -> bool:
        return True

    async def _m_sendChatAction(self, _params: Json) -> bool:
        return True

    async def _m_setMyCommands(self, params: Json) -> bool:
        self.commands[_menu_key(params)] = list(params["commands"])
        return True

    async def _m_getMyCommands(self, params: Json) -> list[Json]:
        return self.commands.get(_menu_key(params), [])

    async def _m_deleteMyCommands(self, params: Json) -> bool:
        self.commands.pop(_menu_key(params), None)
        return True

    async def _m_getFile(self, params: Json) -> Json:
        file_id = str(params["file_id"])
        size = len(self.files.get(file_id, b""))
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": size, "file_path": f"documents/{file_id}"}

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if request.match_info["token"] != self.token or file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id])


def _menu_key(params: Json) -> tuple[str, str]:
    """Which menu: the scope (as Telegram names it, with the chat for chat scopes) and language."""
    scope = params.get("scope") or {"type": "default"}
    name = scope["type"] + (f":{scope['chat_id']}" if "chat_id" in scope else "")
    return name, str(params.get("language_code") or "")


async def _params(request: web.Request) -> Json:
    """PTB posts form fields whose non-string values are JSON; a few are ints."""
    params: Json = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            params.update(await request.json())
        else:
            params.update(await request.post())
    for key in JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            params[key] = json.loads(params[key])
    for key in INT_FIELDS & params.keys():
        if isinstance(params[key], str) and params[key].lstrip("-").isdigit():
            params[key] = int(params[key])
    return params
