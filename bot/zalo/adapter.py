"""The conversation engine on Zalo updates (`bot/channels/adapter`).

Each update is handled in its own task, so polling never stops listening (getUpdates only
hands out what arrives while it waits), and the updates of one chat are handled in the
order they came. Replies go out as text (`outgoing`), each piece retried briefly; an answer
Zalo keeps refusing with a server error (its 403 is one) is not lost: it goes to the outbox
(`ReplyKept`), from the first piece not delivered, and the chat stays active. A picture
(sendPhoto) Zalo does not take goes there too, with its link as the text to fall back on.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from bot.channels.adapter import ChannelAdapter
from bot.channels.delivery import DeliveryError, RetryLater, Transient
from bot.zalo import CHANNEL
from bot.zalo.client import Json, ZaloClient
from bot.zalo.incoming import to_incoming, update_ref
from bot.web.file_links import FileLinks, Published
from bot.zalo.outgoing import PartlySent, guarded, picture_line, render, send_pieces, split_message
from handlers.chat_events import ReplyKept
from handlers.engine import ConversationEngine
from handlers.types import Incoming, Reply
from locales.catalogue import DEFAULT_LANGUAGE

log = logging.getLogger(__name__)


class ZaloAdapter(ChannelAdapter):
    channel = CHANNEL

    def __init__(
        self,
        engine: ConversationEngine,
        client: ZaloClient,
        on_handled: Callable[[str | None], None] | None = None,
        file_links: FileLinks | None = None,
    ) -> None:
        """`on_handled(message_id)` is called once an update is fully handled, replies sent;
        `file_links` (the web is on) turns documents into signed links and pictures."""
        super().__init__(engine)
        self.client = client
        self.on_handled = on_handled
        self.file_links = file_links

    def receive(self, update: Json) -> None:
        """Handle `update` in the background."""
        self.in_background(self.handle(update))

    async def handle(self, update: Json) -> None:
        try:
            incoming = to_incoming(update)
            if incoming is not None:
                await self.converse_in_turn(incoming)
        except Exception:
            log.exception("error while handling a Zalo update")
        finally:
            if self.on_handled is not None:
                self.on_handled(update_ref(update))

    async def send_reply(self, chat_ref: str, reply: Reply) -> None:
        published = None
        language = reply.language or DEFAULT_LANGUAGE
        if self.file_links is not None and reply.document is not None and reply.document.content:
            published = await self.in_worker(self.file_links.publish, CHANNEL, chat_ref, reply.document)
        text = render(reply, language, published)
        text_kept = False
        try:
            await send_pieces(self.client, chat_ref, split_message(text))
        except PartlySent as failed:
            if not isinstance(failed.error, (Transient, RetryLater)):
                raise failed.error from None
            log.warning("a Zalo answer is kept for the outbox sender: %s", failed.error)
            await self._keep(chat_ref, text, failed.sent)
            text_kept = True
        if published is not None and published.image and reply.document is not None:
            await self._send_picture(chat_ref, published, picture_line(reply.document, published, language), text_kept)

    async def _send_picture(self, chat_ref: str, published: Published, fallback: str, after_kept: bool) -> None:
        """sendPhoto once; a picture Zalo does not take now goes to the outbox, sent again
        with its back-off, `fallback` (its link) instead if it keeps failing. After a text
        kept for the outbox it goes there at once, so that it follows the text."""
        if not after_kept:
            try:
                await guarded(self.client.send_photo(chat_ref, published.url))
                return
            except DeliveryError as error:
                log.warning("a Zalo picture is kept for the outbox sender: %s", error)
        await self._keep(chat_ref, fallback, 0, published.url)

    async def _keep(self, chat_ref: str, text: str, pieces_sent: int, photo_url: str | None = None) -> None:
        key = f"reply:{CHANNEL}:{chat_ref}:{secrets.token_hex(8)}"
        await self.chat_event(ReplyKept(CHANNEL, chat_ref, key=key, text=text, pieces_sent=pieces_sent, photo_url=photo_url))

    async def show_working(self, incoming: Incoming) -> None:
        await self.client.send_chat_action(incoming.chat_ref)
