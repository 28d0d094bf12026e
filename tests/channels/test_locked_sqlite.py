"""A SQLite file locked by another connection (a backup, a `sqlite3` shell left in a
transaction): every update is answered at once with the held notice instead of waiting its
turn behind 30 s busy timeouts, and is handled once the lock is let go."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest

from bot.channels.adapter import ChannelAdapter
from handlers.engine import ConversationEngine
from handlers.types import Incoming, Reply

HELD = "Hệ thống đang tạm gián đoạn. Tin nhắn của anh/chị đã được giữ lại"
CHATS = ("syt-specialist", "stranger-1", "stranger-2", "stranger-3")


class Recording(ChannelAdapter):
    channel = "console"

    def __init__(self, engine: ConversationEngine) -> None:
        super().__init__(engine)
        self.sent: list[tuple[str, str]] = []

    async def send_reply(self, chat_ref: str, reply: Reply) -> None:
        self.sent.append((chat_ref, reply.text))

    async def show_working(self, incoming: Incoming) -> None:
        return None


async def test_updates_are_held_at_once_while_another_connection_holds_the_file(engine: ConversationEngine) -> None:
    if engine.db.dialect.name != "sqlite":
        pytest.skip("the busy timeout is SQLite's")
    channel = Recording(engine)
    channel.holding.retry_every = 0.2
    locker = sqlite3.connect(engine.db.url.database, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        updates = [Incoming("console", chat, chat, text="/help", update_ref=f"locked-{chat}") for chat in CHATS]
        await asyncio.wait_for(asyncio.gather(*(channel.converse_in_turn(u) for u in updates)), timeout=len(CHATS) * 2.5 + 1)
        waited = time.monotonic() - started
        assert sorted(chat for chat, _ in channel.sent) == sorted(CHATS)
        assert all(text.startswith(HELD) for _, text in channel.sent)
        assert waited < len(CHATS) * 2.5
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    channel.sent.clear()
    for _ in range(100):
        if not channel.holding.held:
            break
        await asyncio.sleep(0.1)
    assert channel.holding.held == 0
    assert sorted(chat for chat, _ in channel.sent) == sorted(CHATS)
    assert not any(text.startswith(HELD) for _, text in channel.sent)
    channel.close()
