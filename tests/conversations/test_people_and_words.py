"""Issue 15, points 6 and 7 through the engine: names capitalised as Vietnamese names are,
the office correcting a name, a seat taken told to the person replaced and the office
(outbox), periods typed in words, and English plural forms."""

from __future__ import annotations

from sqlmodel import select

from locales.catalogue import t
from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.people.tables import Person
from tests.conftest import Chat, local
from tests.conversations.test_join_flow import invite_code


def outbox(db, prefix: str) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith(prefix))))  # type: ignore[attr-defined]


def join(chat, code: str, user: str, typed_name: str) -> Chat:  # type: ignore[no-untyped-def]
    newcomer: Chat = chat(user)
    newcomer.send(f"/start {code}")
    newcomer.press("Tôi đồng ý")
    newcomer.send(typed_name)
    return newcomer


def test_a_name_typed_in_lower_or_upper_case_is_written_as_a_name(chat, db) -> None:  # type: ignore[no-untyped-def]
    newcomer = join(chat, invite_code(chat("lhh-admin")), "tg-7001", "  nguyễn   văn an ")
    assert newcomer.last[0].text.startswith("Chào mừng Nguyễn Văn An!")
    second = join(chat, invite_code(chat("lhh-admin"), "SXD"), "tg-7002", "ĐỖ THỊ HÀ McLeod")
    assert second.last[0].text.startswith("Chào mừng Đỗ Thị Hà McLeod!")


def test_a_seat_taken_is_told_to_the_person_replaced_and_the_office(chat, db) -> None:  # type: ignore[no-untyped-def]
    admin = chat("lhh-admin")
    code = invite_code(admin, "SYT", "leader")
    assert "Lưu ý: vị trí này đang do Đỗ Văn Hùng đảm nhiệm." in admin.text
    newcomer = join(chat, code, "tg-7003", "Lê Minh Tâm")
    assert "Anh/chị thay cho: Đỗ Văn Hùng." in newcomer.text
    with session_scope(db) as session:
        hung = session.exec(select(Person).where(Person.full_name == "Đỗ Văn Hùng")).one()
        tam = session.exec(select(Person).where(Person.full_name == "Lê Minh Tâm")).one()
    told = {row.chat_ref: row.text for row in outbox(db, f"seat-taken:{tam.id}")}
    assert told["syt-leader"] == (
        "Lê Minh Tâm đã nhận vị trí lãnh đạo phụ trách (đầu mối) của Sở Y tế thay anh/chị. Anh/chị không còn nhận nhắc việc;"
        " nếu có nhầm lẫn, xin liên hệ Văn phòng Liên hiệp hội."
    )
    assert told["lhh-admin"] == "Lê Minh Tâm đã tham gia với vai trò lãnh đạo phụ trách (đầu mối) của Sở Y tế, thay cho Đỗ Văn Hùng."
    assert hung.active is False and "lhh-admin2" in told

    admin.send("/people")
    admin.press("Lê Minh Tâm")
    admin.press("Ngừng hoạt động")
    admin.press("Xác nhận")
    assert "Tình trạng: ngừng hoạt động" in admin.text
    admin.press("Khôi phục")
    assert admin.text.startswith("Đã khôi phục tài khoản Lê Minh Tâm")


def test_the_office_corrects_a_name(chat, db) -> None:  # type: ignore[no-untyped-def]
    admin = chat("lhh-admin")
    admin.send("/people")
    admin.press("Đỗ Văn Hùng")
    admin.press("Sửa họ tên")
    assert admin.text == "Họ và tên hiện ghi là «Đỗ Văn Hùng». Nhập họ và tên đúng:"
    admin.send("123")
    assert "họ và tên" in admin.text.lower()
    admin.send("đỗ văn hưng")
    assert admin.text == "Đã sửa họ tên «Đỗ Văn Hùng» thành «Đỗ Văn Hưng» (Sở Y tế)."
    with session_scope(db) as session:
        assert session.exec(select(Person).where(Person.full_name == "Đỗ Văn Hưng")).one().active


def test_periods_typed_in_words(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 18, 9)
    admin = chat("lhh-admin")
    admin.send("/status năm 2026")
    assert admin.last[0].text.startswith("Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026 (hạn 20/12/2026)")
    admin.send("/status 6 tháng đầu năm 2026")
    assert admin.last[0].text.startswith("Báo cáo 6 tháng") and "6 tháng đầu năm 2026" in admin.last[0].text
    admin.send("/status quý 5 năm 2026")
    assert admin.text.startswith("Không đọc được kỳ «quý 5 năm 2026». Có thể gõ: 6 tháng đầu năm 2027, năm 2027,")


def test_a_newcomer_chooses_english_with_one_answer_and_keeps_it(chat) -> None:  # type: ignore[no-untyped-def]
    code = invite_code(chat("lhh-admin"))
    newcomer: Chat = chat("tg-7004", language_code="en")
    newcomer.send(f"/start {code}")
    assert newcomer.text.startswith("THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN")
    newcomer.send("3")
    assert newcomer.text.startswith("PERSONAL DATA NOTICE")
    newcomer.press("I agree")
    newcomer.send("john nguyen")
    assert newcomer.last[0].text.startswith("Welcome, John Nguyen!")
    newcomer.send("/due")
    assert "Anh/chị" not in newcomer.text


def test_link_and_channel_are_listed_only_when_both_messengers_are_served(engine, chat) -> None:  # type: ignore[no-untyped-def]
    from bot.channels.setup import ChannelRun
    from bot.runner import serving_channels

    member = chat("syt-specialist")
    member.send("/help")
    assert "/link — " in member.text and "/channel — " in member.text
    both = [ChannelRun(channel, None, None, ()) for channel in ("telegram", "zalo")]  # type: ignore[arg-type]
    serving_channels(engine, both)
    member.send("/help")
    assert "/link — " in member.text
    serving_channels(engine, both[:1])
    member.send("/help")
    assert "/link — " not in member.text and "/channel — " not in member.text and "/register — " in member.text
    member.send("/channel")
    assert member.text != t("command.unknown", "vi", command="channel"), "typed, it still answers"
