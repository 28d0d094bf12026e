"""A TVPB task, its stages with who did them, its dossier parts, the experts and the
councils they sit on. An expert is stored only once they consented (Law 91/2025/QH15):
themselves in the chat, or on paper as recorded by the office (`paper_consent_on`)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.db.columns import StrEnumType


class Stage(StrEnum):
    REQUESTED = "requested"
    DOSSIER = "dossier"
    COUNCIL = "council"
    WORKSHOP = "workshop"
    CRITIQUE_SENT = "critique_sent"
    RESPONSE = "response"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class SchemeKind(StrEnum):
    DE_AN = "de_an"
    QUY_HOACH = "quy_hoach"
    CHUONG_TRINH = "chuong_trinh"
    CHINH_SACH = "chinh_sach"
    DU_AN = "du_an"


class SeatStatus(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class TvpbTask(SQLModel, table=True):
    __tablename__ = "tvpb_task"

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    """The drafting agency (cơ quan chủ trì soạn thảo)."""
    title: str = Field(max_length=500)
    kind: SchemeKind = Field(sa_type=StrEnumType(SchemeKind))
    fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    submission_on: date
    """The planned date of submission to the UBND tỉnh."""
    dossier_due: date
    stage: Stage = Field(sa_type=StrEnumType(Stage), index=True)
    late_at_opening: bool = False
    """Opened with fewer days left than the rule gives."""
    dossier_complete_at: datetime | None = None
    dossier_late: bool | None = None
    dossier_incomplete: bool | None = None
    """Received with a required part marked missing."""
    council_days: int | None = None
    """Days between the complete dossier and the submission: the council's time."""
    workshop_on: date | None = None
    response_due: date | None = None
    cancel_reason: str | None = Field(default=None, max_length=500)
    opened_at: datetime
    activity_id: int | None = Field(default=None, foreign_key="activity.id", unique=True)
    """The coordination activity registered for the same critique: counted through the task, never on its own."""


class TvpbStageLog(SQLModel, table=True):
    """One stage reached: when, and by whom (none: the bot)."""

    __tablename__ = "tvpb_stage_log"

    id: int = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tvpb_task.id", index=True)
    stage: Stage = Field(sa_type=StrEnumType(Stage))
    at: datetime
    person_id: int | None = Field(default=None, foreign_key="person.id")
    note: str | None = Field(default=None, max_length=500)


class TvpbPart(SQLModel, table=True):
    """A dossier part received (a file) or marked missing; a newer copy supersedes the
    older, which stays in the record."""

    __tablename__ = "tvpb_part"

    id: int = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tvpb_task.id", index=True)
    part: str = Field(max_length=24)
    attachment_id: int | None = Field(default=None, foreign_key="attachment.id")
    missing: bool = False
    at: datetime
    person_id: int | None = Field(default=None, foreign_key="person.id")
    superseded_at: datetime | None = None


class Expert(SQLModel, table=True):
    __tablename__ = "expert"

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", unique=True)
    """The bot user; none for an expert the office recorded with consent on paper."""
    full_name: str = Field(max_length=120)
    title: str = Field(default="", max_length=120)
    """Academic title and degree (học hàm, học vị)."""
    fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    affiliation: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=200)
    consent_at: datetime
    paper_consent_on: date | None = None
    """Consent confirmed on paper, on this date (recorded by the office)."""
    created_at: datetime
    erased_at: datetime | None = None
    """Set by /forgetme: `full_name` then holds the role label, not a name."""


class CouncilSeat(SQLModel, table=True):
    __tablename__ = "council_seat"
    __table_args__ = (UniqueConstraint("task_id", "expert_id"),)

    id: int = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tvpb_task.id", index=True)
    expert_id: int = Field(foreign_key="expert.id", index=True)
    status: SeatStatus = Field(sa_type=StrEnumType(SeatStatus))
    invited_at: datetime
    answered_at: datetime | None = None
    history: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    """Every answer, in order (an expert may decline after accepting)."""
