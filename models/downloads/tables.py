"""Files published to one person behind a signed link (a document or chart Zalo cannot carry),
and the log of every time one was opened."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel


class WebFile(SQLModel, table=True):
    __tablename__ = "web_file"

    id: int = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    filename: str = Field(max_length=255)
    mime: str = Field(max_length=120)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime
    expires_at: datetime = Field(index=True)


class WebFileUse(SQLModel, table=True):
    """One opening of a published file, by its link (`via` 'file' or 'image')."""

    __tablename__ = "web_file_use"

    id: int = Field(default=None, primary_key=True)
    web_file_id: int = Field(foreign_key="web_file.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    via: str = Field(max_length=8)
    used_at: datetime


class KeptFile(SQLModel, table=True):
    """The bytes of an attachment fetched from its messenger (a signed công văn), so that
    another channel and the web can serve it. `state`: 'waiting' (fetched at
    `next_try_at`), 'kept', 'refused' (too big, not a PDF or a photo: never tried again),
    'given_up' (the messenger kept failing). The messenger's file id stays on the attachment."""

    __tablename__ = "kept_file"

    attachment_id: int = Field(foreign_key="attachment.id", primary_key=True)
    state: str = Field(default="waiting", max_length=12, index=True)
    attempts: int = 0
    next_try_at: datetime
    reason: str | None = Field(default=None, max_length=40)
    mime: str | None = Field(default=None, max_length=100)
    size: int | None = None
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    kept_at: datetime | None = None
