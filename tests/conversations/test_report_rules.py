"""Report rules a programme sets: the hour of a deadline, and the union's own report to an
outside body, which is sent rather than reviewed."""

from __future__ import annotations

from models.db.engine import session_scope
from models.programme.loader import document_of, load_into
from models.programme.schema import Programme
from models.reporting.tables import SubmissionStatus
from tests.conftest import local
from tests.conversations.test_report_flow import fill_to_confirm, open_annual, submission_of



def test_a_report_after_the_deadline_hour_is_late(chat, clock, db, lao_cai) -> None:  # type: ignore[no-untyped-def]
    document = document_of(lao_cai)
    next(cycle for cycle in document["cycles"] if cycle["code"] == "dv-nam")["due_time"] = "17:00:00"
    clock.moment = local(2026, 12, 20, 8)
    with session_scope(db) as session:
        load_into(session, Programme.model_validate(document), clock())
    for agency, moment in (("hyh", local(2026, 12, 20, 16, 30)), ("syt", local(2026, 12, 20, 17, 30))):
        clock.moment = moment
        person = chat(f"{agency}-specialist")
        open_annual(person)
        person.press("Xong")
        fill_to_confirm(person)
        person.press("Nộp báo cáo")
    assert submission_of(db, "HYH").late is False
    assert submission_of(db, "SYT").late is True


def test_the_union_own_report_to_an_outside_body_is_exported_not_typed(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 22, 10)
    admin = chat("lhh-admin")
    admin.send("/report")
    assert admin.text.startswith("Các báo cáo sau của Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai là báo cáo tổng hợp"), admin.text
    assert (
        "• Báo cáo năm của Liên hiệp hội gửi Sở Nội vụ — năm 2026: lập báo cáo bằng lệnh /export lhh-nam/2026;"
        " sau khi gửi Sở Nội vụ, ghi nhận bằng lệnh /sent lhh-nam/2026 SỐ NGÀY"
    ) in admin.text
    admin.send("/review")
    assert admin.text == "Không có báo cáo nào chờ xem xét."
