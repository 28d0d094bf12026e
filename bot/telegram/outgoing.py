"""Sending to Telegram: replies with inline keyboards, long texts split at 4096, documents,
and the library's errors mapped to `bot.channels.delivery`, so every sender has one policy.

Texts, edits and answers to presses go by `call`: python-telegram-bot's raw request (its
parameters, errors and retries as for its own methods), the answer left as JSON. Turning
each answer back into a `Message` (keyboard and all) cost more CPU than the HTTP call; only
the outbox reads the answer, for its message id."""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from telegram import Bot, InputFile
from telegram.constants import ChatAction
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.channels.delivery import DeliveryError, Rejected, RetryLater, Transient, Unreachable
from bot.channels.delivery import with_retries as channel_retries
from bot.splitting import split_text, utf16_length
from bot.telegram import CHANNEL
from handlers.types import Document, Reply

MESSAGE_LIMIT = 4096
CALLBACK_LIMIT = 64
CAPTION_LIMIT = 1024
TRIES = 3
LONGEST_WAIT = 30.0
T = TypeVar("T")
Json = dict[str, Any]

# PTB 22 warns whenever it builds a RetryAfter; _seconds reads the int and the timedelta alike.
warnings.filterwarnings("ignore", message=r".*attribute `retry_after` will be of type", category=PTBDeprecationWarning)


def split_message(text: str) -> list[str]:
    return split_text(text, MESSAGE_LIMIT, utf16_length)


def keyboard(reply: Reply) -> Json | None:
    """The reply's inline keyboard as the Bot API's JSON `reply_markup`, built once per reply."""
    rows: list[list[Json]] = [[{"text": button.label, "callback_data": _fits(button.data)} for button in row] for row in reply.buttons if row]
    if reply.web_form is not None:
        rows.append([{"text": reply.web_form.label, "web_app": {"url": reply.web_form.mini_app}}])
    return {"inline_keyboard": rows} if rows else None


async def call(bot: Bot, method: str, **params: Any) -> Any:
    """The Bot API `method` with `params` (None ones left out); its answer as JSON.

    `Bot._post` is what `Bot.do_api_request` and every `Bot` method call; do_api_request
    itself warns on every call for a method `Bot` also has, and those are all `call` sends."""
    return await bot._post(method, params)


def _fits(data: str) -> str:
    """Telegram drops a keyboard whose callback data passes 64 bytes; fail loudly instead."""
    if len(data.encode()) > CALLBACK_LIMIT:
        raise ValueError(f"callback data longer than {CALLBACK_LIMIT} bytes: {data!r}")
    return data


def _seconds(error: RetryAfter) -> float:
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def delivery_error(error: TelegramError) -> DeliveryError:
    """403 and 'chat not found' mean the recipient is gone; other 400s will never pass;
    timeouts, network errors and 5xx may pass later. BadRequest is a NetworkError in PTB,
    so it is tested first."""
    if isinstance(error, RetryAfter):
        return RetryLater(_seconds(error))
    if isinstance(error, Forbidden):
        return Unreachable(error.message)
    if isinstance(error, BadRequest):
        return Unreachable(error.message) if "chat not found" in error.message.lower() else Rejected(error.message)
    if isinstance(error, InvalidToken | ChatMigrated):
        return Rejected(type(error).__name__)
    return Transient(error.message)


async def guarded(call: Awaitable[T]) -> T:
    try:
        return await call
    except TelegramError as error:
        raise delivery_error(error) from None


async def with_retries(call: Callable[[], Awaitable[T]], tries: int = TRIES, longest_wait: float = LONGEST_WAIT) -> T:
    """Retry a short while on 429 and transient failures; never forever."""
    return await channel_retries(lambda: guarded(call()), tries, longest_wait)


class TelegramSender:
    """`bot.channels.delivery.ChannelSender` for the outbox: one attempt per piece, errors mapped,
    the retry policy left to the caller. A text over 4096 goes as several messages; the
    id returned is the last one's."""

    channel = CHANNEL

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def split(self, text: str) -> list[str]:
        return split_message(text)

    async def send_text(self, chat_ref: str, text: str) -> str:
        sent: Json | None = None
        for piece in split_message(text):
            sent = await guarded(call(self.bot, "sendMessage", chat_id=chat_ref, text=piece))
        if sent is None:
            raise Rejected("empty text")
        return str(sent["message_id"])

    async def send_document(self, chat_ref: str, file_ref: str, caption: str) -> str:
        """A file Telegram keeps, re-sent by its file_id (valid for this bot only)."""
        sent = await guarded(self.bot.send_document(chat_id=chat_ref, document=file_ref, caption=caption[:CAPTION_LIMIT]))
        return str(sent.message_id)


async def send_reply(bot: Bot, chat_ref: str, reply: Reply, extra_line: str | None = None) -> None:
    """The reply's text (split, the keyboard on the last piece), then its document. A text
    that only repeats the document's caption (a chart's title) is not sent on its own."""
    if reply.document is not None and not reply.buttons and not extra_line and reply.text.strip() in ("", reply.document.caption.strip()):
        await send_document(bot, chat_ref, reply.document)
        return
    pieces = split_message(reply.text + (f"\n\n{extra_line}" if extra_line else ""))
    markups = [None] * (len(pieces) - 1) + [keyboard(reply)]
    for piece, markup in zip(pieces, markups, strict=True):
        await with_retries(partial(call, bot, "sendMessage", chat_id=chat_ref, text=piece, reply_markup=markup))
    if reply.document is not None:
        await send_document(bot, chat_ref, reply.document)


async def send_document(bot: Bot, chat_ref: str, document: Document) -> None:
    """A file as a document; a PNG or JPEG (the charts) as a photo people see at once."""
    file: InputFile | str = document.file_ref or InputFile(document.content, filename=document.filename)
    caption = document.caption or None
    if document.mime in ("image/png", "image/jpeg"):
        await with_retries(partial(bot.send_chat_action, chat_id=chat_ref, action=ChatAction.UPLOAD_PHOTO))
        await with_retries(partial(bot.send_photo, chat_id=chat_ref, photo=file, caption=caption))
        return
    await with_retries(partial(bot.send_chat_action, chat_id=chat_ref, action=ChatAction.UPLOAD_DOCUMENT))
    await with_retries(partial(bot.send_document, chat_id=chat_ref, document=file, caption=caption))
