"""The LHH office's commands through the engine: status, missing, chase, broadcast,
targets, tasks, agencies, people, export; and who may use each."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from handlers.engine import ConversationEngine
from models.activities.register import Draft, register
from models.db.engine import session_scope
from models.outbox.tables import GroupChat, OutboxMessage
from models.people.tables import Person, Role
from models.programme.loader import document_of, load_into
from models.programme.schema import Programme, load_programme
from models.programme.tables import ActivityType, Agency, ProgrammeRecord
from tests.conftest import PROGRAMMES, Chat, local
from tests.conversations.test_report_flow import fill_to_confirm, open_annual
from tests.support.roster import add_member


def submit_annual(chat, clock, who: str) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat(who)
    open_annual(person)
    if "Xong" in " ".join(b.label for b in person.last[-1].choices()):
        person.press("Xong")
    fill_to_confirm(person)
    person.press("Nộp báo cáo")


def outbox(db, prefix: str) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith(prefix))))  # type: ignore[attr-defined]


def test_status_pages_counts_and_charts(chat, clock) -> None:  # type: ignore[no-untyped-def]
    submit_annual(chat, clock, "syt-specialist")
    clock.moment = local(2026, 12, 18, 9)
    admin = chat("lhh-admin")
    admin.send("/status")
    first, progress, types = admin.last
    assert first.text.startswith("Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026 (hạn 20/12/2026) — trang 1/3")
    assert "41 cơ quan · đã gửi (đúng hạn): 1 · chưa gửi: 40" in first.text
    assert "Sở Y tế · đã gửi (đúng hạn) · 16/12/2026" in first.text and "\nSYT" not in first.text
    assert progress.document is not None and progress.document.mime == "image/png" and progress.document.content.startswith(b"\x89PNG")
    assert types.document is not None
    admin.press("Trang sau")
    assert "trang 2/3" in admin.text
    admin.send("/status 2027-H1")
    assert admin.last[0].text.startswith("Báo cáo 6 tháng kết quả thực hiện chương trình phối hợp — 6 tháng đầu năm 2027")
    admin.send("/status 2031-H1")
    assert admin.text.startswith("Không có kỳ «2031-H1»")
    viewer = chat("snv-viewer")
    viewer.send("/status")
    assert "41 cơ quan" in viewer.last[0].text


def test_missing_pages_the_agencies_with_their_focal_points(chat, clock) -> None:  # type: ignore[no-untyped-def]
    submit_annual(chat, clock, "syt-specialist")
    viewer = chat("snv-viewer")
    viewer.send("/missing")
    first = viewer.text
    assert first.startswith(
        "Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026 (hạn 20/12/2026): còn 40/41 cơ quan chưa gửi báo cáo. Trang 1/5.\n"
        "Theo loại cơ quan: Hội thành viên: 10 · Sở, ban, ngành: 15 · Đoàn thể: 6 · UBND huyện, thành phố: 9\n"
    )
    pages = [first]
    while "Trang sau ▶" in [b.label for b in viewer.last[0].choices()]:
        viewer.press("Trang sau ▶")
        pages.append(viewer.text)
    assert [page.split("\n", 1)[0].rsplit(". ", 1)[1] for page in pages] == [f"Trang {n}/5." for n in range(1, 6)]
    assert [page.count("\n• ") for page in pages] == [8, 8, 8, 8, 8]
    text = "\n".join(pages)
    assert "• HYH — Hội Y học tỉnh (chưa gửi)\n  Bùi Thanh Tùng (chuyên viên đầu mối)" in text
    assert "• BAOLC — Báo Lào Cai (chưa gửi)\n  chưa có đầu mối tham gia" in text
    assert "• SYT" not in text
    viewer.press("◀ Trang trước")
    assert viewer.text == pages[3]


def test_chase_goes_through_the_outbox_once_a_day(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    submit_annual(chat, clock, "syt-specialist")
    admin = chat("lhh-admin")
    admin.send("/chase all")
    rows = outbox(db, "chase:")
    assert {row.chat_ref for row in rows} == {
        "snnptnt-leader",
        "snnptnt-specialist",
        "hyh-specialist",
        "sapa-specialist",
        "tinhdoan-specialist",
        "hlv-leader",
    }
    assert admin.text.startswith(
        "Đã gửi lời đôn đốc tới 5 cơ quan chưa nộp Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026: 6 tin nhắn,"
        " mỗi người nhận một lần trong ngày; tin nhắn sẽ đến trong vài phút."
    )
    assert "Không nhắn được" in admin.text and "Báo Lào Cai" in admin.text and "BAOLC" not in admin.text
    assert all("Gõ /report" in row.text for row in rows)
    admin.send("/chase all")
    assert len(outbox(db, "chase:")) == 6
    admin.send("/chase SYT")
    assert admin.text == "SYT không thuộc danh sách chưa nộp Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026."
    admin.send("/chase")
    assert admin.text.startswith("Cách dùng: /chase")
    clock.advance(days=1)
    admin.send("/chase HYH")
    assert len(outbox(db, "chase:")) == 7


def test_broadcast_confirms_and_counts(chat, clock, db, loaded) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        hoi = session.exec(select(Agency).where(Agency.code == "HYH")).one()
        session.add(GroupChat(programme_id=loaded, channel="console", chat_ref="group-hyh", agency_id=hoi.id, bound_at=clock()))
    admin = chat("lhh-admin")
    admin.send("/broadcast hoi Kính mời các hội thành viên dự hội nghị ngày 15/12.")
    assert admin.text.startswith("Gửi thông báo tới các cơ quan loại «Hội thành viên»: 2 người và 1 nhóm sẽ nhận.")
    confirm = admin.last[0]
    admin.press("Gửi")
    assert admin.text == "Đã gửi thông báo tới 3 người và nhóm; tin nhắn sẽ đến trong vài phút."
    admin.press("Gửi", reply=confirm)
    assert "Nút này thuộc một tin nhắn cũ" in admin.text
    rows = outbox(db, "broadcast:")
    assert {row.chat_ref for row in rows} == {"hyh-specialist", "hlv-leader", "group-hyh"}
    assert all(row.text == "📣 Thông báo của Liên hiệp hội:\nKính mời các hội thành viên dự hội nghị ngày 15/12." for row in rows)
    admin.send("/broadcast xyz Nội dung thử nghiệm")
    assert admin.text.startswith("Không có cơ quan hoặc loại cơ quan «xyz». Dùng all (tất cả cơ quan phối hợp), một loại cơ quan — ")
    assert "hoi (Hội thành viên)" in admin.text
    admin.send("/broadcast SYT Kính mời dự họp")
    assert admin.text.startswith("Gửi thông báo tới Sở Y tế: ")
    admin.send("/cancel")
    admin.send("/broadcast")
    assert admin.text.startswith("Cách dùng: /broadcast ĐỐI_TƯỢNG NỘI_DUNG.") and "hoi (Hội thành viên)" in admin.text
    admin.send("/broadcast all ok")
    assert admin.text == "Nội dung thông báo cần từ 5 đến 3000 ký tự."


def test_agencies_and_people(chat, db) -> None:  # type: ignore[no-untyped-def]
    viewer = chat("snv-viewer")
    viewer.send("/agencies")
    assert "41 cơ quan phối hợp: 6 có đầu mối tham gia, 36 chưa có chuyên viên đầu mối. Trang 1/3." in viewer.text
    assert "SYT · Sở Y tế — LĐ ✓ CV ✓" in viewer.text
    viewer.send("/people")
    assert viewer.text.startswith("13 người dùng đang hoạt động (trang 1/2):")
    assert not any(b.data.split(":", 1)[1].startswith("p:") for b in viewer.last[0].choices())
    admin = chat("lhh-admin")
    admin.send("/people")
    admin.press("Đỗ Văn Hùng")
    assert admin.text.startswith("Đỗ Văn Hùng\nlãnh đạo phụ trách (đầu mối) của Sở Y tế")
    admin.press("Cấp mã mời mới")
    assert admin.text.startswith("Mã mời: ") and admin.last[0].invite_code
    first = admin.last[0].invite_code
    assert "mã mời trước" not in admin.text
    admin.send("/people")
    admin.press("Đỗ Văn Hùng")
    admin.press("Cấp mã mời mới")
    assert f"Lưu ý: vị trí này còn 1 mã mời trước chưa dùng: {first} (" in admin.text

    def hung_active() -> bool:
        with session_scope(db) as session:
            return session.exec(select(Person).where(Person.full_name == "Đỗ Văn Hùng")).one().active

    admin.send("/people")
    admin.press("Đỗ Văn Hùng")
    admin.press("Ngừng hoạt động")
    assert admin.text.startswith("Ngừng hoạt động tài khoản Đỗ Văn Hùng, lãnh đạo phụ trách (đầu mối) của Sở Y tế?")
    assert hung_active(), "nothing happens before the confirmation"
    admin.press("Xác nhận")
    assert "Tình trạng: ngừng hoạt động" in admin.text and admin.text.endswith("Nếu ngừng nhầm, chọn «Khôi phục».")
    assert not hung_active()
    admin.press("Khôi phục")
    assert admin.text == "Đã khôi phục tài khoản Đỗ Văn Hùng (Sở Y tế); người này lại nhận nhắc việc như trước."
    assert hung_active()
    admin.send("/people")
    admin.press("Đỗ Văn Hùng")
    admin.press("Ngừng hoạt động")
    admin.press("Xác nhận")
    assert not hung_active()
    admin.send("/people")
    admin.press("Trần Thị Thu Hà")
    admin.press("Ngừng hoạt động")
    assert "không thể tự ngừng hoạt động" in admin.text


def test_people_pages_in_the_database_keep_the_roster_order(chat, db, loaded) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        rows = session.exec(select(Person, Agency).join(Agency).where(Person.programme_id == loaded, Person.active == True)).all()
        expected = [
            f"• {person.full_name} — "
            for person, agency in sorted(rows, key=lambda row: (not row[1].is_coordinator, row[1].id, row[0].role.value, row[0].id))
        ]
    admin = chat("lhh-admin")
    admin.send("/people")
    pages = [admin.text]
    admin.press("Trang sau ▶")
    pages.append(admin.text)
    assert [page.split("\n", 1)[0] for page in pages] == [f"13 người dùng đang hoạt động (trang {n}/2):" for n in (1, 2)]
    listed = [line[: line.index(" — ") + 3] for page in pages for line in page.splitlines() if line.startswith("• ")]
    assert listed == expected and len(expected) == 13
    assert "◀ Trang trước" in [b.label for b in admin.last[0].choices()]


def test_export_sends_the_word_and_excel_files(chat, clock) -> None:  # type: ignore[no-untyped-def]
    submit_annual(chat, clock, "syt-specialist")
    viewer = chat("snv-viewer")
    viewer.send("/export dv-nam/2026")
    word, excel = viewer.last
    assert word.text.startswith(
        "Báo cáo tổng hợp Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026 (hạn 20/12/2026):\n"
        "Tổng số 41 cơ quan, đơn vị phải báo cáo; đã gửi 1 báo cáo; còn 40 cơ quan, đơn vị chưa gửi."
    )
    assert word.text.endswith("/assess dv-nam/2026")
    assert word.document.filename == "bao-cao-lao-cai-31-2015-dv-nam-2026.docx" and word.document.content[:2] == b"PK"
    assert excel.document.filename.endswith(".xlsx")
    specialist = chat("syt-specialist")
    specialist.send("/export")
    assert "không dành cho vai trò chuyên viên đầu mối" in specialist.text


def ha_giang_admin(db, clock, programme: Programme, tvpb_days: tuple[date, ...]) -> Chat:  # type: ignore[no-untyped-def]
    """Hà Giang loaded with an LHH admin (hg-admin) and a TVPB activity of the LHH on each day."""
    with session_scope(db) as session:
        load_into(session, programme, clock())
        record = session.exec(select(ProgrammeRecord).where(ProgrammeRecord.code == programme.code)).one()
        lhh = session.exec(select(Agency).where(Agency.programme_id == record.id, Agency.code == "LHH")).one()
        add_member(session, record.id, lhh, Role.ADMIN, "Quản trị Hà Giang", "hg-admin", "console", clock())  # type: ignore[arg-type]
        tvpb = session.exec(select(ActivityType).where(ActivityType.programme_id == record.id, ActivityType.code == "tvpb")).one()
        for day in tvpb_days:
            register(
                session, record.id, lhh, Draft(tvpb.id, f"Phản biện đề án {day}", day, "Hà Giang", (), None), None, clock().date(), clock()
            )  # type: ignore[arg-type]
    return Chat(ConversationEngine(db, clock, programme.code), "hg-admin")


def test_targets_and_tasks_on_ha_giang(db, clock) -> None:  # type: ignore[no-untyped-def]
    programme = load_programme(PROGRAMMES / "ha-giang-2021-2026.toml")
    clock.moment = local(2024, 1, 1, 9)
    person = ha_giang_admin(db, clock, programme, (date(2022, 5, 1), date(2023, 9, 1), date(2024, 3, 1), date(2019, 1, 1)))
    person.send("/targets")
    assert person.text.startswith("Chỉ tiêu nhiệm kỳ 2021–2026 (tính đến 01/01/2024):")
    assert (
        "• Đề tài, nhiệm vụ tư vấn, phản biện cấp tỉnh: đã thực hiện 2/25 nhiệm vụ (8%), đang dự kiến 1\n"
        "  theo tiến độ đều của nhiệm kỳ, đến nay cần khoảng 12,5 nhiệm vụ\n"
        "  theo từng năm (mỗi năm cần khoảng 4,2 nhiệm vụ): 2021: 0 · 2022: 1 · 2023: 1 · 2024: 0"
    ) in person.text
    chart = person.last[-1].document
    assert chart is not None and chart.filename == "tien-do-chi-tieu.png" and chart.content.startswith(b"\x89PNG")
    person.send("/tasks")
    assert person.text.startswith("10 nhiệm vụ được giao (tính đến 01/01/2024):")
    assert "Hạn: tháng 11/2012 → 30/11/2012 (quá hạn 4.049 ngày)" in person.text
    assert "Hoàn thành 0/1; chưa xong: SNV" in person.text


def test_a_yearly_target_counts_this_year_even_without_a_term_end(db, clock) -> None:  # type: ignore[no-untyped-def]
    document = document_of(load_programme(PROGRAMMES / "ha-giang-2021-2026.toml"))
    document["targets"][0].update(per="year", target=5)
    document["programme"]["term"]["end"] = None
    programme = Programme.model_validate(document)
    clock.moment = local(2024, 7, 2, 9)
    person = ha_giang_admin(db, clock, programme, (date(2023, 9, 1), date(2024, 3, 1), date(2024, 9, 1)))
    person.send("/targets")
    assert (
        "• Đề tài, nhiệm vụ tư vấn, phản biện cấp tỉnh (chỉ tiêu năm 2024): đã thực hiện 1/5 nhiệm vụ (20%), đang dự kiến 1\n"
        "  theo tiến độ đều của năm, đến nay cần khoảng 2,5 nhiệm vụ\n"
        "  theo từng năm (mỗi năm cần khoảng 5 nhiệm vụ): 2021: 0 · 2022: 0 · 2023: 1 · 2024: 1"
    ) in person.text
