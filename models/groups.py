"""Group chats bound to an agency, or to all focal points (agency_id None)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class GroupChat(SQLModel, table=True):
    __tablename__ = "group_chat"
    __table_args__ = (UniqueConstraint("channel", "chat_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    channel: str = Field(max_length=16)
    chat_ref: str = Field(max_length=64)
    title: str | None = Field(default=None, max_length=200)
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    bound_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    bound_at: datetime
    active: bool = True
    deactivated_at: datetime | None = None
