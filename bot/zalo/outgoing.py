"""Sending to Zalo: replies as plain text (`bot/channels/plain_text`), since the Bot API
has no keyboards: buttons become numbered choices ("Trả lời 1, 2 hoặc 3"). Texts are split
at 2,000 characters, the limit sendMessage documents. The API has no method for files
(sendPhoto takes a URL, nothing takes bytes): with the web on, a document sent to a person
becomes their signed, expiring link (`bot/web/file_links`) and a picture is sent with
sendPhoto from its signed image URL; otherwise (or in a group) a text summary.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from collections.abc import Awaitable
from typing import TypeVar

from bot.channels.delivery import (
    DeliveryError,
    Rejected,
    RetryLater,
    Transient,
)
from bot.channels.plain_text import PlainText
from bot.web.file_links import FileLinks, KeptLink, Published
from bot.splitting import split_text, utf16_length
from bot.zalo import CHANNEL
from bot.zalo.client import DEFAULT_RETRY_AFTER, ZaloApiError, ZaloClient
from handlers.types import Document, Reply
from locales.catalogue import t
from locales.formats import format_number
from models.tvpb.files import KEPT_REF

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
    if document.file_ref is not None:
        return t("zalo.stored_file", language, name=document.filename)
    size = format_number(round(len(document.content) / 1024, 1), language)
    text = t("zalo.document", language, name=document.filename, size=size)
    return f"{document.caption}\n{text}" if document.caption else text


ZALO_TEXT = PlainText("zalo.or_type", answer_hint, document_summary)


def render(reply: Reply, language: str, published: Published | None = None) -> str:
    """The whole reply as one text: the message, its choices, its document's link (none for
    a picture, which follows by sendPhoto), or a summary when it has no link."""
    if published is None:
        return ZALO_TEXT.render(reply, language)
    return replace(ZALO_TEXT, document=lambda document, lang: "" if published.image else link_line(document, published, lang)).render(reply, language)


def link_line(document: Document, published: Published, language: str) -> str:
    return _with_caption(document.caption, _link_text(document.filename, len(document.content), published, language))


def _link_text(name: str, size: int, published: Published, language: str) -> str:
    shown = format_number(round(size / 1024, 1), language)
    return t("webfiles.document_link", language, name=name, size=shown, hours=published.hours, url=published.url)


def _with_caption(caption: str | None, text: str) -> str:
    return f"{caption}\n{text}" if caption else text


def kept_line(caption: str, link: KeptLink | None) -> str:
    """A kept file's row (`models/tvpb/files`): its caption and the person's link, or, with
    no link to give (the web is off, the chat is no person's), where to ask for the file."""
    if link is None:
        return _with_caption(caption, t("keptparts.no_link"))
    return _with_caption(caption, _link_text(link.filename, link.size, link.published, link.language))


def picture_line(document: Document, published: Published, language: str) -> str:
    """What is sent instead of a picture Zalo keeps refusing: the person's link to it."""
    return t("files.picture_fallback", language, name=document.filename, hours=published.hours, url=published.url)


SERVER_ERRORS = frozenset({403, 408})
"""403 is documented as "Internal server error" (docs/zalo.md), not as "blocked": like 408
and 5xx it may pass later, and it never deactivates a chat."""


def delivery_error(error: ZaloApiError) -> DeliveryError:
    """429 is the API's 'quota exceeded'; 403, 408 and 5xx may pass later; other errors never will."""
    if error.status == 429:
        return RetryLater(error.retry_after or DEFAULT_RETRY_AFTER)
    if error.status in SERVER_ERRORS or error.status >= 500:
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

    def __init__(self, client: ZaloClient, file_links: FileLinks | None = None) -> None:
        self.client = client
        self.file_links = file_links

    def split(self, text: str) -> list[str]:
        return split_message(text)

    async def send_text(self, chat_ref: str, text: str) -> str:
        sent: dict[str, object] | None = None
        for piece in split_message(text):
            sent = await guarded(self.client.send_message(chat_ref, piece))
        if sent is None:
            raise Rejected("empty text")
        return str(sent.get("message_id", ""))

    async def send_photo(self, chat_ref: str, url: str) -> str:
        sent = await guarded(self.client.send_photo(chat_ref, url))
        return str(sent.get("message_id", ""))

    async def send_document(self, chat_ref: str, file_ref: str, caption: str) -> str:
        """Zalo keeps no files: a row carrying a kept file (`kept:<attachment>`, a dossier
        part whose bytes are kept) goes as the person's signed link to it, made now; any
        other file id, the caption alone."""
        if not file_ref.startswith(KEPT_REF) or not file_ref[len(KEPT_REF) :].isdigit():
            return await self.send_text(chat_ref, caption)
        link = None
        if self.file_links is not None:
            link = await asyncio.to_thread(self.file_links.publish_kept, CHANNEL, chat_ref, int(file_ref[len(KEPT_REF) :]))
        return await self.send_text(chat_ref, kept_line(caption, link))


REPLY_WAITS = (0.5, 1.0, 2.0)
"""The brief back-off between the tries of an answer someone waits for. Zalo's 429 carries
no wait: its answer waits these, in its own chat's turn, so no other chat is held."""


class PartlySent(DeliveryError):
    """The pieces before `sent` went out; the next one failed with `error`."""

    def __init__(self, error: DeliveryError, sent: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.sent = sent


async def send_pieces(client: ZaloClient, chat_ref: str, pieces: list[str]) -> None:
    """Each piece in turn, retried briefly; PartlySent once one fails for good."""
    for index, piece in enumerate(pieces):
        try:
            await _send_piece(client, chat_ref, piece)
        except DeliveryError as error:
            raise PartlySent(error, index) from None


async def _send_piece(client: ZaloClient, chat_ref: str, piece: str) -> None:
    for wait in (*REPLY_WAITS, None):
        try:
            await client.send_message(chat_ref, piece)
            return
        except ZaloApiError as error:
            failure = delivery_error(error)
            if wait is None or isinstance(failure, Rejected) or (error.retry_after or 0) > max(REPLY_WAITS):
                raise failure from None
            await asyncio.sleep(error.retry_after or wait)
        except Transient:
            if wait is None:
                raise
            await asyncio.sleep(wait)
