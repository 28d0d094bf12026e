"""Files attached to an activity or a report item: the channel's file id and metadata,
not the bytes (the messenger keeps those)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class Attachment(SQLModel, table=True):
    __tablename__ = "attachment"

    id: int | None = Field(default=None, primary_key=True)
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
