"""/signedfile on Telegram: the signed công văn a focal point sent with /signed goes back to
the office as a document re-sent by its Telegram file id (the bot never held the bytes)."""

from __future__ import annotations

from sqlmodel import select

from models.activities.tables import Attachment
from models.db.engine import session_scope
from tests.conftest import local
from tests.conversations.test_consolidated_report import _period
from tests.fakes.telegram_api import FakeTelegram, User
from tests.support.telegram_harness import link, running_bot

FOCAL = User(3101, "Mai", language_code="vi")
OFFICE = User(3102, "An", language_code="vi")


async def test_the_office_gets_the_signed_letter_as_a_document(engine, db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 6, 25, 9)
    _period(db, lao_cai, loaded)
    link(db, "syt-specialist", FOCAL, clock())
    link(db, "lhh-admin", OFFICE, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        ask = (await bot.say(FOCAL, "/signed 2027-H1"))[0]
        assert ask.text.startswith("Gửi công văn báo cáo đã ký, đóng dấu")
        letter = fake.document_update(FOCAL, "BQACAgIAAx-cv45", "cong-van-45-SYT.pdf", "application/pdf", 120_000)
        assert (await bot.deliver(letter))[0].text.startswith("Đã đính kèm «cong-van-45-SYT.pdf»")
        with session_scope(db) as session:
            number = session.exec(select(Attachment.id).where(Attachment.file_ref == "BQACAgIAAx-cv45")).one()
        sent = await bot.say(OFFICE, f"/signedfile {number}")
        assert [m.text for m in sent] == ["Công văn đã ký «cong-van-45-SYT.pdf»:"]
        sent = fake.sent[-2:]
        assert [m.text for m in sent] == ["Công văn đã ký «cong-van-45-SYT.pdf»:", "cong-van-45-SYT.pdf"]
        assert sent[-1].file_id == "BQACAgIAAx-cv45" and sent[-1].content is None and sent[-1].chat_id == OFFICE.id
