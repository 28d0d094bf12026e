"""What an agency owes and when: reports for its cycles, assigned tasks, coming events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from models.programme.cycles import Occurrence, PeriodInfo, next_period, recent_periods, upcoming_occurrences
from models.programme.schema import Cycle, Event, Programme
from models.reporting.period_book import SETTLED
from models.reporting.tables import AssignedTask, Period, Submission, SubmissionStatus, TaskAssignment

OVERDUE_LOOKBACK_DAYS = 180
EVENT_HORIZON_DAYS = 60


@dataclass(frozen=True)
class ReportDue:
    cycle: Cycle
    period: PeriodInfo
    status: SubmissionStatus | None


@dataclass(frozen=True)
class EventDue:
    event: Event
    occurrence: Occurrence


def _statuses(session: Session, programme_id: int, agency_id: int) -> dict[tuple[str, str], SubmissionStatus]:
    query = (
        select(Period.cycle_code, Period.period_code, Submission.status)
        .join(Submission, col(Submission.period_id) == Period.id)
        .where(Period.programme_id == programme_id, Submission.agency_id == agency_id)
    )
    return {(cycle, code): SubmissionStatus(status) for cycle, code, status in session.exec(query)}


def reports_due(
    session: Session, programme: Programme, programme_id: int, agency_code: str, agency_id: int, today: date
) -> list[ReportDue]:
    """The next report of each cycle the agency reports in, and earlier ones still unsent."""
    statuses = _statuses(session, programme_id, agency_id)
    owed = []
    for cycle in programme.cycles:
        if agency_code not in programme.agencies_for(cycle.reporters):
            continue
        for info in recent_periods(cycle, today, OVERDUE_LOOKBACK_DAYS) + [next_period(cycle, today)]:
            status = statuses.get((cycle.code, info.code))
            if info.due >= today or status not in SETTLED:
                owed.append(ReportDue(cycle, info, status))
    return sorted(owed, key=lambda item: (item.period.due, item.cycle.code))


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
