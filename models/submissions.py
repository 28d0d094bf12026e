"""An agency's report for a period: the draft, its figures and narratives, the activities
it counts, submission, and the office's review.

Every answer is saved as it is given, so a draft survives leaving the form, a restart, or
switching between Telegram and Zalo.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_
from sqlmodel import Session, select

from models.activities import Activity, ActivityPartner, ActivityStatus
from models.catalogue import ActivityType, Agency
from models.errors import RuleError
from models.notices import cancel_pending
from models.period_book import SETTLED, LivePeriod, live
from models.periods import Window
from models.programme_schema import Indicator, Programme
from models.reporting import (
    Period,
    ReportItem,
    Submission,
    SubmissionActivity,
    SubmissionStatus,
)

OVERDUE_LOOKBACK_DAYS = 180
MOST_VALUE = 1_000_000_000
NARRATIVE_LENGTH = (3, 2000)
_NUMBER = re.compile(r"^\d{1,3}(?:[.\s]\d{3})+(?:,\d+)?$|^\d+(?:[.,]\d+)?$")


def narrative_code(area_code: str) -> str:
    return f"n:{area_code}"


def parse_value(text: str) -> float:
    """'12', '12,5', '1.250' or '1 250' (Vietnamese thousands) -> a number >= 0."""
    cleaned = text.strip()
    if cleaned.startswith("-"):
        raise RuleError("report.value_negative")
    if not _NUMBER.match(cleaned):
        raise RuleError("report.value_not_number", text=text)
    if re.match(r"^\d{1,3}(?:[.\s]\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "").replace(" ", "")
    value = float(cleaned.replace(",", "."))
    if value > MOST_VALUE:
        raise RuleError("report.value_too_large", most=MOST_VALUE)
    return value


def reportable(session: Session, programme: Programme, programme_id: int, agency: Agency, today: date) -> list[LivePeriod]:
    """Periods this agency reports in that are open or overdue and not yet settled."""
    periods = [
        p
        for p in live(session, programme, programme_id, today, OVERDUE_LOOKBACK_DAYS)
        if agency.code in programme.agencies_for(p.cycle.reporters)
    ]
    ids = [p.row.id for p in periods]
    settled = {
        row.period_id
        for row in session.exec(select(Submission).where(Submission.agency_id == agency.id, Submission.period_id.in_(ids)))  # type: ignore[attr-defined]
        if row.status in SETTLED
    }
    return [p for p in periods if p.row.id not in settled]


def submission_for(session: Session, period_id: int, agency_id: int, now: datetime) -> Submission:
    """The agency's submission for a period, created as a draft on first need."""
    row = session.exec(select(Submission).where(Submission.period_id == period_id, Submission.agency_id == agency_id)).first()
    if row is None:
        row = Submission(period_id=period_id, agency_id=agency_id, status=SubmissionStatus.DRAFT, updated_at=now)
        session.add(row)
        session.flush()
    return row


def items_of(session: Session, submission_id: int) -> dict[str, ReportItem]:
    return {item.code: item for item in session.exec(select(ReportItem).where(ReportItem.submission_id == submission_id))}


def save_item(
    session: Session, submission: Submission, code: str, now: datetime, value: float | None = None, text: str | None = None
) -> None:
    item = session.exec(select(ReportItem).where(ReportItem.submission_id == submission.id, ReportItem.code == code)).first()
    if item is None:
        session.add(ReportItem(submission_id=submission.id, code=code, value=value, text=text))  # type: ignore[arg-type]
    else:
        item.value, item.text = value, text
    submission.updated_at = now


@dataclass(frozen=True)
class WindowActivity:
    id: int
    type_code: str
    title: str
    day: date
    participants: int | None


def window_activities(session: Session, agency_id: int, span: Window) -> list[WindowActivity]:
    """Activities the agency led or joined, dated within the window, not cancelled."""
    partnered = select(ActivityPartner.activity_id).where(ActivityPartner.agency_id == agency_id)
    query = (
        select(Activity, ActivityType.code)
        .join(ActivityType, ActivityType.id == Activity.type_id)
        .where(
            or_(Activity.lead_agency_id == agency_id, Activity.id.in_(partnered)),  # type: ignore[union-attr]
            Activity.status != ActivityStatus.CANCELLED,
            Activity.planned_date >= span.start,
            Activity.planned_date <= span.end,
        )
        .order_by(Activity.planned_date, Activity.id)
    )
    return [WindowActivity(a.id, code, a.title, a.actual_date or a.planned_date, a.participants) for a, code in session.exec(query)]  # type: ignore[arg-type]


def linked_ids(session: Session, submission_id: int) -> set[int]:
    return set(session.exec(select(SubmissionActivity.activity_id).where(SubmissionActivity.submission_id == submission_id)))


def set_links(session: Session, submission_id: int, activity_ids: Iterable[int]) -> None:
    wanted = set(activity_ids)
    current = {
        row.activity_id: row for row in session.exec(select(SubmissionActivity).where(SubmissionActivity.submission_id == submission_id))
    }
    for activity_id in wanted - current.keys():
        session.add(SubmissionActivity(submission_id=submission_id, activity_id=activity_id))
    for activity_id in current.keys() - wanted:
        session.delete(current[activity_id])
    session.flush()


def suggested(indicator: Indicator, activities: Iterable[WindowActivity]) -> float | None:
    """What the linked activities say an indicator should be: a count, or participants."""
    rule = indicator.from_activities
    if rule is None:
        return None
    chosen = [a for a in activities if a.type_code in rule.types]
    if rule.measure == "participants":
        return float(sum(a.participants or 0 for a in chosen))
    return float(len(chosen))


def submit(session: Session, submission: Submission, period: Period, person_id: int, now: datetime) -> Submission:
    """Submit (or resubmit after a return). Late is decided by the first submission.
    Reminders for this period still waiting to go out are dropped: an agency that has
    submitted is not reminded again."""
    if submission.status in SETTLED:
        raise RuleError("report.already_submitted")
    cancel_pending(session, f"remind:{period.id}:{submission.agency_id}:")
    if submission.submitted_at is None:
        submission.late = now.date() > period.due_date
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_by_person_id = person_id
    submission.submitted_at = now
    submission.updated_at = now
    return submission


def review(session: Session, submission: Submission, reviewer_id: int, accept: bool, reason: str | None, now: datetime) -> Submission:
    if submission.status is not SubmissionStatus.SUBMITTED:
        raise RuleError("review.not_waiting")
    submission.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    submission.return_reason = None if accept else reason
    submission.reviewed_by_person_id = reviewer_id
    submission.reviewed_at = now
    submission.updated_at = now
    return submission


def waiting_for_review(session: Session, programme_id: int) -> list[tuple[Submission, Period, Agency]]:
    query = (
        select(Submission, Period, Agency)
        .join(Period, Period.id == Submission.period_id)
        .join(Agency, Agency.id == Submission.agency_id)
        .where(Period.programme_id == programme_id, Submission.status == SubmissionStatus.SUBMITTED)
        .order_by(Submission.submitted_at, Submission.id)
    )
    return list(session.exec(query))  # type: ignore[arg-type]
