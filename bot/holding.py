"""What a person sends while the database is unavailable is kept, not lost.

Every channel hands its updates to `Holding.handle` (`bot/channels/adapter`), which runs the
engine in a worker thread. When the engine answers `Unavailable` (nothing of the update was
stored), the update is kept in memory, in the order it came, and the person is told it will
be handled as soon as the system is back, so they need not type it again. A background task tries again every `RETRY_EVERY` seconds
and hands the replies of each replayed update to the channel's `deliver`; a new message from
a chat with a backlog first replays that backlog, so a chat's updates are handled in order.
A replay is safe: an update stored before the failure is recognised by its reference. A
replayed update is handled as of when it arrived (`Incoming.received_at`): a report sent
at 23:59 on its deadline day is on time even if the database only answers after midnight.

Memory is bounded (`PER_CHAT`, `IN_ALL`): past that the person gets the plain try-again
answer. Held updates live in this process only: they are lost if it stops while the
database is still down.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from bot.clock import Clock, system_clock
from handlers.types import Incoming, Reply
from handlers.unavailable import Unavailable, unavailable
from locales.catalogue import DEFAULT_LANGUAGE, t

log = logging.getLogger(__name__)

RETRY_EVERY = 5.0
PER_CHAT = 50
IN_ALL = 2000
LANGUAGES_KEPT = 10_000

Chat = tuple[str, str]
Handle = Callable[[Incoming], Awaitable[list[Reply]]]
Deliver = Callable[[Incoming, list[Reply]], Awaitable[None]]


@dataclass
class Backlog:
    updates: deque[Incoming] = field(default_factory=deque)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Holding:
    def __init__(
        self,
        handle: Handle,
        deliver: Deliver,
        retry_every: float | None = None,
        per_chat: int = PER_CHAT,
        in_all: int = IN_ALL,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Clock = system_clock,
    ) -> None:
        """`handle(incoming)` runs the engine; `deliver(incoming, replies)` sends the replies
        of a replayed update to its chat."""
        self.run_engine = handle
        self.deliver = deliver
        self.retry_every = RETRY_EVERY if retry_every is None else retry_every
        self.per_chat = per_chat
        self.in_all = in_all
        self.sleep = sleep
        self.clock = clock
        self.backlogs: dict[Chat, Backlog] = {}
        self.held = 0
        self.languages: OrderedDict[Chat, str] = OrderedDict()
        self._retrying: asyncio.Task[None] | None = None

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """The replies to `incoming`, or the notice that it is kept for later."""
        chat = (incoming.channel, incoming.chat_ref)
        while (backlog := self.backlogs.get(chat)) is not None:
            async with backlog.lock:
                if self.backlogs.get(chat) is not backlog:
                    continue
                if not await self._replay(chat, backlog):
                    return self._hold(chat, incoming, [])
                return await self._first_try(chat, incoming)
        return await self._first_try(chat, incoming)

    async def _first_try(self, chat: Chat, incoming: Incoming) -> list[Reply]:
        replies = await self._engine(chat, incoming)
        return self._hold(chat, incoming, replies) if unavailable(replies) else replies

    async def _engine(self, chat: Chat, incoming: Incoming) -> list[Reply]:
        replies = await self.run_engine(incoming)
        spoken = next((reply.language for reply in replies if reply.language and reply.chat_ref is None), None)
        if spoken and not unavailable(replies):
            self.languages[chat] = spoken
            self.languages.move_to_end(chat)
            if len(self.languages) > LANGUAGES_KEPT:
                self.languages.popitem(last=False)
        return replies

    def _hold(self, chat: Chat, incoming: Incoming, replies: list[Reply]) -> list[Reply]:
        """Keep `incoming` at the end of its chat's backlog, if there is room."""
        language = self._language(chat, incoming, replies)
        backlog = self.backlogs.setdefault(chat, Backlog())
        if self.held >= self.in_all or len(backlog.updates) >= self.per_chat:
            if not backlog.updates:
                del self.backlogs[chat]
            log.warning("database unavailable and %d updates already kept: one more was refused", self.held)
            return replies or [Unavailable(t("common.try_again", language), language=language)]
        backlog.updates.append(replace(incoming, received_at=incoming.received_at or self.clock()))
        self.held += 1
        if self._retrying is None or self._retrying.done():
            self._retrying = asyncio.create_task(self._retry())
        return [Reply(t("common.held", language), language=language)]

    def _language(self, chat: Chat, incoming: Incoming, replies: list[Reply]) -> str:
        """The language the chat was last answered in, else the one the engine chose."""
        chosen = next((reply.language for reply in replies if reply.language), None)
        return self.languages.get(chat) or chosen or DEFAULT_LANGUAGE

    async def _replay(self, chat: Chat, backlog: Backlog) -> bool:
        """Handle the chat's kept updates in order (its lock held); False when the database
        is still unavailable, True when the backlog is done with."""
        while backlog.updates:
            incoming = backlog.updates[0]
            replies = await self._engine(chat, incoming)
            if unavailable(replies):
                return False
            backlog.updates.popleft()
            self.held -= 1
            try:
                await self.deliver(incoming, replies)
            except Exception:
                log.exception("the replies to a kept update were not delivered")
        if self.backlogs.get(chat) is backlog:
            del self.backlogs[chat]
        return True

    async def _retry(self) -> None:
        """Every `retry_every` seconds, replay the backlogs until all are done; one chat
        still failing ends the round (the database is still down)."""
        while self.backlogs:
            await self.sleep(self.retry_every)
            try:
                await self._round()
            except Exception:
                log.exception("replaying the kept updates failed; trying again")
        log.info("the database answers again; every kept update was handled")

    async def _round(self) -> None:
        for chat, backlog in list(self.backlogs.items()):
            async with backlog.lock:
                if self.backlogs.get(chat) is backlog and not await self._replay(chat, backlog):
                    return

    def close(self) -> None:
        """Stop trying; what is still kept is lost, and logged."""
        if self._retrying is not None:
            self._retrying.cancel()
        if self.held:
            log.warning("stopping with %d updates kept while the database was unavailable: they are lost", self.held)
