"""Updates of different chats handled at the same time, those of one chat one after another
in the order Telegram gave them, so a form never sees its answers out of turn.

python-telegram-bot starts one task per update, in the order they came, and passes each
through its own semaphore before `do_process_update`. That semaphore is set so high it never
makes a task wait, so each task takes its place in its chat's queue (a FIFO lock) in
arrival order; `busy` then bounds how many updates are being handled at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

CONCURRENT = 16
NEVER_WAIT = 1_000_000


def chat_key(update: object) -> int | None:
    """The chat an update belongs to; None (all in one queue) for anything else."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class PerChatOrder(BaseUpdateProcessor):
    def __init__(self, concurrent: int = CONCURRENT) -> None:
        super().__init__(NEVER_WAIT)
        self.busy = asyncio.BoundedSemaphore(concurrent)
        self._turns: dict[int | None, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        lock, waiting = self._turns.get(key, (asyncio.Lock(), 0))
        self._turns[key] = (lock, waiting + 1)
        try:
            async with lock, self.busy:
                await coroutine
        finally:
            lock, waiting = self._turns[key]
            if waiting == 1:
                del self._turns[key]
            else:
                self._turns[key] = (lock, waiting - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    @property
    def chats_waiting(self) -> int:
        return len(self._turns)
