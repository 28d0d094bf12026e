"""A command typed in the middle of a form, through the real Telegram adapter and the
Zalo adapter: the command is answered, then the form's step is asked again with its
answers kept (on Zalo as numbered plain text, without "bấm")."""

from __future__ import annotations

from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_api import User as TelegramUser
from tests.fakes.zalo_api import FakeZalo
from tests.fakes.zalo_api import User as ZaloUser
from tests.support.harness import only
from tests.support.telegram_harness import link, running_bot
from tests.support.zalo_harness import link_zalo, running_zalo

FOCAL_TG = TelegramUser(5002, "Mai", "Nguyễn Thị", language_code="vi")
FOCAL_ZALO = ZaloUser("0a1b2c3d4e5f6a7b8c9d", "Mai")


async def test_a_command_mid_form_on_telegram_keeps_the_form(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", FOCAL_TG, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        types = only(await bot.say(FOCAL_TG, "/register"), FOCAL_TG.id)
        await bot.press(FOCAL_TG, types, "Hội thảo khoa học")
        await bot.say(FOCAL_TG, "Hội thảo ứng dụng công nghệ số trong y tế")
        answered = [m for m in await bot.say(FOCAL_TG, "/due") if m.chat_id == FOCAL_TG.id]
        assert "Việc phải làm của Sở Y tế" in answered[0].text
        assert "vẫn được giữ, các câu trả lời không mất" in answered[-1].text and "Bước 3/7" in answered[-1].text
        assert answered[-1].labels()[-1] == ["◀ Quay lại", "✖ Hủy"]
        place = only(await bot.say(FOCAL_TG, "10/12/2026"), FOCAL_TG.id)
        assert "Bước 4/7" in place.text


async def test_a_command_mid_form_on_zalo_keeps_the_form(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "syt-specialist", FOCAL_ZALO, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        types = only(await bot.say(FOCAL_ZALO, "/register"), FOCAL_ZALO.id)
        assert "1. " in types.text
        await bot.say(FOCAL_ZALO, "2")
        await bot.say(FOCAL_ZALO, "Hội thảo ứng dụng công nghệ số trong y tế")
        answered = [m for m in await bot.say(FOCAL_ZALO, "/due") if m.chat_id == FOCAL_ZALO.id]
        assert "Việc phải làm của Sở Y tế" in answered[0].text
        resumed = answered[-1].text
        assert "vẫn được giữ, các câu trả lời không mất" in resumed and "Bước 3/7" in resumed
        assert "bấm" not in resumed.lower()
        place = only(await bot.say(FOCAL_ZALO, "10/12/2026"), FOCAL_ZALO.id)
        assert "Bước 4/7" in place.text
