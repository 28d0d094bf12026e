"""The expert bank (seed 004 line 487: "ngân hàng chuyên gia trên các lĩnh vực"; seed 003
mục 1) and the councils formed from it. An expert row exists only after consent: given in
the chat when the expert joined by invite, or on paper as recorded by the office."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from locales.catalogue import t
from models.errors import RuleError
from models.hidden_characters import has_hidden
from models.outbox.notify import Letter, message, notify, reachable_identities, to_people
from models.outbox.when import NOW
from models.people.tables import Person
from models.tvpb.services import key_prefix
from models.tvpb.tables import CouncilSeat, Expert, SeatStatus, TvpbTask


def join_bank(session: Session, person: Person, now: datetime) -> Expert:
    """The profile of an expert who just joined (consent given in the join form)."""
    expert = Expert(
        programme_id=person.programme_id, person_id=person.id, full_name=person.full_name, consent_at=person.consent_at, created_at=now
    )
    session.add(expert)
    session.flush()
    return expert


def record_on_paper(
    session: Session,
    programme_id: int,
    full_name: str,
    consent_on: date,
    fields: list[str],
    now: datetime,
    title: str = "",
    affiliation: str = "",
    contact: str = "",
) -> Expert:
    """An expert who does not use the bot, recorded by the office with consent on paper."""
    name = " ".join(full_name.split())
    if len(name) < 2:
        raise RuleError("tvpb.expert_name_needed")
    if consent_on > now.date():
        raise RuleError("tvpb.consent_in_future")
    expert = Expert(
        programme_id=programme_id,
        full_name=name[:120],
        fields=fields,
        consent_at=now,
        paper_consent_on=consent_on,
        created_at=now,
        title=title,
        affiliation=affiliation,
        contact=contact,
    )
    session.add(expert)
    session.flush()
    return expert


def set_profile(session: Session, expert: Expert, fields: list[str], known: set[str], **profile: str) -> None:
    unknown = [code for code in fields if code not in known]
    if unknown:
        raise RuleError("tvpb.unknown_field", codes=", ".join(unknown))
    expert.fields = list(dict.fromkeys(fields))
    for name, value in profile.items():
        setattr(expert, name, " ".join(value.split())[:200])
    session.add(expert)


DETAIL_LIMITS = {"title": 120, "affiliation": 200, "contact": 200}
"""The profile's free-text details and their column lengths."""
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9 .()-]*$")


def contact_valid(value: str) -> bool:
    """An email address, or a phone number of 9 to 15 digits (Vietnamese numbers have 10)."""
    digits = sum(ch.isdigit() for ch in value)
    return bool(EMAIL.match(value)) or (bool(PHONE.match(value)) and 9 <= digits <= 15)


def set_detail(session: Session, expert: Expert, what: str, text: str) -> str:
    """One detail of the profile (title and degree, affiliation, contact), as typed on one
    line; the value kept. Refused: nothing typed, a hidden character, over the column's
    length, a contact that is neither a phone number nor an email address; and a profile
    forgotten by /forgetme (it holds no one's details any more)."""
    if expert.erased_at is not None:
        raise RuleError("tvpb.expert_unknown")
    value = " ".join(text.split())
    if not value:
        raise RuleError("tvpb.profile_value_needed")
    if has_hidden(text):
        raise RuleError("tvpb.profile_hidden")
    if len(value) > DETAIL_LIMITS[what]:
        raise RuleError("tvpb.profile_too_long", what=what, most=DETAIL_LIMITS[what], length=len(value))
    if what == "contact" and not contact_valid(value):
        raise RuleError("tvpb.contact_invalid", text=value[:60])
    setattr(expert, what, value)
    session.add(expert)
    return value


def search(session: Session, programme_id: int, field: str | None) -> list[Expert]:
    """Experts of a field (none: of every field), by name (a forgotten expert is no longer found)."""
    rows = session.exec(select(Expert).where(Expert.programme_id == programme_id, col(Expert.erased_at).is_(None)))
    return sorted((expert for expert in rows if field is None or field in expert.fields), key=lambda expert: expert.full_name)


@dataclass(frozen=True)
class Served:
    task: TvpbTask
    seat: CouncilSeat


def history(session: Session, expert_id: int) -> list[Served]:
    query = select(CouncilSeat, TvpbTask).join(TvpbTask, col(TvpbTask.id) == CouncilSeat.task_id).where(CouncilSeat.expert_id == expert_id)
    return [Served(task, seat) for seat, task in session.exec(query.order_by(col(CouncilSeat.id)))]


def invite(session: Session, task: TvpbTask, expert: Expert, now: datetime) -> CouncilSeat:
    """A seat offered; an expert with an account is asked in the chat at once."""
    if expert.erased_at is not None or expert.programme_id != task.programme_id:
        raise RuleError("tvpb.expert_unknown")
    seated = session.exec(select(CouncilSeat).where(CouncilSeat.task_id == task.id, CouncilSeat.expert_id == expert.id)).first()
    if seated is not None:
        raise RuleError("tvpb.already_invited", name=expert.full_name, task=task.id)
    seat = CouncilSeat(task_id=task.id, expert_id=expert.id, status=SeatStatus.INVITED, invited_at=now)
    session.add(seat)
    session.flush()
    if expert.person_id is not None:
        text = message("tvpb.expert_invited", task=task.id, title=task.title)
        letter = Letter(f"{key_prefix(task.id)}seat:{seat.id}", text, to_people(reachable_identities(session, [expert.person_id])))
        notify(session, [letter], NOW, now, task.programme_id)
    return seat


def answer(session: Session, seat: CouncilSeat, accept: bool, now: datetime) -> None:
    """Accepted or declined; declining after accepting is allowed and kept in the history."""
    status = SeatStatus.ACCEPTED if accept else SeatStatus.DECLINED
    if seat.status is status:
        raise RuleError("tvpb.answer_same", answer=status.value)
    seat.status, seat.answered_at = status, now
    seat.history = [*seat.history, {"status": status.value, "at": now.isoformat()}]
    session.add(seat)


def expert_of(session: Session, person_id: int) -> Expert | None:
    return session.exec(select(Expert).where(Expert.person_id == person_id)).first()


def forget(session: Session, person_id: int, language: str, now: datetime) -> bool:
    """/forgetme of an expert: the profile holds the role label, not the name; the council
    seats stay (a council keeps its size and the role of who sat on it)."""
    expert = expert_of(session, person_id)
    if expert is None or expert.erased_at is not None:
        return False
    expert.full_name, expert.title, expert.affiliation, expert.contact = t("role.expert", language)[:120], "", "", ""
    expert.erased_at = now
    session.add(expert)
    return True
