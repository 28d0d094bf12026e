"""A file a person sent the bot on Telegram, fetched again by its file id for the web's dossier
pages (`bot/web/file_fetch`), through the same getFile-and-download as the kept files
(`bot/telegram/files.fetch_file`). The token is in no error or log line."""

from __future__ import annotations

from functools import partial

from telegram import Bot
from telegram.error import TelegramError

from bot.channels.keeping import FetchFailed
from bot.telegram.files import fetch_file
from bot.web.file_fetch import FileFetcher, FileUnavailable


async def download(token: str, api_base_url: str, limit: int, file_id: str) -> bytes:
    base = api_base_url.rstrip("/")
    try:
        async with Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot") as bot:
            return await fetch_file(bot, file_id, limit)
    except FetchFailed as failed:
        raise FileUnavailable(failed.reason) from None
    except TelegramError as error:
        raise FileUnavailable(f"bot_{type(error).__name__}") from None


def fetcher(token: str, api_base_url: str, limit: int) -> FileFetcher:
    return partial(download, token, api_base_url, limit)
