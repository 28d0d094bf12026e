"""The Telegram menu button: each focal point's private chat opens the one-page report as a
Mini App (setChatMenuButton with its chat_id), every other chat keeps the commands menu;
set when someone joins, taken from whoever loses the seat, through the adapter."""

from __future__ import annotations

import asyncio

from sqlmodel import col, select
from telegram import Bot

from bot.telegram.mini_app_menu import MiniAppMenus, mini_app_url
from handlers.engine import ConversationEngine
from models.db.engine import session_scope
from models.people.roster import deactivate
from models.people.tables import ChannelIdentity, Person
from tests.channels.test_telegram_conversations import invite_code
from tests.fakes.telegram_api import FakeTelegram, User
from tests.support.harness import only
from tests.support.telegram_harness import link, running_bot
from tests.web.conftest import PUBLIC_URL

ADMIN = User(4101, "Hà", "Trần Thị Thu", language_code="vi")
FOCAL = User(4102, "Mai", language_code="vi")
NEWCOMER = User(4103, "Hằng", "Phan Thị", language_code="vi")
MINI_APP = {"type": "web_app", "text": "Mở biểu mẫu trên web", "web_app": {"url": f"{PUBLIC_URL}/miniapp"}}
COMMANDS = {"type": "commands"}


async def until(check, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for `check()`: the buttons are set in the background, not before updates flow."""
    async def waiting() -> None:
        while not check():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(waiting(), seconds)


async def test_focal_points_get_the_mini_app_button_and_a_replaced_one_loses_it(db, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    engine = ConversationEngine(db, clock, "lao-cai-31-2015", web_url=PUBLIC_URL)
    link(db, "lhh-admin", ADMIN, clock())
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        await until(lambda: str(FOCAL.id) in fake.menu_buttons)
        assert fake.menu_buttons == {"default": COMMANDS, str(FOCAL.id): MINI_APP}
        code = invite_code(only(await bot.say(ADMIN, "/invite SYT specialist"), ADMIN.id))
        notice = only(await bot.say(NEWCOMER, f"/start {code}"), NEWCOMER.id)
        await bot.press(NEWCOMER, notice, "Tôi đồng ý")
        welcome = await bot.say(NEWCOMER, "Phan Thị Hằng")
        assert welcome[0].text.startswith("Chào mừng Phan Thị Hằng!")
        assert fake.menu_buttons[str(NEWCOMER.id)] == MINI_APP
        assert fake.menu_buttons[str(FOCAL.id)] == COMMANDS
        assert str(ADMIN.id) not in fake.menu_buttons
        calls = len(fake.calls_to("setChatMenuButton"))
        await bot.say(NEWCOMER, "/help")
        assert len(fake.calls_to("setChatMenuButton")) == calls


async def test_a_deactivated_focal_point_loses_the_button_at_the_next_sync(db, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    engine = ConversationEngine(db, clock, "lao-cai-31-2015", web_url=PUBLIC_URL)
    link(db, "syt-specialist", FOCAL, clock())
    url = mini_app_url(PUBLIC_URL)
    assert url is not None and mini_app_url("http://127.0.0.1:8080") is None
    async with FakeTelegram() as fake, Bot(fake.token, base_url=fake.api_url) as bot:
        menus = MiniAppMenus(bot, engine, url)
        assert await menus.start() == 2
        assert fake.menu_buttons == {"default": COMMANDS, str(FOCAL.id): MINI_APP}
        assert await menus.sync() == 0
        with session_scope(db) as session:
            query = select(Person).join(ChannelIdentity, col(ChannelIdentity.person_id) == Person.id).where(ChannelIdentity.chat_ref == str(FOCAL.id))
            deactivate(session, session.exec(query).one(), clock(), "test")
        assert await menus.sync() == 1
        assert fake.menu_buttons[str(FOCAL.id)] == COMMANDS
