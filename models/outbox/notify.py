"""Writing outbox rows: one per recipient and subject, never twice for the same key."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, update
from sqlmodel import Session, col, select

from models.db.inserts import dialect_insert, insert_once
from models.outbox.tables import GroupChat, OutboxMessage, OutboxStatus
from models.people.tables import ChannelIdentity, Person, Role


@dataclass(frozen=True, slots=True)
class Reader:
    """What a notice needs of a person. Plain values, not ORM objects: the scheduler reads
    every focal point of a province at once (15,000 as objects cost ~54 MB)."""

    id: int
    programme_id: int
    agency_id: int
    role: Role
    language: str
    full_name: str


@dataclass(frozen=True, slots=True)
class Account:
    channel: str
    chat_ref: str


Recipient = tuple[Reader, Account]
FOCAL_ROLES = (Role.LEADER, Role.SPECIALIST)


def enqueue(
    session: Session,
    key: str,
    channel: str,
    chat_ref: str,
    text: str,
    now: datetime,
    not_before: datetime | None = None,
    person_id: int | None = None,
    group_id: int | None = None,
    programme_id: int | None = None,
) -> bool:
    """Add an outbox row unless one with `key` exists; True when it was added."""
    values = {
        "key": key,
        "channel": channel,
        "chat_ref": chat_ref,
        "text": text,
        "created_at": now,
        "not_before": not_before or now,
        "person_id": person_id,
        "group_id": group_id,
        "programme_id": programme_id,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
    }
    return insert_once(session, OutboxMessage, values, ["key"])


def enqueue_to(
    session: Session,
    key: str,
    recipient: Recipient,
    text: str,
    now: datetime,
    programme_id: int,
    not_before: datetime | None = None,
) -> bool:
    """`enqueue` for a person, on the channel account they can be reached at."""
    person, identity = recipient
    return enqueue(session, key, identity.channel, identity.chat_ref, text, now, not_before, person.id, None, programme_id)


ROWS_PER_INSERT = 2_000
"""Rows in one multi-row INSERT: 11 values each, within SQLite's 32,766 bound parameters."""


@dataclass(frozen=True)
class Notice:
    """One outbox row to write, to a person's account or to a group."""

    key: str
    channel: str
    chat_ref: str
    text: str
    person_id: int | None = None
    group_id: int | None = None


def to_person(key: str, recipient: Recipient, text: str) -> Notice:
    person, identity = recipient
    return Notice(key, identity.channel, identity.chat_ref, text, person_id=person.id)


def to_group(key: str, group: GroupChat, text: str) -> Notice:
    return Notice(key, group.channel, group.chat_ref, text, group_id=group.id)


def enqueue_all(
    session: Session, notices: Iterable[Notice], now: datetime, programme_id: int, not_before: datetime | None = None
) -> set[str]:
    """`enqueue` for many rows at once, in one INSERT … ON CONFLICT (key) DO NOTHING per
    ROWS_PER_INSERT rows (the first notice of a repeated key wins); the keys written."""
    fixed = {
        "created_at": now,
        "not_before": not_before or now,
        "programme_id": programme_id,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
    }
    by_key: dict[str, dict[str, Any]] = {}
    for notice in notices:
        by_key.setdefault(notice.key, {**vars(notice), **fixed})
    rows = list(by_key.values())
    insert = dialect_insert(session)
    written: set[str] = set()
    for start in range(0, len(rows), ROWS_PER_INSERT):
        statement = insert(OutboxMessage).values(rows[start : start + ROWS_PER_INSERT])
        written.update(session.execute(statement.on_conflict_do_nothing(index_elements=["key"]).returning(OutboxMessage.key)).scalars())
    return written


def _reachable(session: Session, *conditions: Any) -> list[Recipient]:
    """Active people meeting `conditions`, each with one active channel account: on the
    channel they chose (/channel), else the one they last used; in one query."""
    chosen_first = case((col(ChannelIdentity.channel) == Person.preferred_channel, 0), else_=1)
    query = (
        # sqlmodel types select() for at most four columns
        select(Person.id, Person.programme_id, Person.agency_id, Person.role, Person.language, Person.full_name)  # type: ignore[call-overload]
        .add_columns(ChannelIdentity.channel, ChannelIdentity.chat_ref)
        .join(ChannelIdentity, ChannelIdentity.person_id == Person.id)
        .where(Person.active == True, ChannelIdentity.active == True, *conditions)
        .order_by(col(Person.id), chosen_first, col(ChannelIdentity.last_seen_at).desc(), col(ChannelIdentity.id).desc())
    )
    chosen: dict[int, Recipient] = {}
    for *person, channel, chat_ref in session.exec(query):
        chosen.setdefault(person[0], (Reader(*person), Account(channel, chat_ref)))
    return list(chosen.values())


def reachable_identities(session: Session, person_ids: list[int]) -> list[Recipient]:
    """The people among `person_ids` who can be reached, each on one account (`_reachable`)."""
    return _reachable(session, col(Person.id).in_(person_ids)) if person_ids else []


def office(session: Session, programme_id: int) -> list[Recipient]:
    """The LHH office: active admins who can be reached."""
    return _reachable(session, Person.programme_id == programme_id, Person.role == Role.ADMIN)


def focal_points(session: Session, agency_id: int) -> list[Recipient]:
    """The agency's leader and specialist(s) who can be reached."""
    return focal_points_by_agency(session, [agency_id]).get(agency_id, [])


def focal_points_by_agency(session: Session, agency_ids: Iterable[int]) -> dict[int, list[Recipient]]:
    """`focal_points` of many agencies in one query, by agency id."""
    ids = list(agency_ids)
    return _by_agency(_reachable(session, col(Person.agency_id).in_(ids), col(Person.role).in_(FOCAL_ROLES))) if ids else {}


def programme_focal_points(session: Session, programme_id: int) -> dict[int, list[Recipient]]:
    """`focal_points` of every agency of the programme in one query, by agency id."""
    return _by_agency(_reachable(session, col(Person.programme_id) == programme_id, col(Person.role).in_(FOCAL_ROLES)))


def _by_agency(pairs: list[Recipient]) -> dict[int, list[Recipient]]:
    found: dict[int, list[Recipient]] = {}
    for pair in pairs:
        found.setdefault(pair[0].agency_id, []).append(pair)
    return found


def cancel_pending(session: Session, key_prefix: str) -> None:
    """Drop rows not yet sent whose key starts with `key_prefix` (news made them obsolete)."""
    statement = (
        update(OutboxMessage)
        .where(col(OutboxMessage.key).startswith(key_prefix), col(OutboxMessage.status) == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(statement)
