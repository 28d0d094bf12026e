"""A fake Zalo Bot API server on 127.0.0.1, for the end-to-end tests.

It answers the methods the bot uses as the Zalo Bot docs describe them (POST
`/bot<TOKEN>/<method>`, answers `{"ok": true, "result": …}` or `{"ok": false, "error_code",
"description"}`), hands out scripted updates through getUpdates one per call (408 when
none comes in time, as Zalo does), records every call, refuses texts over 2,000
characters, and fails on demand: 429 (without a wait, as Zalo documents none), 5xx, 403
("Internal server error", its only documented meaning). The API may send an error with
HTTP 200 (the envelope's `ok` and `error_code` are what count): `errors_over_http_200`
does so for every error.

Point the bot at it with ZaloOptions(token=fake.token, api_base_url=fake.url).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.server import Call, Failure, FakeBotApi, Json
from tests.fakes.telegram_api import Limits, RateLimiter

TOKEN = "3222229135581534944:FakeZaloTokenForTheTests-phoihop"
TEXT_LIMIT = 2000
TEXT = "message.text.received"
IMAGE = "message.image.received"
VOICE = "message.voice.received"
STICKER = "message.sticker.received"
UNSUPPORTED = "message.unsupported.received"
__all__ = ["IMAGE", "STICKER", "TEXT", "UNSUPPORTED", "VOICE", "TEXT_LIMIT", "TOKEN", "Call", "Failure", "FakeZalo", "Json", "Photo", "Sent", "User", "envelope", "group"]


@dataclass(frozen=True)
class Sent:
    chat_id: str
    text: str
    message_id: str


@dataclass(frozen=True)
class Photo:
    chat_id: str
    url: str
    caption: str
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


def _message_id() -> str:
    return secrets.token_hex(10)


class FakeZalo(FakeBotApi[str, Sent]):
    blocked_methods = frozenset({"sendMessage", "sendPhoto", "sendChatAction"})
    blocked_description = "Internal server error"

    def __init__(
        self,
        token: str = TOKEN,
        name: str = "Bot Phối hợp Lào Cai",
        hold: float = 0.5,
        errors_over_http_200: bool = False,
        limits: Limits | None = None,
    ) -> None:
        """`limits`: sendMessage past them answers 429 "Quota exceeded", with no wait (Zalo
        publishes no figure; the bench sets the configured ones)."""
        super().__init__(token, hold)
        self.name = name
        self.errors_over_http_200 = errors_over_http_200
        self.limiter = RateLimiter(limits or Limits())
        self.too_many_requests = 0
        self._pending: list[Json] = []
        self.photos: list[Photo] = []
        self.pictures: dict[str, bytes] = {}
        """What Zalo's servers hold at `picture_url(name)`: the photos people send the bot."""
        self.picture_failures = 0
        """How many of the next picture downloads answer 503."""

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/cdn/{name}", self._picture)

    def picture_url(self, name: str) -> str:
        return f"{self.url}/cdn/{name}"

    async def _picture(self, request: web.Request) -> web.Response:
        if self.picture_failures > 0:
            self.picture_failures -= 1
            return web.Response(status=503)
        content = self.pictures.get(request.match_info["name"])
        return web.Response(status=404) if content is None else web.Response(body=content, content_type="image/jpeg")

    def http_status(self, status: int) -> int:
        return 200 if self.errors_over_http_200 else status

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

    def photo_update(self, user: User, url: str, caption: str | None = None, field: str = "photo") -> Json:
        """An image as the docs show it (`photo`), or as a received webhook has it (`photo_url`)."""
        extra = {field: url, **({"caption": caption} if caption else {})}
        return self.message_update(user, None, None, IMAGE, **extra)

    def voice_update(self, user: User) -> Json:
        return self.message_update(user, None, None, VOICE, voice_url="https://voice-talk.zadn.vn/2026/ghi-am.aac")

    def sticker_update(self, user: User) -> Json:
        return self.message_update(user, None, None, STICKER, sticker="b1a2c3", url="https://zalo-api.zadn.vn/sticker.png")

    def without_event_name(self, update: Json) -> Json:
        """The update as one copy of the docs shows getUpdates results: no event_name."""
        return {key: value for key, value in update.items() if key != "event_name"}

    def says(self, user: User, text: str, chat: Json | None = None) -> Json:
        update = self.message_update(user, text, chat)
        self.push(update)
        return update

    # --- the API ---------------------------------------------------------------------

    async def _answer(self, method: str, params: Json) -> web.Response:
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(method, params, 404, "Not found")
        return await handler(params)

    def _ok(self, method: str, params: Json, result: Any = None) -> web.Response:
        return self._record(method, params, 200, {"ok": True, **({"result": result} if result is not None else {})})

    async def _m_getMe(self, params: Json) -> web.Response:
        me = {"id": "1459232241454765289", "account_name": "bot.PhoiHop", "account_type": "BASIC", "can_join_groups": True}
        return self._ok("getMe", params, {**me, "display_name": self.name})

    async def _m_getUpdates(self, params: Json) -> web.Response:
        if self.webhook.get("url"):
            return self._error("getUpdates", params, 400, "Webhook is set; use deleteWebhook first")
        await self._long_poll(float(params.get("timeout") or 30), lambda: bool(self._pending))
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
        if self.limiter.admit(chat_id) is not None:
            self.too_many_requests += 1
            return self._error("sendMessage", params, 429, "Quota exceeded")
        message_id = _message_id()
        self.sent.append(Sent(chat_id, text, message_id))
        return self._ok("sendMessage", params, {"message_id": message_id, "date": int(time.time() * 1000)})

    async def _m_sendPhoto(self, params: Json) -> web.Response:
        """Zalo fetches the picture from `photo`, a URL; the tests fetch it from `photos`."""
        chat_id, url, caption = str(params.get("chat_id", "")), str(params.get("photo", "")), str(params.get("caption", ""))
        if not chat_id or not url.startswith(("https://", "http://")) or len(caption) > TEXT_LIMIT:
            return self._error("sendPhoto", params, 400, "Bad request: photo must be a URL")
        message_id = _message_id()
        self.photos.append(Photo(chat_id, url, caption, message_id))
        return self._ok("sendPhoto", params, {"message_id": message_id, "date": int(time.time() * 1000)})

    async def _m_sendChatAction(self, params: Json) -> web.Response:
        return self._ok("sendChatAction", params)
