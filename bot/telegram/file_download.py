"""A file a person sent the bot on Telegram, fetched again by its file id (getFile, then the
file's URL), for the web's dossier pages (`bot/web/file_fetch`). The Bot API gives back files
of up to 20 MB; the token is in no error or log line."""

from __future__ import annotations

from functools import partial

import httpx

from bot.web.file_fetch import FileFetcher, FileUnavailable

TIMEOUT_SECONDS = 20.0


async def download(token: str, api_base_url: str, file_id: str) -> bytes:
    base = api_base_url.rstrip("/")
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
            found = await client.post(f"{base}/bot{token}/getFile", json={"file_id": file_id})
            path = found.json().get("result", {}).get("file_path") if found.status_code == 200 else None
            if not path:
                raise FileUnavailable(f"getFile answered {found.status_code}")
            content = await client.get(f"{base}/file/bot{token}/{path}")
    except (httpx.HTTPError, ValueError, AttributeError):
        raise FileUnavailable("Telegram did not answer") from None
    if content.status_code != 200:
        raise FileUnavailable(f"the file answered {content.status_code}")
    return content.content


def fetcher(token: str, api_base_url: str) -> FileFetcher:
    return partial(download, token, api_base_url)
