"""The report as one page over HTTP: the same draft as the chat's /report, pre-filled from
the window's activities, refused fields told with the chat's messages and nothing saved,
save, submit (the chat's transition and notices), and after a return only what changed."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import select
from starlette.testclient import TestClient

from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.programme.tables import Agency
from models.reporting.tables import ReportItem, Submission, SubmissionStatus
from tests.conftest import Chat, Clock, local
from tests.web.conftest import csrf_of

ANNUAL = "Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026"


def annual_path(client: TestClient) -> str:
    listing = client.get("/report")
    assert listing.status_code == 200, listing.text
    found = re.search(r'<a href="(/report/\d+)">' + re.escape(ANNUAL), listing.text)
    assert found, listing.text
    return found.group(1)


def syt_submission(db) -> Submission:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        agency_id = session.exec(select(Agency.id).where(Agency.code == "SYT")).one()
        return session.exec(select(Submission).where(Submission.agency_id == agency_id)).one()


def items(db, submission_id: int) -> dict[str, ReportItem]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return {i.code: i for i in session.exec(select(ReportItem).where(ReportItem.submission_id == submission_id))}


def form_of(html: str) -> dict[str, object]:
    """The form's fields as the page filled them (what a browser would post back)."""
    fields: dict[str, object] = {"csrf": csrf_of(html)}
    for name, value in re.findall(r'<input id="f-[^"]+" name="([^"]+)" value="([^"]*)"', html):
        fields[name] = value
    for name, value in re.findall(r'<textarea id="f-[^"]+" name="([^"]+)"[^>]*>([^<]*)</textarea>', html):
        fields[name] = value
    fields["activity"] = re.findall(r'name="activity" value="(\d+)" checked', html)
    return fields


def test_the_page_prefills_saves_and_submits_the_chats_draft(client_as: Callable[[str], TestClient], web_engine, db, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    client = client_as("specialist")
    path = annual_path(client)
    page = client.get(path)
    assert page.status_code == 200
    assert "frame-ancestors https://web.telegram.org" in page.headers["content-security-policy"]
    fields = form_of(page.text)
    assert fields["hoi-thao"] == "1" and len(fields["activity"]) == 5  # type: ignore[arg-type]
    assert "Theo các hoạt động đã chọn: 85 đại biểu" in page.text

    refused = client.post(path, data={**fields, "hoi-nghi": "mười", "kinh-phi": "-3", "n:pbkt": "ab", "action": "save"})
    assert refused.status_code == 422
    assert "«mười» không phải là một số" in refused.text and "Số liệu không được âm." in refused.text
    assert 'value="mười"' in refused.text
    assert items(web_engine.db, syt_submission(db).id) == {}

    saved = client.post(path, data={**fields, "kinh-phi": "12,5", "n:pbkt": "Tổ chức 2 hội thảo phổ biến kiến thức", "action": "save"})
    assert saved.status_code == 200 and "Đã lưu bản nháp" in saved.text
    draft = syt_submission(db)
    assert draft.status is SubmissionStatus.DRAFT
    stored = items(db, draft.id)
    assert stored["hoi-thao"].value == 1 and stored["kinh-phi"].value == 12.5 and stored["n:pbkt"].text.startswith("Tổ chức 2")

    person = Chat(web_engine, "syt-specialist")
    person.send("/report")
    person.press("phối hợp — năm 2026")
    assert "Kiểm tra lại báo cáo" in person.text and "[1] Số hội thảo khoa học: 1 cuộc" in person.text, person.text
    person.send("/cancel")

    submitted = client.post(path, data={**form_of(client.get(path).text), "action": "submit"})
    assert submitted.status_code == 200 and f"Đã nộp {ANNUAL} của Sở Y tế lúc 09:00 ngày 16/12/2026" in submitted.text
    assert 'id="report"' not in submitted.text
    done = syt_submission(db)
    assert done.status is SubmissionStatus.SUBMITTED and done.round == 1
    with session_scope(db) as session:
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith(f"submitted:{done.id}:r1"))).all()  # type: ignore[attr-defined]
        assert len(notices) == 2 and all("Sở Y tế đã nộp Báo cáo năm" in n.text for n in notices)
    assert client.post(path, data={**fields, "action": "submit"}).status_code == 404


def test_after_a_return_only_what_changed_is_written(client_as: Callable[[str], TestClient], web_engine, db, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 18, 10)
    client = client_as("leader")
    path = annual_path(client)
    client.post(path, data={**form_of(client.get(path).text), "action": "submit"})
    admin = Chat(web_engine, "lhh-admin")
    admin.send("/review")
    admin.press("SYT · Báo cáo năm")
    admin.press("Trả lại")
    admin.send("Thiếu số liệu kinh phí; đề nghị bổ sung.")
    before = items(db, syt_submission(db).id)

    clock.moment = local(2026, 12, 22, 9)
    again = client_as("specialist")
    page = again.get(path)
    assert "Văn phòng đã trả lại báo cáo: Thiếu số liệu kinh phí; đề nghị bổ sung." in page.text
    resubmitted = again.post(path, data={**form_of(page.text), "kinh-phi": "3", "action": "submit"})
    assert "Đã nộp" in resubmitted.text
    after = items(db, syt_submission(db).id)
    assert after["kinh-phi"].value == 3
    assert {code: (i.value, i.text) for code, i in after.items() if code != "kinh-phi"} == {
        code: (i.value, i.text) for code, i in before.items() if code != "kinh-phi"
    }
    report = syt_submission(db)
    assert report.status is SubmissionStatus.SUBMITTED and report.round == 2 and report.late is False


def test_who_may_open_the_page_and_forms_without_csrf(client_as: Callable[[str], TestClient], clock: Clock) -> None:
    clock.moment = local(2026, 12, 16, 9)
    assert client_as("stranger").get("/report").status_code == 401
    assert client_as("viewer").get("/report").status_code == 403
    client = client_as("specialist")
    path = annual_path(client)
    assert client.post(path, data={"action": "submit"}).status_code == 403
    assert client.get("/report/999999").status_code == 404
