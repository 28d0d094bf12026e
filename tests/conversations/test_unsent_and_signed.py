"""Issue 14's gaps: /report offers the unsent periods /due shows however old; the LHH's
own report to an outside body is prepared with /export and recorded with /sent, not typed
in /report; the office gets a signed công văn back from the chat (/signedfile)."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot.zalo.outgoing import render as zalo_render
from handlers.types import Document, FileRef, Reply
from models.activities.tables import Attachment
from models.db.engine import session_scope
from models.office.board import choose_period
from models.reporting.tables import Submission
from tests.conftest import local
from tests.conversations.test_consolidated_report import _period
from tests.conversations.test_viewer_scope import joined_viewer

NOW = local(2027, 6, 25, 9)


def test_a_period_200_days_overdue_is_offered_by_due_and_report(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        choose_period(session, lao_cai, loaded, "dv-6-thang/2027-H1", NOW)
    clock.moment = local(2028, 1, 6, 9)
    days = (date(2028, 1, 6) - date(2027, 6, 20)).days
    assert days == 200
    person = chat("syt-leader")
    person.send("/due")
    assert f"Hạn: 20/06/2027 (quá hạn {days} ngày) · chưa gửi" in person.text
    person.send("/report")
    assert "Có nhiều kỳ báo cáo cần làm" in person.text
    labels = [b.label for b in person.last[-1].choices()]
    old = [label for label in labels if "20/06/2027" in label]
    assert old and old[0].startswith("Báo cáo 6 tháng")
    person.press(old[0])
    assert "hạn nộp 20/06/2027" in person.last[0].text


def test_the_lhh_report_to_so_noi_vu_points_to_export_and_sent(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = NOW
    admin = chat("lhh-admin")
    admin.send("/report")
    assert "là báo cáo tổng hợp từ báo cáo của các cơ quan, đơn vị, không nhập số liệu tại đây:" in admin.text
    assert (
        "• Báo cáo 6 tháng của Liên hiệp hội gửi Sở Nội vụ — 6 tháng đầu năm 2027: lập báo cáo bằng lệnh /export lhh-6-thang/2027-H1;"
        " sau khi gửi Sở Nội vụ, ghi nhận bằng lệnh /sent lhh-6-thang/2027-H1 SỐ NGÀY"
    ) in admin.text
    assert len(admin.last) == 1
    assert not admin.last[-1].choices()
    admin.send("12")
    assert "tổng hợp" not in admin.text and "Số liệu từ" not in admin.text
    with session_scope(db) as session:
        assert not session.exec(select(Submission)).all()


def _signed_letter(chat, db, lao_cai, loaded) -> int:  # type: ignore[no-untyped-def]
    """Issue 14's period, and SYT's signed letter attached with /signed: its number."""
    _period(db, lao_cai, loaded)
    focal = chat("syt-specialist")
    focal.send("/signed 2027-H1")
    focal.send_file(FileRef("file-cv", "cong-van-45-SYT.pdf", "application/pdf", 120_000, "u-cv"))
    with session_scope(db) as session:
        return session.exec(select(Attachment.id)).one()


def test_the_office_and_the_agency_get_the_signed_letter_back(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = NOW
    number = _signed_letter(chat, db, lao_cai, loaded)
    admin = chat("lhh-admin")
    admin.send("/review")
    admin.press("SYT · ")
    assert f"📎 Công văn đã ký: «cong-van-45-SYT.pdf» — nhận tệp: /signedfile {number}" in admin.text
    for person in (admin, chat("syt-leader"), joined_viewer(chat, "LHH", "lhh-viewer")):
        person.send(f"/signedfile {number}")
        reply = next(r for r in person.last if r.document is not None)
        assert reply.text == "Công văn đã ký «cong-van-45-SYT.pdf»:"
        assert reply.document is not None and reply.document.file_ref == "file-cv" and reply.document.mime == "application/pdf"
    for person in (chat("hyh-specialist"), chat("snv-viewer")):
        person.send(f"/signedfile {number}")
        assert person.text == f"Không có công văn đã ký số {number} mà anh/chị được nhận." and person.last[-1].document is None
    admin.send("/signedfile 12345")
    assert admin.text.startswith("Không có công văn đã ký số 12345 mà anh/chị được nhận.")
    admin.send("/signedfile cong-van")
    assert admin.text.startswith("Cách dùng: /signedfile SỐ_TỆP")


def test_a_letter_kept_on_zalo_is_not_sent_as_a_file(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = NOW
    number = _signed_letter(chat, db, lao_cai, loaded)
    with session_scope(db) as session:
        session.get(Attachment, number).channel = "zalo"  # type: ignore[union-attr]
    admin = chat("lhh-admin")
    admin.send(f"/signedfile {number}")
    assert admin.text.startswith("Công văn «cong-van-45-SYT.pdf» được gửi qua Zalo; tệp vẫn được lưu giữ.")
    assert admin.last[-1].document is None
    kept = Reply("Công văn đã ký «x.pdf»:", document=Document("x.pdf", b"", "application/pdf", "x.pdf", file_ref="zalo-photo-1"))
    assert zalo_render(kept, "vi").endswith(
        "[Tệp «x.pdf» vẫn được lưu giữ. Zalo chưa cho bot gửi tệp; tệp sẽ tải về được khi trang web của hệ thống hoạt động.]"
    )
