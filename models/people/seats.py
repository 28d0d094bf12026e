"""A seat's changes told to those they concern: a second invite for a seat whose first is
still open, the person a newcomer replaced and the office (through the outbox), and a
person the office stopped by mistake put back (`reactivate`) when their seat is free."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from locales.catalogue import t
from models.errors import RuleError
from models.outbox.notify import Account, Letter, Reader, Recipient, message, notify, tell_office, to_people
from models.outbox.when import NOW
from models.people.invites import holders_of
from models.people.roster import log, overflow
from models.people.tables import ChannelIdentity, Invite, Person
from models.programme.schema import FocalPoints
from models.programme.tables import Agency


def open_invites(session: Session, invite: Invite, now: datetime) -> list[Invite]:
    """The other invites for the same seat (agency and role) that can still be used."""
    query = select(Invite).where(
        Invite.agency_id == invite.agency_id,
        Invite.role == invite.role,
        col(Invite.used_at).is_(None),
        Invite.expires_at > now,
        Invite.id != invite.id,
    )
    return list(session.exec(query.order_by(col(Invite.created_at))))


def reactivate(session: Session, person: Person, now: datetime, focal_points: FocalPoints, actor_id: int | None) -> None:
    """Undo a deactivation; refused when the seat has been filled since."""
    if person.active:
        return
    if overflow(holders_of(session, person.agency_id, person.role), focal_points, person.role):
        raise RuleError("people.seat_taken", name=person.full_name)
    person.active, person.deactivated_at = True, None
    log(session, "reactivated", now, person.id, actor_id)


def rename(session: Session, person: Person, name: str, now: datetime, actor_id: int | None) -> str:
    """The office corrects a person's name; the old one is returned (and kept in the log)."""
    old, person.full_name = person.full_name, name
    log(session, "renamed", now, person.id, actor_id)
    return old


def tell_seat_taken(session: Session, newcomer: Person, agency: Agency, replaced: list[Person], now: datetime) -> None:
    """The people a newcomer replaced, on their last account, and the office hear of it."""
    if not replaced:
        return
    role = _role(newcomer)
    text = message("seat.you_were_replaced", name=newcomer.full_name, role=role, agency=agency.name)
    letter = Letter(f"seat-taken:{newcomer.id}", text, to_people(_last_accounts(session, replaced)))
    notify(session, [letter], NOW, now, newcomer.programme_id)
    names = ", ".join(old.full_name for old in replaced)
    notice = message("seat.taken_office", name=newcomer.full_name, role=role, agency=agency.name, names=names)
    tell_office(session, newcomer.programme_id, f"seat-taken:{newcomer.id}", notice, now)


def _role(person: Person) -> object:
    role = person.role
    return lambda language: t(f"role.{role}", language)


def _last_accounts(session: Session, people: list[Person]) -> list[Recipient]:
    """Each person (inactive now) on the account they last used."""
    by_id = {person.id: person for person in people}
    query = (
        select(ChannelIdentity)
        .where(col(ChannelIdentity.person_id).in_(list(by_id)), ChannelIdentity.active == True)  # noqa: E712
        .order_by(col(ChannelIdentity.last_seen_at).desc())
    )
    found: dict[int, Recipient] = {}
    for identity in session.exec(query):
        person = by_id[identity.person_id]
        assert person.id is not None
        reader = Reader(person.id, person.programme_id, person.agency_id, person.role, person.language, person.full_name)
        found.setdefault(person.id, (reader, Account(identity.channel, identity.chat_ref)))
    return list(found.values())
