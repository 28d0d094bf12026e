"""Writing outbox rows: one per recipient and subject, never twice for the same key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from models.outbox import OutboxMessage, OutboxStatus
from models.people import ChannelIdentity, Person, Role


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
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["key"])
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def enqueue_to(
    session: Session,
    key: str,
    recipient: tuple[Person, ChannelIdentity],
    text: str,
    now: datetime,
    programme_id: int,
    not_before: datetime | None = None,
) -> bool:
    """`enqueue` for a person, on the channel account they can be reached at."""
    person, identity = recipient
    return enqueue(session, key, identity.channel, identity.chat_ref, text, now, not_before, person.id, None, programme_id)


def reachable_identities(session: Session, person_ids: list[int]) -> list[tuple[Person, ChannelIdentity]]:
    """Active people among `person_ids`, each with one active channel account: on the
    channel they chose (/channel), else the one they last used."""
    if not person_ids:
        return []
    chosen_first = case((ChannelIdentity.channel == Person.preferred_channel, 0), else_=1)
    query = (
        select(Person, ChannelIdentity)
        .join(ChannelIdentity, ChannelIdentity.person_id == Person.id)
        .where(Person.id.in_(person_ids), Person.active == True, ChannelIdentity.active == True)  # type: ignore[union-attr]  # noqa: E712
        .order_by(Person.id, chosen_first, ChannelIdentity.last_seen_at.desc(), ChannelIdentity.id.desc())  # type: ignore[attr-defined, union-attr]
    )
    chosen: dict[int, tuple[Person, ChannelIdentity]] = {}
    for person, identity in session.exec(query):
        chosen.setdefault(person.id, (person, identity))  # type: ignore[arg-type]
    return list(chosen.values())


def office(session: Session, programme_id: int) -> list[tuple[Person, ChannelIdentity]]:
    """The LHH office: active admins who can be reached."""
    ids = session.exec(select(Person.id).where(Person.programme_id == programme_id, Person.role == Role.ADMIN, Person.active == True)).all()  # noqa: E712
    return reachable_identities(session, [i for i in ids if i is not None])


def focal_points(session: Session, agency_id: int) -> list[tuple[Person, ChannelIdentity]]:
    """The agency's leader and specialist(s) who can be reached."""
    query = select(Person.id).where(Person.agency_id == agency_id, Person.active == True, Person.role.in_([Role.LEADER, Role.SPECIALIST]))  # type: ignore[attr-defined]  # noqa: E712
    return reachable_identities(session, [i for i in session.exec(query).all() if i is not None])


def cancel_pending(session: Session, key_prefix: str) -> int:
    """Drop rows not yet sent whose key starts with `key_prefix` (news made them obsolete)."""
    query = select(OutboxMessage).where(OutboxMessage.key.startswith(key_prefix), OutboxMessage.status == OutboxStatus.PENDING)  # type: ignore[attr-defined]
    rows = list(session.exec(query))
    for row in rows:
        row.status = OutboxStatus.CANCELLED
    return len(rows)
