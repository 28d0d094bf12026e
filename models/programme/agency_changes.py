"""Agencies that merged into another or were renamed (since 1/7/2025 the district level is
gone and departments have merged): the programme file says so in `[[agency_changes]]`, and
loading it moves the old agency's activities, submissions, task shares, focal points and
group chats to the new one. The old agency stays, inactive, with whatever could not move
(a submission the new agency already has for the same period); nothing is deleted."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from models.activities.tables import Activity, ActivityPartner
from models.outbox.tables import GroupChat
from models.people.tables import Person
from models.programme.tables import Agency
from models.reporting.tables import Submission, TaskAssignment


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


def move_agency(session: Session, old: Agency, new: Agency) -> int:
    """Everything of `old` now under `new`; how many rows moved."""
    assert old.id is not None and new.id is not None
    moved = 0
    for activity in session.exec(select(Activity).where(Activity.lead_agency_id == old.id)):
        activity.lead_agency_id = new.id
        moved += 1
    for person in session.exec(select(Person).where(Person.agency_id == old.id)):
        person.agency_id = new.id
        moved += 1
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
    return moved


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


def apply_changes(session: Session, programme_id: int, changes: list[tuple[str, str]]) -> int:
    """Each (old code, new code) whose old agency still holds rows; idempotent."""
    agencies = {row.code: row for row in session.exec(select(Agency).where(Agency.programme_id == programme_id))}
    moved = 0
    for old_code, new_code in changes:
        old, new = agencies.get(old_code), agencies.get(new_code)
        if old is not None and new is not None and old.id != new.id:
            moved += move_agency(session, old, new)
    return moved

