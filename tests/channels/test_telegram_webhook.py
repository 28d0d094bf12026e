"""Webhook mode: the bot registers its URL and secret with setWebhook, and its server
refuses a request without the X-Telegram-Bot-Api-Secret-Token header, or with a wrong
one, before anything is processed."""

from __future__ import annotations

from sqlmodel import func, select

from models.conversations.tables import ProcessedUpdate
from models.db.engine import session_scope
from tests.fakes.telegram_api import FakeTelegram, User
from tests.support.telegram_harness import WEBHOOK_SECRET, WEBHOOK_URL, link, running_bot

FOCAL = User(3001, "Mai", language_code="vi")


def processed(db) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(func.count()).select_from(ProcessedUpdate)).one()


async def test_the_webhook_is_registered_with_its_secret(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    async with FakeTelegram() as fake, running_bot(engine, fake, webhook=True):
        assert fake.webhook["url"] == WEBHOOK_URL
        assert fake.webhook["secret_token"] == WEBHOOK_SECRET
        assert fake.webhook["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
        assert fake.calls_to("getUpdates") == [] and fake.calls_to("deleteWebhook") == []


async def test_requests_without_the_secret_are_refused_and_not_processed(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake, webhook=True) as bot:
        update = fake.message_update(FOCAL, "/help")
        assert await bot.post(update, None) == 403
        assert await bot.post(update, "not-the-secret") == 403
        assert await bot.post(update, WEBHOOK_SECRET.upper()) == 403
        assert processed(db) == 0 and fake.sent == [] and not bot.handled

        answer = await bot.deliver(update)
        assert [m.text.splitlines()[0] for m in answer] == ["Các lệnh anh/chị có thể dùng:"]
        assert await bot.deliver(update) == []
        assert processed(db) == 1 and len(fake.sent) == 1


async def test_a_webhook_conversation_with_buttons(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake, webhook=True) as bot:
        choose = (await bot.say(FOCAL, "/lang"))[0]
        assert choose.labels() == [["Tiếng Việt", "English"], ["✖ Hủy"]]
        assert [m.text for m in await bot.press(FOCAL, choose, "English")] == ["Language set to English."]
