"""`bot/channels/ordering.ChatTurns` in python-telegram-bot: updates of different chats
handled at the same time, those of one chat in the order Telegram gave them.

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

from bot.channels.ordering import ChatTurns

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
        self.turns = ChatTurns()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        async with self.turns.turn(chat_key(update)), self.busy:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    @property
    def chats_waiting(self) -> int:
        return self.turns.chats_waiting
