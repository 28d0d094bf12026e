"""Messages the office sends on purpose: a chase of agencies that have not reported, and a
broadcast to focal points and groups. Both go through the outbox, with keys that make a
repeated command send nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from models.catalogue import Agency
from models.errors import RuleError
from models.groups import GroupChat
from models.notices import enqueue, enqueue_to, focal_points
from models.people import ChannelIdentity, Person
from models.reminders import ReminderPolicy, next_sendable

BROADCAST_LENGTH = (5, 3000)


@dataclass(frozen=True)
class Audience:
    agencies: list[Agency]
    people: list[tuple[Person, ChannelIdentity]]
    groups: list[GroupChat]


def audience_of(session: Session, programme_id: int, target: str) -> Audience:
    """'all', an agency kind's code, or an agency's code -> who a broadcast reaches."""
    query = select(Agency).where(Agency.programme_id == programme_id, Agency.active == True, Agency.is_coordinator == False)  # noqa: E712
    agencies = list(session.exec(query.order_by(Agency.id)))
    wanted = target.strip()
    everyone = wanted.lower() in ("all", "tatca", "tất cả")
    if not everyone:
        chosen = [a for a in agencies if a.code == wanted.upper()] or [a for a in agencies if (a.kind_code or "") == wanted.lower()]
        if not chosen:
            raise RuleError("outreach.unknown_target", target=target)
        agencies = chosen
    ids = {a.id for a in agencies}
    groups = [
        g
        for g in session.exec(select(GroupChat).where(GroupChat.programme_id == programme_id, GroupChat.active == True))  # noqa: E712
        if (g.agency_id in ids) or (everyone and g.agency_id is None)
    ]
    people = [pair for agency in agencies for pair in focal_points(session, agency.id)]  # type: ignore[arg-type]
    return Audience(agencies, people, groups)


def check_broadcast_text(text: str) -> str:
    cleaned = text.strip()
    if not BROADCAST_LENGTH[0] <= len(cleaned) <= BROADCAST_LENGTH[1]:
        raise RuleError("outreach.text_length", least=BROADCAST_LENGTH[0], most=BROADCAST_LENGTH[1])
    return cleaned


def send_broadcast(
    session: Session, programme_id: int, audience: Audience, text: str, token: str, now: datetime, policy: ReminderPolicy
) -> int:
    """One outbox row per person and group; `token` names this broadcast in the keys."""
    when = next_sendable(now, policy)
    written = sum(
        enqueue_to(session, f"broadcast:{token}:p{person.id}", (person, identity), text, now, programme_id, when)
        for person, identity in audience.people
    )
    for group in audience.groups:
        written += enqueue(
            session, f"broadcast:{token}:g{group.id}", group.channel, group.chat_ref, text, now, when, None, group.id, programme_id
        )
    return written


def send_chase(
    session: Session, programme_id: int, period_id: int, agency: Agency, text_for: dict[str, str], now: datetime, policy: ReminderPolicy
) -> int:
    """A chase to the agency's focal points, at most once a day each; `text_for` maps a
    language to the message."""
    when = next_sendable(now, policy)
    written = 0
    for person, identity in focal_points(session, agency.id):  # type: ignore[arg-type]
        key = f"chase:{period_id}:{agency.id}:{now.date().isoformat()}:p{person.id}"
        written += enqueue_to(session, key, (person, identity), text_for[person.language], now, programme_id, when)
    return written
