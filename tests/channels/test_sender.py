"""The outbox sender against a fake channel that answers 429, 5xx, 400 and 403 at random:
every row is delivered or marked, none twice, within the rate limits."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from datetime import datetime

from sqlmodel import func, select

from bot.channels.delivery import Unreachable
from bot.sender import Limits, OutboxSender
from models.db.engine import session_scope
from models.outbox.notify import enqueue
from models.outbox.tables import GroupChat, OutboxMessage, OutboxStatus
from models.people.tables import ChannelIdentity, Person
from tests.conftest import local
from tests.support.fake_channel import FakeChannel, random_failures
from tests.support.fake_time import FakeTime


def fill(db, rows: int, chats: int, channel: str = "fake", not_before=None) -> None:  # type: ignore[no-untyped-def]
    now = local(2027, 6, 4, 8)
    with session_scope(db) as session:
        for number in range(rows):
            enqueue(session, f"test:{number}", channel, f"chat-{number % chats}", f"message {number}", now, not_before)


def run_until_settled(sender: OutboxSender, time: FakeTime, db, rounds: int = 200) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        asyncio.run(sender.drain())
        with session_scope(db) as session:
            pending = session.exec(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
            ).one()
        if not pending:
            return
        time.advance(30)
    raise AssertionError("rows still pending")


def test_every_row_is_delivered_or_marked_and_none_twice(db) -> None:  # type: ignore[no-untyped-def]
    fill(db, rows=600, chats=150)
    time = FakeTime(local(2027, 6, 4, 8))
    blocked = {"chat-7", "chat-42"}
    channel = FakeChannel("fake", time, random_failures(seed=11, rate=0.3, blocked=blocked))
    sender = OutboxSender(db, {"fake": channel}, time.wall, sleep=time.sleep, monotonic=time.monotonic, max_attempts=8)
    run_until_settled(sender, time, db)

    texts = Counter(delivery.text for delivery in channel.delivered)
    assert max(texts.values()) == 1
    with session_scope(db) as session:
        rows = session.exec(select(OutboxMessage)).all()
    by_status = Counter(row.status for row in rows)
    assert by_status[OutboxStatus.PENDING] == 0
    sent = {row.text for row in rows if row.status is OutboxStatus.SENT}
    assert sent == set(texts)
    failed = [row for row in rows if row.status is OutboxStatus.FAILED]
    assert {row.chat_ref for row in failed if row.last_error.startswith("unreachable")} == blocked
    assert all(row.last_error.startswith(("unreachable", "rejected", "gave up")) for row in failed)
    assert channel.attempts > len(rows)
    assert len(sent) > 0.5 * len(rows)


def test_pacing_keeps_within_the_limits(db) -> None:  # type: ignore[no-untyped-def]
    fill(db, rows=300, chats=60)
    time = FakeTime(local(2027, 6, 4, 8))
    channel = FakeChannel("fake", time)
    sender = OutboxSender(db, {"fake": channel}, time.wall, sleep=time.sleep, monotonic=time.monotonic)
    asyncio.run(sender.drain())
    moments = [d.at for d in channel.delivered]
    assert len(moments) == 300
    assert all(later - earlier >= 1 / 30 - 1e-9 for earlier, later in zip(moments, moments[1:], strict=False))
    per_chat: dict[str, list[float]] = defaultdict(list)
    for delivery in channel.delivered:
        per_chat[delivery.chat_ref].append(delivery.at)
    for times in per_chat.values():
        assert all(later - earlier >= 1 - 1e-9 for earlier, later in zip(times, times[1:], strict=False))
    rate = len(moments) / (moments[-1] - moments[0])
    assert 0.94 * 30 < rate <= 30


GROUP_LIMITS = {"fake": Limits(per_second=30, per_chat_per_second=1, per_group_per_minute=20)}


def group_notices(db, programme_id: int, count: int, now: datetime) -> None:  # type: ignore[no-untyped-def]
    """`count` notices waiting for one group chat, 'group-1' on the fake channel."""
    with session_scope(db) as session:
        group = GroupChat(programme_id=programme_id, channel="fake", chat_ref="group-1", bound_at=now)
        session.add(group)
        session.flush()
        for number in range(count):
            enqueue(session, f"group:{number}", "fake", "group-1", f"notice {number}", now, group_id=group.id)


def test_group_chats_get_twenty_a_minute(db, loaded) -> None:  # type: ignore[no-untyped-def]
    now = local(2027, 6, 4, 8)
    group_notices(db, loaded, 25, now)
    time = FakeTime(now)
    channel = FakeChannel("fake", time)
    limits = GROUP_LIMITS
    sender = OutboxSender(db, {"fake": channel}, time.wall, limits, sleep=time.sleep, monotonic=time.monotonic)
    asyncio.run(sender.drain())
    moments = [d.at for d in channel.delivered]
    assert len(moments) == 25
    assert all(later - earlier >= 3 - 1e-9 for earlier, later in zip(moments, moments[1:], strict=False))
    assert sum(1 for moment in moments if moment < moments[0] + 60) == 20


def test_rows_wait_for_their_time(db) -> None:  # type: ignore[no-untyped-def]
    morning = local(2027, 6, 5, 7)
    fill(db, rows=3, chats=3, not_before=morning)
    time = FakeTime(local(2027, 6, 4, 22))
    channel = FakeChannel("fake", time)
    sender = OutboxSender(db, {"fake": channel}, time.wall, sleep=time.sleep, monotonic=time.monotonic)
    assert asyncio.run(sender.drain()) == 0
    time.advance(9 * 3600)
    assert asyncio.run(sender.drain()) == 3
    assert len(channel.delivered) == 3


def test_blocked_person_is_marked_inactive_and_office_told_once(db, loaded) -> None:  # type: ignore[no-untyped-def]
    now = local(2027, 6, 4, 8)
    with session_scope(db) as session:
        identity = session.exec(select(ChannelIdentity).where(ChannelIdentity.user_ref == "syt-specialist")).one()
        for number in range(3):
            enqueue(session, f"remind:{number}", "console", identity.chat_ref, f"reminder {number}", now, person_id=identity.person_id)
    time = FakeTime(now)
    channel = FakeChannel("console", time, lambda chat, _text: Unreachable("403") if chat == "syt-specialist" else None)
    sender = OutboxSender(db, {"console": channel}, time.wall, sleep=time.sleep, monotonic=time.monotonic)
    asyncio.run(sender.drain())
    with session_scope(db) as session:
        identity = session.exec(select(ChannelIdentity).where(ChannelIdentity.user_ref == "syt-specialist")).one()
        assert identity.active is False
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith("unreachable:"))).all()  # type: ignore[attr-defined]
        admins = {p.id for p in session.exec(select(Person).where(Person.role == "admin"))}
        assert {n.person_id for n in notices} == admins
        assert all("Nguyễn Thị Mai (SYT)" in n.text for n in notices)
    asyncio.run(sender.drain())
    told = Counter(d.chat_ref for d in channel.delivered if "Nguyễn Thị Mai" in d.text)
    assert told == {"lhh-admin": 1, "lhh-admin2": 1}


def test_short_claims_are_renewed_through_a_long_fan_out_and_a_killed_sender_holds_them_half_a_minute(db, loaded) -> None:  # type: ignore[no-untyped-def]
    """Forty notices to one group take two minutes at 20 a minute: claimed for 30 s and
    renewed as it goes, one pass sends them all, none twice. A sender killed in the middle
    of the next fan-out leaves its rows to another after 30 s, not two minutes."""
    now = local(2027, 6, 4, 8)
    group_notices(db, loaded, 40, now)
    time = FakeTime(now)
    channel = FakeChannel("fake", time)
    sender = OutboxSender(db, {"fake": channel}, time.wall, GROUP_LIMITS, sleep=time.sleep, monotonic=time.monotonic)
    asyncio.run(sender.drain())
    assert sorted(Counter(delivery.text for delivery in channel.delivered).values()) == [1] * 40
    assert channel.delivered[-1].at > 120

    with session_scope(db) as session:
        group = session.exec(select(GroupChat)).one()
        for number in range(40, 80):
            enqueue(session, f"group:{number}", "fake", "group-1", f"notice {number}", time.wall(), group_id=group.id)

    async def killed_after_five() -> None:
        dying = OutboxSender(db, {"fake": channel}, time.wall, GROUP_LIMITS, worker="dying", sleep=time.sleep, monotonic=time.monotonic)
        task = asyncio.create_task(dying.drain())
        while len(channel.delivered) < 45:
            await asyncio.sleep(0)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(killed_after_five())
    killed_at = time.monotonic()
    other = OutboxSender(db, {"fake": channel}, time.wall, GROUP_LIMITS, worker="other", sleep=time.sleep, monotonic=time.monotonic)
    assert asyncio.run(other.drain()) == 0
    time.advance(31)
    asyncio.run(other.drain())
    with session_scope(db) as session:
        assert {row.status for row in session.exec(select(OutboxMessage))} == {OutboxStatus.SENT}
    taken_up = [delivery.at for delivery in channel.delivered[45:]]
    assert killed_at + 30 < taken_up[0] < killed_at + 35
    texts = Counter(delivery.text for delivery in channel.delivered)
    assert len(texts) == 80 and sum(texts.values()) <= 81
