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
