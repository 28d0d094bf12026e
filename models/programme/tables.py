"""What a loaded programme puts in the database: the programme, its agencies, activity
types, indicators and assigned tasks. Rows are never deleted when a programme file drops
them, only made inactive, so activities and submissions keep what they point to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class ProgrammeRecord(SQLModel, table=True):
    __tablename__ = "programme"

    id: int = Field(default=None, primary_key=True)
    code: str = Field(max_length=24, unique=True)
    name: str = Field(max_length=300)
    timezone: str = Field(max_length=64)
    source_hash: str = Field(max_length=64)
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    loaded_at: datetime


class AgencyKind(SQLModel, table=True):
    __tablename__ = "agency_kind"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=24)
    name: str = Field(max_length=300)
    name_en: str = Field(max_length=300)
    active: bool = True


class Agency(SQLModel, table=True):
    __tablename__ = "agency"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=16)
    name: str = Field(max_length=300)
    kind_code: str | None = Field(default=None, max_length=24)
    is_coordinator: bool = False
    active: bool = True


class ActivityType(SQLModel, table=True):
    __tablename__ = "activity_type"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=24)
    name: str = Field(max_length=300)
    name_en: str = Field(max_length=300)
    position: int = 0
    active: bool = True


class Indicator(SQLModel, table=True):
    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=24)
    name: str = Field(max_length=300)
    name_en: str = Field(max_length=300)
    unit: str = Field(max_length=40)
    unit_en: str = Field(max_length=40)
    position: int = 0
    active: bool = True
