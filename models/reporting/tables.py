"""Reporting periods, each agency's submission for a period, and its report items."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.db.columns import StrEnumType


class Period(SQLModel, table=True):
    __tablename__ = "period"
    __table_args__ = (UniqueConstraint("programme_id", "cycle_code", "period_code"),)

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    cycle_code: str = Field(max_length=24)
    period_code: str = Field(max_length=12)
    window_start: date
    window_end: date
    due_date: date
    opened_at: datetime | None = None
    closed_at: datetime | None = None


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


class Submission(SQLModel, table=True):
    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("period_id", "agency_id"),)

    id: int = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="period.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    status: SubmissionStatus = Field(sa_type=StrEnumType(SubmissionStatus))
    late: bool = False
    submitted_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    submitted_at: datetime | None = None
    reviewed_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    reviewed_at: datetime | None = None
    return_reason: str | None = Field(default=None, max_length=2000)
    returned_items: list[Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    """The report items the office flagged when it returned the submission (their codes; the
    counted activities as `ACTIVITIES_ITEM`): the focal point is asked only these again."""
    updated_at: datetime
    round: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """How many times it has been submitted: each submission and the review that answers it
    belong to one round, which names their notices in the outbox."""


class ReportItem(SQLModel, table=True):
    """One indicator's figure, or one content area's narrative, in a submission."""

    __tablename__ = "report_item"
    __table_args__ = (UniqueConstraint("submission_id", "code"),)

    id: int = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    code: str = Field(max_length=24)
    value: float | None = None
    text: str | None = Field(default=None, max_length=4000)


class SubmissionActivity(SQLModel, table=True):
    """An activity a submission counts (linked by the focal point from the window's list)."""

    __tablename__ = "submission_activity"

    submission_id: int = Field(foreign_key="submission.id", primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", primary_key=True, index=True)


class AssignedTask(SQLModel, table=True):
    __tablename__ = "assigned_task"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=24)
    title: str = Field(max_length=1000)
    due_text: str = Field(max_length=80)
    due_date: date
    source: str = Field(max_length=300)
    active: bool = True


class TaskAssignment(SQLModel, table=True):
    """One agency's share of an assigned task, and its 'done' report."""

    __tablename__ = "task_assignment"

    task_id: int = Field(foreign_key="assigned_task.id", primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", primary_key=True, index=True)
    active: bool = True
    done_at: datetime | None = None
    done_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    done_note: str | None = Field(default=None, max_length=2000)
