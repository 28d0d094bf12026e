"""An agency's 'done' report on an assigned task (seed 001 style)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from models.errors import RuleError
from models.people.tables import Person
from models.reporting.tables import AssignedTask, TaskAssignment

NOTE_LENGTH = 1000


def report_done(session: Session, task_id: int, agency_id: int, person_id: int, note: str | None, now: datetime) -> AssignedTask:
    """Record the agency's share as done, in one UPDATE … WHERE done_at IS NULL RETURNING:
    of two focal points reporting it at once, one is recorded (with their note) and the
    other is told who was first (`tasks.just_done`)."""
    share = session.exec(select(TaskAssignment).where(TaskAssignment.task_id == task_id, TaskAssignment.agency_id == agency_id)).first()
    task = session.get(AssignedTask, task_id)
    if share is None or task is None or not share.active or not task.active:
        raise RuleError("tasks.not_yours")
    if share.done_at is not None:
        raise RuleError("tasks.already_done")
    if note is not None and len(note) > NOTE_LENGTH:
        raise RuleError("tasks.note_length", most=NOTE_LENGTH)
    statement = (
        update(TaskAssignment)
        .where(col(TaskAssignment.task_id) == task_id, col(TaskAssignment.agency_id) == agency_id, col(TaskAssignment.done_at).is_(None))
        .values(done_at=now, done_by_person_id=person_id, done_note=note)
        .returning(col(TaskAssignment.task_id))
        .execution_options(synchronize_session=False)
    )
    if session.execute(statement).first() is None:
        session.refresh(share)
        first = session.get(Person, share.done_by_person_id) if share.done_by_person_id is not None else None
        raise RuleError("tasks.just_done", person=first.full_name if first else "?")
    return task
