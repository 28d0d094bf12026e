"""Webhook mode: the bot registers its URL and secret with setWebhook, and its server
refuses a request without the X-Telegram-Bot-Api-Secret-Token header, or with a wrong
one, before anything is processed."""

from __future__ import annotations

import asyncio

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


async def _raw_post(bot, headers: dict[str, str], body: bytes = b"", chunked: bytes = b"") -> bytes:  # type: ignore[no-untyped-def]
    """POST by hand: the status line the server answers within 3 s, having read at most
    what was sent (headers, then `body`, then `chunked` as one chunk)."""
    reader, writer = await asyncio.open_connection(bot.options.listen, bot.options.port)
    lines = [f"POST /{bot.options.webhook_path} HTTP/1.1", f"Host: {bot.options.listen}", "Content-Type: application/json"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    if chunked:
        writer.write(f"{len(chunked):x}\r\n".encode() + chunked + b"\r\n0\r\n\r\n")
    try:
        await writer.drain()
    except ConnectionError:
        pass
    try:
        return await asyncio.wait_for(reader.readline(), 3)
    finally:
        writer.close()


async def test_the_secret_is_checked_before_the_body_is_read_and_bodies_are_capped(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake, webhook=True) as bot:
        huge = {"Content-Length": str(90 * 1024 * 1024)}
        assert (await _raw_post(bot, {**huge, "X-Telegram-Bot-Api-Secret-Token": "wrong"})).startswith(b"HTTP/1.1 403")
        assert (await _raw_post(bot, huge)).startswith(b"HTTP/1.1 403")
        assert (await _raw_post(bot, {**huge, "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})).startswith(b"HTTP/1.1 413")
        streamed = {"Transfer-Encoding": "chunked", "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        padding = b'{"update_id": 1, "x": "' + b"a" * (2 * 1024 * 1024) + b'"}'
        assert (await _raw_post(bot, streamed, chunked=padding)).split()[1] in (b"400", b"413")
        assert processed(db) == 0 and fake.sent == [] and not bot.handled
        update = fake.message_update(FOCAL, "/help")
        assert [m.text.splitlines()[0] for m in await bot.deliver(update)] == ["Các lệnh anh/chị có thể dùng:"]
