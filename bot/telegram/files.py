"""Fetching a file a person sent on Telegram (`bot/channels/keeping`): getFile, then the
download from the file URL. The token is in that URL, so no error here carries the message
of the library (which may quote it): only a short reason."""

from __future__ import annotations

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.channels.keeping import FetchFailed


async def fetch_file(bot: Bot, file_ref: str, limit: int) -> bytes:
    """The bytes of `file_ref`; a BadRequest (unknown id, or past the Bot API's 20 MB) and a
    stated size past `limit` are final, a network failure or 5xx is tried again."""
    try:
        file = await bot.get_file(file_ref)
    except BadRequest:
        raise FetchFailed("get_file_refused", final=True) from None
    except TelegramError as error:
        raise FetchFailed(f"get_file_{type(error).__name__}") from None
    if file.file_size is not None and file.file_size > limit:
        raise FetchFailed("too_big", final=True)
    try:
        return bytes(await file.download_as_bytearray())
    except TelegramError as error:
        raise FetchFailed(f"download_{type(error).__name__}") from None
