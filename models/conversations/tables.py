"""Where each chat stands in a conversation, and which updates were already handled.

State is keyed by channel, chat and user, not by person, so a stranger who has not yet
consented has a form in progress without any personal data being stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Conversation(SQLModel, table=True):
    __tablename__ = "conversation"
    __table_args__ = (UniqueConstraint("channel", "chat_ref", "user_ref"),)

    id: int = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    chat_ref: str = Field(max_length=64)
    user_ref: str = Field(max_length=64)
    flow: str | None = Field(default=None, max_length=32)
    step: str | None = Field(default=None, max_length=32)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    nonce: str = Field(default="", max_length=8)
    language: str | None = Field(default=None, max_length=5)
    updated_at: datetime


class ProcessedUpdate(SQLModel, table=True):
    __tablename__ = "processed_update"

    channel: str = Field(max_length=16, primary_key=True)
    update_ref: str = Field(max_length=64, primary_key=True)
    at: datetime = Field(index=True)
