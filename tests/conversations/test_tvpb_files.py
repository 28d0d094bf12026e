"""The dossier's files and the workshop notice reach the council's members through the
outbox, through the engine: a member who accepts gets the parts received so far (a file
as a document by its file id, a link as its link, nothing for a part marked missing); a
part that arrives later, while the council forms, goes to every member who accepted, out of
quiet hours; the workshop notice goes when the council is formed, and to a member who
accepts after that; nothing twice (declining and accepting again), nothing to a member who
declined; cancelling the task drops what still waits."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from handlers.types import FileRef
from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage, OutboxStatus
from models.programme.reminders import in_quiet_hours
from models.programme.tables import Agency
from models.tvpb import services
from models.tvpb.tables import Expert, SchemeKind
from tests.conftest import local
from tests.conversations.test_tvpb_experts import join_as_expert

LINK = "https://drive.example.vn/du-thao.docx"


def member_rows(db, person_id: int) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        query = select(OutboxMessage).where(col(OutboxMessage.key).startswith(f"tvpb:1:p{person_id}:"))
        return list(session.exec(query.order_by(col(OutboxMessage.id))))


def sample_expert(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        expert = session.exec(select(Expert).where(Expert.full_name == "Nguyễn Văn Khoa")).one()
        assert expert.person_id is not None
        return expert.id, expert.person_id


def test_members_get_the_dossier_and_the_workshop_notice_once(chat, db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 1, 10)
    with session_scope(db) as session:
        syt = session.exec(select(Agency).where(Agency.code == "SYT")).one()
        services.open_task(session, lao_cai, loaded, syt, "Đề án phát triển y tế cơ sở", SchemeKind.DE_AN, ["y-te"], date(2027, 4, 9), None, clock())
    specialist, admin = chat("syt-specialist"), chat("lhh-admin")
    specialist.send("/hoso 1")
    specialist.press("Tờ trình")
    specialist.send_file(FileRef("file-to-trinh", "to-trinh.pdf", "application/pdf", 20_000, "u1"))
    specialist.send("/cancel")

    expert_id, person_id = sample_expert(db)
    admin.send(f"/tvpb 1 moi {expert_id}")
    expert = chat("lhh-expert")
    expert.send("/chuyengia nhan 1")
    assert "Cảm ơn anh/chị đã nhận lời" in expert.text
    rows = member_rows(db, person_id)
    assert [(r.text, r.document_ref) for r in rows if ":file:" in r.key] == [
        ("Hồ sơ phản biện nhiệm vụ số 1 «Đề án phát triển y tế cơ sở» — Tờ trình: to-trinh.pdf", "file-to-trinh")
    ]

    clock.moment = local(2027, 3, 2, 22, 30)
    specialist.send("/hoso 1")
    specialist.press("Dự thảo")
    specialist.send(LINK)
    specialist.press("Thuyết minh")
    specialist.press("Thiếu thành phần này")
    assert specialist.text.startswith("Đã nhận đủ các thành phần hồ sơ nhiệm vụ số 1")
    late = [r for r in member_rows(db, person_id) if r.id not in {row.id for row in rows}]
    assert [(r.text, r.document_ref) for r in late] == [(f"Hồ sơ phản biện nhiệm vụ số 1 «Đề án phát triển y tế cơ sở» — Dự thảo đề án, chương trình, quy hoạch: {LINK}", None)]
    assert late[0].not_before.astimezone(lao_cai.zone) == local(2027, 3, 3, 7), "a part that came at 22:30 waits out the quiet hours"

    clock.moment = local(2027, 3, 3, 9)
    specialist.send("/hoso 1")
    specialist.press("Thuyết minh")
    specialist.send_file(FileRef("file-thuyet-minh", "thuyet-minh.pdf", "application/pdf", 9_000, "u3"))
    assert specialist.text.endswith("đã gửi tới 1 thành viên Hội đồng đã nhận lời.")
    before = len(member_rows(db, person_id))
    assert before == 3
    expert.send("/chuyengia tuchoi 1")
    expert.send("/chuyengia nhan 1")
    assert len(member_rows(db, person_id)) == before, "declining and accepting again sends nothing twice"

    expert.send("/chuyengia tuchoi 1")
    second = join_as_expert(chat, db)
    with session_scope(db) as session:
        newcomer = session.exec(select(Expert).where(Expert.full_name == "Trần Văn Bình")).one()
        newcomer_id, newcomer_person = newcomer.id, newcomer.person_id
    admin.send(f"/tvpb 1 moi {newcomer_id}")
    second.send("/chuyengia nhan 1")
    expert.send("/chuyengia nhan 1")
    expert.send("/chuyengia tuchoi 1")
    clock.moment = local(2027, 3, 3, 23)
    admin.send("/tvpb 1 hoidong 31/3/2027")
    assert admin.text == "Nhiệm vụ số 1: đã thành lập Hội đồng."
    notices = [r for r in member_rows(db, newcomer_person) if r.key.endswith("workshop-notice")]  # type: ignore[arg-type]
    assert [r.text for r in notices] == [
        "Thông báo: Hội đồng phản biện nhiệm vụ số 1 «Đề án phát triển y tế cơ sở» đã được thành lập; hội nghị phản biện họp ngày 31/03/2027. Xem hồ sơ: /tvpb 1."
    ]
    assert not in_quiet_hours(notices[0].not_before.astimezone(lao_cai.zone), lao_cai.reminders.policy())
    assert not [r for r in member_rows(db, person_id) if r.key.endswith("workshop-notice")], "the member who declined is not told"
    files = [r for r in member_rows(db, newcomer_person) if ":file:" in r.key]  # type: ignore[arg-type]
    assert [r.document_ref for r in files] == ["file-to-trinh", None, "file-thuyet-minh"], "the newest copy of each part, none for the missing one"

    expert.send("/chuyengia nhan 1")
    assert [r.key.rsplit(":", 1)[-1] for r in member_rows(db, person_id)][-1] == "workshop-notice", "accepting after the council formed"
    with session_scope(db) as session:
        keys = [row.key for row in session.exec(select(OutboxMessage))]
        assert len(keys) == len(set(keys))
        task = services.open_tasks(session, loaded)[0]
        services.cancel(session, task, "UBND tỉnh rút đề án", None, local(2027, 3, 3, 23, 30))
        waiting = session.exec(select(OutboxMessage).where(col(OutboxMessage.key).startswith("tvpb:1:"), OutboxMessage.status == OutboxStatus.PENDING))
        assert list(waiting) == [], "cancelling the task drops the files and notices still waiting"
