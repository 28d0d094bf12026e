"""An activity's life through the real adapters: on Telegram, opened from /activities by a
button, marked held and its minutes attached as a document; on Zalo, opened by its number
and cancelled with a reason by numbered choices (no buttons, nothing edited)."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from models.activities.tables import Activity, ActivityStatus, Attachment
from models.db.engine import session_scope
from models.programme.tables import Agency
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_api import User as TelegramUser
from tests.fakes.zalo_api import FakeZalo
from tests.fakes.zalo_api import User as ZaloUser
from tests.support.harness import only
from tests.support.telegram_harness import link, running_bot
from tests.support.zalo_harness import link_zalo, running_zalo

ON_TELEGRAM = TelegramUser(2001, "Lan", "Nguyễn Thị", language_code="vi")
ON_ZALO = ZaloUser("0a1b2c3d4e5f6a7b8c9d", "Mai")


def planned_activity(db) -> Activity:  # type: ignore[no-untyped-def]
    """A planned activity that Sở Y tế leads in the sample."""
    with session_scope(db) as session:
        syt = session.exec(select(Agency).where(Agency.code == "SYT")).one()
        found = session.exec(select(Activity).where(Activity.lead_agency_id == syt.id, Activity.status == ActivityStatus.PLANNED)).first()
        assert found is not None
        session.expunge(found)
        return found


async def test_held_with_minutes_on_telegram(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    number = planned_activity(db).id
    link(db, "syt-specialist", ON_TELEGRAM, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        listed = (await bot.say(ON_TELEGRAM, "/activities"))[-1]
        while f"Mở hoạt động số {number}" not in [label for row in listed.labels() for label in row]:
            listed = (await bot.press(ON_TELEGRAM, listed, "Trang sau"))[-1]
        menu = only(await bot.press(ON_TELEGRAM, listed, f"Mở hoạt động số {number}"), ON_TELEGRAM.id)
        assert f"Hoạt động số {number}: " in menu.text and "Tình trạng: dự kiến" in menu.text
        ask_date = only(await bot.press(ON_TELEGRAM, menu, "Đã tổ chức"), ON_TELEGRAM.id)
        assert ask_date.text.startswith("Hoạt động được tổ chức ngày nào?")
        await bot.say(ON_TELEGRAM, "20/11/2026")
        held, ask_file = await bot.say(ON_TELEGRAM, "1.250")
        assert held.text.startswith(f"Đã ghi nhận hoạt động số {number} đã tổ chức.") and "Số người tham dự: 1.250" in held.text
        minutes = fake.document_update(ON_TELEGRAM, "BQACAgIAAx-minutes", "bien-ban.pdf", "application/pdf", 250_000)
        saved = (await bot.deliver(minutes))[0]
        assert "bien-ban.pdf" in saved.text
    with session_scope(db) as session:
        done = session.get(Activity, number)
        assert done is not None and (done.status, done.actual_date, done.participants) == (ActivityStatus.DONE, date(2026, 11, 20), 1250)
        assert session.exec(select(Attachment.name).where(Attachment.activity_id == number)).all() == ["bien-ban.pdf"]


async def test_cancel_with_a_reason_on_zalo(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    number = planned_activity(db).id
    link_zalo(db, "syt-specialist", ON_ZALO, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        menu = only(await bot.say(ON_ZALO, f"/activity {number}"), ON_ZALO.id)
        assert "\n8. Hủy hoạt động (ghi lý do)\n" in menu.text and "bấm" not in menu.text
        assert menu.text.endswith("Trả lời một số từ 1 đến 10 (hoặc gõ tên lựa chọn, có dấu hay không dấu đều được).")
        ask = only(await bot.say(ON_ZALO, "8"), ON_ZALO.id)
        assert ask.text.startswith("Nhập lý do hủy hoạt động (3–300 ký tự).")
        done = only(await bot.say(ON_ZALO, "Đơn vị phối hợp xin lùi sang năm sau"), ON_ZALO.id)
        assert done.text.startswith(f"Đã hủy hoạt động số {number}.") and "Lý do hủy: Đơn vị phối hợp xin lùi sang năm sau" in done.text
    with session_scope(db) as session:
        cancelled = session.get(Activity, number)
        assert cancelled is not None and cancelled.status is ActivityStatus.CANCELLED
