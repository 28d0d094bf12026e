"""Every page × every role, read from the chat's table (tests/support/command_table.py):
a page answers whoever the chat command it mirrors answers, refuses the rest (403), and
asks who is not signed in to sign in (401). Then CSRF, sessions, sign-in links, headers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.web.security import SESSION_COOKIE, Signer, new_session
from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.reporting.tables import Submission, SubmissionStatus
from tests.conftest import local
from tests.conversations.test_office_commands import submit_annual
from tests.support.command_table import ROLES, may
from tests.web.conftest import PUBLIC_URL, SECRET_KEY, csrf_of, sign_in_path

PAGES = {  # path -> the chat command whose roles it has
    "/": "status",
    "/?period=dv-nam/2026&kind=so&status=submitted": "status",
    "/review": "status",
    "/reports/{submission}": "status",
    "/exports": "export",
    "/exports/dv-nam/2026.docx": "export",
    "/exports/dv-nam/2026.xlsx": "export",
    "/calendar": "status",
    "/agencies/SYT": "status",
    "/calendar?year=2027": "status",
    "/calendar.ics?year=2027": "status",
    "/report": "report",
    "/targets": "targets",
    "/people": "people",
    "/people?kind=so&page=2": "people",
    "/people/{person}": "people",
    "/people/{person}/deactivate": "invite",
}
ACTIONS = {"/reports/{submission}/decision": "review"}


@pytest.fixture
def submission_id(chat, clock, db) -> int:  # type: ignore[no-untyped-def]
    submit_annual(chat, clock, "syt-specialist")
    clock.moment = local(2026, 12, 18, 9)
    with session_scope(db) as session:
        found = session.exec(select(Submission).where(Submission.status == SubmissionStatus.SUBMITTED)).one()
        return found.id


@pytest.fixture
def person_id(db) -> int:  # type: ignore[no-untyped-def]
    from models.people.tables import Person

    with session_scope(db) as session:
        return session.exec(select(Person.id).where(Person.full_name == "Nguyễn Thị Mai")).one()


def expected(command: str, role: str) -> int:
    if role == "stranger":
        return 401
    return 200 if may(command, role) else 403


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_exactly_the_roles_of_its_chat_command(client_as, submission_id, person_id, role) -> None:  # type: ignore[no-untyped-def]
    client = client_as(role)
    for path, command in PAGES.items():
        answer = client.get(path.format(submission=submission_id, person=person_id))
        assert answer.status_code == expected(command, role), (path, role, answer.text[:300])


@pytest.mark.parametrize("role", ROLES)
def test_every_action_refuses_who_the_chat_refuses_and_changes_nothing(client_as, db, submission_id, role) -> None:  # type: ignore[no-untyped-def]
    client = client_as(role)
    csrf = csrf_of(client.get("/").text) if role != "stranger" and may("status", role) else "x"
    if role != "stranger" and not may("status", role):
        csrf = csrf_of(client.get("/").text)  # the refusal page carries the sign-out form
    for path, command in ACTIONS.items():
        answer = client.post(path.format(submission=submission_id), data={"csrf": csrf, "decision": "accept"})
        assert answer.status_code == expected(command, role), (path, role)
    with session_scope(db) as session:
        status = session.get(Submission, submission_id).status  # type: ignore[union-attr]
    assert status is (SubmissionStatus.ACCEPTED if role == "admin" else SubmissionStatus.SUBMITTED)


def test_a_post_without_the_right_csrf_token_is_refused(client_as, db, submission_id) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("admin")
    for data in ({"decision": "accept"}, {"decision": "accept", "csrf": "forged"}):
        assert admin.post(f"/reports/{submission_id}/decision", data=data).status_code == 403
    other = client_as("admin")
    stolen = csrf_of(other.get("/").text)
    mine = csrf_of(admin.get("/").text)
    assert stolen != mine
    assert admin.post(f"/reports/{submission_id}/decision", data={"decision": "accept", "csrf": stolen}).status_code == 403
    with session_scope(db) as session:
        assert session.get(Submission, submission_id).status is SubmissionStatus.SUBMITTED  # type: ignore[union-attr]


def test_return_from_the_web_tells_the_focal_points_through_the_outbox(client_as, db, submission_id) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("admin")
    page = admin.get(f"/reports/{submission_id}")
    assert "Nộp báo cáo" not in page.text and 'value="return"' in page.text
    short = admin.post(f"/reports/{submission_id}/decision", data={"csrf": csrf_of(page.text), "decision": "return", "reason": "x"})
    assert short.status_code == 400
    answer = admin.post(
        f"/reports/{submission_id}/decision",
        data={"csrf": csrf_of(page.text), "decision": "return", "reason": "Thiếu số liệu hội thảo", "round": "1"},
    )
    assert answer.status_code == 200 and "Sở Y tế" in answer.text
    with session_scope(db) as session:
        row = session.get(Submission, submission_id)
        assert row is not None and row.status is SubmissionStatus.RETURNED and row.return_reason == "Thiếu số liệu hội thảo"
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith(f"review:{submission_id}:"))).all()  # type: ignore[attr-defined]
    assert notices and all("Thiếu số liệu hội thảo" in notice.text for notice in notices)
    again = admin.post(f"/reports/{submission_id}/decision", data={"csrf": csrf_of(page.text), "decision": "accept"})
    assert "không được ghi" in again.text


def test_a_return_from_the_web_names_the_items_ticked(client_as, db, submission_id, chat) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("admin")
    page = admin.get(f"/reports/{submission_id}")
    assert '<input type="checkbox" name="item" value="kinh-phi"> [8] Kinh phí thực hiện các hoạt động phối hợp' in page.text
    answer = admin.post(
        f"/reports/{submission_id}/decision",
        data={"csrf": csrf_of(page.text), "decision": "return", "reason": "Bổ sung kinh phí", "round": "1", "item": ["kinh-phi", "n:pbkt", "forged"]},
    )
    assert answer.status_code == 200
    with session_scope(db) as session:
        row = session.get(Submission, submission_id)
        assert row is not None and row.returned_items == ["kinh-phi", "n:pbkt"]
    person = chat("syt-specialist")
    person.send("/report")
    person.press("phối hợp — năm 2026")
    assert "Các mục cần sửa: [8] Kinh phí thực hiện các hoạt động phối hợp; [10] Thông tin" in person.text
    assert "Chỉ tiêu 8/8" in person.last[-1].text


def test_a_sign_in_link_works_once_and_for_ten_minutes(app, web_engine, clock) -> None:  # type: ignore[no-untyped-def]
    from starlette.testclient import TestClient

    client = TestClient(app, base_url=PUBLIC_URL, follow_redirects=False)
    path = sign_in_path(web_engine, "admin")
    first = client.get(path)
    assert first.status_code == 303
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "samesite=lax" in cookie.lower() and "Max-Age=28800" in cookie
    reused = TestClient(app, base_url=PUBLIC_URL).get(path)
    assert reused.status_code == 410 and "đã được sử dụng" in reused.text
    late = sign_in_path(web_engine, "admin")
    clock.moment += timedelta(minutes=10)
    expired = TestClient(app, base_url=PUBLIC_URL).get(late)
    assert expired.status_code == 410 and "hết hạn" in expired.text
    unknown = TestClient(app, base_url=PUBLIC_URL).get("/signin/nothing-like-a-token")
    assert unknown.status_code == 404


def test_a_session_ends_after_eight_hours_and_at_sign_out(client_as, clock) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("admin")
    assert admin.get("/").status_code == 200
    clock.moment += timedelta(hours=7, minutes=59)
    page = admin.get("/")
    assert page.status_code == 200
    admin.post("/signout", data={"csrf": csrf_of(page.text)})
    assert admin.get("/").status_code == 401
    other = client_as("admin")
    clock.moment += timedelta(hours=8)
    assert other.get("/").status_code == 401


def test_a_cookie_signed_with_another_key_or_tampered_is_no_session(client_as, app, clock, db) -> None:  # type: ignore[no-untyped-def]
    from starlette.testclient import TestClient

    client = TestClient(app, base_url=PUBLIC_URL)
    with session_scope(db) as session:
        from models.people.tables import Person, Role

        admin_id = session.exec(select(Person.id).where(Person.role == Role.ADMIN)).first()
    forged = new_session(Signer(b"another key" * 4), admin_id, clock())  # type: ignore[arg-type]
    client.cookies.set(SESSION_COOKIE, forged)
    assert client.get("/").status_code == 401
    genuine = new_session(Signer(SECRET_KEY.encode()), admin_id, clock())  # type: ignore[arg-type]
    body, mac = genuine.split(".")
    client.cookies.set(SESSION_COOKIE, body[:-2] + "xx." + mac)
    assert client.get("/").status_code == 401
    client.cookies.set(SESSION_COOKIE, genuine)
    assert client.get("/").status_code == 200


def test_pages_carry_the_security_headers(client_as) -> None:  # type: ignore[no-untyped-def]
    answer = client_as("admin").get("/")
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY" and answer.headers["x-content-type-options"] == "nosniff"
    refused = client_as("stranger").get("/")
    assert refused.status_code == 401 and "frame-ancestors 'none'" in refused.headers["content-security-policy"]


def test_the_docx_downloaded_is_the_consolidated_report(client_as, submission_id) -> None:  # type: ignore[no-untyped-def]
    import io

    from docx import Document

    answer = client_as("admin").get("/exports/dv-nam/2026.docx")
    assert answer.status_code == 200 and answer.headers["content-disposition"].startswith("attachment;")
    text = "\n".join(p.text for p in Document(io.BytesIO(answer.content)).paragraphs)
    assert "2026" in text
    assert client_as("admin").get("/exports/dv-nam/2031.docx").status_code == 404


def test_an_agency_page_shows_its_focal_points_activities_and_submissions(client_as, submission_id) -> None:  # type: ignore[no-untyped-def]
    page = client_as("viewer").get("/agencies/SYT")
    assert page.status_code == 200 and "Nguyễn Thị Mai" in page.text and f"/reports/{submission_id}" in page.text
    assert page.text.count("<li>") > 2
    assert client_as("admin").get("/agencies/NOPE").status_code == 404


def test_the_calendar_is_the_plan_of_phoihop_schedule_with_its_ics(client_as, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    from scheduler.calendar_text import render as calendar_text
    from scheduler.plan import calendar

    admin = client_as("admin")
    page = admin.get("/calendar?year=2027")
    first_line = calendar_text(lao_cai, calendar(lao_cai, 2027), 2027, "vi").splitlines()[0]
    assert first_line in page.text.replace("&#39;", "'").replace("&amp;", "&")
    ics = admin.get("/calendar.ics?year=2027")
    assert ics.headers["content-type"].startswith("text/calendar") and ics.text.startswith("BEGIN:VCALENDAR")
    assert ics.text.count("BEGIN:VEVENT") == len(calendar(lao_cai, 2027))


def test_the_board_names_each_agency_in_the_states_words(client_as, submission_id, clock) -> None:  # type: ignore[no-untyped-def]
    """The status column says what the chat and the document say (models/office/standing):
    "Đã gửi (đúng hạn)", "Chưa gửi", then "Quá hạn N ngày" once the deadline has passed;
    never the bot's own states ("Chưa bắt đầu", "Đang soạn")."""
    admin = client_as("admin")
    body = re.search(r"<tbody>(.*?)</tbody>", admin.get("/?period=dv-nam/2026").text, re.S)
    assert body and "<td>Đã gửi (đúng hạn)</td>" in body.group(1) and "<td>Chưa gửi</td>" in body.group(1)
    assert "Chưa bắt đầu" not in body.group(1) and "Đang soạn" not in body.group(1)
    clock.moment = local(2027, 1, 20, 9)  # a month after the deadline (a new sign-in: the session lasts 8 hours)
    late = re.search(r"<tbody>(.*?)</tbody>", client_as("admin").get("/?period=dv-nam/2026").text, re.S)
    assert late and re.search(r"<td>Quá hạn \d+ ngày</td>", late.group(1)) and "<td>Chưa gửi</td>" not in late.group(1)
