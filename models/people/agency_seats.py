"""The roster as the office's people page shows it: a page of agencies (of one kind, or
all), each with who holds its seats — leaders and specialists, and the LHH's admins and the
viewers — on which channels, since when. Three queries whatever the page's size: the
agencies with their total, their active people, those people's accounts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.db.paging import page_with_total
from models.people.tables import ChannelIdentity, Person, Role
from models.programme.schema import FocalPoints
from models.programme.tables import Agency

ROLE_ORDER = (Role.LEADER, Role.SPECIALIST, Role.ADMIN, Role.VIEWER, Role.EXPERT)


@dataclass(frozen=True)
class Holder:
    person: Person
    channels: list[str]
    """The channels of the person's active accounts, by name."""
    last_seen: datetime | None


@dataclass(frozen=True)
class Seat:
    role: Role
    holders: list[Holder]
    places: int | None
    """How many the regulation lets the agency name in this role (None: no limit)."""

    @property
    def open(self) -> int:
        return max(self.places - len(self.holders), 0) if self.places is not None else 0


@dataclass(frozen=True)
class AgencySeats:
    agency: Agency
    seats: list[Seat]


def seat_roles(agency: Agency) -> tuple[Role, ...]:
    """The seats an agency is shown with even when empty: focal points outside the LHH."""
    return () if agency.is_coordinator else (Role.LEADER, Role.SPECIALIST)


def agency_seats_page(
    session: Session, programme_id: int, focal_points: FocalPoints, kind: str | None, page: int, per_page: int
) -> tuple[list[AgencySeats], int]:
    """Page `page` (from 0) of the active agencies, the LHH first, then in the programme
    file's order; of kind `kind` when given. Returns the page and how many there are in all."""
    where = [Agency.programme_id == programme_id, Agency.active == True]  # noqa: E712
    if kind:
        where.append(Agency.kind_code == kind)
    query = select(col(Agency.id), Agency).where(*where).order_by(col(Agency.is_coordinator).desc(), col(Agency.id))
    rows, total = page_with_total(session, query, select(func.count()).select_from(Agency).where(*where), page, per_page)
    agencies = [agency for _id, agency in rows]
    people = _people_of(session, [agency.id for agency in agencies])
    limits = {Role.LEADER: focal_points.leaders, Role.SPECIALIST: focal_points.specialists}
    found = []
    for agency in agencies:
        by_role = people.get(agency.id, {})
        roles = [role for role in ROLE_ORDER if role in seat_roles(agency) or role in by_role]
        found.append(AgencySeats(agency, [Seat(role, by_role.get(role, []), limits.get(role)) for role in roles]))
    return found, total


def _people_of(session: Session, agency_ids: list[int]) -> dict[int, dict[Role, list[Holder]]]:
    query = (
        select(Person)
        .where(col(Person.agency_id).in_(agency_ids), Person.active == True)  # noqa: E712
        .order_by(col(Person.created_at), col(Person.id))
    )
    people = list(session.exec(query))
    accounts: dict[int, list[ChannelIdentity]] = defaultdict(list)
    for identity in session.exec(select(ChannelIdentity).where(col(ChannelIdentity.person_id).in_([p.id for p in people]))):
        accounts[identity.person_id].append(identity)
    found: dict[int, dict[Role, list[Holder]]] = defaultdict(lambda: defaultdict(list))
    for person in people:
        mine = accounts[person.id]
        holder = Holder(person, sorted(i.channel for i in mine if i.active), max((i.last_seen_at for i in mine), default=None))
        found[person.agency_id][person.role].append(holder)
    return found
