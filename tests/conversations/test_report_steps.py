"""The report in few steps (issue 15, point 3), through the engine: narratives asked only
for the content areas a counted, held activity belongs to, pre-filled with their titles, the
other areas skipped at once; the form resumes at the first unanswered item; the numbered
summary's «sửa N» goes to item N and back; after a return, only the items the office
flagged. The message counts are the person's updates, asserted."""

from __future__ import annotations

from sqlmodel import select

from models.db.engine import session_scope
from models.reporting.tables import ReportItem, SubmissionStatus
from tests.conftest import Chat, local
from tests.conversations.test_report_flow import ANNUAL, fill_to_confirm, open_annual, submission_of

PBKT_HINT = (
    "Hội thảo khoa học về ứng dụng y học cổ truyền trong chăm sóc sức khỏe người cao tuổi; "
    "Tập huấn kỹ năng sơ cấp cứu cho y tế thôn bản vùng cao; "
    "Phổ biến kiến thức phòng chống dịch bệnh mùa mưa trên sóng Đài Phát thanh - Truyền hình tỉnh."
)
TVPB_HINT = "Tư vấn, phản biện Đề án phát triển mạng lưới y tế cơ sở giai đoạn 2026-2030."
EMPTY_AREAS = (
    "• Tập hợp, đoàn kết trí thức; phối hợp hoạt động các hội thành viên\n"
    "• Nghiên cứu khoa học, chuyển giao tiến bộ khoa học và công nghệ\n"
    "• Cuộc thi, hội thi, giải thưởng sáng tạo\n"
    "• Hợp tác quốc tế\n"
    "• Khó khăn, vướng mắc và kiến nghị, đề xuất"
)


def stored(db) -> dict[str, ReportItem]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        found = {item.code: item for item in session.exec(select(ReportItem))}
        for item in found.values():
            session.expunge(item)
        return found


def labels(person: Chat) -> list[str]:
    return [button.label for row in person.last[-1].buttons for button in row]


def to_summary(person: Chat) -> None:
    """The annual report taken as suggested, 12,5 for the one figure no activity counts."""
    open_annual(person)
    person.press("Xong")
    person.press("Dùng tất cả gợi ý")
    person.send("12,5")
    person.press("Dùng tất cả gợi ý")
    person.press("Không có nội dung khác")
    assert "Kiểm tra lại báo cáo" in person.text


def test_a_first_report_takes_8_messages_when_the_suggestions_are_right(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    """/report, the period, the activities, every suggested figure, the one figure no
    activity counts, every suggested narrative, no other content, submit."""
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    start = person.updates
    open_annual(person)
    person.press("Xong")
    person.press("Dùng tất cả gợi ý")
    assert "Chỉ tiêu 8/8" in person.text
    person.send("12,5")
    assert "Nội dung 2/7: Thông tin, tuyên truyền, đào tạo và phổ biến kiến thức" in person.text
    assert f"Gợi ý từ các hoạt động đã tính: {PBKT_HINT}" in person.text
    assert labels(person)[:3] == ["Dùng tất cả gợi ý", "Dùng gợi ý", "Bỏ qua"]
    person.press("Dùng tất cả gợi ý")
    assert person.text.startswith(f"Các nội dung sau không có hoạt động nào được tính trong kỳ:\n{EMPTY_AREAS}\n")
    assert labels(person)[0] == "Không có nội dung khác"
    person.press("Không có nội dung khác")
    assert "Kiểm tra lại báo cáo" in person.text
    assert f"[10] Thông tin, tuyên truyền, đào tạo và phổ biến kiến thức: {PBKT_HINT[:159].rstrip()}…" in person.text
    assert f"[12] Tư vấn, phản biện và giám định xã hội: {TVPB_HINT}" in person.text
    assert "[9] Tập hợp, đoàn kết trí thức; phối hợp hoạt động các hội thành viên: chưa có" in person.text
    person.press("Nộp báo cáo")
    assert person.text.startswith(f"Đã nộp {ANNUAL} của Sở Y tế")
    assert person.updates - start == 8
    items = stored(db)
    assert items["n:pbkt"].text == PBKT_HINT and items["n:tvpb"].text == TVPB_HINT
    assert items["n:tap-hop"].text is None and items["n:kho-khan"].text is None
    assert items["hoi-thao"].value == 1 and items["kinh-phi"].value == 12.5


def test_a_suggested_narrative_is_kept_replaced_or_added_to_and_an_empty_area_written(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    open_annual(person)
    person.press("Xong")
    person.press("Dùng tất cả gợi ý")
    person.send("12,5")
    person.send("+ thu hút 120 người tham dự.")
    assert "Nội dung 4/7: Tư vấn, phản biện và giám định xã hội" in person.text
    assert "Dùng tất cả gợi ý" not in labels(person)
    person.send("Góp ý Đề án mạng lưới y tế cơ sở.")
    assert "Các nội dung sau không có hoạt động nào" in person.text
    person.press("Viết: Khó khăn")
    assert "Nội dung 7/7: Khó khăn, vướng mắc và kiến nghị, đề xuất" in person.text and "Gợi ý" not in person.text
    person.send("Thiếu kinh phí cho hội thảo.")
    assert "• Khó khăn" not in person.text and "• Hợp tác quốc tế" in person.text
    person.press("Không có nội dung khác")
    assert "Kiểm tra lại báo cáo" in person.text
    items = stored(db)
    assert items["n:pbkt"].text == PBKT_HINT + " thu hút 120 người tham dự."
    assert items["n:tvpb"].text == "Góp ý Đề án mạng lưới y tế cơ sở."
    assert items["n:kho-khan"].text == "Thiếu kinh phí cho hội thảo."
    assert items["n:hop-tac-qt"].text is None


def test_the_tick_list_marks_planned_activities_and_they_suggest_nothing(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    open_annual(person)
    planned = [label for label in labels(person) if "#5 " in label]
    assert planned == [label for label in planned if label.startswith("✓ ⏳ #5 11/12/2026 Hội nghị sơ kết")]
    assert "⏳: hoạt động còn dự kiến, chưa được đánh dấu là đã tổ chức" in person.text
    held = [label for label in labels(person) if "#1 " in label]
    assert held and "⏳" not in held[0]
    person.press("Xong")
    person.press("Bỏ qua")
    assert "Chỉ tiêu 2/8: Số hội nghị, cuộc họp phối hợp" in person.text
    assert "Gợi ý từ các hoạt động đã tính: 0 cuộc" in person.text


def test_the_form_resumes_at_the_first_unanswered_item(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    """After a command in its middle, days later, a new /report, a /cancel: never back at
    indicator 1 with «Giữ nguyên» on every step."""
    clock.moment = local(2026, 12, 14, 9)
    person = chat("syt-specialist")
    open_annual(person)
    person.press("Xong")
    person.send("1")
    person.send("2")
    assert "Chỉ tiêu 3/8" in person.text
    person.send("/due")
    assert "Chỉ tiêu 3/8" in person.last[-1].text
    clock.advance(days=2)
    person.send("/report")
    assert [reply.text.split("\n")[0] for reply in person.last][0] == ANNUAL
    assert "Chỉ tiêu 3/8" in person.last[-1].text and "Đã dừng" not in person.text
    assert "Có nhiều kỳ báo cáo" not in person.text
    person.send("3")
    person.send("/cancel")
    open_annual(person)
    assert "Chỉ tiêu 4/8" in person.text and "Giữ nguyên" not in labels(person)
    for _ in range(5):
        person.press("Bỏ qua")
    assert "Nội dung 2/7" in person.text
    person.send("/cancel")
    open_annual(person)
    assert "Nội dung 2/7" in person.text
    fill_to_confirm(person)
    person.press("Lưu nháp")
    open_annual(person)
    assert "Kiểm tra lại báo cáo" in person.text
    assert stored(db)["hoi-nghi"].value == 2


def test_sua_n_goes_to_item_n_and_back_and_a_bad_number_is_told(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    to_summary(person)
    assert "Để sửa một mục, gõ «sửa» và số của mục (ví dụ «sửa 3»; các mục từ 1 đến 16)." in person.text
    assert [b.label for b in person.last[-1].choices()] == ["📤 Nộp báo cáo", "💾 Lưu nháp", "◀ Quay lại", "✖ Hủy"]
    assert "Sửa 16" in labels(person)
    for wrong in ("sửa 17", "sửa 0", "sửa ba"):
        person.send(wrong)
        assert person.text.startswith(f"Không có mục «{wrong[4:]}». Các mục được đánh số từ 1 đến 16")
        assert "Kiểm tra lại báo cáo" in person.text
    person.send("xin chào")
    assert person.text.startswith("Chọn «Nộp báo cáo» hoặc «Lưu nháp», hoặc gõ «sửa» và số của mục")
    person.send("Sửa mục 3")
    assert "Chỉ tiêu 3/8: Số lớp tập huấn kỹ thuật" in person.text and "(Hiện tại: 1 lớp)" in person.text
    assert "Dùng tất cả gợi ý" not in labels(person)
    person.send("4")
    assert "Kiểm tra lại báo cáo" in person.text and "[3] Số lớp tập huấn kỹ thuật: 4 lớp" in person.text
    person.press("Sửa 9")
    assert "Nội dung 1/7: Tập hợp, đoàn kết trí thức" in person.text
    person.send("Củng cố Chi hội Y học cổ truyền.")
    assert "[9] Tập hợp, đoàn kết trí thức; phối hợp hoạt động các hội thành viên: Củng cố Chi hội Y học cổ truyền." in person.text
    person.send("sua 16")
    assert "đã tính 5/6 hoạt động" in person.text
    person.press("Xong")
    assert "Kiểm tra lại báo cáo" in person.text
    assert stored(db)["tap-huan"].value == 4


def returning(chat, clock) -> Chat:  # type: ignore[no-untyped-def]
    """SYT's annual report submitted by its leader; the office at the step that returns it."""
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-leader")
    open_annual(person)
    fill_to_confirm(person)
    person.press("Nộp báo cáo")
    admin = chat("lhh-admin")
    admin.send("/review")
    admin.press("SYT · Báo cáo năm")
    admin.press("Trả lại")
    assert "Chọn các mục của báo cáo mà Sở Y tế cần sửa" in admin.text
    return admin


def returned_with(chat, clock, flags: list[str]) -> Chat:  # type: ignore[no-untyped-def]
    """SYT's annual report returned by the office with the items `flags` ticked (pressed,
    or typed as numbers): the office's chat."""
    admin = returning(chat, clock)
    for flag in flags:
        if flag[0].isdigit() and "." not in flag:
            admin.send(flag)
        else:
            admin.press(flag)
    admin.send("Đề nghị bổ sung kinh phí và số lớp tập huấn.")
    assert admin.text.startswith("Đã trả lại")
    return admin


def test_a_fix_after_a_return_takes_4_messages(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    returned_with(chat, clock, ["[8] Kinh phí"])
    report = submission_of(db, "SYT")
    assert report.status is SubmissionStatus.RETURNED and report.returned_items == ["kinh-phi"]
    clock.moment = local(2026, 12, 17, 8)
    person = chat("syt-specialist")
    start = person.updates
    open_annual(person)
    header, prompt = person.last
    assert "Các mục cần sửa: [8] Kinh phí thực hiện các hoạt động phối hợp." in header.text
    assert prompt.text.startswith("Chỉ tiêu 8/8: Kinh phí")
    person.send("3")
    assert "Kiểm tra lại báo cáo" in person.text and "[8] Kinh phí thực hiện các hoạt động phối hợp: 3 triệu đồng" in person.text
    person.press("Nộp báo cáo")
    assert "Đã nộp" in person.text
    assert person.updates - start == 4
    assert submission_of(db, "SYT").status is SubmissionStatus.SUBMITTED


def test_only_the_flagged_items_are_asked_then_the_summary(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    returned_with(chat, clock, ["3 8", "8", "[8] Kinh phí", "[10] Thông tin"])
    assert submission_of(db, "SYT").returned_items == ["tap-huan", "kinh-phi", "n:pbkt"]
    person = chat("syt-specialist")
    open_annual(person)
    assert "Các mục cần sửa: [3] Số lớp tập huấn kỹ thuật; [8] Kinh phí thực hiện các hoạt động phối hợp; [10] Thông tin" in person.text
    assert "Chỉ tiêu 3/8" in person.last[-1].text and "Dùng tất cả gợi ý" not in labels(person)
    person.press("Dùng 1")
    assert "Chỉ tiêu 8/8" in person.text
    person.send("/due")
    assert "Chỉ tiêu 8/8" in person.last[-1].text
    person.send("2")
    assert "Nội dung 2/7" in person.text
    person.send("Hai hội thảo, một lớp tập huấn.")
    assert "Kiểm tra lại báo cáo" in person.text


def test_the_office_is_told_a_number_that_is_no_item(chat, clock) -> None:  # type: ignore[no-untyped-def]
    admin = returning(chat, clock)
    admin.send("3 99")
    assert admin.text.startswith("Không có mục «99». Các mục được đánh số từ 1 đến 16.")
    assert "Đã chọn: 0 mục." in admin.text
    admin.send("3 8")
    assert "Đã chọn: 2 mục." in admin.text
    admin.send("3")
    assert "Đã chọn: 1 mục." in admin.text and "Các mục cần sửa: [8] Kinh phí" in admin.text


def test_a_return_without_flags_resumes_at_the_summary(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    returned_with(chat, clock, [])
    assert submission_of(db, "SYT").returned_items is None
    person = chat("syt-specialist")
    open_annual(person)
    assert "Kiểm tra lại báo cáo" in person.last[-1].text and "Các mục cần sửa" not in person.text


def test_the_steps_in_english(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    person.send("/lang")
    person.press("English")
    person.send("/report")
    person.press("year 2026")
    person.press("Done")
    person.press("Use all suggestions")
    person.send("12.5")
    assert "Suggested from the counted activities: Hội thảo khoa học về ứng dụng y học cổ truyền" in person.text
    assert labels(person)[:2] == ["Use all suggestions", "Use the suggestion"]
    person.press("Use all suggestions")
    assert person.text.startswith("No counted activity of the period belongs to these areas:\n• Rallying scientists")
    person.press("Nothing else")
    assert "To change an item, type «edit» and its number (for example «edit 3»; items 1 to 16)." in person.text
    assert "[16] Activities counted: 5" in person.text
    person.send("edit 99")
    assert person.text.startswith("There is no item «99». Items are numbered 1 to 16")
    person.send("edit 8")
    assert "8/8" in person.text
