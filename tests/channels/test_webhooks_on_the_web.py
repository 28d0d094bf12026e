"""Both messengers' webhooks served by the web app, on its port beside the pages (as
`phoihop run` does when the web is on): no or a wrong secret is 403 and nothing is
processed; bodies are capped; updates are handled as on a webhook of their own."""

from __future__ import annotations

from aiohttp import ClientSession
from sqlmodel import func, select

from models.conversations.tables import ProcessedUpdate
from models.db.engine import session_scope
from tests.channels.test_telegram_webhook import _raw_post
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_api import User as TelegramUser
from tests.fakes.zalo_api import FakeZalo, envelope
from tests.fakes.zalo_api import User as ZaloUser
from tests.support.telegram_harness import WEBHOOK_SECRET, link, running_bot
from tests.support.zalo_harness import WEBHOOK_SECRET as ZALO_SECRET
from tests.support.zalo_harness import link_zalo, running_zalo

FOCAL = TelegramUser(5101, "Lan", language_code="vi")
ZALO_FOCAL = ZaloUser("5a1b2c3d4e5f6a7b8c9d", "Lan")


def processed(db) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(func.count()).select_from(ProcessedUpdate)).one()


async def test_telegram_on_the_web_refuses_without_the_secret_and_serves_the_pages_beside(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake, webhook=True, on_web=True) as bot:
        update = fake.message_update(FOCAL, "/help")
        for secret in (None, "not-the-secret", WEBHOOK_SECRET.upper()):
            assert await bot.post(update, secret) == 403
        huge = {"Content-Length": str(90 * 1024 * 1024)}
        assert (await _raw_post(bot, {**huge, "X-Telegram-Bot-Api-Secret-Token": "wrong"})).startswith(b"HTTP/1.1 403")
        assert (await _raw_post(bot, {**huge, "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})).startswith(b"HTTP/1.1 413")
        assert processed(db) == 0 and fake.sent == [] and not bot.handled
        answer = await bot.deliver(update)
        assert [m.text.splitlines()[0] for m in answer] == ["Các lệnh anh/chị có thể dùng:"]
        assert await bot.deliver(update) == [] and processed(db) == 1
        async with ClientSession() as client, client.get(f"http://{bot.options.listen}:{bot.options.port}/") as page:
            assert page.status == 401


async def test_zalo_on_the_web_refuses_without_the_secret(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "syt-specialist", ZALO_FOCAL, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake, webhook=True, on_web=True) as bot:
        update = fake.message_update(ZALO_FOCAL, "/help")
        for secret in (None, "", "not-the-secret", ZALO_SECRET + "x"):
            assert await bot.post(envelope(update), secret) == 403, secret
        assert await bot.post(["not", "an", "update"], ZALO_SECRET) == 400
        assert processed(db) == 0 and fake.sent == [] and not bot.handled
        answer = await bot.deliver(update)
        assert [m.text.splitlines()[0] for m in answer] == ["Các lệnh anh/chị có thể dùng:"]
        assert processed(db) == 1
