"""Registering coordination activities and reading an agency's list of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select

from models.activities.life import tell_named
from models.activities.tables import Activity, ActivityPartner, ActivityStatus, Attachment
from models.db.paging import page_with_total
from models.errors import RuleError
from models.hidden_characters import has_hidden
from models.programme.reminders import ReminderPolicy
from models.programme.tables import ActivityType, Agency

TITLE_LENGTH = (5, 300)
PLACE_LENGTH = (2, 200)
MOST_PARTICIPANTS = 1_000_000


@dataclass(frozen=True)
class Draft:
    type_id: int
    title: str
    day: date
    place: str
    partner_ids: tuple[int, ...]
    participants: int | None


def clean_text(text: str, bounds: tuple[int, int], key: str) -> str:
    """One line of typed text, spaces folded; refused if it holds a hidden character."""
    if has_hidden(text):
        raise RuleError("form.hidden_characters")
    value = " ".join(text.split())
    if not bounds[0] <= len(value) <= bounds[1]:
        raise RuleError(key, least=bounds[0], most=bounds[1])
    return value


def parse_participants(text: str) -> int:
    digits = text.strip().replace(".", "").replace(",", "").replace(" ", "")
    if not digits.isdigit():
        raise RuleError("activity.participants_not_number")
    value = int(digits)
    if value > MOST_PARTICIPANTS:
        raise RuleError("activity.participants_too_many", most=MOST_PARTICIPANTS)
    return value


def chosen_catalogue(
    session: Session, programme_id: int, type_code: str, partner_codes: list[str], own_agency_id: int
) -> tuple[ActivityType | None, dict[str, Agency]]:
    """The active activity type `type_code`, and by code the active agencies among
    `partner_codes` other than the registering one: one query (the type, outer-joined
    to each named agency); no type when it is gone from the catalogue."""
    named = and_(
        col(Agency.programme_id) == programme_id,
        col(Agency.active) == True,
        col(Agency.id) != own_agency_id,
        col(Agency.code).in_(partner_codes),
    )
    query = (
        select(ActivityType, Agency)
        .outerjoin(Agency, named)
        .where(ActivityType.programme_id == programme_id, ActivityType.active == True, ActivityType.code == type_code)
    )
    rows = session.exec(query).all()
    return (rows[0][0] if rows else None), {agency.code: agency for _, agency in rows if agency is not None}


def register(
    session: Session, programme_id: int, lead: Agency, draft: Draft, person_id: int | None, today: date, now: datetime
) -> Activity:
    """Save an activity; one dated today or earlier is recorded as done on that day."""
    done = draft.day <= today
    activity = Activity(
        programme_id=programme_id,
        lead_agency_id=lead.id,
        type_id=draft.type_id,
        title=draft.title,
        planned_date=draft.day,
        actual_date=draft.day if done else None,
        place=draft.place,
        participants=draft.participants,
        status=ActivityStatus.DONE if done else ActivityStatus.PLANNED,
        created_by_person_id=person_id,
        created_at=now,
        updated_at=now,
    )
    session.add(activity)
    session.flush()
    session.add_all(
        ActivityPartner(activity_id=activity.id, agency_id=agency_id) for agency_id in draft.partner_ids if agency_id != lead.id
    )
    session.flush()
    return activity


def tell_partners(
    session: Session, programme_id: int, activity: Activity, lead: Agency, partners: list[Agency], now: datetime, policy: ReminderPolicy
) -> None:
    """Tell each partner agency's people (the office, for the LHH) that `lead` named it in
    `activity` (seed 000 Điều 9: information flows both ways), out of quiet hours, or in
    their digest. The activity counts in a partner's report only once the partner ticks it
    in /report."""
    tell_named(session, programme_id, activity, lead, partners, "new", now, policy)


@dataclass(frozen=True)
class ActivityView:
    id: int
    day: date
    status: ActivityStatus
    type_name: str
    type_name_en: str
    title: str
    place: str
    participants: int | None
    lead_id: int
    lead_name: str
    partner_names: tuple[str, ...]
    files: int = 0


def _agency_filter(agency_id: int) -> ColumnElement[bool]:
    partnered = select(ActivityPartner.activity_id).where(ActivityPartner.agency_id == agency_id)
    return or_(col(Activity.lead_agency_id) == agency_id, col(Activity.id).in_(partnered))


def page_of_activities(session: Session, agency_id: int, page: int, per_page: int) -> tuple[list[ActivityView], int]:
    """One page of the activities an agency leads or partners in, newest first, with their
    files counted, and how many there are in all: the page and the total in one query (a
    page past the end counts apart), the partners' names in a second."""
    files = select(func.count()).where(Attachment.activity_id == Activity.id).correlate(Activity).scalar_subquery()
    query = (
        select(Activity, ActivityType, Agency, files)
        .join(ActivityType, col(ActivityType.id) == Activity.type_id)
        .join(Agency, col(Agency.id) == Activity.lead_agency_id)
        .where(_agency_filter(agency_id))
        .order_by(col(Activity.planned_date).desc(), col(Activity.id).desc())
    )
    counted = select(func.count()).select_from(Activity).where(_agency_filter(agency_id))
    rows, total = page_with_total(session, query, counted, page, per_page)
    partners = _partner_names(session, [activity.id for activity, *_ in rows])
    views = [
        ActivityView(
            id=activity.id,
            day=activity.actual_date or activity.planned_date,
            status=activity.status,
            type_name=kind.name,
            type_name_en=kind.name_en,
            title=activity.title,
            place=activity.place,
            participants=activity.participants,
            lead_id=lead.id,
            lead_name=lead.name,
            partner_names=tuple(partners.get(activity.id, ())),
            files=count,
        )
        for activity, kind, lead, count in rows
    ]
    return views, total


def _partner_names(session: Session, activity_ids: list[int]) -> dict[int, list[str]]:
    if not activity_ids:
        return {}
    query = (
        select(ActivityPartner.activity_id, Agency.name)
        .join(Agency, col(Agency.id) == ActivityPartner.agency_id)
        .where(col(ActivityPartner.activity_id).in_(activity_ids))
        .order_by(Agency.name)
    )
    names: dict[int, list[str]] = {}
    for activity_id, name in session.exec(query):
        names.setdefault(activity_id, []).append(name)
    return names
