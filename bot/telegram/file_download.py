"""A file a person sent the bot on Telegram, fetched again by its file id (getFile, then the
file's URL), for the web's dossier pages (`bot/web/file_fetch`). The Bot API gives back files
of up to 20 MB; the token is in no error or log line."""

from __future__ import annotations

from functools import partial

from telegram import Bot
from telegram.error import TelegramError

from bot.web.file_fetch import FileFetcher, FileUnavailable


async def download(token: str, api_base_url: str, file_id: str) -> bytes:
    base = api_base_url.rstrip("/")
    try:
        async with Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot") as bot:
            found = await bot.get_file(file_id)
            return bytes(await found.download_as_bytearray())
    except TelegramError as error:
        raise FileUnavailable(type(error).__name__) from None


def fetcher(token: str, api_base_url: str) -> FileFetcher:
    return partial(download, token, api_base_url)
