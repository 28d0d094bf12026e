"""Fan-out benchmark: reminders through the outbox sender and a channel's real adapter to a
fake Bot API on 127.0.0.1 that enforces the channel's limits and answers 429 past them.

- Telegram: 2,000 reminders through python-telegram-bot; 30 messages/s in all, 1/s per chat.
- Zalo: 300 reminders, one in ten long enough to go in three pieces, through the Zalo
  adapter; the fake enforces the configured Zalo rates (ZALO_RATE_PER_SECOND 5 in all,
  1/s per chat). Every piece counts as a message against the rates.

Run: python bench/fanout.py [--channel telegram|zalo|both] [--messages N] [--chats N]
A line per channel: fanout: channel=… messages=… rate_fraction=… http_429=… lost=… duplicates=…
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
from bot.settings import Settings  # noqa: E402
from bot.telegram.outgoing import TelegramSender  # noqa: E402
from bot.zalo.client import ZaloClient  # noqa: E402
from bot.zalo.outgoing import ZaloSender, split_message  # noqa: E402
from bot.zalo.setup import ZALO  # noqa: E402
from models.db.engine import make_engine, session_scope  # noqa: E402
from models.db.migrate import upgrade  # noqa: E402
from models.outbox.notify import enqueue  # noqa: E402
from models.outbox.tables import OutboxMessage, OutboxStatus  # noqa: E402
from tests.fakes.telegram_api import TOKEN, FakeTelegram  # noqa: E402
from tests.fakes.telegram_api import Limits as ServerLimits  # noqa: E402
from tests.fakes.zalo_api import FakeZalo  # noqa: E402

ALLOWED_PER_SECOND = 30


LONG_EVERY = 10
"""On Zalo one reminder in ten is a digest long enough for three pieces."""


def text_of(number: int, long: bool) -> str:
    text = f"Nhắc hạn số {number}: báo cáo 6 tháng đầu năm 2027"
    if not long:
        return text
    lines = [f"{number}.{line:03d}. Cơ quan {line}: chưa nộp báo cáo 6 tháng đầu năm 2027 (hạn 20/06/2027)" for line in range(60)]
    return "\n".join([text, *lines])


def fill(url: str, channel: str, messages: int, chats: int) -> dict[str, str]:
    """The outbox rows; their texts by key."""
    db = make_engine(url)
    upgrade(db)
    now = datetime.now(UTC) - timedelta(seconds=1)
    texts: dict[str, str] = {}
    with session_scope(db) as session:
        for number in range(messages):
            chat = str(10_000 + number % chats)
            text = text_of(number, channel == "zalo" and number % LONG_EVERY == 0)
            enqueue(session, f"bench:{number}:{chat}", channel, chat, text, now)
            texts[f"bench:{number}:{chat}"] = text
    return texts


async def until_settled(sender: OutboxSender, db) -> float:  # type: ignore[no-untyped-def]
    """Drain until no row is pending; the seconds it took."""
    started = time.monotonic()
    while True:
        await sender.drain()
        with session_scope(db) as session:
            pending = session.exec(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)).one()
        if not pending:
            return time.monotonic() - started
        await asyncio.sleep(0.2)


async def run_zalo(messages: int, chats: int) -> dict[str, float]:
    limits = ZALO.limits(Settings(_env_file=None))  # type: ignore[call-arg]
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/fanout.sqlite3"
        texts = fill(url, "zalo", messages, chats)
        db = make_engine(url)
        server = ServerLimits(global_per_second=int(limits.per_second), chat_per_second=int(limits.per_chat_per_second))
        async with FakeZalo(limits=server) as fake, ZaloClient(fake.token, fake.url) as client:
            sender = OutboxSender(db, {"zalo": ZaloSender(client)}, system_clock, {"zalo": limits})
            elapsed = await until_settled(sender, db)
            wanted = {(key.rsplit(":", 1)[1], piece) for key, text in texts.items() for piece in split_message(text)}
            delivered = {(m.chat_id, m.text) for m in fake.sent}
            return {
                "messages": messages,
                "pieces": len(fake.sent),
                "seconds": elapsed,
                "rate": len(fake.sent) / elapsed,
                "allowed": limits.per_second,
                "http_429": fake.too_many_requests,
                "lost": len(wanted - delivered),
                "duplicates": fake.duplicates(),
            }


async def run(messages: int, chats: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/fanout.sqlite3"
        fill(url, "telegram", messages, chats)
        db = make_engine(url)
        limits = ServerLimits(global_per_second=ALLOWED_PER_SECOND, chat_per_second=1, group_per_minute=20)
        async with FakeTelegram(limits=limits) as fake:
            request = HTTPXRequest(connection_pool_size=32)
            async with Bot(TOKEN, base_url=fake.api_url, base_file_url=fake.file_url, request=request) as bot:
                sender = OutboxSender(db, {"telegram": TelegramSender(bot)}, system_clock, {"telegram": Limits()})
                elapsed = await until_settled(sender, db)
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
    parser.add_argument("--channel", choices=["telegram", "zalo", "both"], default="both")
    parser.add_argument("--messages", type=int, help="default: 2000 on Telegram, 300 on Zalo")
    parser.add_argument("--chats", type=int, help="default: 800 on Telegram, 120 on Zalo")
    args = parser.parse_args()
    if args.channel in ("telegram", "both"):
        chats = args.chats or 800
        figures = asyncio.run(run(args.messages or 2000, chats))
        print(
            f"delivered {figures['messages']} messages to {chats} chats in {figures['seconds']:.1f} s ({figures['rate']:.2f} msg/s; Telegram allows {ALLOWED_PER_SECOND}/s)"
        )
        fraction = figures["rate"] / ALLOWED_PER_SECOND
        print(
            f"fanout: channel=telegram messages={figures['messages']} rate_fraction={fraction:.2f} http_429={figures['http_429']} "
            f"lost={figures['lost']} duplicates={figures['duplicates']}"
        )
    if args.channel in ("zalo", "both"):
        chats = args.chats or 120
        figures = asyncio.run(run_zalo(args.messages or 300, chats))
        print(
            f"delivered {figures['messages']} messages ({figures['pieces']} pieces) to {chats} chats in {figures['seconds']:.1f} s "
            f"({figures['rate']:.2f} pieces/s; configured {figures['allowed']:g}/s)"
        )
        fraction = figures["rate"] / figures["allowed"]
        print(
            f"fanout: channel=zalo messages={figures['messages']} rate_fraction={fraction:.2f} http_429={figures['http_429']} "
            f"lost={figures['lost']} duplicates={figures['duplicates']}"
        )


if __name__ == "__main__":
    main()
