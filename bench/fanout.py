"""Fan-out benchmark: 2,000 reminders through the outbox sender and the real Telegram
adapter (python-telegram-bot) to a fake Bot API on 127.0.0.1 that enforces Telegram's
limits (30 messages/s in all, 1/s per chat) and answers 429 past them.

Run: python bench/fanout.py [--messages 2000] [--chats 800]
Last line: fanout: messages=… rate_fraction=… http_429=… lost=… duplicates=…
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import func, select  # noqa: E402
from telegram import Bot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.clock import system_clock  # noqa: E402
from bot.sender import Limits, OutboxSender  # noqa: E402
from bot.telegram.outgoing import TelegramSender  # noqa: E402
from models.db.engine import make_engine, session_scope  # noqa: E402
from models.db.migrate import upgrade  # noqa: E402
from models.outbox.notify import enqueue  # noqa: E402
from models.outbox.tables import OutboxMessage, OutboxStatus  # noqa: E402
from tests.fakes.telegram_api import TOKEN, FakeTelegram  # noqa: E402
from tests.fakes.telegram_api import Limits as ServerLimits  # noqa: E402

ALLOWED_PER_SECOND = 30


def fill(url: str, messages: int, chats: int) -> None:
    db = make_engine(url)
    upgrade(db)
    now = datetime.now(UTC) - timedelta(seconds=1)
    with session_scope(db) as session:
        for number in range(messages):
            chat = 10_000 + number % chats
            enqueue(session, f"bench:{number}", "telegram", str(chat), f"Nhắc hạn số {number}: báo cáo 6 tháng đầu năm 2027", now)


async def run(messages: int, chats: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/fanout.sqlite3"
        fill(url, messages, chats)
        db = make_engine(url)
        limits = ServerLimits(global_per_second=ALLOWED_PER_SECOND, chat_per_second=1, group_per_minute=20)
        async with FakeTelegram(limits=limits) as fake:
            request = HTTPXRequest(connection_pool_size=32)
            async with Bot(TOKEN, base_url=fake.api_url, base_file_url=fake.file_url, request=request) as bot:
                sender = OutboxSender(db, {"telegram": TelegramSender(bot)}, system_clock, {"telegram": Limits()})
                started = time.monotonic()
                while True:
                    await sender.drain()
                    with session_scope(db) as session:
                        pending = session.exec(
                            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
                        ).one()
                    if not pending:
                        break
                    await asyncio.sleep(0.2)
                elapsed = time.monotonic() - started
            delivered = len({(m.chat_id, m.text) for m in fake.sent})
            with session_scope(db) as session:
                sent_rows = session.exec(
                    select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENT)
                ).one()
            return {
                "messages": messages,
                "seconds": elapsed,
                "rate": messages / elapsed,
                "http_429": fake.too_many_requests,
                "lost": messages - min(delivered, sent_rows),
                "duplicates": fake.duplicates(),
            }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--chats", type=int, default=800)
    args = parser.parse_args()
    figures = asyncio.run(run(args.messages, args.chats))
    print(
        f"delivered {figures['messages']} messages to {args.chats} chats in {figures['seconds']:.1f} s ({figures['rate']:.2f} msg/s; Telegram allows {ALLOWED_PER_SECOND}/s)"
    )
    fraction = figures["rate"] / ALLOWED_PER_SECOND
    print(
        f"fanout: messages={figures['messages']} rate_fraction={fraction:.2f} http_429={figures['http_429']} "
        f"lost={figures['lost']} duplicates={figures['duplicates']}"
    )


if __name__ == "__main__":
    main()
