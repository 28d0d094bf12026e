"""A full roster for cycle tests: two admins, and a leader and a specialist for every
agency of a programme, each with a channel account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from models.outbox.tables import GroupChat
from models.people.roster import link_identity
from models.people.tables import Person, Role
from models.programme.tables import Agency


@dataclass(frozen=True)
class Member:
    person_id: int
    agency_code: str
    role: Role
    chat_ref: str


def add_member(
    session: Session, programme_id: int, agency: Agency, role: Role, name: str, chat_ref: str, channel: str, now: datetime
) -> Member:
    """A person of `agency` who consented at `now`, with an account on `channel` (user and chat `chat_ref`)."""
    person = Person(
        programme_id=programme_id,
        agency_id=agency.id,  # type: ignore[arg-type]
        role=role,
        full_name=name,
        consent_at=now,
        consent_version="test",
        created_at=now,
    )
    session.add(person)
    session.flush()
    link_identity(session, person, (channel, chat_ref, chat_ref), now)
    return Member(person.id, agency.code, role, chat_ref)  # type: ignore[arg-type]


def populate(session: Session, programme_id: int, now: datetime, channel: str = "sim") -> list[Member]:
    agencies = list(session.exec(select(Agency).where(Agency.programme_id == programme_id).order_by(Agency.id)))
    members = []
    for agency in agencies:
        if agency.is_coordinator:
            members += [add_member(session, programme_id, agency, Role.ADMIN, f"Quản trị {n}", f"admin-{n}", channel, now) for n in (1, 2)]
            continue
        members.append(
            add_member(session, programme_id, agency, Role.LEADER, f"Lãnh đạo {agency.code}", f"{agency.code}-leader", channel, now)
        )
        members.append(
            add_member(
                session, programme_id, agency, Role.SPECIALIST, f"Chuyên viên {agency.code}", f"{agency.code}-specialist", channel, now
            )
        )
    return members


def bind_group(
    session: Session, programme_id: int, chat_ref: str, agency_code: str | None, now: datetime, channel: str = "sim"
) -> GroupChat:
    agency_id = None
    if agency_code is not None:
        agency_id = session.exec(select(Agency.id).where(Agency.programme_id == programme_id, Agency.code == agency_code)).one()
    group = GroupChat(programme_id=programme_id, channel=channel, chat_ref=chat_ref, title=chat_ref, agency_id=agency_id, bound_at=now)
    session.add(group)
    session.flush()
    return group
