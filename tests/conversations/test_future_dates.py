"""A day typed without its year ("15/1") in mid-December: the next 15 January where the
step asks for a day to come (rescheduling, a TVPB submission date), the nearer one where
it takes either (registering: an activity to come or one already held); a step that asks
for a day past (held on) keeps this year's reading."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from models.activities.tables import Activity, ActivityStatus
from models.db.engine import session_scope
from models.tvpb.tables import TvpbTask
from tests.conftest import local
from tests.conversations.test_activity_life import activity
from tests.conversations.test_partner_activities import register_with_partner
from tests.conversations.test_register_flow import to_date_step


def summary_for(person, typed: str) -> str:  # type: ignore[no-untyped-def]
    """/register to its summary with the date `typed`."""
    to_date_step(person)
    person.send(typed)
    person.send("Bắc Hà")
    person.press("Xong")
    person.press("Bỏ qua")
    return str(person.text)


def test_register_reads_15_1_in_december_as_next_january(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    assert "Ngày: 15/01/2027" in summary_for(person, "15/1")
    person.press("Lưu")
    with session_scope(db) as session:
        saved = session.exec(select(Activity).where(Activity.title == "Tập huấn kỹ thuật nuôi ong lấy mật")).one()
        assert (saved.planned_date, saved.status) == (date(2027, 1, 15), ActivityStatus.PLANNED)


def test_register_reads_a_day_of_last_month_as_held(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 1, 10, 9)
    assert "Ngày: 20/12/2026" in summary_for(chat("syt-specialist"), "20/12")


def test_reschedule_reads_15_1_as_the_next_one_and_held_on_as_this_years(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    """On the sample's day in November 2026: this year's 15 January is past."""
    lead = chat("syt-specialist")
    number = register_with_partner(lead)
    lead.send(f"/activity {number}")
    lead.press("Dời lịch")
    lead.send("15/1")
    assert lead.text.startswith(f"Đã dời lịch hoạt động số {number}.") and "Ngày: 15/01/2027" in lead.text
    assert activity(db, number).planned_date == date(2027, 1, 15)
    lead.send(f"/activity {number}")
    lead.press("Đã tổ chức")
    lead.send("1/12")
    assert lead.text.startswith("Ngày tổ chức không được sau hôm nay. Anh/chị nhập lại ngày thực tế.")
    lead.send("15/1")
    assert lead.text == "Có bao nhiêu người tham dự? Nhập một số."
    lead.send("40")
    assert activity(db, number).actual_date == date(2026, 1, 15)


def test_a_tvpb_submission_date_without_a_year_is_the_next_one(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    admin = chat("lhh-admin")
    for answer in ("/tvpbmoi", "Đề án phát triển y tế cơ sở", "1", "SYT", "9/4", "5"):
        admin.send(answer)
    assert "Đã mở nhiệm vụ tư vấn, phản biện số 1" in admin.text
    with session_scope(db) as session:
        task = session.exec(select(TvpbTask)).one()
        assert task.submission_on == date(2027, 4, 9)
