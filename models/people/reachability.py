"""When a channel says a recipient is gone (403: blocked, or the bot removed from a group):
mark it inactive, and tell the LHH office, once a day at most for one person or group (a
person who blocks and unblocks the bot over and over does not flood the office)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models.outbox.notify import Account, message, tell_office
from models.outbox.tables import GroupChat
from models.people.roster import log
from models.people.tables import ChannelIdentity, Person
from models.programme.tables import Agency, ProgrammeRecord


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
        return _tell_office(session, group.programme_id, "group", who, (channel, f"group{group.id}"), now, Account(channel, chat_ref))
    identity = session.exec(select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.chat_ref == chat_ref)).first()
    if identity is None or not identity.active:
        return None
    identity.active = False
    person = session.get(Person, identity.person_id)
    assert person is not None
    log(session, "channel_unreachable", now, person.id, channel=channel)
    agency = session.get(Agency, person.agency_id)
    who = f"{person.full_name} ({agency.code if agency else '?'})"
    return _tell_office(session, person.programme_id, "person", who, (channel, f"person{person.id}"), now, Account(channel, chat_ref))


def _tell_office(
    session: Session, programme_id: int, kind: str, who: str, gone: tuple[str, str], now: datetime, sparing: Account | None = None
) -> Gone:
    """One notice per admin per person or group and local day: the key names them and the
    day, so two workers hitting the same 403, or a second block the same day, write none."""
    channel, subject = gone
    notice = message(f"unreachable.{kind}", who=who, channel=channel)
    key = f"unreachable:{subject}:{_local_day(session, programme_id, now):%Y%m%d}"
    tell_office(session, programme_id, key, notice, now, sparing=sparing)
    return Gone(programme_id, who)


def _local_day(session: Session, programme_id: int, now: datetime) -> date:
    record = session.get(ProgrammeRecord, programme_id)
    return now.astimezone(ZoneInfo(record.timezone)).date() if record is not None else now.date()
