"""A report's standing in the state's words (đã gửi (đúng hạn), gửi muộn, chưa gửi, quá hạn
N ngày, đã tiếp nhận, bị trả lại): what the office, the document and the agency read,
instead of the bot's internal states. A draft is not sent; a report not sent after its
deadline is overdue, however old the period and whatever the go-live date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from locales.catalogue import t
from models.reporting.tables import SubmissionStatus


class Standing(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    NOT_SENT = "not_sent"
    OVERDUE = "overdue"
    RETURNED = "returned"
    ACCEPTED = "accepted"


SENT = (Standing.ON_TIME, Standing.LATE, Standing.ACCEPTED)


@dataclass(frozen=True)
class Stand:
    standing: Standing
    days_overdue: int = 0

    def words(self, language: str) -> str:
        return t(f"standing.{self.standing}", language, days=self.days_overdue)


def stand(status: SubmissionStatus | None, late: bool, due: date, today: date) -> Stand:
    """The standing of an agency's report for a period due on `due`, seen on `today`."""
    if status is SubmissionStatus.ACCEPTED:
        return Stand(Standing.ACCEPTED)
    if status is SubmissionStatus.SUBMITTED:
        return Stand(Standing.LATE if late else Standing.ON_TIME)
    if status is SubmissionStatus.RETURNED:
        return Stand(Standing.RETURNED)
    if today > due:
        return Stand(Standing.OVERDUE, (today - due).days)
    return Stand(Standing.NOT_SENT)


def group_words(standing: Standing, language: str) -> str:
    """A standing as a group's name (a count, a chart's legend): 'quá hạn' without days."""
    return t(f"standing.group_{standing}", language)
