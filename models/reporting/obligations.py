"""What an agency owes and when: reports for its cycles, assigned tasks, coming events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from models.programme.cycles import Occurrence, PeriodInfo, next_period, recent_periods, upcoming_occurrences
from models.programme.schema import Cycle, Event, Programme
from models.reporting.period_book import SETTLED, owed_info
from models.reporting.tables import AssignedTask, Period, Submission, SubmissionStatus, TaskAssignment

OVERDUE_LOOKBACK_DAYS = 180
EVENT_HORIZON_DAYS = 60


@dataclass(frozen=True)
class ReportDue:
    cycle: Cycle
    period: PeriodInfo
    status: SubmissionStatus | None
    late: bool = False


@dataclass(frozen=True)
class EventDue:
    event: Event
    occurrence: Occurrence


def _statuses(session: Session, programme_id: int, agency_id: int) -> dict[tuple[str, str], tuple[SubmissionStatus, bool]]:
    query = (
        select(Period.cycle_code, Period.period_code, Submission.status, Submission.late)
        .join(Submission, col(Submission.period_id) == Period.id)
        .where(Period.programme_id == programme_id, Submission.agency_id == agency_id)
    )
    return {(cycle, code): (SubmissionStatus(status), late) for cycle, code, status, late in session.exec(query)}


def _older_rows(session: Session, programme_id: int, cycles: list[Cycle], before: date) -> list[PeriodInfo]:
    """Periods the bot opened (they have rows) that fell due before `before`: an agency
    that never reported one still owes it, however old it is."""
    by_code = {cycle.code: cycle for cycle in cycles}
    query = select(Period.cycle_code, Period.period_code).where(
        Period.programme_id == programme_id, col(Period.cycle_code).in_(list(by_code)), Period.due_date < before
    )
    infos = [owed_info(by_code[cycle], code, before) for cycle, code in session.exec(query)]
    return [info for info in infos if info is not None]


def reports_due(
    session: Session, programme: Programme, programme_id: int, agency_code: str, agency_id: int, today: date
) -> list[ReportDue]:
    """The next report of each cycle the agency reports in, and earlier ones still unsent
    (those of the last OVERDUE_LOOKBACK_DAYS from the calendar, older ones from their rows)."""
    statuses = _statuses(session, programme_id, agency_id)
    cycles = [cycle for cycle in programme.cycles if agency_code in programme.agencies_for(cycle.reporters)]
    older = _older_rows(session, programme_id, cycles, today - timedelta(days=OVERDUE_LOOKBACK_DAYS))
    owed: dict[tuple[str, str], ReportDue] = {}
    for cycle in cycles:
        infos = [info for info in older if info.cycle_code == cycle.code]
        for info in infos + recent_periods(cycle, today, OVERDUE_LOOKBACK_DAYS) + [next_period(cycle, today)]:
            status, late = statuses.get((cycle.code, info.code), (None, False))
            if info.due >= today or status not in SETTLED:
                owed[(cycle.code, info.code)] = ReportDue(cycle, info, status, late)
    return sorted(owed.values(), key=lambda item: (item.period.due, item.cycle.code))


def tasks_due(session: Session, agency_id: int, since: date | None = None) -> list[AssignedTask]:
    """The assigned tasks the agency has not reported done, earliest due first; with `since`
    (the go-live date), none due before it."""
    query = (
        select(AssignedTask)
        .join(TaskAssignment, col(TaskAssignment.task_id) == AssignedTask.id)
        .where(
            TaskAssignment.agency_id == agency_id,
            TaskAssignment.active == True,  # noqa: E712
            AssignedTask.active == True,  # noqa: E712
            TaskAssignment.done_at == None,  # noqa: E711
        )
        .order_by(col(AssignedTask.due_date), col(AssignedTask.code))
    )
    if since is not None:
        query = query.where(AssignedTask.due_date >= since)
    return list(session.exec(query))


def events_due(programme: Programme, agency_code: str, today: date) -> list[EventDue]:
    found = [
        EventDue(event, occurrence)
        for event in programme.events
        if agency_code in programme.agencies_for(event.audience)
        for occurrence in upcoming_occurrences(event, today, EVENT_HORIZON_DAYS)
    ]
    return sorted(found, key=lambda item: item.occurrence.day)
