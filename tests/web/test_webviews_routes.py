"""The TVPB pages, the expert bank and the office's assessment over HTTP: every route ×
every role (the office, an oversight viewer, the drafting agency's leader and specialist,
another agency's, an agency viewer, the expert of the bank, nobody signed in), answered as
the chat answers them; the office moves a task through every stage from the page (the
chat's services, the chat's outbox notices), refusals said in words and changing nothing;
CSRF; the assessment saved from the web printed in the exported .docx."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlmodel import select

from models.db.engine import session_scope
from models.office.period_report import office_report
from models.outbox.tables import OutboxMessage
from models.reporting.tables import Period
from models.tvpb.tables import CouncilSeat, SeatStatus, Stage, TvpbStageLog, TvpbTask
from tests.web.conftest import csrf_of
from tests.web.webviews_world import DIFFICULTY, LINK, USERS, World, fill_bank, open_late_task, signed_in, world  # noqa: F401  (fixtures)

ROLES = tuple(USERS)
EVERY_MEMBER = frozenset(ROLES) - {"stranger"}
OFFICE = frozenset({"admin", "viewer"})
OURS = frozenset({"admin", "viewer", "leader", "specialist", "expert"})
THEIRS = frozenset({"admin", "viewer", "other_leader", "other_specialist"})

PAGES: dict[str, tuple[frozenset[str], int]] = {  # path -> who gets it, and what the others get
    "/tvpb": (EVERY_MEMBER, 403),
    "/tvpb/{ours}": (OURS, 404),
    "/tvpb/{theirs}": (THEIRS, 404),
    "/tvpb/99999999999": (frozenset(), 404),
    "/experts": (OFFICE, 403),
    "/experts?field=y-te": (OFFICE, 403),
    "/assess": (OFFICE, 403),
    "/assess?period=dv-nam/2026": (OFFICE, 403),
}


def expected(path: str, role: str) -> int:
    if role == "stranger":
        return 401
    allowed, refused = PAGES[path]
    return 200 if role in allowed else refused


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_exactly_who_the_chat_answers(signed_in, world: World, role: str) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(role)
    for path in PAGES:
        answer = client.get(path.format(ours=world.ours, theirs=world.theirs))
        assert answer.status_code == expected(path, role), (path, role, answer.text[:300])
    part = client.get(f"/tvpb/{world.ours}/parts/{world.part}")
    if role in OURS:
        assert part.status_code == 303 and part.headers["location"] == LINK
    else:
        assert part.status_code == (401 if role == "stranger" else 404) and LINK not in part.text
    assert client.get(f"/tvpb/{world.theirs}/parts/{world.part}").status_code == (401 if role == "stranger" else 404)


def test_the_list_shows_each_role_its_tasks_late_first_with_counts_for_the_office(signed_in, world: World, db, lao_cai, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    late = open_late_task(db, lao_cai, loaded, clock)
    admin = signed_in("admin").get("/tvpb").text
    assert admin.index(f'<tr class="late"><td><a href="/tvpb/{late}">') < admin.index("Đề án phát triển y tế cơ sở") < admin.index("Bắc Hà")
    assert "quá hạn 14 ngày" in admin and "chờ hồ sơ: 3" in admin and "Sở Y tế: 1" in admin and "còn 49 ngày" in admin
    for role in ("specialist", "expert"):
        page = signed_in(role).get("/tvpb").text
        assert "Đề án phát triển y tế cơ sở" in page and "Bắc Hà" not in page and 'id="by-stage"' not in page
    assert "Hiện không có nhiệm vụ tư vấn, phản biện nào" in signed_in("agency_viewer").get("/tvpb").text


def _record_rest_of_dossier(db, lao_cai, world: World, clock) -> None:  # type: ignore[no-untyped-def]
    from models.activities.tables import Attachment
    from models.tvpb import services

    with session_scope(db) as session:
        task = session.get(TvpbTask, world.ours)
        link = Attachment(programme_id=task.programme_id, channel="zalo", file_ref="https://drive.example.vn/du-thao.docx", name="du-thao.docx", created_at=clock())  # type: ignore[union-attr]
        session.add(link)
        session.flush()
        services.record_part(session, lao_cai, task, "du-thao", link.id, None, clock())  # type: ignore[arg-type]
        services.record_part(session, lao_cai, task, "thuyet-minh", None, None, clock())  # type: ignore[arg-type]


def _stage(db, task_id: int) -> Stage:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.get(TvpbTask, task_id).stage  # type: ignore[union-attr]


def test_the_office_moves_a_task_through_every_stage_from_the_page(signed_in, world: World, db, lao_cai, clock, web_engine) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import Chat

    _record_rest_of_dossier(db, lao_cai, world, clock)
    Chat(web_engine, USERS["expert"]).send(f"/chuyengia nhan {world.ours}")
    admin = signed_in("admin")
    page = admin.get(f"/tvpb/{world.ours}").text
    assert 'id="form-council"' in page and 'id="next"' not in page and 'id="cancel"' in page
    csrf = csrf_of(page)
    past = admin.post(f"/tvpb/{world.ours}/move", data={"csrf": csrf, "verb": "hoidong", "workshop_on": "2026-12-10"})
    assert past.status_code == 400 and "Ngày hội nghị phản biện không được ở quá khứ." in past.text
    early = admin.post(f"/tvpb/{world.ours}/move", data={"csrf": csrf, "verb": "dong"})
    assert early.status_code == 400 and "chưa làm được ở bước hiện tại" in early.text
    assert admin.post(f"/tvpb/{world.ours}/move", data={"csrf": csrf, "verb": "huy", "reason": "x"}).status_code == 400
    assert _stage(db, world.ours) is Stage.DOSSIER
    moves = (
        ({"verb": "hoidong", "workshop_on": "2027-01-08"}, "đã thành lập Hội đồng", Stage.COUNCIL),
        ({"verb": "hoithao"}, "đã tổ chức hội nghị phản biện", Stage.WORKSHOP),
        ({"verb": "gui"}, "đã gửi báo cáo phản biện", Stage.CRITIQUE_SENT),
        ({"verb": "tiepthu"}, "đã nhận báo cáo tiếp thu, giải trình", Stage.RESPONSE),
        ({"verb": "dong"}, "đã kết thúc", Stage.CLOSED),
    )
    for data, words, stage in moves:
        answer = admin.post(f"/tvpb/{world.ours}/move", data={"csrf": csrf, **data})
        assert answer.status_code == 200 and f"Nhiệm vụ số {world.ours}: {words}" in answer.text, answer.text[:400]
        assert _stage(db, world.ours) is stage
    record = admin.get(f"/tvpb/{world.ours}").text
    assert 'id="actions"' not in record
    for shown in ("chưa đầy đủ", "70 ngày trước ngày trình", "Trần Văn Bình — đã nhận lời", "đã nhận ngày 18/12/2026", "báo thiếu ngày 18/12/2026", "hệ thống"):
        assert shown in record, shown
    with session_scope(db) as session:
        log = session.exec(select(TvpbStageLog).where(TvpbStageLog.task_id == world.ours).order_by(TvpbStageLog.id)).all()
        assert [entry.stage for entry in log][-5:] == [Stage.COUNCIL, Stage.WORKSHOP, Stage.CRITIQUE_SENT, Stage.RESPONSE, Stage.CLOSED]
        assert all(entry.person_id is not None for entry in log[-5:])


def test_an_invitation_from_the_page_tells_the_expert_as_the_chat_does(signed_in, world: World, db, lao_cai, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    from models.programme.tables import Agency
    from models.tvpb import services
    from models.tvpb.tables import SchemeKind
    from datetime import date

    with session_scope(db) as session:
        syt = session.exec(select(Agency).where(Agency.code == "SYT")).one()
        task = services.open_task(session, lao_cai, loaded, syt, "Chương trình y tế học đường", SchemeKind.CHUONG_TRINH, ["y-te"], date(2027, 3, 5), None, clock()).task
        task_id = task.id
    admin = signed_in("admin")
    page = admin.get(f"/tvpb/{task_id}").text
    assert 'id="invite"' in page and f'value="{world.expert}"' in page
    answer = admin.post(f"/tvpb/{task_id}/move", data={"csrf": csrf_of(page), "verb": "moi", "expert": str(world.expert)})
    assert answer.status_code == 200 and f"Đã mời Trần Văn Bình vào Hội đồng phản biện nhiệm vụ số {task_id}." in answer.text
    again = admin.post(f"/tvpb/{task_id}/move", data={"csrf": csrf_of(page), "verb": "moi", "expert": str(world.expert)})
    assert again.status_code == 400 and "đã được mời vào Hội đồng" in again.text
    with session_scope(db) as session:
        seat = session.exec(select(CouncilSeat).where(CouncilSeat.task_id == task_id)).one()
        assert seat.status is SeatStatus.INVITED
        letters = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith(f"tvpb:{task_id}:seat:{seat.id}"))).all()  # type: ignore[attr-defined]
    assert len(letters) == 1 and "Hội đồng phản biện nhiệm vụ số" in letters[0].text


@pytest.mark.parametrize("role", ROLES)
def test_every_action_refuses_who_the_chat_refuses_and_changes_nothing(signed_in, world: World, db, role: str) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(role)
    csrf = csrf_of(client.get("/tvpb").text) if role != "stranger" else "x"
    cancel = client.post(f"/tvpb/{world.ours}/move", data={"csrf": csrf, "verb": "huy", "reason": "Đổi kế hoạch soạn thảo"})
    assess = client.post("/assess", data={"csrf": csrf, "period": "dv-nam/2026", "assessment": "Đánh giá từ trang web."})
    refused = 401 if role == "stranger" else 403
    hidden = 404 if role not in OURS and role != "stranger" else refused
    assert cancel.status_code == (200 if role == "admin" else hidden), (role, cancel.text[:300])
    assert assess.status_code == (200 if role == "admin" else refused), role
    with session_scope(db) as session:
        task = session.get(TvpbTask, world.ours)
        period = session.exec(select(Period).where(Period.cycle_code == "dv-nam", Period.period_code == "2026")).one()
        report = office_report(session, period.id)
    assert task is not None and task.stage is (Stage.CANCELLED if role == "admin" else Stage.REQUESTED)
    assert (report.assessment if report else None) == ("Đánh giá từ trang web." if role == "admin" else None)
    if role in OURS - {"admin"}:
        assert "Chỉ Văn phòng Liên hiệp hội chuyển bước nhiệm vụ" in cancel.text


def test_a_post_without_the_right_csrf_token_is_refused(signed_in, world: World, db) -> None:  # type: ignore[no-untyped-def]
    admin, other = signed_in("admin"), signed_in("admin")
    stolen = csrf_of(other.get("/tvpb").text)
    for data in ({}, {"csrf": "forged"}, {"csrf": stolen}):
        assert admin.post(f"/tvpb/{world.ours}/move", data={**data, "verb": "huy", "reason": "Đổi kế hoạch"}).status_code == 403
        assert admin.post("/assess", data={**data, "period": "dv-nam/2026", "assessment": "Không được lưu."}).status_code == 403
    assert _stage(db, world.ours) is Stage.REQUESTED
    with session_scope(db) as session:
        assert session.exec(select(TvpbStageLog).where(TvpbStageLog.stage == Stage.CANCELLED)).first() is None


def test_a_viewer_reads_the_record_without_buttons(signed_in, world: World) -> None:  # type: ignore[no-untyped-def]
    page = signed_in("viewer").get(f"/tvpb/{world.ours}").text
    assert "Tờ trình:" in page and "to-trinh.pdf" in page and "Trần Văn Bình" in page and "chờ trả lời" in page
    assert 'id="actions"' not in page and "<button type=\"submit\" name=\"verb\"" not in page
    assert LINK not in page


def test_an_expert_who_declines_after_accepting_is_shown_with_both_answers(signed_in, world: World, web_engine) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import Chat

    expert = Chat(web_engine, USERS["expert"])
    expert.send(f"/chuyengia nhan {world.ours}")
    expert.send(f"/chuyengia tuchoi {world.ours}")
    page = signed_in("admin").get(f"/tvpb/{world.ours}").text
    assert "Trần Văn Bình — đã từ chối (18/12/2026) · các lần trả lời: đã nhận lời → đã từ chối" in page
    assert "Hội đồng phản biện (0 thành viên đã nhận lời)" in page


def test_the_expert_bank_by_field(signed_in, world: World, db, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    fill_bank(db, loaded, world.expert, clock)
    admin = signed_in("admin")
    every = admin.get("/experts").text
    assert "Trần Văn Bình" in every and "Lê Thị Hoa" in every and "Nguyễn Văn Khoa" in every and "Tìm thấy 3 chuyên gia." in every  # the sample's expert too
    health = admin.get("/experts?field=y-te").text
    assert "Trần Văn Bình</strong>, TS. Bác sĩ" in health and "0912 345 678" in health and "Lê Thị Hoa" not in health
    assert f'href="/tvpb/{world.ours}"' in health and "Đã được mời vào 1 Hội đồng" in health
    farming = admin.get("/experts?field=nong-nghiep").text
    assert "Lê Thị Hoa" in farming and "Đồng ý bằng văn bản giấy ngày 01/12/2026" in farming and "Trường Đại học Nông Lâm" in farming
    assert "Trần Văn Bình" not in farming
    assert admin.get("/experts?field=khong-co").status_code == 404


def test_the_assessment_saved_on_the_web_is_printed_in_the_export(signed_in, world: World, db, web_engine) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import Chat

    admin = signed_in("admin")
    form = admin.get("/assess?period=dv-nam/2026").text
    assert form.count('class="suggested"') == 2 and DIFFICULTY in form and "chưa phải nội dung của Văn phòng" in form
    texts = {
        "assessment": "Các cơ quan phối hợp chặt chẽ.",
        "shortcomings": "Một số đơn vị gửi chậm.",
        "causes": "Kinh phí hạn chế.",
        "directions": "Duy trì giao ban.\nĐăng ký hoạt động kịp thời.",
        "proposals": "Đề nghị bố trí kinh phí.",
        "signer_name": "Nguyễn Văn An",
    }
    too_long = admin.post("/assess", data={"csrf": csrf_of(form), "period": "dv-nam/2026", **texts, "causes": "x" * 4001})
    assert too_long.status_code == 400 and "vượt quá 4000 ký tự" in too_long.text and "Các cơ quan phối hợp chặt chẽ." in too_long.text
    with session_scope(db) as session:
        period = session.exec(select(Period).where(Period.cycle_code == "dv-nam", Period.period_code == "2026")).one()
        assert office_report(session, period.id) is None
    saved = admin.post("/assess", data={"csrf": csrf_of(form), "period": "dv-nam/2026", **texts})
    assert saved.status_code == 200 and 'id="saved"' in saved.text and 'class="suggested"' not in saved.text
    chat = Chat(web_engine, USERS["admin"]).send("/assess dv-nam/2026")
    assert "Nội dung hiện có:\nCác cơ quan phối hợp chặt chẽ." in chat[-1].text
    viewer = signed_in("viewer").get("/assess?period=dv-nam/2026").text
    assert 'id="assess"' not in viewer and "Các cơ quan phối hợp chặt chẽ." in viewer
    document = Document(io.BytesIO(admin.get("/exports/dv-nam/2026.docx").content))
    cells = [p.text for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    paragraphs = [p.text for p in document.paragraphs] + cells
    for text in ("Các cơ quan phối hợp chặt chẽ.", "Một số đơn vị gửi chậm.", "Kinh phí hạn chế.", "Đề nghị bố trí kinh phí.", "Nguyễn Văn An"):
        assert any(text in p for p in paragraphs), text
    assert any("Duy trì giao ban." in p for p in paragraphs)


def test_the_board_and_the_exports_link_the_assessment(signed_in, world: World) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in("admin")
    assert 'id="assess-link"' in admin.get("/").text
    assert "/assess?period=dv-nam/2026" in admin.get("/exports").text.replace("%2F", "/")


def test_the_pages_speak_the_persons_language(signed_in, world: World, db) -> None:  # type: ignore[no-untyped-def]
    from models.people.tables import ChannelIdentity, Person

    with session_scope(db) as session:
        query = select(Person).join(ChannelIdentity, ChannelIdentity.person_id == Person.id).where(ChannelIdentity.user_ref == USERS["viewer"])
        viewer = session.exec(query).one()
        viewer.language = "en"
        session.add(viewer)
    client = signed_in("viewer")
    assert "Social critique tasks under way" in client.get("/tvpb").text
    record = client.get(f"/tvpb/{world.ours}").text
    assert "Drafting agency" in record and "Dossier parts" in record and "Cơ quan chủ trì" not in record
    assert "Overall assessment" in client.get("/assess?period=dv-nam/2026").text
