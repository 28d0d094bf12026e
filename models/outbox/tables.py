"""The outbox: every message the system sends on its own (reminders, chases, digests,
notices) is first a row here, with a unique key, so a job that runs twice writes nothing
twice and a sender that dies delivers the row on restart."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.db.columns import StrEnumType


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "not_before"),)

    id: int = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    channel: str = Field(max_length=16)
    chat_ref: str = Field(max_length=64)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    group_id: int | None = Field(default=None, foreign_key="group_chat.id", index=True)
    text: str = Field(sa_type=Text)
    document_ref: str | None = Field(default=None, max_length=255)
    """A file the channel re-sends by its own id (a Telegram file_id), `text` its caption."""
    created_at: datetime
    not_before: datetime
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=StrEnumType(OutboxStatus))
    attempts: int = 0
    pieces_sent: int = 0
    """Of a text the channel sends in pieces, how many went out: a retry or another sender
    goes on from the next one, so no piece is delivered twice."""
    next_attempt_at: datetime | None = None
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=500)
    provider_message_id: str | None = Field(default=None, max_length=64)
    photo_url: str | None = Field(default=None, sa_type=Text)
    """A picture the channel fetches from this URL (Zalo's sendPhoto); `text` is then what is
    sent instead when the picture keeps failing."""


class GroupChat(SQLModel, table=True):
    __tablename__ = "group_chat"
    __table_args__ = (UniqueConstraint("channel", "chat_ref"),)

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    channel: str = Field(max_length=16)
    chat_ref: str = Field(max_length=64)
    title: str | None = Field(default=None, max_length=200)
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    bound_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    bound_at: datetime
    active: bool = True
    deactivated_at: datetime | None = None
