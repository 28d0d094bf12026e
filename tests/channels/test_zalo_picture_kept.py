"""A chart Zalo does not take (sendPhoto fails) is not lost: it goes to the outbox with its
signed image URL, and the outbox sender sends it like any message, once; a picture that
keeps failing (or that Zalo refuses) becomes its link, in words."""

from __future__ import annotations

from sqlmodel import col, select

from bot.sender import PHOTO_TRIES, OutboxSender
from bot.web.app import WebConfig
from bot.zalo.client import ZaloClient
from bot.zalo.outgoing import ZaloSender
from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage, OutboxStatus
from tests.fakes.zalo_api import FakeZalo, User
from tests.support.fake_time import FakeTime
from tests.support.zalo_harness import link_zalo, running_zalo
from tests.web.conftest import PUBLIC_URL, SECRET_KEY

ADMIN = User("d1b2c3d4e5f6a7b8c9d0", "Trần Thị Thu Hà")
WEB = WebConfig(PUBLIC_URL, SECRET_KEY)


def _kept_pictures(db) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        rows = list(session.exec(select(OutboxMessage).where(col(OutboxMessage.photo_url).is_not(None)).order_by(col(OutboxMessage.id))))
        for row in rows:
            session.expunge(row)
        return rows


async def _status_with_pictures_failing(engine, db, clock, fake: FakeZalo) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    link_zalo(db, "lhh-admin", ADMIN, clock())
    async with running_zalo(engine, fake, web=WEB) as bot:
        fake.fail("sendPhoto", 500, "Internal server error", times=2)
        await bot.say(ADMIN, "/status")
    assert fake.photos == []
    kept = _kept_pictures(db)
    assert len(kept) == 2 and all(row.photo_url.startswith(f"{PUBLIC_URL}/images/") for row in kept)  # type: ignore[union-attr]
    assert all(row.chat_ref == ADMIN.id and row.status is OutboxStatus.PENDING for row in kept)
    return kept


async def test_a_failed_picture_is_sent_from_the_outbox_once(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    async with FakeZalo() as fake:
        kept = await _status_with_pictures_failing(engine, db, clock, fake)
        time = FakeTime(clock())
        async with ZaloClient(fake.token, fake.url) as client:
            sender = OutboxSender(db, {"zalo": ZaloSender(client)}, time.wall, sleep=time.sleep, monotonic=time.monotonic)
            texts_before = len(fake.sent)
            await sender.drain()
            time.advance(3600)
            await sender.drain()
        assert [photo.url for photo in fake.photos] == [row.photo_url for row in kept]
        assert len(fake.sent) == texts_before
    assert all(row.status is OutboxStatus.SENT for row in _kept_pictures(db))


async def test_a_picture_that_keeps_failing_becomes_its_link(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    async with FakeZalo() as fake:
        kept = await _status_with_pictures_failing(engine, db, clock, fake)
        fake.fail("sendPhoto", 500, "Internal server error", times=None)
        time = FakeTime(clock())
        async with ZaloClient(fake.token, fake.url) as client:
            sender = OutboxSender(db, {"zalo": ZaloSender(client)}, time.wall, sleep=time.sleep, monotonic=time.monotonic)
            texts_before = len(fake.sent)
            for _ in range(PHOTO_TRIES + 2):
                await sender.drain()
                time.advance(60)
        tried = [call for call in fake.calls if call.method == "sendPhoto"]
        assert len(tried) == 2 + PHOTO_TRIES * 2 and fake.photos == []
        fallbacks = [message.text for message in fake.sent[texts_before:]]
        assert len(fallbacks) == 2 and all("Zalo chưa nhận được hình" in text for text in fallbacks)
        assert [row.photo_url in text for row, text in zip(kept, fallbacks, strict=True)] == [True, True]
    assert all(row.status is OutboxStatus.SENT and row.attempts == PHOTO_TRIES + 1 for row in _kept_pictures(db))


async def test_a_picture_zalo_refuses_becomes_its_link_at_once(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    async with FakeZalo() as fake:
        await _status_with_pictures_failing(engine, db, clock, fake)
        fake.fail("sendPhoto", 400, "Bad request: photo must be a URL", times=None)
        time = FakeTime(clock())
        async with ZaloClient(fake.token, fake.url) as client:
            sender = OutboxSender(db, {"zalo": ZaloSender(client)}, time.wall, sleep=time.sleep, monotonic=time.monotonic)
            await sender.drain()
        assert sum("Zalo chưa nhận được hình" in message.text for message in fake.sent) == 2
    assert all(row.status is OutboxStatus.SENT and row.attempts == 1 for row in _kept_pictures(db))
