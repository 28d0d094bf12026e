"""Files on Telegram: a focal point attaches the minutes (a document) and a photo to an
activity; the file_id and metadata are stored, a file over the limit is refused."""

from __future__ import annotations

from sqlmodel import select

from models.activities.tables import Attachment
from models.db.engine import session_scope
from tests.fakes.telegram_api import FakeTelegram, User
from tests.support.telegram_harness import link, running_bot

FOCAL = User(3001, "Mai", language_code="vi")


async def test_minutes_and_a_photo_for_an_activity(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        picker = (await bot.say(FOCAL, "/attach"))[0]
        assert picker.text.startswith("Đính kèm tệp (biên bản, ảnh…) vào hoạt động nào?")
        first = picker.labels()[0][0]
        number = int(first.split(" · ")[0].lstrip("#"))
        ask = (await bot.press(FOCAL, picker, first))[0]
        assert ask.text.startswith(f"Gửi tệp cho hoạt động #{number} «") and ask.labels() == [["◀ Quay lại", "✖ Hủy"]]

        too_big = fake.document_update(FOCAL, "BQACAgIAAx-big", "video-hoi-thao.mp4", "video/mp4", 48 * 1024 * 1024)
        refused = (await bot.deliver(too_big))[0]
        assert refused.text.startswith("Tệp «video-hoi-thao.mp4» có dung lượng 48 MB, vượt giới hạn 20 MB nên không được lưu.")
        minutes = fake.document_update(FOCAL, "BQACAgIAAx-minutes", "bien-ban.pdf", "application/pdf", 250_000, caption="Biên bản")
        saved = (await bot.deliver(minutes))[0]
        assert saved.text.startswith(f"Đã lưu tệp «bien-ban.pdf» vào hoạt động #{number}")

        await bot.say(FOCAL, f"/attach {number}")
        photo = (await bot.deliver(fake.photo_update(FOCAL, "AgACAgIAAx-photo", 900_000)))[0]
        assert photo.text.endswith("Hoạt động này có 2 tệp đính kèm.")
        hint = (await bot.deliver(fake.document_update(FOCAL, "BQ-stray", "x.pdf", "application/pdf", 10)))[0]
        assert hint.text.startswith("Đã nhận tệp, nhưng chưa rõ tệp thuộc hoạt động nào.")

    with session_scope(db) as session:
        rows = session.exec(select(Attachment).order_by(Attachment.id)).all()
    assert [(r.activity_id, r.channel, r.file_ref, r.file_unique_ref, r.name, r.mime, r.size) for r in rows] == [
        (number, "telegram", "BQACAgIAAx-minutes", "u-BQACAgIAAx-minutes", "bien-ban.pdf", "application/pdf", 250_000),
        (number, "telegram", "AgACAgIAAx-photo", "u-AgACAgIAAx-photo", None, "image/jpeg", 900_000),
    ]
