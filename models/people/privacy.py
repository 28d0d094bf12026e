"""A person's own data: what is stored about them (/mydata), and erasing it (/forgetme).

The Law on Personal Data Protection 91/2025/QH15 gives people the rights to know, to
access, to withdraw consent and to have their data deleted. Erasing removes the name, the
messenger accounts, link codes, conversation state and the messages addressed to them; in
other people's open forms (an admin on /people) the name becomes the role label, and a form
that holds one of the person's account ids is closed. On SQLite the freed pages are zeroed
and the write-ahead log is emptied once the erasure is committed;
what the person did for their agency (reports, activities, files, reviews) stays, and
points to the same `person` row, which now holds the role label ("Chuyên viên đầu mối –
Sở Y tế") instead of the name. Free text the agency typed into its own records is kept as
written: a name there cannot be told from a street or a school named after someone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, false, func, or_, tuple_
from sqlmodel import Session, col, select

from locales.catalogue import t
from models.activities.tables import Activity, Attachment
from models.conversations.tables import Conversation
from models.db.engine import checkpoint_after_commit
from models.outbox.notify import message, tell_office
from models.outbox.tables import GroupChat, OutboxMessage, OutboxStatus
from models.people.roster import log
from models.people.tables import ChannelIdentity, Invite, LinkCode, Person, ProcessingLog, Role
from models.programme.tables import Agency
from models.reporting.tables import Submission, TaskAssignment
from models.tvpb.experts import forget as forget_expert


@dataclass(frozen=True)
class Account:
    channel: str
    user_ref: str
    active: bool
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class PersonalData:
    """Everything stored about one person, or counted because it points to them."""

    person: Person
    agency: Agency
    accounts: list[Account]
    groups_bound: list[str]
    activities: int
    submissions: int
    reviews: int
    tasks_done: int
    attachments: int
    invites_made: int
    pending_messages: int
    log_entries: int

    @property
    def last_seen(self) -> datetime | None:
        return max((account.last_seen_at for account in self.accounts), default=None)


def role_label(role: Role, agency_name: str, language: str) -> str:
    """'Chuyên viên đầu mối – Sở Y tế': who did something, once the name is gone."""
    name = t(f"role.{role.value}", language)
    return t("privacy.role_label", language, role=name[:1].upper() + name[1:], agency=agency_name)


def shown_name(person: Person, agency: Agency, language: str) -> str:
    """The person's name, or their role label in `language` if they erased their data."""
    return role_label(person.role, agency.name, language) if person.erased_at is not None else person.full_name


def _count(session: Session, column: object, person_id: int) -> int:
    return session.exec(select(func.count()).where(column == person_id)).one()


def _addressed_to(person_id: int, identities: list[ChannelIdentity]) -> ColumnElement[bool]:
    """Outbox rows for the person: by id, or sent to one of their private chats."""
    chats = [(i.channel, i.chat_ref) for i in identities]
    by_chat = tuple_(col(OutboxMessage.channel), col(OutboxMessage.chat_ref)).in_(chats) if chats else false()
    return or_(col(OutboxMessage.person_id) == person_id, and_(col(OutboxMessage.group_id).is_(None), by_chat))


def personal_data(session: Session, person: Person) -> PersonalData:
    assert person.id is not None
    agency = session.get(Agency, person.agency_id)
    assert agency is not None
    identities = list(session.exec(select(ChannelIdentity).where(ChannelIdentity.person_id == person.id).order_by(col(ChannelIdentity.id))))
    pending = select(func.count()).where(_addressed_to(person.id, identities), OutboxMessage.status == OutboxStatus.PENDING)
    groups = select(GroupChat.title, GroupChat.chat_ref).where(GroupChat.bound_by_person_id == person.id).order_by(col(GroupChat.id))
    return PersonalData(
        person=person,
        agency=agency,
        accounts=[Account(i.channel, i.user_ref, i.active, i.created_at, i.last_seen_at) for i in identities],
        groups_bound=[title or ref for title, ref in session.exec(groups)],
        activities=_count(session, Activity.created_by_person_id, person.id),
        submissions=_count(session, Submission.submitted_by_person_id, person.id),
        reviews=_count(session, Submission.reviewed_by_person_id, person.id),
        tasks_done=_count(session, TaskAssignment.done_by_person_id, person.id),
        attachments=_count(session, Attachment.person_id, person.id),
        invites_made=_count(session, Invite.created_by_person_id, person.id),
        pending_messages=session.exec(pending.select_from(OutboxMessage)).one(),
        log_entries=_count(session, ProcessingLog.person_id, person.id),
    )


@dataclass(frozen=True)
class Erased:
    label: str
    accounts: int
    messages: int
    notices: int


def erase(session: Session, person_id: int, now: datetime, language: str) -> Erased | None:
    """Erase the person's personal data in the caller's transaction; None if already done.
    The person row is locked first (PostgreSQL), so two confirmations erase once."""
    person = session.exec(select(Person).where(Person.id == person_id).with_for_update().execution_options(populate_existing=True)).one()
    if person.erased_at is not None:
        return None
    agency = session.get(Agency, person.agency_id)
    assert agency is not None
    name, label, was_active = person.full_name, role_label(person.role, agency.name, language), person.active
    identities = list(session.exec(select(ChannelIdentity).where(ChannelIdentity.person_id == person_id)))
    messages = _forget_messages(session, person_id, identities, name, label)
    _forget_accounts(session, person_id, identities)
    _scrub_conversations(session, name, label, {ref for i in identities for ref in (i.user_ref, i.chat_ref)})
    checkpoint_after_commit(session)
    person.full_name, person.preferred_channel, person.erased_at = label[:120], None, now
    if was_active:
        person.active, person.deactivated_at = False, now
    forget_expert(session, person_id, language, now)
    log(session, "erased", now, person_id, person_id, accounts=len(identities), messages=messages)
    notices = _tell_office(session, person, agency, now) if was_active else 0
    return Erased(label, len(identities), messages, notices)


def _forget_messages(session: Session, person_id: int, identities: list[ChannelIdentity], name: str, label: str) -> int:
    """Drop the outbox rows addressed to the person; put the label for the name in the rest."""
    dropped = session.exec(delete(OutboxMessage).where(_addressed_to(person_id, identities))).rowcount
    whole_name = _whole(name)
    for row in session.exec(select(OutboxMessage).where(col(OutboxMessage.text).contains(name, autoescape=True))):
        row.text = whole_name.sub(label, row.text)
    return int(dropped)


def _whole(*texts: str) -> re.Pattern[str]:
    """Any of `texts` as a whole word."""
    return re.compile("|".join(rf"(?<!\w){re.escape(text)}(?!\w)" for text in texts))


def _scrub_conversations(session: Session, name: str, label: str, refs: set[str]) -> None:
    """Other people's conversation rows: the name becomes the label; a row that holds one of
    the person's account ids is emptied (its form ends)."""
    whole = partial(_whole(name).sub, label)
    account = _whole(*sorted(refs)) if refs else None
    for convo in session.exec(select(Conversation)):
        strings = list(_strings(convo.data))
        if account is not None and any(account.search(value) for value in strings):
            convo.flow, convo.step, convo.data = None, None, {}
        elif any(name in value for value in strings):
            convo.data = _replaced(convo.data, whole)


def _strings(value: Any) -> Any:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _replaced(value: Any, replace: Any) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, dict):
        return {replace(key): _replaced(item, replace) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_replaced(item, replace) for item in value]
    return value


def _forget_accounts(session: Session, person_id: int, identities: list[ChannelIdentity]) -> None:
    users = [(i.channel, i.user_ref) for i in identities]
    if users:
        session.execute(delete(Conversation).where(tuple_(Conversation.channel, Conversation.user_ref).in_(users)))
    session.execute(delete(LinkCode).where(col(LinkCode.person_id) == person_id))
    session.execute(delete(ChannelIdentity).where(col(ChannelIdentity.person_id) == person_id))


def _tell_office(session: Session, person: Person, agency: Agency, now: datetime) -> int:
    """One notice per admin: who left (by role), and the /invite that names a successor."""
    notice = message("privacy.office_notice", who=partial(role_label, person.role, agency.name), agency=agency.code, role=person.role.value)
    return len(tell_office(session, person.programme_id, f"erased:{person.id}", notice, now))
