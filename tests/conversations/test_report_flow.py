"""/report, /review and /done through the engine: the form walks the indicators with
counts pre-filled from the window's activities, keeps the draft between sessions, records
who submitted and when, marks late reports; the office returns and accepts."""

from __future__ import annotations

from sqlmodel import select

from handlers.engine import ConversationEngine
from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.people.tables import Person, Role
from models.programme.loader import load_into
from models.programme.schema import load_programme
from models.programme.tables import Agency, ProgrammeRecord
from models.reporting.tables import ReportItem, Submission, SubmissionStatus, TaskAssignment
from tests.conftest import PROGRAMMES, Chat, local
from tests.support.roster import add_member

ANNUAL = "Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026"


def submission_of(db, agency: str) -> Submission:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        agency_id = session.exec(select(Agency.id).where(Agency.code == agency)).one()
        return session.exec(select(Submission).where(Submission.agency_id == agency_id)).one()


def open_annual(person: Chat) -> None:
    person.send("/report")
    assert "Có nhiều kỳ báo cáo cần làm" in person.text
    person.press("Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026")


def fill_to_confirm(person: Chat) -> None:
    while "Kiểm tra lại báo cáo" not in person.text:
        labels = [b.label for b in person.last[-1].choices()]
        if "Giữ nguyên" in labels:
            person.press("Giữ nguyên")
        elif "Không có nội dung khác" in labels:
            person.press("Không có nội dung khác")
        elif "✔ Xong" in labels:
            person.press("Xong")
        else:
            person.press("Bỏ qua")


def test_report_with_prefilled_counts_draft_and_submission(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    open_annual(person)
    header, prompt = person.last
    assert header.text == f"{ANNUAL}\nSố liệu từ 15/12/2025 đến 14/12/2026 · hạn nộp 20/12/2026"
    assert "đã tính 5/6 hoạt động vào báo cáo" in prompt.text
    assert "↪ #10: do Hội Y học tỉnh đăng ký, nêu cơ quan là đơn vị phối hợp; chỉ được tính khi anh/chị chọn tính vào báo cáo." in prompt.text
    assert [b.label for b in prompt.choices() if "#10 " in b.label][0].startswith("↪ #10 ")
    person.press("↪ #10 ")
    assert "đã tính 6/6" in person.text
    assert [b.label for b in person.last[-1].choices() if "#10 " in b.label][0].startswith("✓ ↪ #10 ")
    person.press("Phổ biến kiến thức phòng chống dịch")
    assert "đã tính 5/6" in person.text
    person.press("Xong")
    assert "Chỉ tiêu 1/8: Số hội thảo khoa học\nĐơn vị: cuộc." in person.text
    assert "Gợi ý từ các hoạt động đã tính: 2 cuộc" in person.text
    person.press("Dùng 2")
    assert "Chỉ tiêu 2/8: Số hội nghị, cuộc họp phối hợp" in person.text
    person.send("1")
    person.send("mười")
    assert "«mười» không phải là một số" in person.text
    person.send("-3")
    assert "Số liệu không được âm." in person.text
    person.send("1")
    assert "Gợi ý từ các hoạt động đã tính: 85 đại biểu" in person.text
    person.press("Dùng 85")
    person.send("1")
    person.send("0")
    person.send("0")
    assert "Chỉ tiêu 8/8: Kinh phí thực hiện các hoạt động phối hợp" in person.text
    assert "Gợi ý" not in person.text
    person.send("12,5")
    assert "Nội dung 2/7: Thông tin, tuyên truyền, đào tạo và phổ biến kiến thức" in person.text
    person.send("/cancel")
    assert person.text == "Đã dừng. Những gì anh/chị đã nhập vẫn được giữ trong bản nháp; gõ /report để tiếp tục."

    open_annual(person)
    assert "Nội dung 2/7: Thông tin, tuyên truyền" in person.text and "Chỉ tiêu" not in person.text
    person.send("Phối hợp với Hội Y học tổ chức hai hội thảo chuyên đề.")
    fill_to_confirm(person)
    summary = person.text
    assert "[1] Số hội thảo khoa học: 2 cuộc" in summary
    assert "[4] Số đại biểu tham dự tập huấn: 85 đại biểu" in summary
    assert "[8] Kinh phí thực hiện các hoạt động phối hợp: 12,5 triệu đồng" in summary
    assert "[10] Thông tin, tuyên truyền, đào tạo và phổ biến kiến thức: Phối hợp với Hội Y học tổ chức hai hội thảo chuyên đề." in summary
    assert "[16] Số hoạt động được tính: 5" in summary
    person.press("Nộp báo cáo")
    assert person.text == f"Đã nộp {ANNUAL} của Sở Y tế lúc 09:00 ngày 16/12/2026. Người nộp: Nguyễn Thị Mai."

    submitted = submission_of(db, "SYT")
    assert submitted.status is SubmissionStatus.SUBMITTED and submitted.late is False
    with session_scope(db) as session:
        items = {i.code: i for i in session.exec(select(ReportItem).where(ReportItem.submission_id == submitted.id))}
        assert items["hoi-thao"].value == 2 and items["kinh-phi"].value == 12.5 and items["n:tap-hop"].text is None
        assert session.get(Person, submitted.submitted_by_person_id).full_name == "Nguyễn Thị Mai"
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith(f"submitted:{submitted.id}:"))).all()  # type: ignore[attr-defined]
        assert len(notices) == 2 and all("Sở Y tế đã nộp Báo cáo năm" in n.text for n in notices)

    person.send("/report")
    left = [b.label for b in person.last[0].choices()]
    assert left == [
        "Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2025 (hạn 20/12/2025)",
        "Báo cáo 6 tháng kết quả thực hiện chương trình phối hợp — 6 tháng đầu năm 2026 (hạn 20/06/2026)",
        "Báo cáo 6 tháng kết quả thực hiện chương trình phối hợp — 6 tháng đầu năm 2027 (hạn 20/06/2027)",
        "Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2027 (hạn 20/12/2027)",
        "✖ Hủy",
    ]


def test_office_returns_then_accepts_and_late_stays_as_first_decided(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 18, 10)
    person = chat("syt-leader")
    open_annual(person)
    fill_to_confirm(person)
    person.press("Nộp báo cáo")

    admin = chat("lhh-admin")
    admin.send("/review")
    assert "Có 1 báo cáo chờ xem xét" in admin.text
    admin.press("SYT · Báo cáo năm")
    assert f"Sở Y tế\n{ANNUAL}\nNộp lúc 10:00 ngày 18/12/2026, người nộp: Đỗ Văn Hùng" in admin.text
    admin.press("Trả lại")
    admin.press("[8] Kinh phí")
    assert "Đã chọn: 1 mục." in admin.text and "Các mục cần sửa: [8] Kinh phí thực hiện các hoạt động phối hợp." in admin.text
    assert "✓ [8] Kinh phí thực hiện các hoạt động phối hợp" in [b.label for b in admin.last[-1].choices()]
    admin.send("ít")
    assert "Lý do cần từ 5 đến 1000 ký tự." in admin.text
    admin.send("Thiếu số liệu kinh phí; đề nghị bổ sung.")
    assert admin.text == f"Đã trả lại {ANNUAL} của Sở Y tế. Đầu mối của cơ quan đã được thông báo kèm lý do."
    returned = submission_of(db, "SYT")
    assert returned.status is SubmissionStatus.RETURNED and returned.return_reason == "Thiếu số liệu kinh phí; đề nghị bổ sung."
    with session_scope(db) as session:
        told = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith(f"review:{returned.id}:"))).all()  # type: ignore[attr-defined]
        assert {n.chat_ref for n in told} == {"syt-leader", "syt-specialist"}
        assert all("Lý do: Thiếu số liệu kinh phí" in n.text for n in told)

    clock.moment = local(2026, 12, 22, 9)
    specialist = chat("syt-specialist")
    open_annual(specialist)
    assert "Báo cáo đã bị Văn phòng Liên hiệp hội trả lại. Lý do: Thiếu số liệu kinh phí" in specialist.text
    assert "Các mục cần sửa: [8] Kinh phí thực hiện các hoạt động phối hợp." in specialist.text
    assert "Chỉ tiêu 8/8" in specialist.last[-1].text
    specialist.send("3")
    assert "Kiểm tra lại báo cáo" in specialist.text
    specialist.press("Nộp báo cáo")
    assert "nộp muộn" not in specialist.text
    resubmitted = submission_of(db, "SYT")
    assert resubmitted.status is SubmissionStatus.SUBMITTED and resubmitted.late is False

    admin.send("/review")
    admin.press("SYT · Báo cáo năm")
    assert "[8] Kinh phí thực hiện các hoạt động phối hợp: 3 triệu đồng" in admin.text
    admin.press("Tiếp nhận")
    assert submission_of(db, "SYT").status is SubmissionStatus.ACCEPTED
    admin.send("/review")
    assert admin.text == "Không có báo cáo nào chờ xem xét."


def test_a_late_report_is_accepted_but_marked_late(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 23, 15)
    person = chat("hyh-specialist")
    open_annual(person)
    fill_to_confirm(person)
    person.press("Nộp báo cáo")
    assert "Báo cáo được ghi nhận là nộp muộn (hạn 20/12/2026)." in person.text
    assert submission_of(db, "HYH").late is True
    admin = chat("lhh-admin")
    admin.send("/review")
    assert any(b.label.endswith("⚠") for b in admin.last[0].choices())


def test_nothing_to_report_and_only_admins_review(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 11, 23, 9)
    viewer = chat("snv-viewer")
    viewer.send("/review")
    assert "chỉ dành cho Thường trực, Văn phòng Liên hiệp hội" in viewer.text
    specialist = chat("syt-specialist")
    specialist.send("/review")
    assert "chỉ dành cho Thường trực, Văn phòng Liên hiệp hội" in specialist.text


def test_done_reports_an_assigned_task(db, clock) -> None:  # type: ignore[no-untyped-def]
    programme = load_programme(PROGRAMMES / "ha-giang-2021-2026.toml")
    clock.moment = local(2013, 3, 20, 9)
    with session_scope(db) as session:
        load_into(session, programme, clock())
        record = session.exec(select(ProgrammeRecord)).one()
        agency = session.exec(select(Agency).where(Agency.code == "SNV")).one()
        admin_agency = session.exec(select(Agency).where(Agency.code == "LHH")).one()
        add_member(session, record.id, agency, Role.SPECIALIST, "Lý Thị Dung", "snv", "console", clock())  # type: ignore[arg-type]
        add_member(session, record.id, admin_agency, Role.ADMIN, "Quản trị", "admin", "console", clock())  # type: ignore[arg-type]
    specialist = Chat(ConversationEngine(db, clock, "ha-giang-2021-2026"), "snv")
    specialist.send("/due")
    assert "NHIỆM VỤ ĐƯỢC GIAO" in specialist.text
    assert "Hạn: tháng 11/2012 → 30/11/2012 (quá hạn 110 ngày)" in specialist.text
    specialist.send("/done")
    assert specialist.text == "Chọn nhiệm vụ đã hoàn thành:"
    first = specialist.last[0].choices()[0].label
    specialist.press(first)
    specialist.send("Đã trình UBND tỉnh Tờ trình số 15/TTr-SNV.")
    assert specialist.text.startswith("Đã ghi nhận hoàn thành nhiệm vụ [")
    with session_scope(db) as session:
        done = session.exec(select(TaskAssignment).where(TaskAssignment.done_at != None)).all()  # noqa: E711
        assert len(done) == 1 and done[0].done_note == "Đã trình UBND tỉnh Tờ trình số 15/TTr-SNV."
        assert session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith("task-done:"))).one().chat_ref == "admin"  # type: ignore[attr-defined]
    for _ in range(2):
        specialist.send("/done")
        specialist.press(specialist.last[0].choices()[0].label)
        specialist.press("Bỏ qua")
    specialist.send("/done")
    assert specialist.text == "Sở Nội vụ không có nhiệm vụ được giao nào chưa hoàn thành."


def test_a_narrative_with_hidden_characters_is_refused(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    open_annual(person)
    person.press("Xong")
    for _ in range(8):
        person.press("Bỏ qua")
    assert "Nội dung 2/7" in person.text
    for ch in ("\u202e", "\u200b", "\ufeff", "\u2028", "\x85"):
        person.send(f"Phối hợp tổ chức{ch} hai hội thảo chuyên đề.")
        assert person.text.startswith("Nội dung có ký tự ẩn") and "Nội dung 2/7" in person.text, repr(ch)
    person.send("Phối hợp tổ chức\nhai hội thảo chuyên đề.")
    assert "Nội dung 4/7" in person.text


def test_a_review_answers_the_round_it_showed_and_each_decision_has_its_notice(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    """The clock does not move: rounds, not seconds, keep the decisions' notices apart."""
    clock.moment = local(2026, 12, 18, 10)
    person, slow, quick = chat("syt-leader"), chat("lhh-admin"), chat("lhh-admin2")

    def submit() -> None:
        open_annual(person)
        fill_to_confirm(person)
        person.press("Nộp báo cáo")

    submit()
    slow.send("/review")
    slow.press("SYT · Báo cáo năm")
    quick.send("/review")
    quick.press("SYT · Báo cáo năm")
    quick.press("Trả lại")
    quick.send("Thiếu số liệu kinh phí; đề nghị bổ sung.")
    submit()
    slow.press("Tiếp nhận")
    assert slow.text == (
        "Báo cáo này vừa được Đỗ Văn Hùng nộp lại với nội dung mới; quyết định của anh/chị không được ghi. Gõ /review để xem bản mới."
    )
    report = submission_of(db, "SYT")
    assert report.status is SubmissionStatus.SUBMITTED and report.round == 2
    slow.send("/review")
    slow.press("SYT · Báo cáo năm")
    slow.press("Tiếp nhận")
    assert slow.text.startswith("Đã tiếp nhận")
    with session_scope(db) as session:
        keys = sorted(session.exec(select(OutboxMessage.key).where(OutboxMessage.key.startswith(f"review:{report.id}:"))))  # type: ignore[attr-defined]
        submitted = session.exec(select(OutboxMessage.key).where(OutboxMessage.key.startswith(f"submitted:{report.id}:"))).all()  # type: ignore[attr-defined]
    assert len(keys) == 4 and {key.split(":")[2] for key in keys} == {"r1", "r2"}
    assert len(submitted) == 4
