"""Everything one handler call may use: the unit of work, who is speaking, where they
stand in a conversation, and the time, in the programme's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from bot.i18n import localised, t
from handlers.types import ChatKind, Incoming, Reply
from models.attaching import DEFAULT_LIMIT as DEFAULT_FILE_LIMIT
from models.catalogue import Agency
from models.conversation import Conversation
from models.errors import RuleError
from models.people import ChannelIdentity, Person, Role
from models.programme_schema import Programme


@dataclass
class Ctx:
    session: Session
    incoming: Incoming
    now: datetime
    programme: Programme
    programme_id: int
    lang: str
    invite_days: int
    identity: ChannelIdentity | None = None
    person: Person | None = None
    agency: Agency | None = None
    convo: Conversation | None = None
    former_member: bool = False
    file_limit: int = DEFAULT_FILE_LIMIT

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def role(self) -> Role | None:
        return self.person.role if self.person else None

    @property
    def private(self) -> bool:
        return self.incoming.chat_kind is ChatKind.PRIVATE

    def t(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    def say(self, key: str, **params: Any) -> Reply:
        return Reply(self.t(key, **params))

    def error(self, error: RuleError) -> str:
        return self.t(error.key, **error.params)

    def state(self) -> Conversation:
        """This chat's conversation row, created on first need."""
        if self.convo is None:
            incoming = self.incoming
            self.convo = Conversation(channel=incoming.channel, chat_ref=incoming.chat_ref, user_ref=incoming.user_ref, updated_at=self.now)
            self.session.add(self.convo)
        return self.convo

    def name_of(self, vi: str, en: str) -> str:
        """A catalogue name from the programme, in the reader's language."""
        return localised(vi, en, self.lang)
