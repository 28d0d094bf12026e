"""Opening a TVPB task and sending its dossier in the chat: the office opens one for a
drafting agency, a focal point requests one for their own (the office is told), each bad
answer gets a sentence, and the dossier's parts come as files, a Zalo link or 'missing'."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from handlers.types import FileRef
from models.activities.tables import Attachment
from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.tvpb import experts, services
from models.tvpb.tables import CouncilSeat, Stage, TvpbTask
from tests.conftest import local


def test_open_a_task_and_send_its_dossier(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 1, 10)
    admin = chat("lhh-admin")
    admin.send("/tvpbmoi")
    assert admin.text.startswith("Bước 1: Nhập tên đề án")
    admin.send("ab")
    assert "ít nhất 5 ký tự" in admin.text
    admin.send("Đề án phát triển y tế cơ sở")
    admin.press("Đề án")
    admin.send("SNV-X")
    assert "Không có cơ quan mã «SNV-X»" in admin.text
    admin.send("syt")
    admin.send("9/4/2027")
    admin.send("5,99")
    assert "số các lĩnh vực trong danh sách" in admin.text
    admin.send("5")
    assert admin.text == (
        "Đã mở nhiệm vụ tư vấn, phản biện số 1 «Đề án phát triển y tế cơ sở» (Sở Y tế). "
        "Hồ sơ đầy đủ cần gửi về Liên hiệp hội trước ngày 19/03/2027; gửi bằng /hoso 1."
    )

    other = chat("snnptnt-leader")
    other.send("/hoso 1")
    assert "Không có nhiệm vụ số «1»" in other.text
    specialist = chat("syt-specialist")
    specialist.send("/hoso")
    assert "Gõ /hoso và số nhiệm vụ" in specialist.text
    specialist.send("/hoso 1")
    assert "chọn thành phần cần gửi" in specialist.text
    specialist.press("Tờ trình")
    specialist.send("không có tệp")
    assert "Vui lòng gửi tệp, ảnh hoặc đường dẫn" in specialist.text
    specialist.send_file(FileRef("file-1", "to-trinh.pdf", "application/pdf", 20_000, "u1"))
    specialist.press("Tờ trình")
    specialist.send_file(FileRef("file-2", "to-trinh-v2.pdf", "application/pdf", 21_000, "u2"))
    specialist.press("Dự thảo")
    specialist.send("https://drive.example.vn/du-thao.docx")
    clock.moment = local(2027, 3, 22, 10)
    specialist.press("Thuyết minh")
    specialist.press("Thiếu thành phần này")
    assert specialist.text == "Đã nhận đủ các thành phần hồ sơ nhiệm vụ số 1 (muộn, chưa đầy đủ); Hội đồng có 18 ngày trước ngày trình."
    with session_scope(db) as session:
        task = session.get(TvpbTask, 1)
        assert task is not None and task.stage is Stage.DOSSIER and task.dossier_late and task.dossier_incomplete
        history = services.part_history(session, 1)
        assert [(p.part, p.missing, p.superseded_at is not None) for p in history] == [
            ("to-trinh", False, True),
            ("to-trinh", False, False),
            ("du-thao", False, False),
            ("thuyet-minh", True, False),
        ]
        names = [a.name for a in session.exec(select(Attachment).where(Attachment.activity_id == None).order_by(Attachment.id))]
        assert names == ["to-trinh.pdf", "to-trinh-v2.pdf", "du-thao.docx"]
        keys = {row.key for row in session.exec(select(OutboxMessage))}
        assert any(key.startswith("tvpb:1:dossier-in:admin") for key in keys)
    specialist.send("/hoso 1")
    specialist.press("Thuyết minh")
    specialist.send_file(FileRef("file-3", "thuyet-minh.pdf", "application/pdf", 9_000, "u3"))
    assert specialist.text == "Đã bổ sung «Thuyết minh, báo cáo đánh giá» vào hồ sơ nhiệm vụ số 1; đã gửi tới 0 thành viên Hội đồng đã nhận lời."
    with session_scope(db) as session:
        task = session.get(TvpbTask, 1)
        assert task is not None and task.stage is Stage.DOSSIER and task.dossier_incomplete, "the flags keep the dossier as it came"
        assert [p.part for p in services.current_parts(session, 1).values() if not p.missing] == ["to-trinh", "du-thao", "thuyet-minh"]

    specialist.send("/tvpbmoi")
    specialist.send("Chương trình phòng chống dịch bệnh")
    specialist.press("Chương trình")
    specialist.send("1/4/2027")
    specialist.send("5")
    assert "Đã mở nhiệm vụ tư vấn, phản biện số 2" in specialist.text and "Muộn ngay khi mở" in specialist.text
    with session_scope(db) as session:
        keys = {row.key for row in session.exec(select(OutboxMessage))}
        assert any(key.startswith("tvpb:2:requested:admin") for key in keys)
        assert any(key.startswith("tvpb:2:late-opening:admin") for key in keys)


def test_the_office_moves_a_task_through_its_stages_in_the_chat(chat, db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 1, 10)
    admin = chat("lhh-admin")
    for answer in ("/tvpbmoi", "Đề án phát triển y tế cơ sở", "1", "SYT", "9/4/2027", "5"):
        admin.send(answer)
    specialist = chat("syt-specialist")
    for answer in ("/hoso 1", "1", "https://drive.example.vn/to-trinh.pdf", "2", "thiếu", "3", "thieu"):
        specialist.send(answer)
    assert "Đã nhận đủ các thành phần" in specialist.text
    with session_scope(db) as session:
        paper = experts.record_on_paper(session, loaded, "TS. Lê Thị Hoa", date(2027, 2, 20), ["y-te"], clock())
        expert_id = paper.id
    admin.send("/tvpb 1 hoidong 31/3/2027")
    assert admin.text == "Chưa có chuyên gia nào nhận lời tham gia Hội đồng phản biện."
    admin.send(f"/tvpb 1 moi {expert_id}")
    assert admin.text == "Đã mời TS. Lê Thị Hoa vào Hội đồng phản biện nhiệm vụ số 1."
    admin.send(f"/tvpb 1 moi {expert_id}")
    assert "đã được mời vào Hội đồng" in admin.text
    with session_scope(db) as session:
        seat = session.exec(select(CouncilSeat)).one()
        experts.answer(session, seat, True, clock())
    viewer = chat("snv-viewer")
    viewer.send("/tvpb 1 dong")
    assert viewer.text == "Chỉ Văn phòng Liên hiệp hội chuyển bước nhiệm vụ; anh/chị chỉ xem."
    admin.send("/tvpb 1 bayba")
    assert admin.text.startswith("Gõ /tvpb SỐ và một việc")
    admin.send("/tvpb 1 dong")
    assert admin.text.startswith("Việc này chưa làm được ở bước hiện tại")
    for action, stage in (
        ("hoidong 31/3/2027", "đã thành lập Hội đồng"),
        ("hoithao", "đã tổ chức hội nghị"),
        ("gui", "đã gửi báo cáo phản biện"),
    ):
        admin.send(f"/tvpb 1 {action}")
        assert admin.text.startswith(f"Nhiệm vụ số 1: {stage}"), admin.text
    specialist.send("/hoso 1")
    assert specialist.text.startswith("Nhiệm vụ này đã qua bước nhận hồ sơ")
    admin.send("/tvpb 1")
    assert (
        "Tờ trình: đã nhận — https://drive.example.vn/to-trinh.pdf" in admin.text
        and "Dự thảo đề án, chương trình, quy hoạch: thiếu" in admin.text
    )
    admin.send("/tvpb 1 huy")
    assert admin.text == "Vui lòng nêu lý do hủy nhiệm vụ."
    admin.send("/tvpb 1 tiepthu")
    admin.send("/tvpb 1 dong")
    assert admin.text == "Nhiệm vụ số 1: đã kết thúc."
    admin.send("/tvpb 1 huy đổi ý")
    assert admin.text == "Nhiệm vụ đã kết thúc hoặc đã hủy."
