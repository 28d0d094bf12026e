"""Agencies that merged into another or were renamed (since 1/7/2025 the district level is
gone and departments have merged): the programme file says so in `[[agency_changes]]`, and
loading it moves the old agency's activities, submissions, task shares, people and group
chats to the new one. Its focal points keep their seats while the new agency's seats allow
(`focal_points = "move"`), or are all ended for the office to invite afresh ("reinvite");
its unused invites end. The old agency stays, inactive (so its reminders end), with
whatever could not move (a submission the new agency already has for the same period);
nothing is deleted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from models.activities.tables import Activity, ActivityPartner
from models.outbox.tables import GroupChat
from models.people.roster import deactivate, seats
from models.people.tables import Invite, Person
from models.programme.schema import AgencyChange, FocalPoints
from models.programme.tables import Agency
from models.reporting.tables import Submission, TaskAssignment


@dataclass
class Moved:
    rows: int = 0
    """Rows now under the new agencies."""
    ended: int = 0
    """Focal points ended for want of a seat, or to be invited again."""


def _move_pairs(session: Session, model: Any, key: str, old: int, new: int) -> int:
    """Rows of a table keyed (key, agency_id) moved from `old` to `new` where `new` has none."""
    rows = list(session.exec(select(model).where(model.agency_id == old)))
    taken = {getattr(row, key) for row in session.exec(select(model).where(model.agency_id == new))}
    moved = 0
    for row in rows:
        if getattr(row, key) not in taken:
            row.agency_id = new
            moved += 1
    return moved


def _move_people(session: Session, old: int, new: int, change: AgencyChange, limits: FocalPoints, now: datetime) -> tuple[int, int]:
    """Every person of `old` under `new` (their history with them); a focal point who finds
    no free seat, or every one when the change says `reinvite`, ended. (moved, ended)."""
    taken = Counter(person.role for person in session.exec(select(Person).where(Person.agency_id == new, Person.active == True)))  # noqa: E712
    people = list(session.exec(select(Person).where(Person.agency_id == old).order_by(col(Person.created_at), col(Person.id))))
    ended = 0
    for person in people:
        person.agency_id = new
        limit = seats(limits, person.role)
        if not person.active or limit is None:
            continue
        if change.focal_points == "reinvite" or taken[person.role] >= limit:
            deactivate(session, person, now, f"agency_changed:{change.old}->{change.new}")
            ended += 1
        else:
            taken[person.role] += 1
    return len(people), ended


def _end_invites(session: Session, old: int, now: datetime) -> None:
    for invite in session.exec(select(Invite).where(Invite.agency_id == old, Invite.used_at == None, Invite.expires_at > now)):  # noqa: E711
        invite.expires_at = now


def move_agency(session: Session, old: Agency, new: Agency, change: AgencyChange, limits: FocalPoints, now: datetime) -> Moved:
    """Everything of `old` now under `new`."""
    assert old.id is not None and new.id is not None
    moved = 0
    for activity in session.exec(select(Activity).where(Activity.lead_agency_id == old.id)):
        activity.lead_agency_id = new.id
        moved += 1
    people, ended = _move_people(session, old.id, new.id, change, limits, now)
    moved += people
    _end_invites(session, old.id, now)
    for group in session.exec(select(GroupChat).where(GroupChat.agency_id == old.id)):
        group.agency_id = new.id
        moved += 1
    # Partner rows are primary-keyed on (activity, agency): those of both stay with the old one.
    partners = list(session.exec(select(ActivityPartner).where(ActivityPartner.agency_id == old.id)))
    shared = set(session.exec(select(ActivityPartner.activity_id).where(ActivityPartner.agency_id == new.id)))
    for partner in partners:
        if partner.activity_id not in shared:
            session.delete(partner)
            session.add(ActivityPartner(activity_id=partner.activity_id, agency_id=new.id))
            moved += 1
    moved += _move_pairs(session, Submission, "period_id", old.id, new.id)
    moved += _move_tasks(session, old.id, new.id)
    old.active = False
    session.flush()
    return Moved(moved, ended)


def _move_tasks(session: Session, old: int, new: int) -> int:
    shares = list(session.exec(select(TaskAssignment).where(TaskAssignment.agency_id == old)))
    taken = set(session.exec(select(TaskAssignment.task_id).where(TaskAssignment.agency_id == new)))
    moved = 0
    for share in shares:
        if share.task_id not in taken:
            session.delete(share)
            session.add(
                TaskAssignment(
                    task_id=share.task_id, agency_id=new, active=share.active, done_at=share.done_at, done_by_person_id=share.done_by_person_id
                )
            )
            moved += 1
    return moved


def apply_changes(session: Session, programme_id: int, changes: list[AgencyChange], limits: FocalPoints, now: datetime) -> Moved:
    """Each change whose old agency still holds rows; idempotent."""
    agencies = {row.code: row for row in session.exec(select(Agency).where(Agency.programme_id == programme_id))}
    total = Moved()
    for change in changes:
        old, new = agencies.get(change.old), agencies.get(change.new)
        if old is not None and new is not None and old.id != new.id:
            moved = move_agency(session, old, new, change, limits, now)
            total.rows += moved.rows
            total.ended += moved.ended
    return total


def dropped_agencies(session: Session, programme_id: int, kept: set[str], changed: set[str]) -> list[str]:
    """Active agencies of the database that the file no longer lists and no change names:
    loading makes them inactive, keeping all they hold, and says so."""
    query = select(Agency.code).where(Agency.programme_id == programme_id, Agency.active == True)  # noqa: E712
    return sorted(code for code in session.exec(query) if code not in kept and code not in changed)

