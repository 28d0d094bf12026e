"""Updates of different chats handled at the same time, those of one chat one after another
in the order they came, so a form never sees its answers out of turn."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager


class ChatTurns:
    """A FIFO lock per chat, made when a chat's first update comes and forgotten when no
    update of that chat holds or waits for it, so memory follows the chats in flight."""

    def __init__(self) -> None:
        self._turns: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def turn(self, chat: Hashable) -> AsyncIterator[None]:
        """Wait for the updates of `chat` that came before, then hold its turn."""
        lock, waiting = self._turns.get(chat, (asyncio.Lock(), 0))
        self._turns[chat] = (lock, waiting + 1)
        try:
            async with lock:
                yield
        finally:
            lock, waiting = self._turns[chat]
            if waiting == 1:
                del self._turns[chat]
            else:
                self._turns[chat] = (lock, waiting - 1)

    @property
    def chats_waiting(self) -> int:
        return len(self._turns)
