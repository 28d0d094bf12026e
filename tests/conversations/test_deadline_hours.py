"""The hour of a deadline ("17 giờ ngày 20/12/2026"), shown and honoured wherever a deadline
is: /due before and after the hour on the day, a task's own hour, and the reminders."""

from __future__ import annotations

from sqlmodel import select

from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.programme.loader import document_of, load_into
from models.programme.schema import Programme
from scheduler.jobs import run_jobs
from tests.conftest import local


def with_hours(lao_cai: Programme) -> Programme:
    document = document_of(lao_cai)
    next(cycle for cycle in document["cycles"] if cycle["code"] == "dv-nam")["due_time"] = "17:00:00"
    document["tasks"] = [
        {"code": "T1", "title": "Gửi hồ sơ đề xuất giải thưởng", "assignees": ["SYT"], "due": "17 giờ 30 ngày 22/12/2026", "source": "thử"}
    ]
    return Programme.model_validate(document)


def test_due_shows_the_hour_and_reads_it_on_the_day(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 20, 9)
    with session_scope(db) as session:
        load_into(session, with_hours(lao_cai), clock())
    person = chat("syt-leader")
    person.send("/due")
    assert "Hạn: 17 giờ ngày 20/12/2026 (hạn là 17 giờ hôm nay)" in person.text
    assert "Hạn: 17 giờ 30 ngày 22/12/2026 → 17 giờ 30 ngày 22/12/2026 (còn 2 ngày)" in person.text
    assert "Hạn: 20/06/2027" in person.text, "a cycle without an hour keeps the day alone"
    clock.moment = local(2026, 12, 20, 17, 30)
    person.send("/due")
    assert "Hạn: 17 giờ ngày 20/12/2026 (đã quá hạn lúc 17 giờ hôm nay)" in person.text
    clock.moment = local(2026, 12, 22, 18)
    person.send("/due")
    assert "(đã quá hạn lúc 17 giờ 30 hôm nay)" in person.text


def test_without_an_hour_the_day_reads_as_before(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 20, 18)
    person = chat("syt-leader")
    person.send("/due")
    assert "Hạn: 20/12/2026 (hạn là hôm nay)" in person.text


def test_reminders_give_the_hour(db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 22, 9)
    programme = with_hours(lao_cai)
    with session_scope(db) as session:
        load_into(session, programme, clock())
        run_jobs(session, programme, loaded, clock(), ("tasks",))
        texts = [row.text for row in session.exec(select(OutboxMessage)) if row.key.startswith("task:") and ":due:" in row.key]
    assert texts, "the task's reminder on its day"
    assert all("hạn 17 giờ 30 ngày 22/12/2026 (hạn là 17 giờ 30 hôm nay)" in text for text in texts), texts


def test_report_reminders_give_the_cycle_hour(db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 18, 9)
    programme = with_hours(lao_cai)
    with session_scope(db) as session:
        load_into(session, programme, clock())
        run_jobs(session, programme, loaded, clock(), ("periods", "reminders"))
        texts = [row.text for row in session.exec(select(OutboxMessage)) if row.key.startswith("remind:")]
    annual = [text for text in texts if "Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026" in text]
    assert annual and all("hạn nộp 17 giờ ngày 20/12/2026 (còn 2 ngày)" in text for text in annual), annual
