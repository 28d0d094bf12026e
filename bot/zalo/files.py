"""Fetching a photo a person sent on Zalo (`bot/channels/keeping`): the update carries its
URL on Zalo's servers, read here with a cap on the size, so a large answer is cut short."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from bot.channels.keeping import FetchFailed

TIMEOUT = 30.0
MAY_PASS = frozenset({408, 425, 429})


async def fetch_photo(http: httpx.AsyncClient, url: str, limit: int) -> bytes:
    """The bytes at `url` (http or https only); a 4xx other than a timeout or a quota is
    final, a 5xx or a network failure is tried again."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchFailed("not_a_url", final=True)
    try:
        async with http.stream("GET", url, follow_redirects=True, timeout=TIMEOUT) as response:
            if not response.is_success:
                status = response.status_code
                raise FetchFailed(f"http_{status}", final=status < 500 and status not in MAY_PASS)
            content = bytearray()
            async for chunk in response.aiter_bytes():
                content += chunk
                if len(content) > limit:
                    raise FetchFailed("too_big", final=True)
            return bytes(content)
    except httpx.TimeoutException:
        raise FetchFailed("timed_out") from None
    except httpx.TransportError as error:
        raise FetchFailed(type(error).__name__) from None
