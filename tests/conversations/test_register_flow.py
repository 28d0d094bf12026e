"""The activity form: validation in plain words, Back and Cancel at every step, stale and
forged buttons, numbered answers, and a restart in the middle of the form."""

from __future__ import annotations

from sqlmodel import func, select

from handlers.engine import ConversationEngine
from models.activities.tables import Activity, ActivityPartner, ActivityStatus
from models.db.engine import session_scope
from tests.conftest import Chat, local


def count_activities(db) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(func.count()).select_from(Activity)).one()


def to_date_step(person: Chat) -> None:
    person.send("/register")
    person.press("Tập huấn kỹ thuật")
    person.send("Tập huấn kỹ thuật nuôi ong lấy mật")


def test_every_answer_is_validated(chat) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    person.send("/register")
    person.send("Tập huấn")
    assert "Vui lòng chọn một trong các lựa chọn bên dưới." in person.text
    person.press("Tập huấn kỹ thuật")
    person.send("abc")
    assert "Tên hoạt động cần từ 5 đến 300 ký tự." in person.text
    assert "Bước 2/7" in person.text
    person.send("x" * 301)
    assert "Tên hoạt động cần từ 5 đến 300 ký tự." in person.text
    person.send("Tập huấn kỹ thuật nuôi ong lấy mật")
    person.send("thứ tám")
    assert "Không đọc được ngày «thứ tám»" in person.text
    person.send("31/2/2027")
    assert "Ngày «31/2/2027» không có trong lịch." in person.text
    person.send("1/1/2030")
    assert "Ngày tổ chức cần trong khoảng từ 23/11/2024 đến 23/11/2028." in person.text
    person.send("5/12")
    assert "Bước 4/7" in person.text
    person.send("X")
    assert "Địa điểm cần từ 2 đến 200 ký tự." in person.text
    person.send("Xã Bản Phố, huyện Bắc Hà")
    person.send("SYT, KHONGCO")
    assert "Không tìm thấy cơ quan: SYT, KHONGCO." in person.text
    person.send("HLV")
    person.send("khoảng năm chục")
    assert "Số người tham dự phải là một số nguyên" in person.text
    person.send("2000000")
    assert "không được vượt quá 1000000" in person.text
    person.send("1.250")
    assert "Số người tham dự: 1.250" in person.text
    assert "Ngày: 05/12/2026" in person.text


def test_back_keeps_answers_and_cancel_saves_nothing(chat, db) -> None:  # type: ignore[no-untyped-def]
    before = count_activities(db)
    person = chat("syt-specialist")
    to_date_step(person)
    person.press("Quay lại")
    assert "Bước 2/7" in person.text
    assert "(Hiện tại: Tập huấn kỹ thuật nuôi ong lấy mật)" in person.text
    person.press("Quay lại")
    assert "(bước 1/7)" in person.text
    assert not any("Quay lại" in b.label for b in person.last[0].choices())
    person.press("Hội thảo khoa học")
    person.send("Hội thảo nuôi ong")
    person.send("Hủy")
    assert person.text == "Đã hủy. Không có gì được lưu."
    assert count_activities(db) == before
    person.send("15/12/2026")
    assert "Tôi chưa hiểu tin nhắn này" in person.text


def test_cancel_command_and_nothing_to_cancel(chat) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    person.send("/cancel")
    assert person.text == "Không có việc nào đang làm dở để hủy."
    to_date_step(person)
    person.send("/cancel")
    assert person.text == "Đã hủy. Không có gì được lưu."


def test_a_command_mid_form_is_answered_and_the_form_waits_where_it_was(chat) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    to_date_step(person)
    person.send("/due")
    assert "Việc phải làm của Sở Y tế" in person.last[0].text
    assert "vẫn được giữ, các câu trả lời không mất" in person.last[-1].text
    assert "Bước 3/7" in person.last[-1].text
    person.send("1/12/2026")
    assert "Bước 4/7" in person.text
    person.press("◀ Quay lại")
    person.press("◀ Quay lại")
    assert "Tập huấn kỹ thuật nuôi ong lấy mật" in person.text


def test_a_day_typed_in_words_or_with_a_two_digit_year(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    to_date_step(person)
    person.send("thứ hai tuần sau")
    assert "Bước 4/7" in person.text
    person.press("◀ Quay lại")
    assert "21/12/2026" in person.text
    person.send("15/1/27")
    person.press("◀ Quay lại")
    assert "15/01/2027" in person.text
    person.send("mai")
    person.press("◀ Quay lại")
    assert "17/12/2026" in person.text


def test_a_command_opening_another_form_replaces_it_and_says_so(chat) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    to_date_step(person)
    person.send("/register")
    assert person.last[0].text == "Biểu mẫu đang làm dở đã được hủy."
    assert "(bước 1/7)" in person.last[-1].text


def test_stale_and_forged_buttons(chat) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    person.send("/register")
    first_prompt = person.last[0]
    person.press("Hội thảo khoa học")
    person.press("Tập huấn kỹ thuật", reply=first_prompt)
    assert "Nút này thuộc một tin nhắn cũ" in person.text
    person.send("Hội thảo nuôi ong mật")
    person.send("1/12/2026")
    person.send("Bắc Hà")
    live = person.last[0].choices()[0].data
    nonce = live.split(":")[0]
    person.press_data(f"{nonce}:p:KHONGCO")
    assert "Nút này thuộc một tin nhắn cũ" in person.text
    person.press_data("garbage")
    assert "Nút này thuộc một tin nhắn cũ" in person.text
    person.press_data(f"{nonce}:ok")
    assert "Bước 6/7" in person.text


def test_numbers_and_labels_answer_choice_steps(chat, db) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    person.send("/register")
    person.send("2")
    assert "Bước 2/7" in person.text
    person.send("Hội thảo chuyển đổi số y tế")
    person.send("2")
    assert "Không đọc được ngày «2»" in person.text
    person.send("20/12/2026")
    person.send("Lào Cai")
    assert "Đã chọn: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai" in person.text
    person.send("1")
    assert "Chưa chọn cơ quan nào." in person.text
    person.send("1")
    assert "Đã chọn: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai" in person.text
    person.send("xong")
    person.send("bo qua")
    assert "Số người tham dự: chưa có" in person.text
    person.send("1")
    assert person.text.startswith("Đã lưu hoạt động số ")
    with session_scope(db) as session:
        activity = session.exec(select(Activity).order_by(Activity.id.desc())).first()  # type: ignore[union-attr]
        assert activity.title == "Hội thảo chuyển đổi số y tế"
        assert activity.status is ActivityStatus.PLANNED and activity.actual_date is None
        assert activity.participants is None
        partners = session.exec(select(ActivityPartner).where(ActivityPartner.activity_id == activity.id)).all()
        assert len(partners) == 1


def test_a_past_date_is_recorded_as_done(chat, db) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    to_date_step(person)
    person.send("20/11/2026")
    person.send("Bắc Hà")
    person.press("Xong")
    person.send("45")
    person.press("Lưu")
    with session_scope(db) as session:
        activity = session.exec(select(Activity).order_by(Activity.id.desc())).first()  # type: ignore[union-attr]
        assert activity.status is ActivityStatus.DONE
        assert str(activity.actual_date) == "2026-11-20"


def test_partner_toggle_and_pages(chat) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    to_date_step(person)
    person.send("1/12/2026")
    person.send("Bắc Hà")
    person.press("Sở Nội vụ")
    person.press("Sở Nội vụ")
    assert person.text.endswith("Đã chọn: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai")
    person.press("Sở Nội vụ")
    person.press("Trang sau")
    assert "Trang 2/6" in person.text
    assert "✓ Sở Nội vụ" not in person.text
    person.press("Trang trước")
    assert any(b.label == "✓ Sở Nội vụ (SNV)" for b in person.last[0].choices())


def test_typed_codes_add_to_the_ticked_and_an_unknown_one_keeps_the_rest(chat) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    to_date_step(person)
    person.send("1/12/2026")
    person.send("Bắc Hà")
    person.press("Sở Nội vụ")
    person.send("SCT, KHONGCO")
    assert "Không tìm thấy cơ quan có mã KHONGCO; các mã còn lại đã được thêm." in person.text
    assert person.text.endswith("Đã chọn: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai, Sở Nội vụ, Sở Công Thương")
    person.send("sct snv")
    assert "Bước 6/7" in person.text
    person.press("Bỏ qua")
    assert "Sở Nội vụ" in person.text and "Sở Công Thương" in person.text


def test_a_restart_in_the_middle_of_the_form_loses_nothing(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    to_date_step(person)
    person.send("1/12/2026")
    restarted = Chat(ConversationEngine(db, clock, "lao-cai-31-2015"), "syt-specialist", updates=100)
    restarted.send("Trạm Y tế xã Tả Van")
    assert "Bước 5/7" in restarted.text
    restarted.press("Xong")
    restarted.press("Bỏ qua")
    assert "Tên: Tập huấn kỹ thuật nuôi ong lấy mật" in restarted.text
    assert "Ngày: 01/12/2026" in restarted.text
    assert "Địa điểm: Trạm Y tế xã Tả Van" in restarted.text


def test_a_command_after_a_paged_list_starts_cleanly(chat) -> None:  # type: ignore[no-untyped-def]
    admin = chat("lhh-admin")
    admin.send("/activities")
    assert "trang 1/3" in admin.text
    admin.send("/register")
    assert "(bước 1/7)" in admin.text


HIDDEN = ("\u202e", "\u200b", "\u200d", "\ufeff", "\u2028", "\u2029", "\x85", "\x1b")
HIDDEN_TEXT = "Nội dung có ký tự ẩn (ký tự điều khiển, đảo chiều hoặc không độ rộng) nên không được lưu."


def test_hidden_characters_are_refused_in_the_title_and_the_place(chat, db) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    person.send("/register")
    person.press("Tập huấn kỹ thuật")
    for ch in HIDDEN:
        person.send(f"Tập huấn kỹ thuật{ch} nuôi ong")
        assert person.text.startswith(HIDDEN_TEXT) and "Bước 2/7" in person.text, repr(ch)
    person.send("Tập huấn kỹ thuật nuôi ong lấy mật")
    person.send("5/12")
    for ch in HIDDEN:
        person.send(f"Xã Bản Phố{ch}, huyện Bắc Hà")
        assert person.text.startswith(HIDDEN_TEXT) and "Bước 4/7" in person.text, repr(ch)
    person.send("Xã Bản Phố,\thuyện Bắc Hà")
    assert "Bước 5/7" in person.text
