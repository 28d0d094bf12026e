"""The web's sign-in links: single use, short-lived, kept only as a hash of their token."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class SignInLink(SQLModel, table=True):
    __tablename__ = "web_sign_in"

    id: int = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
