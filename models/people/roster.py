"""Joining with an invite, and who fills which focal-point seat."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from models.errors import RuleError
from models.people.invites import find_usable, holders_of
from models.people.tables import ChannelIdentity, Invite, Person, ProcessingLog, Role
from models.programme.schema import FocalPoints
from models.programme.tables import Agency

CONSENT_VERSION = "2026-01"


def seats(focal_points: FocalPoints, role: Role) -> int | None:
    """How many people may hold `role` in one agency (seed 000, Điều 11.2); None: no limit."""
    return {Role.LEADER: focal_points.leaders, Role.SPECIALIST: focal_points.specialists}.get(role)


def overflow(holders: list[Person], focal_points: FocalPoints, role: Role) -> list[Person]:
    """Who a newcomer in `role` would replace: the longest-serving holders of a full seat."""
    limit = seats(focal_points, role)
    if limit is None or len(holders) < limit:
        return []
    return holders[: len(holders) - limit + 1]


def log(session: Session, action: str, now: datetime, person_id: int | None, actor_id: int | None = None, **detail: object) -> None:
    session.add(ProcessingLog(at=now, person_id=person_id, actor_person_id=actor_id, action=action, detail=dict(detail)))


def deactivate(session: Session, person: Person, now: datetime, reason: str, actor_id: int | None = None) -> None:
    person.active = False
    person.deactivated_at = now
    log(session, "deactivated", now, person.id, actor_id, reason=reason)


def validate_full_name(text: str) -> str:
    name = " ".join(text.split())
    if not 2 <= len(name) <= 120:
        raise RuleError("join.name_length")
    if any(ch.isdigit() or unicodedata.category(ch)[0] == "C" for ch in name) or any(ch in "/@#<>{}[]\\|_=+*" for ch in name):
        raise RuleError("join.name_characters")
    return capitalised(name)


def capitalised(name: str) -> str:
    """'nguyễn văn an' or 'NGUYỄN VĂN AN' -> 'Nguyễn Văn An': each word with its first letter
    capital, as Vietnamese names are written; a word already in mixed case ('McLeod') is kept."""
    return " ".join(word if word not in (word.lower(), word.upper()) else word[:1].upper() + word[1:].lower() for word in name.split(" "))


def join(
    session: Session,
    programme_id: int,
    code: str,
    identity: tuple[str, str, str],
    full_name: str,
    language: str,
    now: datetime,
    focal_points: FocalPoints,
) -> tuple[Person, list[Person]]:
    """Create the person an invite names, with consent recorded, and link their channel
    account. Returns the person and whoever they replaced in a full seat. The invite is
    claimed first (`claim`), then the agency's seats are held (`hold_seats`), so that two
    people joining at once can neither share one invite nor both fill one seat."""
    invite = find_usable(session, programme_id, code, now)
    claim(session, invite, now)
    hold_seats(session, invite.agency_id)
    replaced = overflow(holders_of(session, invite.agency_id, invite.role), focal_points, invite.role)
    for old in replaced:
        deactivate(session, old, now, "replaced_by_invite")
    person = Person(
        programme_id=programme_id,
        agency_id=invite.agency_id,
        role=invite.role,
        full_name=validate_full_name(full_name),
        language=language,
        consent_at=now,
        consent_version=CONSENT_VERSION,
        created_at=now,
    )
    session.add(person)
    session.flush()
    link_identity(session, person, identity, now)
    invite.used_by_person_id = person.id
    log(session, "consent_given", now, person.id, person.id, version=CONSENT_VERSION, invite=invite.code)
    return person, replaced


def claim(session: Session, invite: Invite, now: datetime) -> None:
    """Mark the invite used, in one UPDATE … WHERE used_at IS NULL RETURNING: on PostgreSQL a
    second claimant waits for the first to commit and then finds it used
    (`invite.just_used`); RETURNING, not rowcount, tells (psycopg through the ORM)."""
    statement = (
        update(Invite)
        .where(col(Invite.id) == invite.id, col(Invite.used_at).is_(None), col(Invite.expires_at) > now)
        .values(used_at=now)
        .returning(col(Invite.id))
        .execution_options(synchronize_session=False)
    )
    if session.execute(statement).first() is None:
        raise RuleError("invite.just_used")
    set_committed_value(invite, "used_at", now)


def hold_seats(session: Session, agency_id: int) -> None:
    """Lock the agency's row (FOR NO KEY UPDATE, which rows referring to it do not wait
    for) until the transaction ends: joins to one agency take turns, so the next one
    counts the holders the previous one left (on SQLite the claim already holds the one write lock)."""
    session.execute(select(Agency.id).where(Agency.id == agency_id).with_for_update(key_share=True))


def link_identity(session: Session, person: Person, identity: tuple[str, str, str], now: datetime) -> ChannelIdentity:
    """Attach (channel, user, private chat) to `person`, taking it over from a former,
    inactive person if the account was theirs."""
    channel, user_ref, chat_ref = identity
    row = session.exec(select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.user_ref == user_ref)).first()
    if row is None:
        row = ChannelIdentity(person_id=person.id, channel=channel, user_ref=user_ref, chat_ref=chat_ref, created_at=now, last_seen_at=now)
        session.add(row)
    else:
        row.person_id, row.chat_ref, row.active, row.last_seen_at = person.id, chat_ref, True, now
    session.flush()
    return row


def agency_of(session: Session, person: Person) -> Agency:
    agency = session.get(Agency, person.agency_id)
    assert agency is not None
    return agency


def admin_chats(session: Session, programme_id: int, channel: str) -> list[tuple[str, str]]:
    """(private chat, language) of each active admin with an active account on `channel`."""
    return role_chats(session, programme_id, channel, (Role.ADMIN,))


def role_chats(session: Session, programme_id: int, channel: str, roles: tuple[Role, ...]) -> list[tuple[str, str]]:
    """(private chat, language) of each active person in `roles` with an active account on `channel`."""
    query = (
        select(ChannelIdentity.chat_ref, Person.language)
        .join(Person, col(Person.id) == ChannelIdentity.person_id)
        .where(
            Person.programme_id == programme_id,
            col(Person.role).in_(roles),
            Person.active == True,
            ChannelIdentity.channel == channel,
            ChannelIdentity.active == True,
        )
        .order_by(col(Person.id))
    )
    return [(chat_ref, language) for chat_ref, language in session.exec(query)]
