"""The conversation loop every messenger shares: an `Incoming` in, the engine's replies out.

The engine is synchronous, so it runs in worker threads, through `bot/holding.Holding`,
which keeps updates while the database is unavailable and replays them later. On SQLite,
which lets one writer in at a time, the engine has one thread, so its units of work queue
here instead of polling SQLite's lock. While the engine takes longer than a moment the chat
shows 'typing…'. Each reply goes to its chat; a chat that answers 403 is deactivated (the
LHH office is told) and not tried again for this update.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from functools import partial
from typing import Any, TypeVar

from bot.channels.delivery import DeliveryError, Unreachable
from bot.channels.ordering import ChatTurns
from bot.channels.keeping import FileKeeper
from bot.holding import Holding
from handlers.chat_events import ChatEvent, ChatGone
from handlers.engine import ConversationEngine
from handlers.types import Incoming, Reply

log = logging.getLogger(__name__)

TYPING_AFTER = 1.0
TYPING_EVERY = 4.5
ENGINE_THREADS = 4
T = TypeVar("T")


class ChannelAdapter(ABC):
    """A channel's side of a conversation: `send_reply` (its outgoing) and `show_working`
    (its chat action) are all a channel writes; its incoming calls `converse`."""

    channel: str

    def __init__(self, engine: ConversationEngine) -> None:
        self.engine = engine
        self.workers = ThreadPoolExecutor(engine_threads(engine), thread_name_prefix="engine")
        self.holding = Holding(self._run_engine, self._replayed, clock=engine.clock)
        self.turns = ChatTurns()
        self._tasks: set[asyncio.Task[None]] = set()
        self.keeper: FileKeeper | None = None
        """Fetches the files the handlers keep (a signed công văn), right after their update."""

    @abstractmethod
    async def send_reply(self, chat_ref: str, reply: Reply) -> None:
        """Send one reply to `chat_ref`; DeliveryError when it cannot go."""

    @abstractmethod
    async def show_working(self, incoming: Incoming) -> None:
        """Show in the chat of `incoming` that the bot is working on it ('typing…')."""

    async def answer(self, incoming: Incoming) -> list[Reply]:
        """The engine's replies to `incoming` (or the notice that it is kept for later)."""
        async with while_working(partial(self.show_working, incoming), TYPING_AFTER, TYPING_EVERY):
            return await self.holding.handle(incoming)

    async def converse(self, incoming: Incoming) -> None:
        await self.deliver(incoming.chat_ref, await self.answer(incoming))
        if incoming.file is not None and self.keeper is not None:
            self.in_background(self._keep_files())

    async def _keep_files(self) -> None:
        """Fetch the files due to be kept outside the chat's turn: a download must not hold
        up the person's next message."""
        assert self.keeper is not None
        try:
            await self.keeper.keep_due()
        except Exception:
            log.exception("the files to keep were not fetched; the retries will")

    async def converse_in_turn(self, incoming: Incoming) -> None:
        """`converse`, after the updates of the same chat that came before."""
        async with self.turns.turn(incoming.chat_ref):
            await self.converse(incoming)

    async def chat_event(self, event: ChatEvent) -> None:
        """Tell the engine what happened to a chat, and send what it answers there."""
        await self.deliver(event.chat_ref, await self.in_worker(self.engine.chat_event, event))

    async def deliver(self, chat_ref: str, replies: list[Reply]) -> None:
        """Send each reply; a chat that fails is not tried again for this update."""
        failed: set[str] = set()
        for reply in replies:
            target = reply.chat_ref or chat_ref
            if target in failed:
                continue
            try:
                await self.send_reply(target, reply)
            except Unreachable:
                failed.add(target)
                await self.chat_event(ChatGone(self.channel, target))
            except DeliveryError as error:
                failed.add(target)
                log.warning("a reply was not delivered (%s): %s", type(error).__name__, error)

    def in_background(self, handling: Coroutine[Any, Any, None]) -> None:
        """Run `handling` in a task of its own, so receiving never waits for it."""
        task = asyncio.create_task(handling)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the updates being handled in the background."""
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def close(self) -> None:
        """Stop replaying kept updates; wait for the engine's threads."""
        self.holding.close()
        self.workers.shutdown(wait=True)

    async def in_worker(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.workers, call, *args)

    async def _run_engine(self, incoming: Incoming) -> list[Reply]:
        return await self.in_worker(self.engine.handle, incoming)

    async def _replayed(self, incoming: Incoming, replies: list[Reply]) -> None:
        """The replies to an update kept while the database was unavailable."""
        await self.deliver(incoming.chat_ref, replies)


def engine_threads(engine: ConversationEngine) -> int:
    return 1 if engine.db.dialect.name == "sqlite" else ENGINE_THREADS


@asynccontextmanager
async def while_working(signal: Callable[[], Awaitable[object]], after: float = 1.0, every: float = 4.5) -> AsyncIterator[None]:
    """Show a chat action ('typing…') while the block takes longer than `after` seconds,
    repeated every `every` seconds; a failed signal is ignored, it is only a courtesy. Until
    `after` has passed there is only a timer, no task: most updates are answered sooner."""
    loop = asyncio.get_running_loop()
    signalling: list[asyncio.Task[None]] = []

    async def keep_signalling() -> None:
        while True:
            with suppress(Exception):
                await signal()
            await asyncio.sleep(every)

    timer = loop.call_later(after, lambda: signalling.append(loop.create_task(keep_signalling())))
    try:
        yield
    finally:
        timer.cancel()
        for task in signalling:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
