"""A programme that goes live after its periods began (`live_from`): loaded in March, it
greets no agency with last year's report overdue, offers it in no /report and reminds no
one of it; without the date, the same day shows it overdue."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.programme.loader import document_of, load_into
from models.programme.schema import Programme
from models.reporting.tables import Period
from scheduler.jobs import run_jobs
from tests.conftest import local

ANNUAL_2026 = "20/12/2026"


def going_live(lao_cai: Programme, day: date) -> Programme:
    document = document_of(lao_cai)
    document["programme"]["live_from"] = day.isoformat()
    return Programme.model_validate(document)


def test_without_a_go_live_date_last_year_is_overdue(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 10, 9)
    person = chat("syt-leader")
    person.send("/due")
    assert f"Hạn: {ANNUAL_2026} (quá hạn 80 ngày)" in person.text


def test_after_the_go_live_date_nothing_from_before_it(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 10, 9)
    live = going_live(lao_cai, date(2027, 3, 1))
    with session_scope(db) as session:
        load_into(session, live, clock())
    person = chat("syt-leader")
    person.send("/due")
    assert ANNUAL_2026 not in person.text and "quá hạn" not in person.text
    assert "Hạn: 20/06/2027" in person.text
    person.send("/report")
    assert "năm 2026" not in person.text
    assert live.programme.legal_basis.date == lao_cai.programme.legal_basis.date == date(2015, 7, 15)


def reminded_of_annual_2026(db, programme: Programme, programme_id: int, clock) -> list[str]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        load_into(session, programme, clock())
        run_jobs(session, programme, programme_id, clock())
        periods = {row.id: (row.cycle_code, row.period_code) for row in session.exec(select(Period))}
        keys = [row.key for row in session.exec(select(OutboxMessage)) if row.key.startswith(("remind:", "escalate:"))]
    return [key for key in keys if periods[int(key.split(":")[1])] == ("dv-nam", "2026")]


def test_no_reminder_of_a_period_due_before_the_go_live_date(db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 23, 9)
    assert reminded_of_annual_2026(db, going_live(lao_cai, date(2026, 12, 22)), loaded, clock) == []
    assert reminded_of_annual_2026(db, lao_cai, loaded, clock) != []


def test_nothing_is_sent_before_the_go_live_date(db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 18, 9)
    live = going_live(lao_cai, date(2027, 1, 1))
    with session_scope(db) as session:
        load_into(session, live, clock())
        assert set(run_jobs(session, live, loaded, clock()).values()) == {0}
        assert sum(run_jobs(session, lao_cai, loaded, clock()).values()) > 0
