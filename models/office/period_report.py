"""What the office writes for a period's report (`PeriodReport`): one field at a time, as the
/assess form asks, and the sending of a report to an outside body, with its number."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.db.inserts import dialect_insert
from models.errors import RuleError
from models.office.tables import OFFICE_TEXT_LENGTH, PeriodReport
from models.reporting.period_book import LivePeriod
from models.reporting.submissions import mark_sent, narrative_code, new_draft, submit
from models.reporting.tables import ReportItem, Submission, SubmissionStatus

FIELDS = ("assessment", "shortcomings", "causes", "directions", "proposals", "signer_name")
SIGNER_LENGTH = 120
NUMBER = re.compile(r"^\d{1,5}/[0-9A-ZĐ/&-]{2,40}$")


def office_report(session: Session, period_id: int) -> PeriodReport | None:
    return session.get(PeriodReport, period_id)


def _row(session: Session, period_id: int, person_id: int | None, now: datetime) -> PeriodReport:
    """The period's row, created on first need (INSERT … ON CONFLICT DO NOTHING: two
    officers at once share it)."""
    values = {"period_id": period_id, "updated_at": now, "updated_by_person_id": person_id}
    statement = dialect_insert(session)(PeriodReport).values(values).on_conflict_do_nothing(index_elements=["period_id"])
    session.execute(statement)
    row = session.get(PeriodReport, period_id, populate_existing=True)
    assert row is not None
    return row


def save_office_text(session: Session, period_id: int, field: str, text: str | None, person_id: int | None, now: datetime) -> PeriodReport:
    """Set one field (none clears it); a text longer than the column holds is refused."""
    return save_office_texts(session, period_id, {field: text}, person_id, now)


def save_office_texts(session: Session, period_id: int, texts: dict[str, str | None], person_id: int | None, now: datetime) -> PeriodReport:
    """Set several fields at once (the web's form): every text is checked before any is written."""
    cleaned = {field: _cleaned(field, text) for field, text in texts.items()}
    row = _row(session, period_id, person_id, now)
    for field, value in cleaned.items():
        setattr(row, field, value)
    row.updated_at, row.updated_by_person_id = now, person_id
    session.flush()
    return row


def _cleaned(field: str, text: str | None) -> str | None:
    if field not in FIELDS:
        raise ValueError(field)
    cleaned = "\n".join(" ".join(line.split()) for line in (text or "").splitlines()).strip() or None
    most = SIGNER_LENGTH if field == "signer_name" else OFFICE_TEXT_LENGTH
    if cleaned is not None and len(cleaned) > most:
        raise RuleError("assess.too_long", most=most, length=len(cleaned))
    return cleaned


def parse_sent(text: str, today: date) -> tuple[str, date]:
    """'45/BC-LHH 25/06/2027' (the date may be left out: today) -> the number and the day."""
    parts = text.split()
    if not parts or not NUMBER.match(parts[0].upper()):
        raise RuleError("sent.bad_number", text=text)
    day = today
    if len(parts) > 1:
        try:
            day = datetime.strptime(parts[1], "%d/%m/%Y").date()
        except ValueError:
            raise RuleError("sent.bad_date", text=parts[1]) from None
        if day > today:
            raise RuleError("sent.future_date", text=parts[1])
    if len(parts) > 2:
        raise RuleError("sent.bad_number", text=text)
    return parts[0].upper(), day


def mark_report_sent(
    session: Session, period: LivePeriod, coordinator_id: int, number: str, on: date, person_id: int, now: datetime
) -> PeriodReport:
    """The coordinator's report of `period` to an outside body was sent on `on` under
    `number`: recorded with the period, and the coordinator's submission is settled (sent,
    not reviewed: the office does not review itself), so its reminders stop. Sending it
    again (a corrected number) only changes the number and the day."""
    row = _row(session, period.row.id, person_id, now)
    row.sent_number, row.sent_on = number, on
    row.updated_at, row.updated_by_person_id = now, person_id
    submission = session.exec(
        select(Submission).where(Submission.period_id == period.row.id, Submission.agency_id == coordinator_id)
    ).first() or new_draft(session, period.row.id, coordinator_id, now)
    if submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        submit(session, submission, period.row, person_id, now, period.cycle.due_time)
    if submission.status is SubmissionStatus.SUBMITTED:
        mark_sent(session, submission, person_id, now)
    session.flush()
    return row


def difficulty_texts(session: Session, period_id: int, area_code: str) -> list[str]:
    """What the agencies wrote in the difficulties area, for the form's suggestions."""
    query = (
        select(ReportItem.text)
        .join(Submission, col(Submission.id) == ReportItem.submission_id)
        .where(
            Submission.period_id == period_id,
            ReportItem.code == narrative_code(area_code),
            col(Submission.status).in_([SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED]),
        )
        .order_by(col(Submission.agency_id))
    )
    return [text for text in session.exec(query) if text]
