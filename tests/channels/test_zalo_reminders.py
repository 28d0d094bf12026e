"""One person on Telegram and on Zalo, end to end against both fake Bot APIs: they link
the two with /link, write on one channel then the other, and each reminder the scheduler
writes reaches them once, on the channel they used last (even minutes before), through
one outbox sender that serves both channels."""

from __future__ import annotations

import re
from datetime import datetime

from telegram import Bot

from bot.sender import OutboxSender
from bot.settings import Settings
from bot.telegram.outgoing import TelegramSender
from bot.telegram.setup import TELEGRAM
from bot.zalo.client import ZaloClient
from bot.zalo.outgoing import ZaloSender
from bot.zalo.setup import ZALO
from scheduler.service import CycleScheduler
from tests.conftest import local
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_api import User as TelegramUser
from tests.fakes.zalo_api import FakeZalo
from tests.fakes.zalo_api import User as ZaloUser
from tests.support.telegram_harness import link, running_bot
from tests.support.zalo_harness import running_zalo

ON_TELEGRAM = TelegramUser(3001, "Mai")
ON_ZALO = ZaloUser("5e4d3c2b1a0f9e8d7c6b", "Nguyễn Thị Mai")
REMINDER = "🔔 Nhắc hạn: Báo cáo 6 tháng kết quả thực hiện chương trình phối hợp — 6 tháng đầu năm 2027 của Sở Y tế"
FOURTEEN_DAYS_BEFORE, SEVEN_DAYS_BEFORE = local(2027, 6, 4, 8, 5), local(2027, 6, 11, 8, 5)


def code_in(text: str) -> str:
    match = re.search(r"Mã nối tài khoản: ([A-Z2-9]{8})", text)
    assert match, text
    return match.group(1)


async def deliver_reminders(engine, telegram: FakeTelegram, zalo: FakeZalo, day: datetime) -> int:  # type: ignore[no-untyped-def]
    """The scheduler's jobs on `day`, then one sender for both channels."""
    scheduler = CycleScheduler(engine.db, lambda: day, "lao-cai-31-2015")
    try:
        scheduler.run_once()
    finally:
        scheduler.leadership.release()  # on PostgreSQL the next call's scheduler must be able to lead
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    limits = {"telegram": TELEGRAM.limits(settings), "zalo": ZALO.limits(settings)}
    async with Bot(telegram.token, base_url=telegram.api_url) as bot, ZaloClient(zalo.token, zalo.url) as client:
        channels = {"telegram": TelegramSender(bot), "zalo": ZaloSender(client)}
        return await OutboxSender(engine.db, channels, lambda: day, limits).drain()  # type: ignore[arg-type]


def reminders(fake: FakeTelegram | FakeZalo) -> list[str]:
    return [message.text.split(" (còn")[0] for message in fake.sent if message.text.startswith(REMINDER)]


async def test_a_linked_person_gets_each_reminder_once_on_the_channel_last_used(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", ON_TELEGRAM, clock())
    async with FakeTelegram() as telegram, FakeZalo() as zalo:
        async with running_bot(engine, telegram) as on_telegram, running_zalo(engine, zalo) as on_zalo:
            clock.advance(minutes=1)
            code = code_in((await on_telegram.say(ON_TELEGRAM, "/link"))[0].text)
            clock.advance(minutes=1)
            done = await on_zalo.say(ON_ZALO, f"/link {code}")
            assert [m.text.split(".")[0] for m in done] == ["Đã nối tài khoản Zalo này với Nguyễn Thị Mai (đang dùng trên Telegram)"]
            clock.advance(minutes=1)
            await on_zalo.say(ON_ZALO, "/due")
            clock.advance(minutes=1)
            await on_telegram.say(ON_TELEGRAM, "/due")

        await deliver_reminders(engine, telegram, zalo, FOURTEEN_DAYS_BEFORE)
        assert reminders(telegram) == [REMINDER + " — hạn nộp 20/06/2027"] and reminders(zalo) == []
        told = [m for m in telegram.sent_to(ON_TELEGRAM.id) if m.text.startswith("Một tài khoản Zalo vừa được nối với tài khoản Telegram")]
        assert len(told) == 1
        assert await deliver_reminders(engine, telegram, zalo, FOURTEEN_DAYS_BEFORE) == 0

        async with running_zalo(engine, zalo) as on_zalo:
            clock.advance(minutes=1)
            await on_zalo.say(ON_ZALO, "/help")
        await deliver_reminders(engine, telegram, zalo, SEVEN_DAYS_BEFORE)
        assert len(reminders(telegram)) == 1 and reminders(zalo) == [REMINDER + " — hạn nộp 20/06/2027"]
        assert await deliver_reminders(engine, telegram, zalo, SEVEN_DAYS_BEFORE) == 0
        assert len(reminders(telegram)) + len(reminders(zalo)) == 2
