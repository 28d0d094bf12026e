"""Issue 14's gaps: /report offers the unsent periods /due shows however old; the LHH's
own report to an outside body is prepared with /export and recorded with /sent, not typed
in /report; the office gets a signed công văn back from the chat (/signedfile)."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from models.db.engine import session_scope
from models.office.board import choose_period
from models.reporting.tables import Submission
from tests.conftest import local

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
