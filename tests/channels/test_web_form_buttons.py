"""The chat's /report offers the one-page form beside the step-by-step one: on Telegram a
button opening the Mini App (and the focal point's menu button), on Zalo a sign-in link that opens the
page. Without the web, neither."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from bot.web.app import WebConfig, build_app
from handlers.engine import ConversationEngine
from tests.conftest import local
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_api import User as TelegramUser
from tests.fakes.zalo_api import FakeZalo, User
from tests.channels.test_telegram_mini_app_menu import until
from tests.support.telegram_harness import link, running_bot
from tests.support.zalo_harness import link_zalo, running_zalo
from tests.web.conftest import PUBLIC_URL, SECRET_KEY

FOCAL = TelegramUser(2001, "Mai")
ZALO_FOCAL = User("0a1b2c3d4e5f6a7b8c9d", "Mai")


def web_engine(db, clock) -> ConversationEngine:  # type: ignore[no-untyped-def]
    return ConversationEngine(db, clock, "lao-cai-31-2015", web_url=PUBLIC_URL)


async def test_telegram_offers_the_mini_app_beside_the_form(db, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(web_engine(db, clock), fake) as bot:
        choose = (await bot.say(FOCAL, "/report"))[-1]
        await bot.press(FOCAL, choose, "phối hợp — năm 2026")
        await until(lambda: str(FOCAL.id) in fake.menu_buttons)
    buttons = [button for message in fake.shown for row in (message.reply_markup or {}).get("inline_keyboard", []) for button in row]
    assert [b for b in buttons if "web_app" in b] == [{"text": "Mở biểu mẫu trên web", "web_app": {"url": f"{PUBLIC_URL}/miniapp"}}]
    assert fake.menu_buttons[str(FOCAL.id)] == {"type": "web_app", "text": "Mở biểu mẫu trên web", "web_app": {"url": f"{PUBLIC_URL}/miniapp"}}
    assert fake.menu_buttons["default"] == {"type": "commands"}


async def test_zalo_offers_a_link_that_opens_the_page(db, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    link_zalo(db, "syt-specialist", ZALO_FOCAL, clock())
    engine = web_engine(db, clock)
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        await bot.say(ZALO_FOCAL, "/report")
        sent = await bot.say(ZALO_FOCAL, "3")
    text = "\n".join(message.text for message in sent)
    found = re.search(r"Mở biểu mẫu trên web: " + re.escape(PUBLIC_URL) + r"(/signin/\S+\?next=/report)", text)
    assert found, text
    client = TestClient(build_app(engine, WebConfig(PUBLIC_URL, SECRET_KEY)), base_url=PUBLIC_URL, follow_redirects=False)
    opened = client.get(found.group(1))
    assert opened.status_code == 303 and opened.headers["location"] == "/report"
    assert client.get("/report").status_code == 200


async def test_without_the_web_no_form_is_offered(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    link_zalo(db, "syt-specialist", ZALO_FOCAL, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        await bot.say(ZALO_FOCAL, "/report")
        sent = await bot.say(ZALO_FOCAL, "3")
    assert not any("Mở biểu mẫu trên web" in message.text for message in sent)
