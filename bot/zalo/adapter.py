"""The conversation engine on Zalo updates (`bot/channels/adapter`).

Each update is handled in its own task, so polling never stops listening (getUpdates only
hands out what arrives while it waits), and the updates of one chat are handled in the
order they came. Replies go out as text (`outgoing`); a 403 while answering deactivates the
chat and tells the LHH office.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.channels.adapter import ChannelAdapter
from bot.zalo import CHANNEL
from bot.zalo.client import Json, ZaloClient
from bot.zalo.incoming import to_incoming, update_ref
from bot.zalo.outgoing import send_reply
from handlers.engine import ConversationEngine
from handlers.types import Incoming, Reply

log = logging.getLogger(__name__)


class ZaloAdapter(ChannelAdapter):
    channel = CHANNEL

    def __init__(self, engine: ConversationEngine, client: ZaloClient, on_handled: Callable[[str | None], None] | None = None) -> None:
        """`on_handled(message_id)` is called once an update is fully handled, replies sent."""
        super().__init__(engine)
        self.client = client
        self.on_handled = on_handled

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
        await send_reply(self.client, chat_ref, reply)

    async def show_working(self, incoming: Incoming) -> None:
        await self.client.send_chat_action(incoming.chat_ref)
