"""Group chats on Telegram: the bot answers only commands addressed to it, an admin binds
the group, a focal point is refused, and removing the bot deactivates the binding and
tells the LHH office through the outbox."""

from __future__ import annotations

from sqlmodel import select

from models.db.engine import session_scope
from models.outbox.tables import GroupChat, OutboxMessage
from models.programme.tables import Agency
from tests.fakes.telegram_api import FakeTelegram, User, group
from tests.support.telegram_harness import link, running_bot

ADMIN = User(1001, "Hà", language_code="vi")
LEADER = User(2001, "Hùng", language_code="vi")
GROUP = group(-1001234567890, "Đầu mối Sở Y tế")


def binding(db) -> GroupChat | None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(GroupChat).where(GroupChat.chat_ref == str(GROUP["id"]))).first()


async def test_an_admin_binds_a_group_and_a_focal_point_is_refused(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "lhh-admin", ADMIN, clock())
    link(db, "syt-leader", LEADER, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        joined = fake.membership_update(GROUP, ADMIN, "left", "member")
        added = await bot.deliver(joined)
        assert [(m.chat_id, m.text.split("!")[0]) for m in added] == [(GROUP["id"], "Xin chào")]
        assert "/bind MÃ_CƠ_QUAN" in added[0].text
        assert await bot.deliver(joined, redeliver=True) == []

        assert await bot.say(LEADER, "chào cả nhóm", GROUP) == []
        assert await bot.say(LEADER, "/help@SomeOtherBot", GROUP) == []
        refused = await bot.say(LEADER, "/bind SYT", GROUP)
        assert [(m.chat_id, m.text) for m in refused] == [
            (GROUP["id"], "Xin lỗi, lệnh /bind chỉ dành cho Thường trực, Văn phòng Liên hiệp hội.")
        ]
        private_only = await bot.say(LEADER, "/register", GROUP)
        assert private_only[0].text.startswith("Lệnh /register chỉ dùng trong cuộc trò chuyện riêng với bot.")
        assert private_only[0].reply_markup is None
        assert binding(db) is None

        bound = await bot.say(ADMIN, "/bind@PhoiHopTestBot SYT", GROUP)
        assert [(m.chat_id, m.text) for m in bound] == [
            (GROUP["id"], "Đã gắn nhóm này với Sở Y tế. Nhóm sẽ nhận thông báo, nhắc hạn và tin tổng hợp của cơ quan.")
        ]
        help_in_group = await bot.say(ADMIN, "/help", GROUP)
        assert [line.split(" ")[0] for line in help_in_group[0].text.splitlines() if line.startswith("/")] == ["/help", "/bind"]

    row = binding(db)
    assert row is not None and row.active and row.channel == "telegram" and row.title == "Đầu mối Sở Y tế"
    with session_scope(db) as session:
        assert session.get(Agency, row.agency_id).code == "SYT"  # type: ignore[union-attr]


async def test_removing_the_bot_deactivates_the_binding_and_tells_the_office(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.advance(hours=1)
    link(db, "lhh-admin", ADMIN, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        await bot.say(ADMIN, "/bind all", GROUP)
        assert binding(db).agency_id is None  # type: ignore[union-attr]
        removed = fake.membership_update(GROUP, ADMIN, "member", "left")
        assert await bot.deliver(removed) == []
        assert await bot.deliver(fake.membership_update(GROUP, ADMIN, "left", "kicked")) == []

    row = binding(db)
    assert row is not None and not row.active and row.deactivated_at is not None
    with session_scope(db) as session:
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith("unreachable:group"))).all()  # type: ignore[attr-defined]
    assert sorted((n.channel, n.chat_ref) for n in notices) == [("console", "lhh-admin2"), ("telegram", str(ADMIN.id))]
    assert all(n.text.startswith("Bot đã bị xóa khỏi nhóm Đầu mối Sở Y tế (*) trên telegram") for n in notices)


async def test_a_group_upgraded_to_a_supergroup_keeps_its_binding(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "lhh-admin", ADMIN, clock())
    old = group(-4001, "Nhóm Sở Y tế", kind="group")
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        await bot.say(ADMIN, "/bind SYT", old)
        migrated = fake.message_update(ADMIN, None, old, migrate_to_chat_id=GROUP["id"])
        assert await bot.deliver(migrated) == []
    row = binding(db)
    assert row is not None and row.active and row.title == "Nhóm Sở Y tế"
