"""What the outbox sender owes Zalo: a long text goes in pieces, each delivered exactly once
whatever fails on which piece, after a crash too; a 403 (a server error) never deactivates,
and days of failures tell the office once; a 429 on an answer holds no other chat."""

from __future__ import annotations

import asyncio
import time as clock_time
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.sender import OutboxSender
from bot.zalo.client import ZaloClient
from bot.zalo.outgoing import ZaloSender, split_message
from models.db.engine import session_scope
from models.outbox.notify import enqueue
from models.outbox.tables import OutboxMessage, OutboxStatus
from models.people.tables import ChannelIdentity
from tests.conftest import local
from tests.fakes.zalo_api import FakeZalo, User
from tests.support.fake_time import FakeTime
from tests.support.zalo_harness import link_zalo, running_zalo

CHAT = "6ede9afa66b88fe6d6a9"
LONG = "\n".join(f"{n:03d}. Hội thảo khoa học về chuyển đổi số trong nông nghiệp, tỉnh Lào Cai" for n in range(60))
PIECES = split_message(LONG)


def rows(db) -> dict[str, OutboxMessage]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return {row.key: row for row in session.exec(select(OutboxMessage))}


async def drain_until_settled(sender: OutboxSender, time: FakeTime, db, rounds: int = 12) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        await sender.drain()
        if all(row.status is not OutboxStatus.PENDING for row in rows(db).values()):
            return
        time.advance(60)


@pytest.mark.parametrize("piece", range(3))
@pytest.mark.parametrize(("status", "description"), [(429, "Quota exceeded"), (500, "Internal error"), (403, "Internal server error")])
async def test_a_fault_on_any_piece_delivers_every_piece_once(db, piece: int, status: int, description: str) -> None:  # type: ignore[no-untyped-def]
    assert len(PIECES) == 3
    time = FakeTime(local(2027, 6, 4, 8))
    with session_scope(db) as session:
        enqueue(session, "test:long", "zalo", CHAT, LONG, time.wall())
    async with FakeZalo() as fake, ZaloClient(fake.token, fake.url) as client:
        fake.fail("sendMessage", status, description, times=2, text=PIECES[piece])
        sender = OutboxSender(db, {"zalo": ZaloSender(client)}, time.wall, sleep=time.sleep, monotonic=time.monotonic)
        await drain_until_settled(sender, time, db)
        assert [message.text for message in fake.sent_to(CHAT)] == PIECES
        assert fake.duplicates() == 0
    row = rows(db)["test:long"]
    assert row.status is OutboxStatus.SENT and row.attempts == 3 and row.pieces_sent == 2


async def test_a_sender_killed_between_pieces_is_taken_up_from_the_next_piece(db) -> None:  # type: ignore[no-untyped-def]
    time = FakeTime(local(2027, 6, 4, 8))
    with session_scope(db) as session:
        enqueue(session, "test:long", "zalo", CHAT, LONG, time.wall())
    async with FakeZalo() as fake, ZaloClient(fake.token, fake.url) as client:
        first = OutboxSender(db, {"zalo": ZaloSender(client)}, time.wall, worker="first", sleep=time.sleep, monotonic=time.monotonic)
        fake.fail("sendMessage", 500, "Internal error", times=None, text=PIECES[2])
        dying = asyncio.create_task(first.drain())
        await fake.wait_for(lambda: len(fake.sent) == 2 and len(fake.calls_to("sendMessage")) >= 3)
        dying.cancel()
        await asyncio.gather(dying, return_exceptions=True)
        fake.heal()
        assert rows(db)["test:long"].pieces_sent == 2
        time.advance(timedelta(minutes=3).total_seconds())
        second = OutboxSender(db, {"zalo": ZaloSender(client)}, time.wall, worker="second", sleep=time.sleep, monotonic=time.monotonic)
        await drain_until_settled(second, time, db)
        assert [message.text for message in fake.sent_to(CHAT)] == PIECES
    assert rows(db)["test:long"].status is OutboxStatus.SENT


async def test_403_for_days_tells_the_office_once_and_deactivates_nobody(db, loaded) -> None:  # type: ignore[no-untyped-def]
    mai = User("b10c4ed0b10c4ed0b10c", "Mai")
    start = local(2027, 6, 4, 8)
    link_zalo(db, "syt-specialist", mai, start)
    time = FakeTime(start)
    async with FakeZalo() as fake, ZaloClient(fake.token, fake.url) as client:
        fake.block(mai.id)
        sender = OutboxSender(db, {"zalo": ZaloSender(client)}, time.wall, sleep=time.sleep, monotonic=time.monotonic)
        for day in range(5):
            with session_scope(db) as session:
                enqueue(session, f"test:day{day}", "zalo", mai.id, f"Nhắc hạn báo cáo, ngày {day}", time.wall())
            await drain_until_settled(sender, time, db, rounds=20)
            notices = [row for key, row in rows(db).items() if key.startswith("undelivered:")]
            assert len(notices) == (0 if day < 3 else 2), day
            time.advance(timedelta(days=1).total_seconds())
    assert {row.chat_ref for row in notices} == {"lhh-admin", "lhh-admin2"}
    assert "Nguyễn Thị Mai (SYT)" in notices[0].text and "Internal server error" in notices[0].text
    assert "04/06/2027" in notices[0].text and "chặn" not in notices[0].text
    with session_scope(db) as session:
        assert session.exec(select(ChannelIdentity).where(ChannelIdentity.user_ref == mai.id)).one().active


async def test_a_429_on_an_answer_is_retried_briefly_and_holds_no_other_chat(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    slow, other = User("5a5a5a5a5a5a5a5a5a5a", "Lan"), User("6b6b6b6b6b6b6b6b6b6b", "Hà")
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        fake.fail("sendMessage", 429, "Quota exceeded", times=1, chat_id=slow.id)
        started = clock_time.monotonic()
        fake.says(slow, "/help")
        fake.says(other, "/help")
        await fake.wait_for(lambda: bool(fake.sent_to(slow.id)) and bool(fake.sent_to(other.id)), timeout=5)
        took = clock_time.monotonic() - started
        assert bot is not None
    assert [call.status for call in fake.calls_to("sendMessage") if call.params["chat_id"] == slow.id] == [429, 200]
    assert fake.sent.index(fake.sent_to(other.id)[0]) < fake.sent.index(fake.sent_to(slow.id)[0])
    assert took < 3, took


async def test_the_pieces_of_one_row_are_not_interleaved_with_another_row_to_the_same_chat(db) -> None:  # type: ignore[no-untyped-def]
    time = FakeTime(local(2027, 6, 4, 8))
    with session_scope(db) as session:
        enqueue(session, "test:long", "zalo", CHAT, LONG, time.wall())
        enqueue(session, "test:short", "zalo", CHAT, "Nhắc hạn báo cáo", time.wall())
    async with FakeZalo() as fake, ZaloClient(fake.token, fake.url) as client:
        sender = OutboxSender(db, {"zalo": ZaloSender(client)}, time.wall, sleep=time.sleep, monotonic=time.monotonic)
        await drain_until_settled(sender, time, db)
        assert [message.text for message in fake.sent_to(CHAT)] == [*PIECES, "Nhắc hạn báo cáo"]
