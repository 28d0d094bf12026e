"""When a channel says a recipient is gone (403: blocked, or the bot removed from a group):
mark it inactive, and tell the LHH office once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from models.outbox.notify import Account, message, tell_office
from models.outbox.tables import GroupChat
from models.people.roster import log
from models.people.tables import ChannelIdentity, Person
from models.programme.tables import Agency


@dataclass(frozen=True)
class Gone:
    programme_id: int
    description: str


def mark_unreachable(session: Session, channel: str, chat_ref: str, now: datetime) -> Gone | None:
    """Deactivate the private chat or group behind (channel, chat_ref); None if already so."""
    group = session.exec(select(GroupChat).where(GroupChat.channel == channel, GroupChat.chat_ref == chat_ref)).first()
    if group is not None:
        if not group.active:
            return None
        group.active, group.deactivated_at = False, now
        agency = session.get(Agency, group.agency_id) if group.agency_id else None
        who = f"{group.title or chat_ref} ({agency.code if agency else '*'})"
        return _tell_office(session, group.programme_id, "group", who, (channel, chat_ref, f"{group.bound_at:%Y%m%d%H%M%S}"), now)
    identity = session.exec(select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.chat_ref == chat_ref)).first()
    if identity is None or not identity.active:
        return None
    identity.active = False
    person = session.get(Person, identity.person_id)
    assert person is not None
    log(session, "channel_unreachable", now, person.id, channel=channel)
    agency = session.get(Agency, person.agency_id)
    who = f"{person.full_name} ({agency.code if agency else '?'})"
    return _tell_office(session, person.programme_id, "person", who, (channel, chat_ref, f"{identity.last_seen_at:%Y%m%d%H%M%S}"), now)


def _tell_office(session: Session, programme_id: int, kind: str, who: str, incident: tuple[str, str, str], now: datetime) -> Gone:
    """One notice per admin per incident: the key names the chat and when it was last
    known reachable, so two workers hitting the same 403 write one row."""
    channel, chat_ref, since = incident
    notice = message(f"unreachable.{kind}", who=who, channel=channel)
    tell_office(session, programme_id, f"unreachable:{channel}:{chat_ref}:{since}", notice, now, sparing=Account(channel, chat_ref))
    return Gone(programme_id, who)
