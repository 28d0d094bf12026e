"""Issue 15, points 6 and 7 through the real adapters: Vietnamese first whatever the app
says, English one press (Telegram, the notice edited in place) or one number (Zalo) away;
a new admin's command menu set the moment they join; /status names agencies; a name typed
in lower case written as a name."""

from __future__ import annotations

import re

from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_api import User as TelegramUser
from tests.fakes.zalo_api import FakeZalo
from tests.fakes.zalo_api import User as ZaloUser
from tests.support.harness import only
from tests.support.telegram_harness import link, running_bot
from tests.support.zalo_harness import link_zalo, running_zalo

CODE = re.compile(r"Mã mời: ([A-Z2-9]{8})|Invite code: ([A-Z2-9]{8})")


def code_in(text: str) -> str:
    match = CODE.search(text)
    assert match, text
    return match.group(1) or match.group(2)


async def test_telegram_english_app_gets_vietnamese_then_english_in_one_press_and_an_admin_menu_at_once(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    admin = TelegramUser(1001, "Hà", "Trần Thị Thu", language_code="vi")
    newcomer = TelegramUser(8001, "Peter", "Nguyen", language_code="en-GB")
    link(db, "lhh-admin", admin, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        code = code_in(only(await bot.say(admin, "/invite LHH admin"), admin.id).text)
        notice = only(await bot.say(newcomer, f"/start {code}"), newcomer.id)
        assert notice.text.startswith("THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN")
        english = only(await bot.press(newcomer, notice, "English"), newcomer.id)
        assert english.message_id == notice.message_id and english.text.startswith("PERSONAL DATA NOTICE")
        await bot.press(newcomer, english, "I agree")
        assert ("chat:8001", "") not in fake.commands
        welcome = await bot.say(newcomer, "peter nguyen")
        assert welcome[0].text.startswith("Welcome, Peter Nguyen! You have joined as")
        menu = [command["command"] for command in fake.commands[("chat:8001", "")]]
        assert "invite" in menu and "broadcast" in menu
        assert any("invite" == command["command"] and command["description"].startswith("make an invite") for command in fake.commands[("chat:8001", "")])


async def test_zalo_newcomer_chooses_english_by_number_and_status_names_agencies(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    admin = ZaloUser("a1b2c3d4e5f6a7b8c9d0", "Trần Thị Thu Hà")
    newcomer = ZaloUser("0f0e0d0c0b0a09080706", "Peter")
    link_zalo(db, "lhh-admin", admin, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        code = code_in(only(await bot.say(admin, "/invite SCT specialist"), admin.id).text)
        notice = only(await bot.say(newcomer, f"/start {code}"), newcomer.id)
        assert "\n3. English\n4. ✖ Hủy\n" in notice.text
        english = only(await bot.say(newcomer, "3"), newcomer.id)
        assert english.text.startswith("PERSONAL DATA NOTICE") and "\n3. Tiếng Việt\n4. ✖ Cancel\n" in english.text
        assert "press" not in english.text.lower()
        await bot.say(newcomer, "1")
        welcome = await bot.say(newcomer, "PETER NGUYEN")
        assert welcome[0].text.startswith("Welcome, Peter Nguyen!")

        status = (await bot.say(admin, "/status năm 2026"))[0]
        assert status.text.startswith("Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026")
        assert "\nSở Y tế · " in status.text and "\nSYT · " not in status.text
