"""One person on several messengers: one-time codes that link another account to a person,
and the channel a person prefers for what the bot sends on its own (reminders, notices)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from models.errors import RuleError
from models.people.invites import new_code, normalise_code
from models.people.roster import link_identity, log
from models.people.tables import ChannelIdentity, LinkCode, Person

LINK_MINUTES = 10


@dataclass(frozen=True)
class Linked:
    person: Person
    issuer: ChannelIdentity
    identity: ChannelIdentity


def issue_link_code(session: Session, person: Person, identity: ChannelIdentity, now: datetime, minutes: int = LINK_MINUTES) -> LinkCode:
    """A fresh code for `person`, asked for on `identity`; their earlier codes stop working."""
    earlier = select(LinkCode).where(LinkCode.person_id == person.id, LinkCode.used_at == None, LinkCode.expires_at > now)  # noqa: E711
    for old in session.exec(earlier):
        old.expires_at = now
    assert person.id is not None and identity.id is not None
    expires = now + timedelta(minutes=minutes)
    row = LinkCode(code=new_code(), person_id=person.id, identity_id=identity.id, created_at=now, expires_at=expires)
    session.add(row)
    session.flush()
    return row


def redeem_link_code(
    session: Session, programme_id: int, text: str, account: tuple[str, str, str], current: Person | None, now: datetime
) -> Linked:
    """Attach `account` (channel, user, private chat) to the person who asked for the code,
    or a RuleError saying why not. `current` is who the account belongs to now, if anyone."""
    row = session.exec(select(LinkCode).where(LinkCode.code == normalise_code(text))).first()
    person = session.get(Person, row.person_id) if row is not None else None
    if row is None or person is None or person.programme_id != programme_id:
        raise RuleError("link.unknown")
    if row.used_at is not None:
        raise RuleError("link.used")
    if row.expires_at <= now:
        raise RuleError("link.expired")
    if not person.active:
        raise RuleError("link.person_inactive")
    issuer = session.get(ChannelIdentity, row.identity_id)
    assert issuer is not None
    if issuer.channel == account[0]:
        raise RuleError("link.same_channel")
    if current is not None:
        raise RuleError("link.already_yours" if current.id == person.id else "link.account_taken")
    identity = link_identity(session, person, account, now)
    row.used_at = now
    log(session, "channel_linked", now, person.id, person.id, channel=account[0])
    return Linked(person, issuer, identity)


def linked_channels(session: Session, person_id: int) -> list[str]:
    """The channels on which the person has an active account, in name order."""
    query = select(ChannelIdentity.channel).where(ChannelIdentity.person_id == person_id, ChannelIdentity.active == True)  # noqa: E712
    return sorted(set(session.exec(query)))


def prefer_channel(session: Session, person: Person, channel: str | None, now: datetime) -> None:
    """Send on `channel` from now on; None: on the channel the person last used."""
    assert person.id is not None
    if channel is not None and channel not in linked_channels(session, person.id):
        raise RuleError("channel.not_linked", channel=channel)
    person.preferred_channel = channel
    log(session, "channel_preferred", now, person.id, person.id, channel=channel or "auto")
