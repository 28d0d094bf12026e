"""Naming another agency as a partner in /register tells that agency (seed 000 Điều 9:
information flows both ways) and shows the activity in its /activities as registered by
the lead agency, but does not put it in its report: a partner's draft starts with it
unticked, and it counts once the partner ticks it."""

from __future__ import annotations

from sqlmodel import col, select

from models.activities.tables import Activity
from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.people.tables import Person
from models.reporting.tables import SubmissionActivity
from tests.conftest import local
from tests.conversations.test_report_flow import open_annual, submission_of

TITLE = "Hội thảo ứng dụng công nghệ sinh học trong chăn nuôi"


def register_with_partner(person) -> int:  # type: ignore[no-untyped-def]
    person.send("/register")
    person.press("Hội thảo khoa học")
    person.send(TITLE)
    person.send("10/12/2026")
    person.send("Hội trường Sở Y tế")
    person.press("Sở Nông nghiệp")
    person.press("Xong")
    person.press("Bỏ qua")
    person.press("Lưu")
    assert person.text.startswith("Đã lưu hoạt động số ")
    assert "Đầu mối của các đơn vị phối hợp đã được thông báo" in person.text
    return int(person.text.removeprefix("Đã lưu hoạt động số ").partition(".")[0])


def test_a_partner_is_told_sees_it_as_registered_by_the_lead_and_chooses_to_count_it(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    number = register_with_partner(chat("syt-specialist"))

    with session_scope(db) as session:
        told = session.exec(select(OutboxMessage).where(col(OutboxMessage.key).startswith(f"partnered:{number}:"))).all()
        readers = {session.get(Person, row.person_id).full_name for row in told}  # type: ignore[union-attr]
        partner_people = session.exec(select(Person.full_name).where(col(Person.id).in_([row.person_id for row in told]))).all()
    assert len(told) == 2 and readers == set(partner_people)
    assert {row.chat_ref for row in told} == {"snnptnt-leader", "snnptnt-specialist"}
    assert told[0].text == (
        f"Sở Y tế đã đăng ký hoạt động số {number} «{TITLE}» ngày 10/12/2026, nêu Sở Nông nghiệp và Phát triển nông thôn "
        "là đơn vị phối hợp. Hoạt động có trong /activities, do Sở Y tế đăng ký; hoạt động chỉ được tính vào báo cáo của "
        "Sở Nông nghiệp và Phát triển nông thôn khi anh/chị chọn tính trong /report."
    )

    partner = chat("snnptnt-specialist")
    partner.send("/activities")
    assert f"#{number} · 10/12/2026" in partner.text
    assert (
        "↪ Do Sở Y tế đăng ký, nêu Sở Nông nghiệp và Phát triển nông thôn là đơn vị phối hợp; chỉ tính vào báo cáo của "
        "Sở Nông nghiệp và Phát triển nông thôn khi được chọn trong /report."
    ) in partner.text
    lead = chat("syt-leader")
    lead.send("/activities")
    while f"#{number} · " not in lead.text:
        lead.press("Trang sau")
    entry = next(block for block in lead.text.split("\n\n") if block.startswith(f"#{number} · "))
    assert "Chủ trì: Sở Y tế" in entry and "↪" not in entry

    open_annual(partner)
    label = next(b.label for b in partner.last[-1].choices() if f"#{number} " in b.label)
    assert label.startswith(f"↪ #{number} ")
    assert f"↪ #{number}: do Sở Y tế đăng ký" in partner.text
    assert number not in counted(db, "SNNPTNT")
    partner.press(f"↪ #{number} ")
    assert number in counted(db, "SNNPTNT")

    open_annual(lead)
    assert number in counted(db, "SYT")


def counted(db, agency: str) -> set[int]:  # type: ignore[no-untyped-def]
    report = submission_of(db, agency)
    with session_scope(db) as session:
        return set(session.exec(select(SubmissionActivity.activity_id).where(SubmissionActivity.submission_id == report.id)))


def test_an_activity_with_no_partner_tells_nobody(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    person.send("/register")
    person.press("Hội thảo khoa học")
    person.send(TITLE)
    person.send("10/12/2026")
    person.send("Hội trường Sở Y tế")
    assert person.text.endswith("Đã chọn: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai")  # the first suggestion, ticked
    person.press("✓ Liên hiệp")
    assert person.text.endswith("Chưa chọn cơ quan nào.")
    person.press("Xong")
    person.press("Bỏ qua")
    person.press("Lưu")
    assert "đơn vị phối hợp đã được thông báo" not in person.text
    with session_scope(db) as session:
        activity = session.exec(select(Activity).where(Activity.title == TITLE)).one()
        assert session.exec(select(OutboxMessage).where(col(OutboxMessage.key).startswith(f"partnered:{activity.id}:"))).all() == []
