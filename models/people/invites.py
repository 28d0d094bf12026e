"""Single-use invites that expire: how a focal point, an admin or a viewer gets in."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models.errors import RuleError
from models.people.tables import Invite, Person, Role
from models.programme.due_phrases import fold
from models.programme.tables import Agency

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    """Eight characters without 0/O or 1/I, which people misread on a phone."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    return "".join(text.split()).upper()


def check_role_fits(agency: Agency, role: Role) -> None:
    """Admins belong to the coordinating LHH; focal points to the agencies it works with."""
    if role is Role.ADMIN and not agency.is_coordinator:
        raise RuleError("invite.admin_only_lhh")
    if role.is_focal_point and agency.is_coordinator:
        raise RuleError("invite.focal_not_lhh")


@dataclass(frozen=True)
class IssuedInvite:
    invite: Invite
    agency: Agency
    holders: list[Person]


def holders_of(session: Session, agency_id: int, role: Role) -> list[Person]:
    query = select(Person).where(Person.agency_id == agency_id, Person.role == role, Person.active == True)  # noqa: E712
    return list(session.exec(query.order_by(col(Person.created_at))))


def issue(session: Session, agency: Agency, role: Role, now: datetime, days: int, created_by: Person | None = None) -> IssuedInvite:
    if not agency.active:
        raise RuleError("invite.agency_inactive", agency=agency.name)
    check_role_fits(agency, role)
    assert agency.id is not None
    invite = Invite(
        programme_id=agency.programme_id,
        code=new_code(),
        agency_id=agency.id,
        role=role,
        created_by_person_id=created_by.id if created_by else None,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(invite)
    session.flush()
    return IssuedInvite(invite, agency, holders_of(session, agency.id, role))


def find_usable(session: Session, programme_id: int, code: str, now: datetime) -> Invite:
    """The invite behind `code`, or a RuleError saying why it cannot be used."""
    invite = session.exec(select(Invite).where(Invite.code == normalise_code(code), Invite.programme_id == programme_id)).first()
    if invite is None:
        raise RuleError("invite.unknown")
    if invite.used_at is not None:
        raise RuleError("invite.used")
    if invite.expires_at <= now:
        raise RuleError("invite.expired")
    agency = session.get(Agency, invite.agency_id)
    if agency is None or not agency.active:
        raise RuleError("invite.agency_inactive", agency=agency.code if agency else "?")
    return invite


ROLE_WORDS = {
    "leader": Role.LEADER,
    "lanhdao": Role.LEADER,
    "lanh dao": Role.LEADER,
    "specialist": Role.SPECIALIST,
    "chuyenvien": Role.SPECIALIST,
    "chuyen vien": Role.SPECIALIST,
    "admin": Role.ADMIN,
    "quantri": Role.ADMIN,
    "quan tri": Role.ADMIN,
    "viewer": Role.VIEWER,
    "theodoi": Role.VIEWER,
    "theo doi": Role.VIEWER,
    "expert": Role.EXPERT,
    "chuyengia": Role.EXPERT,
    "chuyen gia": Role.EXPERT,
}


def parse_role(text: str) -> Role:
    role = ROLE_WORDS.get(fold(text))
    if role is None:
        raise RuleError("invite.unknown_role", role=text)
    return role
