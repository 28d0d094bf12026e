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

import json
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from aiohttp import web

from tests.fakes.server import Call, Failure, FakeBotApi, Json

TOKEN = "123456789:AAFakeTokenForTheTests_phoihop-0123"
JSON_FIELDS = frozenset({"reply_markup", "commands", "scope", "allowed_updates", "link_preview_options", "reply_parameters", "menu_button"})
INT_FIELDS = frozenset({"chat_id", "message_id", "offset", "limit", "timeout", "user_id"})
SENDING = frozenset({"sendMessage", "sendDocument", "sendPhoto"})
__all__ = [
    "INT_FIELDS",
    "JSON_FIELDS",
    "SENDING",
    "TOKEN",
    "Call",
    "Failure",
    "FakeTelegram",
    "Json",
    "Limits",
    "RateLimiter",
    "Sent",
    "User",
    "group",
]


@dataclass(frozen=True)
class Sent:
    """A message the bot delivered (sendMessage, or sendDocument with its bytes)."""

    chat_id: int
    text: str
    message_id: int
    reply_markup: Json | None = None
    filename: str | None = None
    content: bytes | None = None
    file_id: str | None = None
    """A file the bot re-sent by its Telegram file id (no upload)."""

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
    _windows: dict[tuple[str, int | str], deque[float]] = field(default_factory=dict)

    def _rules(self, chat_id: int | str) -> list[tuple[tuple[str, int | str], int, float]]:
        limits, rules = self.limits, []
        if limits.global_per_second:
            rules.append((("all", 0), limits.global_per_second, 1.0))
        if limits.chat_per_second:
            rules.append((("chat", chat_id), limits.chat_per_second, 1.0))
        if limits.group_per_minute and isinstance(chat_id, int) and chat_id < 0:
            rules.append((("group", chat_id), limits.group_per_minute, 60.0))
        return rules

    def admit(self, chat_id: int | str) -> int | None:
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


class FakeTelegram(FakeBotApi[int, Sent]):
    client_max_size = 64 * 1024 * 1024
    unrecorded_params = frozenset({"document"})
    blocked_methods = SENDING | {"sendChatAction"}
    blocked_description = "Forbidden: bot was blocked by the user"

    def __init__(
        self,
        token: str = TOKEN,
        username: str = "PhoiHopTestBot",
        limits: Limits | None = None,
        hold: float = 0.5,
        first_update_id: int = 1,
    ) -> None:
        """`first_update_id`: where update ids start (a bot that keeps its handled ids in its
        database needs new ones from a second fake)."""
        super().__init__(token, hold)
        self.username = username
        self.bot_id = int(token.split(":")[0])
        self.limiter = RateLimiter(limits or Limits())
        self.too_many_requests = 0
        self.commands: dict[tuple[str, str], list[Json]] = {}
        self.menu_buttons: dict[str, Json] = {}
        self.files: dict[str, bytes] = {}
        self._pending: list[tuple[Json, bool]] = []
        self._update_ids = count(first_update_id)
        self._message_ids = count(1)
        self.shown: list[Sent] = []
        """Every message as it appeared, in order: each one sent, and each edit (with the
        message id it edited), so a step's answer reads the same whether sent or edited."""
        self.edited: list[Sent] = []

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)

    @property
    def api_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def file_url(self) -> str:
        return f"{self.url}/file/bot"

    # --- failures on demand -----------------------------------------------------------

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

    async def _params(self, request: web.Request) -> Json:
        """PTB posts form fields whose non-string values are JSON; a few are ints."""
        params = await super()._params(request)
        for key in JSON_FIELDS & params.keys():
            if isinstance(params[key], str):
                params[key] = json.loads(params[key])
        for key in INT_FIELDS & params.keys():
            if isinstance(params[key], str) and params[key].lstrip("-").isdigit():
                params[key] = int(params[key])
        return params

    async def _answer(self, method: str, params: Json) -> web.Response:
        if method in SENDING and (wait := self.limiter.admit(int(params.get("chat_id", 0)))) is not None:
            self.too_many_requests += 1
            return self._error(method, params, 429, f"Too Many Requests: retry after {wait}", wait)
        if method == "editMessageText" and self._unchanged(params):
            return self._error(method, params, 400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same")
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(method, params, 404, "Not Found: method not found")
        result = await handler(params)
        return self._record(method, params, 200, {"ok": True, "result": result})

    def _failed(self, method: str, params: Json, failure: Failure[int]) -> web.Response:
        if failure.status == 429:
            self.too_many_requests += 1
        return super()._failed(method, params, failure)

    def _is_file(self, message: Sent) -> bool:
        return message.content is not None

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

        def take() -> list[Json]:
            """The updates not confirmed by `offset`, and those to hand out again; forget the confirmed."""
            ready = [update for update, again in self._pending if again or update["update_id"] >= offset]
            self._pending = [(update, False) for update, _ in self._pending if update["update_id"] >= offset]
            return ready

        return await self._long_poll(float(params.get("timeout") or 0), take)

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
        self.shown.append(self.sent[-1])
        return message

    async def _m_sendDocument(self, params: Json) -> Json:
        chat_id, upload = int(params["chat_id"]), params["document"]
        if isinstance(upload, str):
            return self._resent(chat_id, upload, "document", str(params.get("caption", "")))
        file_id, content = f"doc-{len(self.files) + 1}", upload.file.read()
        self.files[file_id] = content
        document = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_name": upload.filename, "file_size": len(content)}
        caption = str(params.get("caption", ""))
        message = self._message(chat_id, document=document, caption=caption)
        self.sent.append(Sent(chat_id, caption, message["message_id"], None, upload.filename, content))
        self.shown.append(self.sent[-1])
        return message

    def _resent(self, chat_id: int, file_id: str, kind: str, caption: str) -> Json:
        """A document or photo sent again by the file id Telegram gave it (no upload)."""
        medium: Json = {"file_id": file_id, "file_unique_id": f"u-{file_id}"}
        message = self._message(chat_id, caption=caption, **{kind: medium if kind == "document" else [medium]})
        self.sent.append(Sent(chat_id, caption, message["message_id"], file_id=file_id))
        return message

    async def _m_sendPhoto(self, params: Json) -> Json:
        chat_id, upload = int(params["chat_id"]), params["photo"]
        if isinstance(upload, str):
            return self._resent(chat_id, upload, "photo", str(params.get("caption", "")))
        file_id, content = f"photo-{len(self.files) + 1}", upload.file.read()
        self.files[file_id] = content
        photo = [{"file_id": file_id, "file_unique_id": f"u-{file_id}", "width": 800, "height": 600, "file_size": len(content)}]
        caption = str(params.get("caption", ""))
        message = self._message(chat_id, photo=photo, caption=caption)
        self.sent.append(Sent(chat_id, caption, message["message_id"], None, upload.filename, content))
        self.shown.append(self.sent[-1])
        return message

    def _unchanged(self, params: Json) -> bool:
        """Telegram refuses an edit that changes neither the text nor the keyboard."""
        key = (int(params["chat_id"]), int(params["message_id"]))
        last = next((m for m in reversed(self.shown) if (m.chat_id, m.message_id) == key), None)
        return last is not None and last.text == params["text"] and last.reply_markup == (params.get("reply_markup") or None)

    async def _m_editMessageText(self, params: Json) -> Json:
        chat_id, markup = int(params["chat_id"]), params.get("reply_markup") or None
        self.edited.append(Sent(chat_id, str(params["text"]), int(params["message_id"]), markup))
        self.shown.append(self.edited[-1])
        content = {"text": params["text"], **({"reply_markup": markup} if markup else {})}
        return self._message(chat_id, **content) | {"message_id": params["message_id"]}

    async def _m_editMessageReplyMarkup(self, params: Json) -> Json:
        return self._message(int(params["chat_id"]), text="") | {"message_id": params["message_id"]}

    async def _m_answerCallbackQuery(self, _params: Json) -> bool:
        return True

    async def _m_sendChatAction(self, _params: Json) -> bool:
        return True

    async def _m_setMyCommands(self, params: Json) -> bool:
        self.commands[_menu_key(params)] = list(params["commands"])
        return True

    async def _m_setChatMenuButton(self, params: Json) -> bool:
        self.menu_buttons[str(params.get("chat_id", "default"))] = dict(params["menu_button"])
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
