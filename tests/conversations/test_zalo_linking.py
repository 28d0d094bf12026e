"""One person on Telegram and Zalo: /link gives a one-time code to send from the other
messenger, both sides are told, and the bot's own messages then go to the channel the
person last used, or to the one they chose with /channel."""

from __future__ import annotations

import re

from sqlmodel import select

from handlers.engine import ConversationEngine
from handlers.types import ChatKind
from locales.catalogue import t
from models.db.engine import session_scope
from models.outbox.notify import reachable_identities
from models.outbox.tables import OutboxMessage
from models.people.roster import deactivate
from models.people.tables import ChannelIdentity, Person, ProcessingLog
from models.programme.loader import load_into
from models.programme.tables import ProgrammeRecord
from models.samples.sample_file import load_sample, read_sample
from tests.conftest import LAO_CAI_SAMPLE, Chat

SPECIALIST = "syt-specialist"
ZALO_USER = "7f1e2d3c4b5a69788796"


def code_in(text: str) -> str:
    match = re.search(r"Mã nối tài khoản: ([A-Z2-9]{8})", text)
    assert match, text
    return match.group(1)


def person_id(db, user_ref: str) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(ChannelIdentity.person_id).where(ChannelIdentity.user_ref == user_ref)).one()


def reached_on(db, user_ref: str) -> str:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        [(_, identity)] = reachable_identities(session, [person_id(db, user_ref)])
        return identity.channel


def linked(chat, clock) -> tuple:  # type: ignore[no-untyped-def]
    """The specialist (console) and their new Zalo account, linked."""
    console = chat(SPECIALIST)
    code = code_in(console.send("/link")[0].text)
    clock.advance(minutes=1)
    zalo = chat(ZALO_USER, channel="zalo")
    zalo.send(f"/link {code}")
    return console, zalo, code


def test_a_code_from_one_channel_links_the_other_once_and_both_sides_are_told(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    console = chat(SPECIALIST)
    asked = console.send("/link")[0].text
    code = code_in(asked)
    assert f"Trong 10 phút tới, hãy mở bot trên ứng dụng nhắn tin còn lại (không phải Console) và gửi:\n/link {code}" in asked

    zalo = chat(ZALO_USER, channel="zalo")
    assert zalo.send(f"/link {code.lower()}")[0].text.startswith(
        "Đã nối tài khoản Zalo này với Nguyễn Thị Mai (đang dùng trên Console). Từ nay anh/chị dùng được cả hai kênh"
    )
    assert zalo.send("/due")[0].text.startswith("Việc phải làm của Sở Y tế")
    with session_scope(db) as session:
        notice = session.exec(select(OutboxMessage).where(OutboxMessage.key == f"link:{code}")).one()
        logged = session.exec(select(ProcessingLog).where(ProcessingLog.action == "channel_linked")).one()
    assert (notice.channel, notice.chat_ref) == ("console", SPECIALIST)
    assert notice.text.startswith("Một tài khoản Zalo vừa được nối với tài khoản Console này của anh/chị.")
    assert logged.detail == {"channel": "zalo"} and logged.person_id == person_id(db, ZALO_USER) == person_id(db, SPECIALIST)

    again = chat("0011223344556677", channel="zalo")
    assert again.send(f"/link {code}")[0].text == t("link.not_usable", "vi")


def test_codes_that_cannot_be_used_are_refused_with_the_reason(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    console = chat(SPECIALIST)
    first = code_in(console.send("/link")[0].text)
    second = code_in(console.send("/link")[0].text)
    stranger = chat("9988776655443322", channel="zalo")
    assert stranger.send(f"/link {first}")[0].text == t("link.not_usable", "vi"), "replaced by the second"
    assert stranger.send("/link ABCDEFGH")[0].text == t("link.not_usable", "vi"), "a stranger is not told which"
    assert chat("console-stranger").send(f"/link {second}")[0].text.startswith("Mã này cần được gửi từ ứng dụng nhắn tin còn lại")
    taken = chat("syt-leader", channel="console")
    assert taken.send(f"/link {second}")[0].text.startswith("Mã này cần được gửi")
    clock.advance(minutes=11)
    assert stranger.send(f"/link {second}")[0].text == t("link.not_usable", "vi")
    assert taken.send(f"/link {second}")[0].text.startswith("Mã nối đã hết hạn."), "a member is told why"

    third = code_in(console.send("/link")[0].text)
    with session_scope(db) as session:
        deactivate(session, session.get(Person, person_id(db, SPECIALIST)), clock(), "test")  # type: ignore[arg-type]
    assert stranger.send(f"/link {third}")[0].text.startswith("Mã nối này thuộc về một tài khoản đã ngừng hoạt động")
    assert stranger.send("/link")[0].text.startswith("Anh/chị chưa tham gia hệ thống.")
    in_group = chat("lhh-admin", chat="group-1", kind=ChatKind.GROUP)
    assert "/link" in in_group.send("/link")[0].text


def test_an_account_is_linked_to_one_person_only(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    console, zalo, _ = linked(chat, clock)
    code = code_in(console.send("/link")[0].text)
    assert zalo.send(f"/link {code}")[0].text == "Tài khoản này đã được nối với anh/chị rồi."
    leader_code = code_in(chat("syt-leader").send("/link")[0].text)
    assert zalo.send(f"/link {leader_code}")[0].text.startswith("Tài khoản này đang thuộc về một người khác")
    assert person_id(db, ZALO_USER) == person_id(db, SPECIALIST)


def test_reminders_go_to_the_channel_last_used_even_within_minutes(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    console, zalo, _ = linked(chat, clock)
    assert reached_on(db, SPECIALIST) == "zalo"
    clock.advance(minutes=1)
    console.send("/help")
    assert reached_on(db, SPECIALIST) == "console"
    clock.advance(minutes=1)
    zalo.send("/help")
    assert reached_on(db, SPECIALIST) == "zalo"
    switched_at = clock()
    clock.advance(minutes=1)
    zalo.send("/help")
    with session_scope(db) as session:
        seen = session.exec(select(ChannelIdentity.last_seen_at).where(ChannelIdentity.user_ref == ZALO_USER)).one()
    assert seen == switched_at


def test_channel_chooses_where_reminders_go(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    alone = chat("syt-leader")
    assert alone.send("/channel")[0].text.startswith("Anh/chị mới dùng một kênh (Console)")
    console, zalo, _ = linked(chat, clock)
    ask = console.send("/channel")[0]
    assert ask.text == "Nhắc việc và thông báo của bot nên gửi qua kênh nào?\nHiện tại: kênh anh/chị dùng gần nhất."
    assert [button.label for button in ask.choices()] == ["Console", "Zalo", "Kênh dùng gần nhất", "✖ Hủy"]
    assert console.press("Console")[0].text == "Từ nay nhắc việc và thông báo sẽ gửi qua Console."
    clock.advance(minutes=1)
    zalo.send("/help")
    assert reached_on(db, SPECIALIST) == "console"
    assert zalo.send("/channel")[0].text.endswith("Hiện tại: Console.")
    assert zalo.send("2")[0].text == "Từ nay nhắc việc và thông báo sẽ gửi qua Zalo."
    assert reached_on(db, SPECIALIST) == "zalo"
    assert zalo.send("/channel telegram")[0].text.startswith("Anh/chị chưa nối tài khoản «telegram».")
    assert console.send("/channel tự động")[0].text == "Từ nay nhắc việc và thông báo sẽ gửi qua kênh anh/chị dùng gần nhất."
    clock.advance(minutes=1)
    console.send("/help")
    assert reached_on(db, SPECIALIST) == "console"
    with session_scope(db) as session:
        zalo_identity = session.exec(select(ChannelIdentity).where(ChannelIdentity.user_ref == ZALO_USER)).one()
        zalo_identity.active = False
    assert reached_on(db, SPECIALIST) == "console"


def test_linking_and_the_channel_last_used_on_postgresql(pg_db, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    with session_scope(pg_db) as session:
        load_into(session, lao_cai, clock())
        record = session.exec(select(ProgrammeRecord)).one()
        load_sample(session, record.id, read_sample(LAO_CAI_SAMPLE), clock())  # type: ignore[arg-type]
    engine = ConversationEngine(pg_db, clock, lao_cai.code)

    def chat(user: str, **options: object) -> Chat:
        return Chat(engine, user, **options)  # type: ignore[arg-type]

    console, zalo, _ = linked(chat, clock)
    assert reached_on(pg_db, SPECIALIST) == "zalo"
    clock.advance(minutes=1)
    console.send("/help")
    assert reached_on(pg_db, SPECIALIST) == "console"
    zalo.send("/channel zalo")
    clock.advance(minutes=1)
    console.send("/help")
    assert reached_on(pg_db, SPECIALIST) == "zalo"
