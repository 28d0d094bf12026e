"""The issue's bad input and edge cases not covered by the stage and bank tests, and who
reads what: a submission date in the past or fewer than 20 days away (accepted, late at
opening, the office told) and exactly 20 days away (not late); a drafting agency with no
focal point (the office is told whom to invite); a member who declined is not reminded of
the workshop; an expert sees only the councils they sit on and moves nothing, a focal point
only their agency's tasks, a viewer reads and changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select

from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.programme.tables import Agency
from models.tvpb import experts, services
from models.tvpb.deadlines import late_at_opening
from models.tvpb.tables import Expert, SchemeKind, TvpbTask
from scheduler.jobs import run_jobs
from tests.conftest import local
from tests.support.authz_world import changes, described, snapshot


def test_late_at_opening_counts_the_rule_s_days() -> None:
    today = date(2027, 3, 1)
    assert not late_at_opening(today, today + timedelta(days=20), 20)
    assert late_at_opening(today, today + timedelta(days=19), 20)
    assert late_at_opening(today, today, 20) and late_at_opening(today, today - timedelta(days=1), 20)


def office_notices(db, task_id: int, subject: str) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return list(session.exec(select(OutboxMessage).where(col(OutboxMessage.key).startswith(f"tvpb:{task_id}:{subject}:admin"))))


def test_a_submission_date_in_the_past_is_accepted_late_and_the_office_told(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 10, 10)
    admin = chat("lhh-admin")
    for answer in ("/tvpbmoi", "Đề án phát triển y tế cơ sở", "1", "SYT", "5/3/2027", "5"):
        replies = admin.send(answer)
    assert [r.text for r in replies][-1] == "Muộn ngay khi mở: còn chưa đủ số ngày theo quy định trước ngày trình."
    told = office_notices(db, 1, "late-opening")
    assert {row.chat_ref for row in told} == {"lhh-admin", "lhh-admin2"}
    assert told[0].text.endswith("đánh dấu «muộn ngay khi mở».")
    for answer in ("/tvpbmoi", "Chương trình phát triển nông nghiệp", "1", "SNNPTNT", "30/3/2027", "2"):
        admin.send(answer)
    for answer in ("/tvpbmoi", "Quy hoạch vùng nguyên liệu", "2", "SNNPTNT", "29/3/2027", "2"):
        admin.send(answer)
    assert office_notices(db, 2, "late-opening") == [], "exactly 20 days: on time"
    assert len(office_notices(db, 3, "late-opening")) == 2, "19 days: late at opening"
    with session_scope(db) as session:
        assert [t.late_at_opening for t in session.exec(select(TvpbTask).order_by(col(TvpbTask.id)))] == [True, False, True]


def test_a_drafting_agency_without_a_focal_point_the_office_is_told_whom_to_invite(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 1, 10)
    admin = chat("lhh-admin")
    for answer in ("/tvpbmoi", "Đề án phát triển giáo dục vùng cao", "1", "SGDDT", "9/4/2027", "6"):
        admin.send(answer)
    assert admin.text.startswith("Đã mở nhiệm vụ tư vấn, phản biện số 1")
    told = office_notices(db, 1, "no-focal-point")
    assert len(told) == 2 and "(mã SGDDT) bằng /invite" in told[0].text


def test_who_reads_what_and_a_member_who_declined_is_not_reminded(chat, db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 1, 10)
    with session_scope(db) as session:
        agencies = {a.code: a for a in session.exec(select(Agency).where(Agency.programme_id == loaded))}
        mine = services.open_task(
            session, lao_cai, loaded, agencies["SYT"], "Đề án y tế cơ sở", SchemeKind.DE_AN, ["y-te"], date(2027, 4, 9), None, clock()
        ).task
        theirs = services.open_task(
            session, lao_cai, loaded, agencies["SNNPTNT"], "Đề án giống cây trồng", SchemeKind.DE_AN, ["nong-nghiep"], date(2027, 4, 9), None, clock()
        ).task
        sample = session.exec(select(Expert).where(Expert.full_name == "Nguyễn Văn Khoa")).one()
        experts.invite(session, mine, sample, clock())
        paper = experts.record_on_paper(session, loaded, "TS. Lê Thị Hoa", date(2027, 2, 20), ["y-te"], clock())
        experts.answer(session, experts.invite(session, mine, paper, clock()), True, clock())
        mine_id, theirs_id = mine.id, theirs.id
    expert = chat("lhh-expert")
    assert "Đề án y tế cơ sở" in expert.send("/tvpb")[0].text and "Đề án giống cây trồng" not in expert.text
    assert expert.send(f"/tvpb {theirs_id}")[0].text == f"Không có nhiệm vụ số «{theirs_id}» mà anh/chị được xem."
    assert expert.send(f"/chuyengia nhan {theirs_id}")[0].text.startswith(f"Không có nhiệm vụ số «{theirs_id}»")
    assert "Đề án y tế cơ sở" in expert.send(f"/tvpb {mine_id}")[0].text and "Tờ trình: chưa nhận" in expert.text
    before = snapshot(db)
    for typed in (f"/tvpb {mine_id} hoidong 31/3/2027", f"/tvpb {mine_id} huy không muốn", f"/tvpb {mine_id} moi {sample.id}"):
        assert expert.send(typed)[0].text == "Chỉ Văn phòng Liên hiệp hội chuyển bước nhiệm vụ; anh/chị chỉ xem.", typed
    focal = chat("snnptnt-specialist")
    assert "Đề án giống cây trồng" in focal.send("/tvpb")[0].text and "Đề án y tế cơ sở" not in focal.text
    for typed in (f"/tvpb {mine_id}", f"/hoso {mine_id}"):
        assert focal.send(typed)[0].text == f"Không có nhiệm vụ số «{mine_id}» mà anh/chị được xem.", typed
    assert focal.send(f"/tvpb {theirs_id} gui")[0].text == "Chỉ Văn phòng Liên hiệp hội chuyển bước nhiệm vụ; anh/chị chỉ xem."
    viewer = chat("snv-viewer")
    assert "Đề án y tế cơ sở" in viewer.send("/tvpb")[0].text and "Đề án giống cây trồng" in viewer.text
    for typed in (f"/tvpb {mine_id} hoidong 31/3/2027", f"/tvpb {theirs_id} huy lý do", f"/tvpb {mine_id} hoatdong 1", f"/chuyengia {1}"):
        viewer.send(typed)
    assert described(changes(before, snapshot(db))) == [], "an expert, a focal point and a viewer changed nothing"

    expert.send(f"/chuyengia nhan {mine_id}")
    admin = chat("lhh-admin")
    with session_scope(db) as session:
        task = session.get(TvpbTask, mine_id)
        assert task is not None
        services.record_part(session, lao_cai, task, "to-trinh", None, None, clock())
        services.record_part(session, lao_cai, task, "du-thao", None, None, clock())
        services.record_part(session, lao_cai, task, "thuyet-minh", None, None, clock())
    admin.send(f"/tvpb {mine_id} hoidong 31/3/2027")

    def reminders(day: int) -> list[str]:
        with session_scope(db) as session:
            run_jobs(session, lao_cai, loaded, local(2027, 3, day, 7), ("tvpb",))
            prefix = f"tvpb:{mine_id}:workshop:"
            return [row.key for row in session.exec(select(OutboxMessage).where(col(OutboxMessage.key).startswith(prefix)))]

    assert reminders(26) == [f"tvpb:{mine_id}:workshop:before-3:p{sample.person_id}"], "an accepted member is reminded"
    expert.send(f"/chuyengia tuchoi {mine_id}")
    assert reminders(30) == [f"tvpb:{mine_id}:workshop:before-3:p{sample.person_id}"], "declined: no reminder more"
