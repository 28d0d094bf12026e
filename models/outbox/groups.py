"""Binding a group chat to an agency, or to all focal points, on any channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from models.errors import RuleError
from models.outbox.tables import GroupChat
from models.people.tables import Person
from models.programme.tables import Agency


@dataclass(frozen=True)
class Binding:
    group: GroupChat
    previous_agency_id: int | None
    was_bound: bool


def group_at(session: Session, channel: str, chat_ref: str) -> GroupChat | None:
    return session.exec(select(GroupChat).where(GroupChat.channel == channel, GroupChat.chat_ref == chat_ref)).first()


def bind_group(
    session: Session,
    programme_id: int,
    where: tuple[str, str, str | None],
    agency: Agency | None,
    by: Person,
    now: datetime,
) -> Binding:
    """Make the group (channel, chat_ref, title) `agency`'s group, or the all-focal-points
    group when `agency` is None; a group bound before is rebound and made active again."""
    if agency is not None and (not agency.active or agency.programme_id != programme_id):
        raise RuleError("bind.agency_inactive", agency=agency.name)
    channel, chat_ref, title = where
    group = group_at(session, channel, chat_ref)
    was_bound = group is not None and group.active
    previous = group.agency_id if group is not None and group.active else None
    if group is None:
        group = GroupChat(programme_id=programme_id, channel=channel, chat_ref=chat_ref, bound_at=now)
        session.add(group)
    group.programme_id = programme_id
    group.title = (title or group.title or "")[:200] or None
    group.agency_id = agency.id if agency is not None else None
    group.bound_by_person_id = by.id
    group.bound_at, group.active, group.deactivated_at = now, True, None
    session.flush()
    return Binding(group, previous, was_bound)


def move_group(session: Session, channel: str, old_ref: str, new_ref: str) -> bool:
    """Follow a group that got a new id (Telegram: a group upgraded to a supergroup)."""
    group = group_at(session, channel, old_ref)
    if group is None or group_at(session, channel, new_ref) is not None:
        return False
    group.chat_ref = new_ref
    return True
