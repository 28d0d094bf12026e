"""Coordination activities that agencies register (seed 000, Điều 3–4)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.db.columns import StrEnumType


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class Activity(SQLModel, table=True):
    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_lead_date", "lead_agency_id", "planned_date"),)

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    lead_agency_id: int = Field(foreign_key="agency.id")
    type_id: int = Field(foreign_key="activity_type.id", index=True)
    title: str = Field(max_length=300)
    planned_date: date
    actual_date: date | None = None
    place: str = Field(max_length=200)
    participants: int | None = None
    status: ActivityStatus = Field(sa_type=StrEnumType(ActivityStatus))
    cancel_reason: str | None = Field(default=None, max_length=300)
    created_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime
    updated_at: datetime


class ActivityPartner(SQLModel, table=True):
    __tablename__ = "activity_partner"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", primary_key=True, index=True)


class Attachment(SQLModel, table=True):
    __tablename__ = "attachment"

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    channel: str = Field(max_length=16)
    file_ref: str = Field(max_length=255)
    file_unique_ref: str | None = Field(default=None, max_length=64)
    name: str | None = Field(default=None, max_length=255)
    mime: str | None = Field(default=None, max_length=100)
    size: int | None = None
    activity_id: int | None = Field(default=None, foreign_key="activity.id", index=True)
    report_item_id: int | None = Field(default=None, foreign_key="report_item.id", index=True)
    created_at: datetime


class NoticeChoice(SQLModel, table=True):
    """How a person hears of activities that name their agency: each at once, or a daily digest."""

    __tablename__ = "activity_notice_choice"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    digest: bool = False
