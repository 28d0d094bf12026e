"""A thin async client of the Zalo Bot API (https://bot.zaloplatforms.com/docs/).

Every method is a POST of JSON to `<base>/bot<TOKEN>/<method>`; the answer is
`{"ok": true, "result": …}` or `{"ok": false, "error_code": …, "description": …}`.
The token is in every URL, so no URL ever goes into a message or an exception here.
"""

from __future__ import annotations

from typing import Any

import httpx

from bot.channels.delivery import Transient

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
POLL_SECONDS = 30
NO_UPDATE = 408
DEFAULT_RETRY_AFTER = 10.0
TIMEOUT = 15.0
Json = dict[str, Any]


class ZaloApiError(Exception):
    """The Bot API answered with an error: `status` is its error_code (or the HTTP status)."""

    def __init__(self, method: str, status: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{method}: {status} {description}")
        self.method = method
        self.status = status
        self.description = description
        self.retry_after = retry_after


class ZaloClient:
    def __init__(self, token: str, base_url: str = DEFAULT_BASE_URL, timeout: float = TIMEOUT) -> None:
        self._http = httpx.AsyncClient(base_url=f"{base_url.rstrip('/')}/bot{token}/", timeout=timeout)

    async def __aenter__(self) -> ZaloClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def call(self, method: str, params: Json | None = None, timeout: float | None = None) -> Any:
        """The method's result; ZaloApiError for an error answer, Transient when the server
        could not be reached or did not answer in time."""
        try:
            response = await self._http.post(method, json=params or {}, timeout=timeout or httpx.USE_CLIENT_DEFAULT)
        except httpx.TimeoutException:
            raise Transient(f"{method}: timed out") from None
        except httpx.TransportError as error:
            raise Transient(f"{method}: {type(error).__name__}") from None
        body = _body(response)
        if response.is_success and body.get("ok"):
            return body.get("result")
        status = int(body.get("error_code") or response.status_code)
        description = str(body.get("description") or response.reason_phrase)
        raise ZaloApiError(method, status, description, _retry_after(body, response))

    async def get_me(self) -> Json:
        return dict(await self.call("getMe"))

    async def get_update(self, seconds: int = POLL_SECONDS) -> Json | None:
        """Long polling: one update (the API hands out one per call, without an id), or
        None when none came within `seconds` (the API answers 408 then)."""
        try:
            result = await self.call("getUpdates", {"timeout": str(seconds)}, timeout=seconds + TIMEOUT)
        except ZaloApiError as error:
            if error.status == NO_UPDATE:
                return None
            raise
        return result if isinstance(result, dict) and result else None

    async def set_webhook(self, url: str, secret_token: str) -> Json:
        return dict(await self.call("setWebhook", {"url": url, "secret_token": secret_token}) or {})

    async def delete_webhook(self) -> None:
        await self.call("deleteWebhook")

    async def get_webhook_info(self) -> Json:
        return dict(await self.call("getWebhookInfo") or {})

    async def send_message(self, chat_id: str, text: str) -> Json:
        return dict(await self.call("sendMessage", {"chat_id": chat_id, "text": text}) or {})

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> Json:
        """A picture Zalo fetches from `photo_url` (the API takes no bytes)."""
        params = {"chat_id": chat_id, "photo": photo_url, **({"caption": caption} if caption else {})}
        return dict(await self.call("sendPhoto", params) or {})

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})


def _body(response: httpx.Response) -> Json:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(body: Json, response: httpx.Response) -> float | None:
    """A wait the server asked for: Telegram-style parameters.retry_after, or Retry-After."""
    parameters = body.get("parameters")
    wait = parameters.get("retry_after") if isinstance(parameters, dict) else None
    wait = wait if wait is not None else response.headers.get("Retry-After")
    try:
        return float(wait) if wait is not None else None
    except ValueError:
        return None
