"""An activity after it is registered: edited, rescheduled, cancelled with a reason, or
marked held with its actual date and participants; and who hears of it (seed 000 Điều 9:
information flows both ways): the partner agencies' focal points and, when it is named,
the LHH office, at once or in their daily digest."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import partial

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, delete, select

from locales.formats import format_date
from models.activities.tables import Activity, ActivityPartner, ActivityStatus, NoticeChoice
from models.errors import RuleError
from models.outbox.notify import Letter, Message, focal_points_by_agency, message, notify, office, to_people
from models.people.tables import Person, Role
from models.outbox.when import When
from models.programme.reminders import ReminderPolicy
from models.programme.tables import Agency

REASON_LENGTH = (3, 300)
EDITABLE = ("title", "place", "participants", "type_id")


def own_activity(session: Session, programme_id: int, agency_id: int, number: int) -> Activity:
    """Activity `number`, if `agency_id` leads it: only the lead agency changes an activity."""
    activity = session.get(Activity, number)
    if activity is None or activity.programme_id != programme_id:
        raise RuleError("attach.unknown_activity", number=number)
    if activity.lead_agency_id != agency_id:
        raise RuleError("activity.not_lead", number=number)
    return activity


def _open(activity: Activity) -> None:
    if activity.status is ActivityStatus.CANCELLED:
        raise RuleError("activity.already_cancelled", number=activity.id)


def edit(activity: Activity, field: str, value: str | int | None, now: datetime) -> None:
    """Change one field the lead agency typed (title, place, participants) or chose (its type)."""
    if field not in EDITABLE:
        raise ValueError(field)
    _open(activity)
    setattr(activity, field, value)
    activity.updated_at = now


def reschedule(activity: Activity, day: date, today: date, now: datetime) -> None:
    """Move a planned activity to another day; it stays planned until it is marked held."""
    _open(activity)
    if activity.status is ActivityStatus.DONE:
        raise RuleError("activity.already_held", number=activity.id)
    if day < today:
        raise RuleError("activity.reschedule_past")
    activity.planned_date, activity.updated_at = day, now


def cancel(activity: Activity, reason: str, now: datetime) -> None:
    _open(activity)
    activity.status, activity.cancel_reason, activity.actual_date, activity.updated_at = ActivityStatus.CANCELLED, reason, None, now


def mark_held(activity: Activity, day: date, participants: int | None, today: date, now: datetime) -> None:
    """Record that the activity took place on `day` (not in the future), with its participants."""
    _open(activity)
    if day > today:
        raise RuleError("activity.held_future")
    activity.status, activity.actual_date, activity.updated_at = ActivityStatus.DONE, day, now
    if participants is not None:
        activity.participants = participants


def hears_in_digest() -> ColumnElement[bool]:
    """Who hears of activities in the daily digest: those who chose it in /notices, and the
    LHH office's admins who chose nothing (the office is named in many activities, and
    seed 000 Điều 9 wants it informed, not flooded)."""
    chose = select(NoticeChoice.person_id)
    digest = select(NoticeChoice.person_id).where(NoticeChoice.digest == True)  # noqa: E712
    return or_(col(Person.id).in_(digest), and_(col(Person.role) == Role.ADMIN, col(Person.id).not_in(chose)))


def digest_readers(session: Session, programme_id: int) -> set[int]:
    """Who in the programme reads the daily digest rather than a notice each time (one query)."""
    return set(session.exec(select(Person.id).where(Person.programme_id == programme_id, hears_in_digest())))


def wants_digest(session: Session, person: Person) -> bool:
    choice = session.get(NoticeChoice, person.id)
    return choice.digest if choice is not None else person.role is Role.ADMIN


def choose_digest(session: Session, person_id: int, digest: bool) -> None:
    choice = session.get(NoticeChoice, person_id) or NoticeChoice(person_id=person_id)
    choice.digest = digest
    session.add(choice)


def partners_of(session: Session, activity_id: int) -> list[Agency]:
    query = select(Agency).join(ActivityPartner, col(ActivityPartner.agency_id) == Agency.id)
    return list(session.exec(query.where(ActivityPartner.activity_id == activity_id).order_by(col(Agency.id))))


def set_partners(session: Session, activity: Activity, wanted: list[Agency], now: datetime) -> tuple[list[Agency], list[Agency]]:
    """Make `wanted` the activity's partners (never its lead); returns those added and
    those removed."""
    _open(activity)
    before = {agency.id: agency for agency in partners_of(session, activity.id)}
    after = {agency.id: agency for agency in wanted if agency.id != activity.lead_agency_id}
    added = [agency for key, agency in after.items() if key not in before]
    removed = [agency for key, agency in before.items() if key not in after]
    if removed:
        gone = [agency.id for agency in removed]
        session.exec(delete(ActivityPartner).where(col(ActivityPartner.activity_id) == activity.id, col(ActivityPartner.agency_id).in_(gone)))
    session.add_all(ActivityPartner(activity_id=activity.id, agency_id=agency.id) for agency in added)
    if added or removed:
        activity.updated_at = now
    session.flush()
    return added, removed


def tell_named(
    session: Session,
    programme_id: int,
    activity: Activity,
    lead: Agency,
    partners: list[Agency],
    kind: str,
    now: datetime,
    policy: ReminderPolicy,
    digest: bool = True,
) -> None:
    """Tell, out of quiet hours, the focal points of each named agency (the office, for the
    LHH) who do not read the digest (the digest reads the activity's own time stamps); with
    `digest` False, everyone (an agency no longer named is not in the next digest).
    A new activity keeps its `partnered:` keys; a change is keyed by its moment, so each
    change is told once."""
    at_once = ~hears_in_digest() if digest else col(Person.id).is_not(None)
    reached = focal_points_by_agency(session, [agency.id for agency in partners if not agency.is_coordinator], at_once)
    subject = f"partnered:{activity.id}" if kind == "new" else f"activity-{kind}:{activity.id}:{_version(activity, now)}"
    letters = [
        Letter(
            f"{subject}:{agency.id}",
            _notice(activity, lead, agency, kind),
            to_people(office(session, programme_id, at_once) if agency.is_coordinator else reached.get(agency.id, [])),
        )
        for agency in partners
    ]
    notify(session, letters, When.out_of_quiet_hours(policy), now, programme_id)


def _version(activity: Activity, now: datetime) -> str:
    """The moment and a fingerprint of what the change left: two changes differ in one of them."""
    state = (activity.title, activity.type_id, activity.place, activity.planned_date, activity.actual_date, activity.participants, activity.status)
    return now.strftime("%Y%m%d%H%M%S%f") + "-" + hashlib.sha1(repr(state).encode()).hexdigest()[:8]


def digest_kind(activity: Activity, start: datetime) -> str:
    """What a digest says happened to an activity changed since `start`."""
    if activity.created_at >= start:
        return "new"
    return {ActivityStatus.CANCELLED: "cancelled", ActivityStatus.DONE: "held"}.get(activity.status, "changed")


def _notice(activity: Activity, lead: Agency, agency: Agency, kind: str) -> Message:
    return message(
        "register.partner_notice" if kind == "new" else f"activity.notice_{kind}",
        lead=lead.name,
        agency=agency.name,
        number=activity.id,
        title=activity.title,
        place=activity.place,
        reason=activity.cancel_reason or "",
        date=partial(format_date, activity.actual_date or activity.planned_date),
    )
