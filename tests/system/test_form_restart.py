"""A form survives a restart: two focal points half-way through /register, one on Telegram
(pressing inline buttons) and one on Zalo (numbered choices), talk to a real `phoihop run`
process; it is killed with SIGKILL and started again, and each goes on from the step they
were at, a Telegram button from before the restart included. Each activity is stored once,
with every answer."""

from __future__ import annotations

import asyncio
import signal
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models.activities.tables import Activity, ActivityPartner
from models.db.engine import session_scope
from models.programme.tables import ActivityType, Agency
from tests.fakes.server import FakeBotApi
from tests.fakes.telegram_api import FakeTelegram, Sent
from tests.fakes.telegram_api import User as TelegramUser
from tests.fakes.zalo_api import FakeZalo
from tests.fakes.zalo_api import User as ZaloUser
from tests.support.processes import RUN_DAY, environment, run_command
from tests.support.telegram_harness import link
from tests.support.zalo_harness import link_zalo

pytestmark = pytest.mark.slow

ON_TELEGRAM = TelegramUser(8101, "Mai")
ON_ZALO = ZaloUser("5a1b2c3d4e5f60718293", "Bình")
TELEGRAM_TITLE = "Hội thảo chuyển đổi số trong ngành y tế"
ZALO_TITLE = "Tập huấn kỹ thuật nuôi ong lấy mật"
LHH = "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai"


async def start(tmp_path: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        *run_command(), cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    for _ in range(2):
        assert (await asyncio.wait_for(process.stdout.readline(), 30)).strip()  # type: ignore[union-attr]
    return process


async def answer(fake: FakeBotApi[Any, Any], chat_id: int | str, send: Any) -> Any:
    """What the bot sent to `chat_id` after `send()` hands it an update."""
    mark = len(fake.sent_to(chat_id))
    send()
    await fake.wait_for(lambda: len(fake.sent_to(chat_id)) > mark, timeout=10)
    return fake.sent_to(chat_id)[-1]


async def telegram_says(fake: FakeTelegram, text: str) -> Sent:
    return await answer(fake, ON_TELEGRAM.id, lambda: fake.says(ON_TELEGRAM, text))


async def telegram_presses(fake: FakeTelegram, message: Sent, label: str) -> Sent:
    """A press edits the pressed message into the answer: what the chat shows next."""
    mark = len(fake.shown)
    fake.push(fake.press_update(ON_TELEGRAM, message, message.button(label)))
    await fake.wait_for(lambda: any(m.chat_id == ON_TELEGRAM.id for m in fake.shown[mark:]), timeout=10)
    return [m for m in fake.shown[mark:] if m.chat_id == ON_TELEGRAM.id][-1]


async def zalo_says(fake: FakeZalo, text: str) -> Any:
    return await answer(fake, ON_ZALO.id, lambda: fake.says(ON_ZALO, text))


def stored(db, title: str) -> tuple[str, date, str, int | None, list[str]]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        activity = session.exec(select(Activity).where(Activity.title == title)).one()
        kind = session.get(ActivityType, activity.type_id)
        partners = session.exec(select(Agency.name).join(ActivityPartner).where(ActivityPartner.activity_id == activity.id)).all()
        return kind.name, activity.planned_date, activity.place, activity.participants, list(partners)  # type: ignore[union-attr]


async def test_a_form_goes_on_where_it_was_after_the_bot_is_killed(tmp_path: Path, db, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", ON_TELEGRAM, clock())
    link_zalo(db, "snnptnt-specialist", ON_ZALO, clock())
    day = RUN_DAY + timedelta(days=20)
    typed = day.strftime("%d/%m/%Y")
    async with FakeTelegram() as telegram, FakeZalo() as zalo:
        env = environment(
            TELEGRAM_BOT_TOKEN=telegram.token,
            TELEGRAM_API_BASE_URL=telegram.url,
            ZALO_BOT_TOKEN=zalo.token,
            ZALO_API_BASE_URL=zalo.url,
            DATABASE_URL=db.url.render_as_string(hide_password=False),
        )
        process = await start(tmp_path, env)
        try:
            types = await telegram_says(telegram, "/register")
            await telegram_presses(telegram, types, "Hội thảo khoa học")
            await telegram_says(telegram, TELEGRAM_TITLE)
            await telegram_says(telegram, typed)
            partners = await telegram_says(telegram, "Phòng họp Sở Y tế")
            assert partners.text.startswith("Bước 5/7. Chọn các cơ quan phối hợp")
            await zalo_says(zalo, "/register")
            await zalo_says(zalo, "Tập huấn kỹ thuật")
            await zalo_says(zalo, ZALO_TITLE)
            place = await zalo_says(zalo, typed)
            assert place.text.startswith("Bước 4/7")

            process.send_signal(signal.SIGKILL)
            await process.wait()
            process = await start(tmp_path, env)

            chosen = await telegram_presses(telegram, partners, "Sở Tài chính")
            assert chosen.text.startswith("Bước 5/7") and f"Đã chọn: {LHH}" in chosen.text  # pre-ticked, kept across the restart
            assert "Sở Tài chính" in chosen.text.split("Đã chọn:")[1]
            participants = await telegram_presses(telegram, chosen, "Xong")
            confirm = await telegram_says(telegram, "80")
            assert f"Tên: {TELEGRAM_TITLE}\nNgày: {typed}\nĐịa điểm: Phòng họp Sở Y tế" in confirm.text
            assert participants.text.startswith("Bước 6/7")
            saved = await telegram_presses(telegram, confirm, "Lưu")
            assert saved.text.startswith("Đã lưu hoạt động số ")

            partners_on_zalo = await zalo_says(zalo, "Xã Bản Phố, huyện Bắc Hà")
            assert partners_on_zalo.text.startswith("Bước 5/7. Chọn các cơ quan phối hợp")
            await zalo_says(zalo, "xong")
            confirm_on_zalo = await zalo_says(zalo, "35")
            assert f"Tên: {ZALO_TITLE}\nNgày: {typed}\nĐịa điểm: Xã Bản Phố, huyện Bắc Hà" in confirm_on_zalo.text
            assert (await zalo_says(zalo, "1")).text.startswith("Đã lưu hoạt động số ")
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
            _, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, err.decode()
    assert stored(db, TELEGRAM_TITLE) == ("Hội thảo khoa học", day, "Phòng họp Sở Y tế", 80, [LHH, "Sở Tài chính"])
    assert stored(db, ZALO_TITLE) == ("Tập huấn kỹ thuật", day, "Xã Bản Phố, huyện Bắc Hà", 35, [LHH])  # the LHH pre-ticked
    assert telegram.duplicates() == 0 and zalo.duplicates() == 0
