"""One TVPB task through every stage on an injected clock (seed 004, lines 301 and 954):
the dossier deadline 20 days before the submission, moved off a weekend; the reminders
and escalations day by day, none twice and none in quiet hours; the late and incomplete
dossier; the council, the workshop notices, the response report; a cancelled task."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine as Database
from sqlmodel import Session, select

from models.db.engine import session_scope
from models.errors import RuleError
from models.outbox.tables import OutboxMessage, OutboxStatus
from models.people.tables import Person, Role
from models.programme.periods import is_working_day
from models.programme.reminders import in_quiet_hours
from models.programme.schema import Programme
from models.programme.tables import Agency
from models.tvpb import experts, services
from models.tvpb.deadlines import dossier_due
from models.tvpb.tables import SchemeKind, Stage, TvpbTask
from scheduler.jobs import run_jobs
from tests.conftest import local
from tests.support.roster import add_member

SUBMISSION = date(2027, 4, 9)
"""A Friday: 20 days before it is Saturday 20/3/2027, so the dossier is due Friday 19/3."""


def agency(session: Session, code: str) -> Agency:
    return session.exec(select(Agency).where(Agency.code == code)).one()


def person(session: Session, role: Role, code: str) -> Person:
    return session.exec(select(Person).join(Agency).where(Person.role == role, Agency.code == code)).first()  # type: ignore[arg-type]


def open_one(session: Session, programme: Programme, programme_id: int, now: datetime, code: str = "SYT") -> TvpbTask:
    opened = services.open_task(
        session,
        programme,
        programme_id,
        agency(session, code),
        "Đề án phát triển y tế cơ sở",
        SchemeKind.DE_AN,
        ["y-te"],
        SUBMISSION,
        None,
        now,
    )
    return opened.task


def day_of_jobs(db: Database, programme: Programme, programme_id: int, day: date) -> list[OutboxMessage]:
    """The tvpb job at 07:30 and again at 15:00 (a second run writes nothing new); the rows new that day."""
    with session_scope(db) as session:
        before = {row.id for row in session.exec(select(OutboxMessage))}
        for hour, minute in ((7, 30), (15, 0)):
            run_jobs(session, programme, programme_id, local(day.year, day.month, day.day, hour, minute), ("tvpb",))
        return [row for row in session.exec(select(OutboxMessage)) if row.id not in before]


def step_of(key: str) -> str:
    return key.split(":")[3]


def test_the_dossier_deadline_is_20_days_before_moved_to_the_working_day_before(lao_cai: Programme) -> None:
    assert lao_cai.tvpb is not None and lao_cai.tvpb.dossier_days_before == 20
    holidays = frozenset(lao_cai.reminders.holidays)
    assert dossier_due(SUBMISSION, 20, holidays) == date(2027, 3, 19)
    assert dossier_due(date(2027, 5, 21), 20, holidays) == date(2027, 4, 29)  # 1/5 a holiday and a Saturday, 30/4 a holiday


def test_one_task_through_every_stage_day_by_day(db: Database, loaded: int, lao_cai: Programme) -> None:
    with session_scope(db) as session:
        task = open_one(session, lao_cai, loaded, local(2027, 3, 1))
        assert task.dossier_due == date(2027, 3, 19) and not task.late_at_opening
        task_id = task.id
    sent: dict[date, list[OutboxMessage]] = {}
    day = date(2027, 3, 1)
    while day <= date(2027, 3, 24):
        sent[day] = day_of_jobs(db, lao_cai, loaded, day)
        day += timedelta(days=1)
    steps = {d: sorted({step_of(r.key) for r in rows}) for d, rows in sent.items() if rows}
    # before 7, 3, 1, 0 (12/3, 16/3, 18/3, 19/3); overdue 1 → Monday 22/3, overdue 3 → 22/3 too (the later wins)
    assert steps == {
        date(2027, 3, 12): ["before-7"],
        date(2027, 3, 16): ["before-3"],
        date(2027, 3, 18): ["before-1"],
        date(2027, 3, 19): ["due"],
        date(2027, 3, 22): ["overdue-3"],
    }
    rows = [row for rows in sent.values() for row in rows]
    moments = [row.not_before.astimezone(lao_cai.zone) for row in rows]
    assert not [moment for moment in moments if in_quiet_hours(moment, lao_cai.reminders.policy())]
    assert all(is_working_day(moment.date(), frozenset(lao_cai.reminders.holidays)) for moment in moments)
    assert max(Counter(row.key for row in rows).values()) == 1
    with session_scope(db) as session:
        specialist, leader = person(session, Role.SPECIALIST, "SYT"), person(session, Role.LEADER, "SYT")
        escalated = {row.key.split(":")[-1] for row in sent[date(2027, 3, 22)]}
        assert {f"p{specialist.id}", f"leader{leader.id}"} <= escalated and any(tail.startswith("admin") for tail in escalated)
        assert {row.key.split(":")[-1] for row in sent[date(2027, 3, 19)]} == {f"p{specialist.id}"}

        # the dossier: one part twice (the newer kept), one marked missing, arriving late on 24/3
        task = session.get(TvpbTask, task_id)
        assert task is not None
        services.record_part(session, lao_cai, task, "to-trinh", None, None, local(2027, 3, 23))
        services.record_part(session, lao_cai, task, "to-trinh", None, None, local(2027, 3, 24, 10))
        services.record_part(session, lao_cai, task, "du-thao", None, None, local(2027, 3, 24, 10))
        assert task.stage is Stage.REQUESTED
        services.record_part(session, lao_cai, task, "thuyet-minh", None, None, local(2027, 3, 24, 11))
        assert task.stage is Stage.DOSSIER and task.dossier_late and task.dossier_incomplete
        assert task.council_days == 16
        assert len(services.part_history(session, task_id)) == 4 and len(services.current_parts(session, task_id)) == 3
        services.record_part(session, lao_cai, task, "du-thao", None, None, local(2027, 3, 24, 12))  # while the council forms
        assert task.stage is Stage.DOSSIER and task.council_days == 16 and len(services.part_history(session, task_id)) == 5

        # the council: one expert from the bank accepts, the workshop on Wednesday 31/3
        syt = agency(session, "SYT")
        member = add_member(session, loaded, syt, Role.EXPERT, "PGS.TS Trần Văn Bình", "expert-1", "sim", local(2027, 3, 24))
        expert = experts.join_bank(session, session.get(Person, member.person_id), local(2027, 3, 24))  # type: ignore[arg-type]
        seat = experts.invite(session, task, expert, local(2027, 3, 24, 14))
        with pytest.raises(RuleError, match="tvpb.no_member_accepted"):
            services.council_formed(session, task, date(2027, 3, 31), None, local(2027, 3, 24, 14))
        experts.answer(session, seat, True, local(2027, 3, 24, 15))
        services.council_formed(session, task, date(2027, 3, 31), None, local(2027, 3, 24, 15))
        with pytest.raises(RuleError, match="tvpb.dossier_closed"):
            services.record_part(session, lao_cai, task, "du-thao", None, None, local(2027, 3, 24, 16))
    council = {d: sorted({step_of(r.key) for r in day_of_jobs(db, lao_cai, loaded, d) if ":workshop:" in r.key}) for d in _days(25, 31)}
    assert {d: s for d, s in council.items() if s} == {
        date(2027, 3, 26): ["before-3"],
        date(2027, 3, 30): ["before-1"],
        date(2027, 3, 31): ["due"],
    }
    with session_scope(db) as session:
        task = session.get(TvpbTask, task_id)
        assert task is not None
        services.advance(session, lao_cai, task, Stage.WORKSHOP, None, local(2027, 3, 31, 16))
        with pytest.raises(RuleError, match="tvpb.wrong_stage"):
            services.advance(session, lao_cai, task, Stage.CLOSED, None, local(2027, 4, 1))
        services.advance(session, lao_cai, task, Stage.CRITIQUE_SENT, None, local(2027, 4, 2, 10))
        assert task.response_due == date(2027, 4, 19)  # 17/4 + a weekend
    response = {
        d: sorted({step_of(r.key) for r in day_of_jobs(db, lao_cai, loaded, d)}) for d in _days_between(date(2027, 4, 3), date(2027, 4, 22))
    }
    assert {d: s for d, s in response.items() if s} == {
        date(2027, 4, 14): ["before-5"],
        date(2027, 4, 16): ["before-1"],
        date(2027, 4, 19): ["due"],
        date(2027, 4, 22): ["overdue-3"],
    }
    with session_scope(db) as session:
        task = session.get(TvpbTask, task_id)
        assert task is not None
        services.advance(session, lao_cai, task, Stage.RESPONSE, None, local(2027, 4, 23, 10))
        services.advance(session, lao_cai, task, Stage.CLOSED, None, local(2027, 4, 23, 11))
        assert [entry.stage for entry in services.stage_log(session, task_id)] == [
            Stage.REQUESTED,
            Stage.DOSSIER,
            Stage.COUNCIL,
            Stage.WORKSHOP,
            Stage.CRITIQUE_SENT,
            Stage.RESPONSE,
            Stage.CLOSED,
        ]
    assert day_of_jobs(db, lao_cai, loaded, date(2027, 4, 26)) == []


def _days(first: int, last: int) -> list[date]:
    return _days_between(date(2027, 3, first), date(2027, 3, last))


def _days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_late_at_opening_and_no_focal_point_are_told_the_office(db: Database, loaded: int, lao_cai: Programme) -> None:
    with session_scope(db) as session:
        task = open_one(session, lao_cai, loaded, local(2027, 3, 25), code="SGDDT")
        assert task.late_at_opening
        keys = {row.key for row in session.exec(select(OutboxMessage))}
        assert any(key.startswith(f"tvpb:{task.id}:late-opening:admin") for key in keys)
        assert any(key.startswith(f"tvpb:{task.id}:no-focal-point:admin") for key in keys)


def test_a_cancelled_task_cancels_its_waiting_reminders(db: Database, loaded: int, lao_cai: Programme) -> None:
    with session_scope(db) as session:
        task = open_one(session, lao_cai, loaded, local(2027, 3, 1))
        run_jobs(session, lao_cai, loaded, local(2027, 3, 12, 7), ("tvpb",))
        waiting = list(session.exec(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)))
        assert waiting and all(row.not_before.astimezone(lao_cai.zone).hour == 8 for row in waiting)
        with pytest.raises(RuleError, match="tvpb.reason_needed"):
            services.cancel(session, task, " ", None, local(2027, 3, 12, 7, 30))
        services.cancel(session, task, "UBND tỉnh rút đề án", None, local(2027, 3, 12, 7, 30))
        assert {row.status for row in session.exec(select(OutboxMessage))} == {OutboxStatus.CANCELLED}
        assert run_jobs(session, lao_cai, loaded, local(2027, 3, 16, 9), ("tvpb",)) == {"tvpb": 0}
