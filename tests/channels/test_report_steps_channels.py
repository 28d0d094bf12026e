"""The report in few steps through the real Telegram adapter and the Zalo adapter (issue 15,
point 3): a first report in 8 messages when the suggestions are right, a fix after a return
in 4; «sửa N» typed on Zalo, a button on Telegram. A message is one update the person
sends (a text or a press); the counts are asserted."""

from __future__ import annotations

import re

from tests.conftest import local
from tests.conversations.test_report_steps import returned_with
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_api import Sent as TelegramSent
from tests.fakes.telegram_api import User as TelegramUser
from tests.fakes.zalo_api import FakeZalo
from tests.fakes.zalo_api import Sent as ZaloSent
from tests.fakes.zalo_api import User as ZaloUser
from tests.support.telegram_harness import RunningBot, link, running_bot
from tests.support.zalo_harness import RunningZalo, link_zalo, running_zalo

FOCAL_TG = TelegramUser(5302, "Mai", "Nguyễn Thị", language_code="vi")
FOCAL_ZALO = ZaloUser("0a1b2c3d4e5f6a7b8c9d", "Mai")
YEAR = "Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026"


class ZaloCount:
    """The focal point on Zalo: what they type, counted; the last message they got."""

    def __init__(self, bot: RunningZalo) -> None:
        self.bot, self.sent, self.last = bot, 0, ""

    async def say(self, text: str) -> str:
        self.sent += 1
        self.last = "\n\n".join(m.text for m in await self.bot.say(FOCAL_ZALO, text) if isinstance(m, ZaloSent) and m.chat_id == FOCAL_ZALO.id)
        return self.last

    def number(self, label: str) -> str:
        """The number of the choice `label` in the last message."""
        found = re.search(rf"^(\d+)\. [^\n]*{re.escape(label)}", self.last, re.MULTILINE)
        assert found, self.last
        return found.group(1)


class TelegramCount:
    """The focal point on Telegram: texts and presses, counted; the last message shown."""

    def __init__(self, bot: RunningBot) -> None:
        self.bot, self.sent = bot, 0
        self.last: TelegramSent | None = None

    async def _shown(self, sent: list[TelegramSent]) -> str:
        self.sent += 1
        mine = [m for m in sent if m.chat_id == FOCAL_TG.id]
        self.last = mine[-1]
        return "\n\n".join(m.text for m in mine)

    async def say(self, text: str) -> str:
        return await self._shown(await self.bot.say(FOCAL_TG, text))

    async def press(self, label: str) -> str:
        assert self.last is not None
        return await self._shown(await self.bot.press(FOCAL_TG, self.last, label))


def returned_by_the_office(chat, clock) -> None:  # type: ignore[no-untyped-def]
    """SYT's annual report submitted by its leader, returned with item 8 (kinh phí) flagged."""
    returned_with(chat, clock, ["8"])
    clock.moment = local(2026, 12, 17, 8)


async def telegram_to_summary(person: TelegramCount) -> str:
    """The annual report on Telegram taken as suggested, up to its summary (7 messages)."""
    await person.say("/report")
    assert "Các hoạt động của cơ quan trong kỳ" in await person.press(YEAR)
    assert "Chỉ tiêu 1/8" in await person.press("Xong")
    assert "Chỉ tiêu 8/8" in await person.press("Dùng tất cả gợi ý")
    assert "Nội dung 2/7" in await person.say("12,5")
    assert "Không có nội dung khác" in await person.press("Dùng tất cả gợi ý")
    return await person.press("Không có nội dung khác")


async def test_a_first_report_on_zalo_takes_8_messages(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    link_zalo(db, "syt-specialist", FOCAL_ZALO, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        person = ZaloCount(bot)
        await person.say("/report")
        activities = await person.say(person.number(YEAR))
        assert "Các hoạt động của cơ quan trong kỳ" in activities
        assert "Chỉ tiêu 1/8" in await person.say(person.number("Xong"))
        assert "Chỉ tiêu 8/8" in await person.say("dung tat ca goi y")
        narrative = await person.say("12,5")
        assert "Nội dung 2/7" in narrative and "Gợi ý từ các hoạt động đã tính: Hội thảo khoa học" in narrative
        more = await person.say("Dùng tất cả gợi ý")
        assert "1. Không có nội dung khác" in more
        summary = await person.say("1")
        assert "Để sửa một mục, gõ «sửa» và số của mục" in summary
        assert "Sửa 3" not in summary and "1. 📤 Nộp báo cáo\n2. 💾 Lưu nháp\n3. ◀ Quay lại\n4. ✖ Hủy" in summary
        assert "[10] Thông tin, tuyên truyền, đào tạo và phổ biến kiến thức: Hội thảo khoa học" in summary
        done = await person.say(person.number("Nộp báo cáo"))
        assert done.startswith(f"Đã nộp {YEAR} của Sở Y tế")
        assert person.sent == 8


async def test_sua_n_on_zalo_goes_to_item_n_and_back(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    link_zalo(db, "syt-specialist", FOCAL_ZALO, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        person = ZaloCount(bot)
        await person.say("/report")
        await person.say(person.number(YEAR))
        for answer in (person.number("Xong"), "dung tat ca goi y", "12,5", "dung tat ca goi y", "1"):
            await person.say(answer)
        wrong = await person.say("sửa 40")
        assert wrong.startswith("Không có mục «40». Các mục được đánh số từ 1 đến 16")
        asked = await person.say("sua 3")
        assert asked.startswith("Chỉ tiêu 3/8: Số lớp tập huấn kỹ thuật")
        back = await person.say("4")
        assert "Kiểm tra lại báo cáo" in back and "[3] Số lớp tập huấn kỹ thuật: 4 lớp" in back


async def test_a_fix_after_a_return_on_zalo_takes_4_messages(chat, engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    returned_by_the_office(chat, clock)
    link_zalo(db, "syt-specialist", FOCAL_ZALO, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        person = ZaloCount(bot)
        await person.say("/report")
        opened = await person.say(person.number(YEAR))
        assert "Các mục cần sửa: [8] Kinh phí thực hiện các hoạt động phối hợp." in opened and "Chỉ tiêu 8/8" in opened
        summary = await person.say("3")
        assert "[8] Kinh phí thực hiện các hoạt động phối hợp: 3 triệu đồng" in summary
        done = await person.say(person.number("Nộp báo cáo"))
        assert done.startswith("Đã nộp")
        assert person.sent == 4


async def test_a_first_report_on_telegram_takes_8_messages(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    link(db, "syt-specialist", FOCAL_TG, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        person = TelegramCount(bot)
        summary = await telegram_to_summary(person)
        assert "Kiểm tra lại báo cáo" in summary and "gõ «sửa» và số của mục" in summary
        assert person.last is not None and ["Sửa 1", "Sửa 2", "Sửa 3", "Sửa 4", "Sửa 5", "Sửa 6"] in person.last.labels()
        done = await person.press("Nộp báo cáo")
        assert done.startswith(f"Đã nộp {YEAR} của Sở Y tế")
        assert person.sent == 8


async def test_a_fix_after_a_return_on_telegram_takes_4_messages(chat, engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    returned_by_the_office(chat, clock)
    link(db, "syt-specialist", FOCAL_TG, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        person = TelegramCount(bot)
        await person.say("/report")
        opened = await person.press(YEAR)
        assert "Các mục cần sửa: [8] Kinh phí thực hiện các hoạt động phối hợp." in opened and "Chỉ tiêu 8/8" in opened
        summary = await person.say("3")
        assert "[8] Kinh phí thực hiện các hoạt động phối hợp: 3 triệu đồng" in summary
        done = await person.press("Nộp báo cáo")
        assert done.startswith("Đã nộp")
        assert person.sent == 4


async def test_a_button_on_telegram_goes_to_item_n_and_back(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    link(db, "syt-specialist", FOCAL_TG, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        person = TelegramCount(bot)
        await telegram_to_summary(person)
        edited = await person.press("Sửa 3")
        assert edited.startswith("Chỉ tiêu 3/8: Số lớp tập huấn kỹ thuật")
        back = await person.say("4")
        assert "Kiểm tra lại báo cáo" in back and "[3] Số lớp tập huấn kỹ thuật: 4 lớp" in back
