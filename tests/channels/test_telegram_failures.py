"""What goes wrong on Telegram, end to end: forged and stale buttons, a user who blocked
the bot (403), a duplicate update, flood control (429) and server errors (5xx). Nothing
crashes and nothing is retried forever."""

from __future__ import annotations

import time

import pytest
from sqlmodel import func, select

from models.conversations.tables import ProcessedUpdate
from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.people.tables import ChannelIdentity
from tests.fakes.telegram_api import FakeTelegram, User
from tests.support.telegram_harness import link, running_bot

pytestmark = pytest.mark.filterwarnings("ignore:.*attribute `retry_after`:DeprecationWarning")

FOCAL = User(3001, "Mai", language_code="vi")
STALE = "Nút này thuộc một tin nhắn cũ hoặc không còn hiệu lực. Vui lòng dùng tin nhắn mới nhất, hoặc gõ /help."


def telegram_identity(db, user: User) -> ChannelIdentity:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(
            select(ChannelIdentity).where(ChannelIdentity.channel == "telegram", ChannelIdentity.user_ref == str(user.id))
        ).one()


async def test_forged_and_stale_buttons_get_a_clear_answer(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        types = (await bot.say(FOCAL, "/register"))[0]
        forged_nonce = "zzzz:" + types.data()[0].split(":", 1)[1]
        for data in (forged_nonce, types.data()[0].split(":")[0] + ":t:NOT-OFFERED", "x" * 64, ""):
            answer = await bot.deliver(fake.press_update(FOCAL, types, data))
            assert [(m.chat_id, m.text) for m in answer] == [(FOCAL.id, STALE)], data
        assert fake.calls_to("editMessageText") == []
        assert len(fake.calls_to("answerCallbackQuery")) == 4

        title = (await bot.press(FOCAL, types, "Tập huấn kỹ thuật"))[0]
        assert title.text.startswith("Bước 2/7.")
        stale = await bot.press(FOCAL, types, "Hội thảo khoa học")
        assert [m.text for m in stale] == [STALE]
        still = await bot.say(FOCAL, "Tập huấn kỹ thuật nuôi ong lấy mật")
        assert still[0].text.startswith("Bước 3/7.")


async def test_a_user_who_blocked_the_bot_is_marked_inactive_and_the_office_told(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        fake.block(FOCAL.id)
        assert await bot.say(FOCAL, "/help") == []
        attempts = [call for call in fake.calls_to("sendMessage") if call.params["chat_id"] == FOCAL.id]
        assert [call.status for call in attempts] == [403]
    assert not telegram_identity(db, FOCAL).active
    with session_scope(db) as session:
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith("unreachable:person"))).all()  # type: ignore[attr-defined]
    assert sorted(n.chat_ref for n in notices) == ["lhh-admin", "lhh-admin2"]
    assert notices[0].text.startswith("Không gửi được tin nhắn cho Nguyễn Thị Mai (SYT) qua telegram: người này đã chặn bot")


async def test_blocking_reported_by_telegram_deactivates_and_writing_again_reactivates(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        assert await bot.deliver(fake.membership_update(FOCAL.private_chat(), FOCAL, "member", "kicked")) == []
        assert not telegram_identity(db, FOCAL).active
        assert await bot.deliver(fake.membership_update(FOCAL.private_chat(), FOCAL, "kicked", "member")) == []
        assert (await bot.say(FOCAL, "/help"))[0].text.startswith("Các lệnh anh/chị có thể dùng:")
    assert telegram_identity(db, FOCAL).active
    with session_scope(db) as session:
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 2


async def test_an_update_delivered_twice_is_handled_once(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        update = fake.message_update(FOCAL, "/help")
        first = await bot.deliver(update)
        again = await bot.deliver(update, redeliver=True)
        assert len(first) == 1 and again == []
        assert bot.handled[update["update_id"]] == 2
    with session_scope(db) as session:
        rows = session.exec(select(ProcessedUpdate).where(ProcessedUpdate.channel == "telegram")).all()
    assert [row.update_ref for row in rows] == [str(update["update_id"])]


async def test_flood_control_and_server_errors_are_retried_a_little(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        fake.flood("sendMessage", retry_after=1)
        started = time.monotonic()
        answer = await bot.say(FOCAL, "/help")
        assert len(answer) == 1 and time.monotonic() - started >= 1.0
        fake.fail("sendMessage", 502, "Bad Gateway")
        assert len(await bot.say(FOCAL, "/help")) == 1
        assert [call.status for call in fake.calls_to("sendMessage")] == [429, 200, 502, 200]

        fake.fail("sendMessage", 500, "Internal Server Error", times=None)
        assert await bot.say(FOCAL, "/due") == []
        assert [call.status for call in fake.calls_to("sendMessage")][4:] == [500, 500, 500]
        fake.heal()
        fake.flood("sendMessage", retry_after=3600, times=None)
        started = time.monotonic()
        assert await bot.say(FOCAL, "/due") == []
        assert time.monotonic() - started < 3
        assert [call.status for call in fake.calls_to("sendMessage")][7:] == [429]
    assert fake.too_many_requests == 2
    assert telegram_identity(db, FOCAL).active
