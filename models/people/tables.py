"""People, the channels they use, the invites that let them in, and the log of what was
done with their personal data (Law on Personal Data Protection 91/2025/QH15)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.db.columns import StrEnumType


class Role(StrEnum):
    LEADER = "leader"
    SPECIALIST = "specialist"
    ADMIN = "admin"
    VIEWER = "viewer"
    EXPERT = "expert"
    """A member of the expert bank (TVPB councils, `models/tvpb`): sees only the councils they sit on."""
    AGENCY_VIEWER = "agency_viewer"
    """Never stored: the role a viewer acts in when their agency is neither the coordinator
    nor an oversight body of the programme (`Programme.oversees`): they read their own
    agency's activities and dues, not the other agencies' data (handlers/context `Ctx.role`)."""

    @property
    def is_focal_point(self) -> bool:
        return self in (Role.LEADER, Role.SPECIALIST)


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    role: Role = Field(sa_type=StrEnumType(Role))
    full_name: str = Field(max_length=120)
    language: str = Field(default="vi", max_length=5)
    consent_at: datetime
    consent_version: str = Field(max_length=16)
    active: bool = True
    created_at: datetime
    deactivated_at: datetime | None = None
    preferred_channel: str | None = Field(default=None, max_length=16)
    erased_at: datetime | None = None
    """Set by /forgetme: `full_name` then holds the role label, not a name."""


class ChannelIdentity(SQLModel, table=True):
    """A person's account on one messenger; `chat_ref` is their private chat."""

    __tablename__ = "channel_identity"
    __table_args__ = (UniqueConstraint("channel", "user_ref"),)

    id: int = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    channel: str = Field(max_length=16)
    user_ref: str = Field(max_length=64)
    chat_ref: str = Field(max_length=64)
    active: bool = True
    created_at: datetime
    last_seen_at: datetime


class Invite(SQLModel, table=True):
    __tablename__ = "invite"

    id: int = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=16, unique=True)
    agency_id: int = Field(foreign_key="agency.id")
    role: Role = Field(sa_type=StrEnumType(Role))
    created_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    used_by_person_id: int | None = Field(default=None, foreign_key="person.id")


class LinkCode(SQLModel, table=True):
    """A one-time code that attaches another messenger account to a person: issued with
    /link on one channel, entered on the other before it expires."""

    __tablename__ = "link_code"

    id: int = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    identity_id: int = Field(foreign_key="channel_identity.id")
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class ProcessingLog(SQLModel, table=True):
    """Who did what with a person's data, and when."""

    __tablename__ = "processing_log"

    id: int = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    actor_person_id: int | None = Field(default=None, foreign_key="person.id")
    action: str = Field(max_length=40)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CodeAttempt(SQLModel, table=True):
    """A wrong invite or link code (`blocked_until` empty), or a lockout, of one messenger
    account known only by a hash of its id (`models/people/attempts`): shared by every
    worker, kept across restarts, deleted once it no longer counts."""

    __tablename__ = "code_attempt"

    id: int = Field(default=None, primary_key=True)
    account_hash: str = Field(max_length=64, index=True)
    at: datetime = Field(index=True)
    blocked_until: datetime | None = None
