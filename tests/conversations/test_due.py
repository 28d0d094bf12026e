"""/due on known dates: reports by the national regime's windows, tasks, coming events."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from models.db.engine import session_scope
from models.programme.tables import Agency
from models.reporting.tables import Period, Submission, SubmissionStatus
from tests.conftest import local


def test_focal_point_sees_reports_and_events(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 6, 10)
    person = chat("hyh-specialist")
    person.send("/due")
    text = person.text
    assert text.startswith("Việc phải làm của Hội Y học tỉnh (tính đến 10/06/2027)")
    assert (
        "• Báo cáo 6 tháng kết quả thực hiện chương trình phối hợp — 6 tháng đầu năm 2027\n"
        "  Số liệu từ 15/12/2026 đến 14/06/2027, gửi Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai\n"
        "  Hạn: 20/06/2027 (còn 10 ngày) · chưa gửi"
    ) in text
    assert "Hạn: 20/12/2027 (còn 193 ngày)" in text
    assert "• Làm việc định kỳ 6 tháng với các hội thành viên: trong tháng 6/2027" in text
    assert "Hội nghị tổng kết" not in text


def test_overdue_until_submitted(chat, clock, db, loaded) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 6, 23)
    person = chat("syt-leader")
    person.send("/due")
    assert "Hạn: 20/06/2027 (quá hạn 3 ngày) · chưa gửi" in person.text
    with session_scope(db) as session:
        agency = session.exec(select(Agency).where(Agency.code == "SYT")).one()
        period = Period(
            programme_id=loaded,
            cycle_code="dv-6-thang",
            period_code="2027-H1",
            window_start=date(2026, 12, 15),
            window_end=date(2027, 6, 14),
            due_date=date(2027, 6, 20),
        )
        session.add(period)
        session.flush()
        session.add(Submission(period_id=period.id, agency_id=agency.id, status=SubmissionStatus.SUBMITTED, updated_at=clock()))  # type: ignore[arg-type]
    person.send("/due")
    assert "20/06/2027" not in person.text
    assert "Hạn: 20/12/2027" in person.text


def test_due_in_english(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 6, 20)
    person = chat("syt-leader")
    person.send("/lang en")
    person.send("/due")
    assert "Six-month report on the coordination programme — first six months of 2027" in person.text
    assert "Due: 20 June 2027 (due today) · not sent" in person.text
