"""Messages the office sends on purpose: a chase of agencies that have not reported, and a
broadcast to focal points and groups. Both go through the outbox, with keys that make a
repeated command send nothing twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from locales.catalogue import DEFAULT_LANGUAGE
from models.errors import RuleError
from models.outbox.notify import Letter, Message, Recipient, focal_points_by_agency, notify, to_groups, to_people
from models.outbox.tables import GroupChat
from models.outbox.when import When
from models.programme.reminders import ReminderPolicy
from models.programme.tables import Agency

BROADCAST_LENGTH = (5, 3000)


@dataclass(frozen=True)
class Audience:
    agency_ids: list[int]
    everyone: bool
    people: list[Recipient]
    groups: list[GroupChat]


EVERYONE_WORDS = ("all", "tatca", "tất cả")


def target_agencies(session: Session, programme_id: int, target: str) -> tuple[list[int], bool]:
    """'all', an agency kind's code, or an agency's code -> the agencies a broadcast is for
    (in id order), and whether it is for everyone (the groups of all focal points too)."""
    query = select(Agency).where(Agency.programme_id == programme_id, Agency.active == True, Agency.is_coordinator == False)
    agencies = list(session.exec(query.order_by(col(Agency.id))))
    wanted = target.strip()
    everyone = wanted.lower() in EVERYONE_WORDS
    if not everyone:
        chosen = [a for a in agencies if a.code == wanted.upper()] or [a for a in agencies if (a.kind_code or "") == wanted.lower()]
        if not chosen:
            raise RuleError("outreach.unknown_target", target=target)
        agencies = chosen
    return [a.id for a in agencies if a.id is not None], everyone


def audience_for(session: Session, programme_id: int, agency_ids: list[int], everyone: bool) -> Audience:
    """Who a broadcast to these agencies reaches: their focal points, in agency order, and
    the active groups bound to them (with everyone, the groups of all focal points too)."""
    ids = set(agency_ids)
    groups = [
        g
        for g in session.exec(select(GroupChat).where(GroupChat.programme_id == programme_id, GroupChat.active == True))
        if (g.agency_id in ids) or (everyone and g.agency_id is None)
    ]
    reached = focal_points_by_agency(session, agency_ids)
    people = [pair for agency_id in agency_ids for pair in reached.get(agency_id, [])]
    return Audience(agency_ids, everyone, people, groups)


def audience_of(session: Session, programme_id: int, target: str) -> Audience:
    """`target_agencies`, then `audience_for` them: three queries, whatever the number of agencies."""
    return audience_for(session, programme_id, *target_agencies(session, programme_id, target))


def check_broadcast_text(text: str) -> str:
    cleaned = text.strip()
    if not BROADCAST_LENGTH[0] <= len(cleaned) <= BROADCAST_LENGTH[1]:
        raise RuleError("outreach.text_length", least=BROADCAST_LENGTH[0], most=BROADCAST_LENGTH[1])
    return cleaned


def send_broadcast(
    session: Session, programme_id: int, audience: Audience, text: str, token: str, now: datetime, policy: ReminderPolicy
) -> int:
    """One outbox row per person and group, in one INSERT; `token` names this broadcast in
    the keys. `text` is already written, in the programme's language, for every reader."""
    letter = Letter(f"broadcast:{token}", text, to_people(audience.people) + to_groups(audience.groups, DEFAULT_LANGUAGE))
    return len(notify(session, [letter], When.out_of_quiet_hours(policy), now, programme_id))


def send_chase(
    session: Session,
    programme_id: int,
    period_id: int,
    messages: dict[int, Message],
    now: datetime,
    policy: ReminderPolicy,
) -> Counter[int]:
    """A chase to the focal points of each agency of `messages` (agency id -> its message),
    at most once a day each, in one INSERT; how many rows each agency got."""
    reached = focal_points_by_agency(session, messages)
    day = now.date().isoformat()
    agencies = {f"chase:{period_id}:{agency_id}:{day}": agency_id for agency_id in messages}
    letters = [Letter(subject, messages[agency_id], to_people(reached.get(agency_id, []))) for subject, agency_id in agencies.items()]
    written = notify(session, letters, When.out_of_quiet_hours(policy), now, programme_id)
    return Counter(agencies[key.rpartition(":")[0]] for key in written)
