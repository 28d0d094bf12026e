"""Assigned tasks and the go-live date: a task due before it is not offered in /done, not
listed in /tasks, not in /due and not reminded; without the date the same day shows it."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.programme.loader import document_of, load_into
from models.programme.schema import Programme
from scheduler.jobs import run_jobs
from tests.conftest import local


def with_task(lao_cai: Programme, live_from: date | None) -> Programme:
    document = document_of(lao_cai)
    document["tasks"] = [{"code": "T1", "title": "Gửi danh sách chuyên gia", "assignees": ["SYT"], "due": "08/03/2027", "source": "thử"}]
    document["programme"]["live_from"] = live_from.isoformat() if live_from else None
    return Programme.model_validate(document)


def seen(chat, clock, db, loaded, programme: Programme) -> tuple[str, str, str, list[str]]:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 10, 9)
    with session_scope(db) as session:
        load_into(session, programme, clock())
        run_jobs(session, programme, loaded, clock(), ("tasks",))
        keys = [row.key for row in session.exec(select(OutboxMessage)) if row.key.startswith("task:")]
    person, admin = chat("syt-leader"), chat("lhh-admin")
    person.send("/due")
    due = person.text
    offered = " ".join(button.label for reply in person.send("/done") for row in reply.buttons for button in row)
    admin.send("/tasks")
    return due, person.text + offered, admin.text, keys


def test_a_task_due_before_the_go_live_date_is_not_there(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    due, done, tasks, keys = seen(chat, clock, db, loaded, with_task(lao_cai, date(2027, 3, 9)))
    assert "[T1]" not in due and "[T1]" not in done and "[T1]" not in tasks
    assert keys == []


def test_without_the_date_the_same_task_is_overdue(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    due, done, tasks, keys = seen(chat, clock, db, loaded, with_task(lao_cai, None))
    assert "[T1]" in due and "quá hạn 2 ngày" in due
    assert "[T1]" in done and "[T1]" in tasks
    assert keys != []
