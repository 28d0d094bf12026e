"""What the office itself writes for a period's consolidated report (the assessment, the
next period's directions, the signer), and, for a report to a body outside the programme,
when it was sent and under which number."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

OFFICE_TEXT_LENGTH = 4000


class PeriodReport(SQLModel, table=True):
    __tablename__ = "period_report"

    period_id: int = Field(foreign_key="period.id", primary_key=True)
    assessment: str | None = Field(default=None, max_length=OFFICE_TEXT_LENGTH)
    """Đánh giá chung."""
    shortcomings: str | None = Field(default=None, max_length=OFFICE_TEXT_LENGTH)
    """Tồn tại, hạn chế."""
    causes: str | None = Field(default=None, max_length=OFFICE_TEXT_LENGTH)
    """Nguyên nhân."""
    directions: str | None = Field(default=None, max_length=OFFICE_TEXT_LENGTH)
    """Phương hướng, nhiệm vụ kỳ tới."""
    proposals: str | None = Field(default=None, max_length=OFFICE_TEXT_LENGTH)
    """Kiến nghị, đề xuất."""
    signer_name: str | None = Field(default=None, max_length=120)
    sent_number: str | None = Field(default=None, max_length=60)
    """The number and symbol of the document as sent (e.g. 45/BC-LHH)."""
    sent_on: date | None = None
    updated_at: datetime
    updated_by_person_id: int | None = Field(default=None, foreign_key="person.id")
