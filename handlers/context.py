"""Everything one handler call may use: the unit of work, the served programme and the
engine's settings, the wiring, who is speaking, where they stand in a conversation, and
the time, in the programme's zone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlmodel import Session

from handlers.types import ChatKind, Incoming, Reply
from locales.catalogue import localised, t
from models.activities.files import DEFAULT_LIMIT as DEFAULT_FILE_LIMIT
from models.conversations.tables import Conversation
from models.errors import RuleError
from models.people.attempts import CodeAttempts
from models.people.tables import ChannelIdentity, Person, Role
from models.programme.schema import Programme
from models.programme.served import Served
from models.programme.tables import Agency

if TYPE_CHECKING:
    from handlers.wiring import Wiring

T = TypeVar("T")


@dataclass(frozen=True)
class Policy:
    """The settings the handlers apply, the same for every update of a running engine."""

    invite_days: int = 7
    file_limit: int = DEFAULT_FILE_LIMIT
    code_attempts: CodeAttempts | None = None
    """Wrong invite and link codes per account (`models/people/attempts`)."""
    web_url: str | None = None
    """PUBLIC_URL when the web is on: the base of the sign-in links /web sends."""


@dataclass
class Speaker:
    """Who is speaking, as the engine found them; a handler may change it within the update
    (a join, a /link, a /forgetme). A former member's person and agency are not kept."""

    identity: ChannelIdentity | None = None
    person: Person | None = None
    agency: Agency | None = None
    former_member: bool = False


@dataclass(kw_only=True)
class Ctx:
    session: Session
    incoming: Incoming
    now: datetime
    served: Served
    policy: Policy
    wiring: Wiring
    lang: str
    speaker: Speaker = field(default_factory=Speaker)
    convo: Conversation | None = None
    ended: Conversation | None = None
    """A finished flow's row, deleted when the update ends unless a new flow takes it over."""
    memo: dict[str, Any] = field(default_factory=dict)
    """What one update computes once and shares, e.g. a command and the prompt it renders."""

    @property
    def programme(self) -> Programme:
        return self.served.programme

    @property
    def programme_id(self) -> int:
        return self.served.id

    @property
    def identity(self) -> ChannelIdentity | None:
        return self.speaker.identity

    @property
    def person(self) -> Person | None:
        return self.speaker.person

    @property
    def agency(self) -> Agency | None:
        return self.speaker.agency

    def once(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()`, run at most once in this update: later calls get the value kept in `memo`."""
        if key not in self.memo:
            self.memo[key] = compute()
        return cast(T, self.memo[key])

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def role(self) -> Role | None:
        """The role the speaker acts in: a viewer outside the coordinator and the oversight
        bodies acts as an agency viewer (models/people/tables `Role.AGENCY_VIEWER`)."""
        if self.person is None:
            return None
        if self.person.role is Role.VIEWER and self.agency is not None and not self.programme.oversees(self.agency.code):
            return Role.AGENCY_VIEWER
        return self.person.role

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
        """This chat's conversation row, created on first need (or taken over from a flow
        that ended in this update, so the row is updated rather than deleted and inserted).
        The engine saves it as the update ends (`forms.settle`)."""
        if self.convo is None and self.ended is not None:
            convo, self.ended = self.ended, None
            convo.flow = convo.step = convo.language = None
            convo.data, convo.nonce, convo.updated_at = {}, "", self.now
            self.convo = convo
        if self.convo is None:
            incoming = self.incoming
            self.convo = Conversation(channel=incoming.channel, chat_ref=incoming.chat_ref, user_ref=incoming.user_ref, updated_at=self.now)
        return self.convo

    def name_of(self, vi: str, en: str) -> str:
        """A catalogue name from the programme, in the reader's language."""
        return localised(vi, en, self.lang)
