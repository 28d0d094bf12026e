"""Zalo in webhook mode: the bot registers its URL and secret with setWebhook, and its
server refuses a request without the X-Bot-Api-Secret-Token header, or with a wrong one,
before anything in it is processed."""

from __future__ import annotations

from aiohttp import ClientSession
from sqlmodel import func, select

from models.conversations.tables import ProcessedUpdate
from models.db.engine import session_scope
from tests.fakes.zalo_api import FakeZalo, User, envelope
from tests.support.zalo_harness import WEBHOOK_SECRET, WEBHOOK_URL, link_zalo, running_zalo

FOCAL = User("0a1b2c3d4e5f6a7b8c9d", "Mai")


def processed(db) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(func.count()).select_from(ProcessedUpdate)).one()


async def test_the_webhook_is_registered_with_its_secret(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    async with FakeZalo() as fake, running_zalo(engine, fake, webhook=True):
        assert fake.webhook == {"url": WEBHOOK_URL, "secret_token": WEBHOOK_SECRET}
        assert fake.calls_to("getUpdates") == [] and fake.calls_to("deleteWebhook") == []


async def test_requests_without_the_secret_are_refused_and_not_processed(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "syt-specialist", FOCAL, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake, webhook=True) as bot:
        update = fake.message_update(FOCAL, "/help")
        for secret in (None, "", "not-the-secret", WEBHOOK_SECRET.upper(), WEBHOOK_SECRET + "x"):
            assert await bot.post(envelope(update), secret) == 403, secret
        assert processed(db) == 0 and fake.sent == [] and not bot.handled

        answer = await bot.deliver(update)
        assert [m.text.splitlines()[0] for m in answer] == ["Các lệnh anh/chị có thể dùng:"]
        assert await bot.deliver(update) == []
        assert processed(db) == 1 and len(fake.sent) == 1


async def test_a_body_that_is_not_an_update_is_refused(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    async with FakeZalo() as fake, running_zalo(engine, fake, webhook=True) as bot:
        assert await bot.post(["not", "an", "update"], WEBHOOK_SECRET) == 400
        url = f"http://{bot.options.listen}:{bot.options.port}/{bot.options.webhook_path}"
        headers = {"X-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"}
        async with ClientSession() as client:
            async with client.post(url, data=b"{broken", headers=headers) as response:
                assert response.status == 400
            async with client.get(url, headers=headers) as response:
                assert response.status == 405
            async with client.post(url + "/elsewhere", json=envelope({}), headers=headers) as response:
                assert response.status == 404
        assert fake.sent == [] and not bot.handled
