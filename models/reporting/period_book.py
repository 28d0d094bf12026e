"""Reporting periods as rows: opened when their window begins, closed at the cut-off.

The rows are derived from the programme (models/programme/cycles.py) and kept so submissions have
something to point to; the database, not a job store, says what has been opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.programme.cycles import PeriodInfo, live_periods, period_info
from models.programme.periods import parse_period_code
from models.programme.schema import Cycle, Programme
from models.reporting.tables import Period, Submission, SubmissionStatus

KEEP_DAYS = 366
SETTLED = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


@dataclass(frozen=True)
class LivePeriod:
    cycle: Cycle
    info: PeriodInfo
    row: Period


def _rows(session: Session, programme_id: int) -> dict[tuple[str, str], Period]:
    query = select(Period).where(Period.programme_id == programme_id)
    return {(row.cycle_code, row.period_code): row for row in session.exec(query)}


def ensure_periods(session: Session, programme: Programme, programme_id: int, now: datetime) -> None:
    """Create the rows of periods whose window has begun; stamp their cut-offs; keep their
    deadline that of the programme (an edited file may move it). Idempotent: whoever runs
    first (the scheduler, or /report) creates the rows."""
    today = now.date()
    rows = _rows(session, programme_id)
    for cycle in programme.cycles:
        for info in live_periods(cycle, today, KEEP_DAYS):
            row = rows.get((cycle.code, info.code))
            if row is None:
                row = Period(
                    programme_id=programme_id,
                    cycle_code=cycle.code,
                    period_code=info.code,
                    window_start=info.window.start,
                    window_end=info.window.end,
                    due_date=info.due,
                    opened_at=now,
                )
                session.add(row)
            elif row.due_date != info.due:
                row.due_date = info.due
            if row.closed_at is None and today > info.window.end:
                row.closed_at = now
    session.flush()


def live(session: Session, programme: Programme, programme_id: int, today: date, lookback_days: int) -> list[LivePeriod]:
    """Live periods that have rows, oldest deadline first."""
    rows = _rows(session, programme_id)
    found = [
        LivePeriod(cycle, info, rows[(cycle.code, info.code)])
        for cycle in programme.cycles
        for info in live_periods(cycle, today, lookback_days)
        if (cycle.code, info.code) in rows
    ]
    return sorted(found, key=lambda item: (item.info.due, item.cycle.code))


def owed_info(cycle: Cycle, period_code: str, today: date) -> PeriodInfo | None:
    """A period row's period while an agency that has not sent it still owes it: its
    window has begun and it falls due on or after the go-live date, however long ago.
    /due and /report both read it, so they offer the same unsent periods."""
    info = period_info(cycle, parse_period_code(period_code))
    if info.window.start > today or info.due < (cycle.live_from or date.min):
        return None
    return info


def statuses(session: Session, period_ids: list[int]) -> dict[tuple[int, int], SubmissionStatus]:
    """(period id, agency id) -> submission status, for the given periods."""
    if not period_ids:
        return {}
    query = select(Submission.period_id, Submission.agency_id, Submission.status).where(col(Submission.period_id).in_(period_ids))
    return {(period_id, agency_id): SubmissionStatus(status) for period_id, agency_id, status in session.exec(query)}
