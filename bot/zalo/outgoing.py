"""Sending to Zalo: replies as plain text (`bot/channels/plain_text`), since the Bot API
has no keyboards: buttons become numbered choices ("Trả lời 1, 2 hoặc 3"). Texts are split
at 2,000 characters, the limit sendMessage documents. The API has no method for files
(sendPhoto takes a URL, nothing takes bytes), so a document becomes a text summary.
"""

from __future__ import annotations

from collections.abc import Awaitable
from functools import partial
from typing import TypeVar

from bot.channels.delivery import (
    DeliveryError,
    Rejected,
    RetryLater,
    Transient,
    Unreachable,
    with_retries,
)
from bot.channels.plain_text import PlainText
from bot.splitting import split_text, utf16_length
from bot.zalo import CHANNEL
from bot.zalo.client import DEFAULT_RETRY_AFTER, ZaloApiError, ZaloClient
from handlers.types import Document, Reply
from locales.catalogue import DEFAULT_LANGUAGE, t
from locales.formats import format_number

MESSAGE_LIMIT = 2000
LISTED_NUMBERS = 5
T = TypeVar("T")


def split_message(text: str) -> list[str]:
    """Pieces within Zalo's 2,000 characters, counted in UTF-16 units: never fewer than
    characters, so the limit holds however Zalo counts."""
    return split_text(text, MESSAGE_LIMIT, utf16_length)


def answer_hint(count: int, language: str) -> str:
    """'Trả lời 1, 2 hoặc 3 …' for a few choices; 'một số từ 1 đến 12 …' for many."""
    if count == 1:
        return t("zalo.answer_one", language)
    if count > LISTED_NUMBERS:
        return t("zalo.answer_range", language, last=count)
    return t("zalo.answer_numbers", language, numbers=", ".join(str(n) for n in range(1, count)), last=count)


def document_summary(document: Document, language: str) -> str:
    size = format_number(round(len(document.content) / 1024, 1), language)
    text = t("zalo.document", language, name=document.filename, size=size)
    return f"{document.caption}\n{text}" if document.caption else text


ZALO_TEXT = PlainText("zalo.or_type", answer_hint, document_summary)


def render(reply: Reply, language: str) -> str:
    """The whole reply as one text: the message, its choices, a summary of its document."""
    return ZALO_TEXT.render(reply, language)


def delivery_error(error: ZaloApiError) -> DeliveryError:
    """429 is the API's 'quota exceeded'; 403 is taken as 'this chat will not take our
    messages' (see docs/zalo.md); 408 and 5xx may pass later; other errors never will."""
    if error.status == 429:
        return RetryLater(error.retry_after or DEFAULT_RETRY_AFTER)
    if error.status == 403:
        return Unreachable(error.description)
    if error.status == 408 or error.status >= 500:
        return Transient(str(error))
    return Rejected(str(error))


async def guarded(call: Awaitable[T]) -> T:
    try:
        return await call
    except ZaloApiError as error:
        raise delivery_error(error) from None


class ZaloSender:
    """`bot.channels.delivery.ChannelSender` for the outbox: one attempt per piece, errors mapped,
    the retry policy left to the caller; the id returned is the last piece's."""

    channel = CHANNEL

    def __init__(self, client: ZaloClient) -> None:
        self.client = client

    async def send_text(self, chat_ref: str, text: str) -> str:
        sent: dict[str, object] | None = None
        for piece in split_message(text):
            sent = await guarded(self.client.send_message(chat_ref, piece))
        if sent is None:
            raise Rejected("empty text")
        return str(sent.get("message_id", ""))


async def send_reply(client: ZaloClient, chat_ref: str, reply: Reply) -> None:
    """The reply rendered and split; each piece retried a little, never forever."""
    for piece in split_message(render(reply, reply.language or DEFAULT_LANGUAGE)):
        await with_retries(partial(_send, client, chat_ref, piece))


async def _send(client: ZaloClient, chat_ref: str, text: str) -> None:
    await guarded(client.send_message(chat_ref, text))
