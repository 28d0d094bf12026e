"""The conversation engine on Zalo updates.

Each update is handled in its own task, so polling never stops listening (getUpdates only
hands out what arrives while it waits), and the updates of one chat are handled in the
order they came. The engine is synchronous: it runs in a worker thread, through `Holding`,
which keeps updates while the database is unavailable and replays them later. A 403 while
answering deactivates the chat and tells the LHH office.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial

from bot.channels import DeliveryError, Unreachable, while_working
from bot.chat_events import chat_gone
from bot.holding import Holding
from bot.zalo import CHANNEL
from bot.zalo.client import Json, ZaloClient
from bot.zalo.incoming import to_incoming, update_ref
from bot.zalo.outgoing import send_reply
from handlers.engine import ConversationEngine
from handlers.types import Incoming, Reply

log = logging.getLogger(__name__)

TYPING_AFTER = 1.0
TYPING_EVERY = 4.5


class ZaloAdapter:
    def __init__(self, engine: ConversationEngine, client: ZaloClient, on_handled: Callable[[str | None], None] | None = None) -> None:
        """`on_handled(message_id)` is called once an update is fully handled, replies sent."""
        self.engine = engine
        self.client = client
        self.on_handled = on_handled
        self.holding = Holding(self._run_engine, self._replayed, clock=engine.clock)
        self._turns: dict[str, tuple[asyncio.Lock, int]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def receive(self, update: Json) -> None:
        """Handle `update` in the background."""
        task = asyncio.create_task(self.handle(update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the updates being handled; stop replaying kept ones."""
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.holding.close()

    async def handle(self, update: Json) -> None:
        try:
            incoming = to_incoming(update)
            if incoming is not None:
                async with self._turn(incoming.chat_ref):
                    await self.converse(incoming)
        except Exception:
            log.exception("error while handling a Zalo update")
        finally:
            if self.on_handled is not None:
                self.on_handled(update_ref(update))

    async def converse(self, incoming: Incoming) -> None:
        async with show_typing(self.client, incoming.chat_ref):
            replies = await self.holding.handle(incoming)
        await self.deliver(incoming.chat_ref, replies)

    async def _run_engine(self, incoming: Incoming) -> list[Reply]:
        return await asyncio.to_thread(self.engine.handle, incoming)

    async def _replayed(self, incoming: Incoming, replies: list[Reply]) -> None:
        """The replies to an update kept while the database was unavailable."""
        await self.deliver(incoming.chat_ref, replies)

    async def deliver(self, chat_ref: str, replies: list[Reply]) -> None:
        """Send each reply; a chat that fails is not tried again for this update."""
        failed: set[str] = set()
        for reply in replies:
            target = reply.chat_ref or chat_ref
            if target in failed:
                continue
            try:
                await send_reply(self.client, target, reply)
            except Unreachable:
                failed.add(target)
                await asyncio.to_thread(chat_gone, self.engine, CHANNEL, target)
            except DeliveryError as error:
                failed.add(target)
                log.warning("a reply was not delivered (%s): %s", type(error).__name__, error)

    @asynccontextmanager
    async def _turn(self, chat_ref: str) -> AsyncIterator[None]:
        """One update at a time per chat; the lock is forgotten when nobody waits for it."""
        lock, users = self._turns.get(chat_ref, (asyncio.Lock(), 0))
        self._turns[chat_ref] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._turns[chat_ref]
            if users == 1:
                del self._turns[chat_ref]
            else:
                self._turns[chat_ref] = (lock, users - 1)


def show_typing(client: ZaloClient, chat_ref: str) -> AbstractAsyncContextManager[None]:
    """'typing…' in the chat while the engine takes longer than a moment."""
    return while_working(partial(client.send_chat_action, chat_ref), TYPING_AFTER, TYPING_EVERY)
