"""Who may do what, and where: roles, group chats, unknown commands, duplicate updates."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import func, select

from handlers.types import ChatKind
from models.conversations.tables import ProcessedUpdate
from models.db.engine import session_scope
from tests.support.command_table import PEOPLE, listed


def test_help_lists_only_what_the_role_may_use_in_the_wiring_order(chat) -> None:  # type: ignore[no-untyped-def]
    def commands(user: str) -> list[str]:
        person = chat(user)
        person.send("/help")
        return [line.split(" ")[0][1:] for line in person.text.splitlines() if line.startswith("/")]

    for role, user in PEOPLE.items():
        assert commands(user) == listed(role), role
    assert commands("stranger-1") == ["start", "help", "lang"]


def test_refusals_are_polite_and_say_why(chat) -> None:  # type: ignore[no-untyped-def]
    specialist = chat("syt-specialist")
    specialist.send("/invite SYT leader")
    assert specialist.text == "Xin lỗi, lệnh /invite chỉ dành cho Thường trực, Văn phòng Liên hiệp hội."
    viewer = chat("snv-viewer")
    viewer.send("/register")
    assert viewer.text == "Xin lỗi, lệnh /register không dành cho vai trò theo dõi (chỉ xem). Gõ /help để xem các lệnh của anh/chị."
    stranger = chat("stranger-2")
    stranger.send("/due")
    assert "Anh/chị chưa tham gia hệ thống" in stranger.text


def test_unknown_commands_and_chatter(chat) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    person.send("/xoa_het")
    assert person.text == "Không có lệnh /xoa_het. Gõ /help để xem các lệnh anh/chị có thể dùng."
    person.send("xin chào")
    assert "Tôi chưa hiểu tin nhắn này" in person.text
    person.send("/Help@phoihop_bot")
    assert "Các lệnh anh/chị có thể dùng:" in person.text


def test_group_chats_answer_only_commands_and_never_start_a_form(chat) -> None:  # type: ignore[no-untyped-def]
    member = chat("syt-specialist", chat="group-1", kind=ChatKind.GROUP)
    assert member.send("xin chào cả nhóm") == []
    assert member.send("/nosuchcommand") == []
    member.send("/register")
    assert member.text == "Lệnh /register chỉ dùng trong cuộc trò chuyện riêng với bot. Anh/chị vui lòng nhắn riêng cho bot."
    member.send("/help")
    assert member.text.startswith("Các lệnh anh/chị có thể dùng:")
    assert "/register" not in member.text
    admin = chat("lhh-admin", chat="group-1", kind=ChatKind.GROUP)
    admin.send("/invite SYT leader")
    assert "chỉ dùng trong cuộc trò chuyện riêng" in admin.text


def test_an_update_delivered_twice_is_handled_once(chat, engine, db) -> None:  # type: ignore[no-untyped-def]
    from handlers.types import Incoming

    update = Incoming(channel="telegram", user_ref="777", chat_ref="777", text="/help", update_ref="9001")
    assert engine.handle(update)
    assert engine.handle(update) == []
    with session_scope(db) as session:
        assert session.exec(select(func.count()).select_from(ProcessedUpdate).where(ProcessedUpdate.update_ref == "9001")).one() == 1


def test_language_choice(chat) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    person.send("/lang")
    assert person.text == "Chọn ngôn ngữ:"
    person.press("English")
    assert person.text == "Language set to English."
    person.send("/help")
    assert person.text.startswith("Commands you can use:")
    person.send("/lang vi")
    assert person.text == "Đã chuyển ngôn ngữ sang Tiếng Việt."
    stranger = chat("stranger-3")
    stranger.send("/lang en")
    stranger.send("/start NOPE1234")
    assert stranger.text.startswith("That invite code is not valid.")


def test_engine_answers_when_the_database_is_down(chat, engine, db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    engine.served = broken  # type: ignore[assignment]
    person = chat("syt-specialist")
    person.send("/due")
    assert person.text == "Hệ thống đang tạm gián đoạn. Anh/chị vui lòng thử lại sau ít phút."



def test_an_update_kept_for_later_is_handled_as_of_when_it_came(engine, clock) -> None:  # type: ignore[no-untyped-def]
    from handlers.types import Incoming

    def due(update_ref: str, received_at: datetime | None = None) -> str:
        incoming = Incoming("console", "syt-specialist", "syt-specialist", text="/due", update_ref=update_ref, received_at=received_at)
        return engine.handle(incoming)[0].text

    today, sent_at = due("today"), clock() - timedelta(days=20)
    kept = due("kept", received_at=sent_at)
    clock.moment = sent_at
    assert kept == due("then") != today
