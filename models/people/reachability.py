"""When a channel says a recipient is gone (Telegram's 403: blocked, or the bot removed from
a group): mark it inactive, and tell the LHH office, once a day at most for one person or
group (a person who blocks and unblocks the bot over and over does not flood the office).
When a channel keeps failing for a chat without saying why (Zalo's 403 is documented as
"Internal server error"): nothing is deactivated; after days without a delivery the office
is told once what is known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from locales.formats import format_date
from models.outbox.notify import Account, message, tell_office
from models.outbox.tables import GroupChat, OutboxMessage, OutboxStatus
from models.people.roster import log
from models.people.tables import ChannelIdentity, Person
from models.programme.tables import Agency, ProgrammeRecord


@dataclass(frozen=True)
class Gone:
    programme_id: int
    description: str


def mark_unreachable(session: Session, channel: str, chat_ref: str, now: datetime) -> Gone | None:
    """Deactivate the private chat or group behind (channel, chat_ref); None if already so."""
    group = _group(session, channel, chat_ref)
    if group is not None:
        if not group.active:
            return None
        group.active, group.deactivated_at = False, now
        who = _group_named(session, group)
        return _tell_office(session, group.programme_id, "group", who, (channel, f"group{group.id}"), now, Account(channel, chat_ref))
    identity = _identity(session, channel, chat_ref)
    if identity is None or not identity.active:
        return None
    identity.active = False
    person = session.get(Person, identity.person_id)
    assert person is not None
    log(session, "channel_unreachable", now, person.id, channel=channel)
    who = _person_named(session, person)
    return _tell_office(session, person.programme_id, "person", who, (channel, f"person{person.id}"), now, Account(channel, chat_ref))


def _group(session: Session, channel: str, chat_ref: str) -> GroupChat | None:
    return session.exec(select(GroupChat).where(GroupChat.channel == channel, GroupChat.chat_ref == chat_ref)).first()


def _identity(session: Session, channel: str, chat_ref: str) -> ChannelIdentity | None:
    return session.exec(select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.chat_ref == chat_ref)).first()


def _group_named(session: Session, group: GroupChat) -> str:
    """The group's title (or chat id) with its agency's code, `*` for the province's."""
    agency = session.get(Agency, group.agency_id) if group.agency_id else None
    return f"{group.title or group.chat_ref} ({agency.code if agency else '*'})"


def _person_named(session: Session, person: Person) -> str:
    agency = session.get(Agency, person.agency_id)
    return f"{person.full_name} ({agency.code if agency else '?'})"


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


def failing_since(session: Session, channel: str, chat_ref: str) -> datetime | None:
    """When the chat's unbroken run of undelivered rows began: the oldest row given up
    since the last one delivered; None when nothing was given up since."""
    chat = (OutboxMessage.channel == channel, OutboxMessage.chat_ref == chat_ref)
    last_sent = session.exec(select(func.max(OutboxMessage.sent_at)).where(*chat, OutboxMessage.status == OutboxStatus.SENT)).one()
    failed = select(func.min(OutboxMessage.created_at)).where(*chat, OutboxMessage.status == OutboxStatus.FAILED)
    if last_sent is not None:
        failed = failed.where(col(OutboxMessage.created_at) > last_sent)
    return session.exec(failed).one()


def report_undelivered(session: Session, channel: str, chat_ref: str, now: datetime, after: timedelta, error: str) -> bool:
    """Tell the office once per run of failures that lasted `after`: the chat stays active,
    the notice says only what the channel answered. True when a notice was written."""
    since = failing_since(session, channel, chat_ref)
    began = _aware(since, now) if since is not None else None
    if began is None or began > now - after:
        return False
    found = _recipient(session, channel, chat_ref)
    if found is None:
        return False
    programme_id, who = found
    day = began.date()
    notice = message("undelivered.chat", who=who, channel=channel, error=error[:200], since=lambda language: format_date(day, language))
    key = f"undelivered:{channel}:{chat_ref}:{began:%Y%m%d%H%M%S}"
    return bool(tell_office(session, programme_id, key, notice, now, sparing=Account(channel, chat_ref)))


def _aware(moment: datetime, like: datetime) -> datetime:
    """A naive datetime read back (stored as the wall time of the clock that wrote it) in
    the zone of `like`, the same clock's."""
    return moment.replace(tzinfo=like.tzinfo) if moment.tzinfo is None else moment


def _recipient(session: Session, channel: str, chat_ref: str) -> tuple[int, str] | None:
    """The programme and the name (with the agency's code) behind the chat, if known."""
    group = _group(session, channel, chat_ref)
    if group is not None:
        return group.programme_id, _group_named(session, group)
    identity = _identity(session, channel, chat_ref)
    person = session.get(Person, identity.person_id) if identity is not None else None
    if person is None:
        return None
    return person.programme_id, _person_named(session, person)
