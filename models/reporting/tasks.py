"""An agency's 'done' report on an assigned task (seed 001 style)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from models.errors import RuleError
from models.reporting.tables import AssignedTask, TaskAssignment

NOTE_LENGTH = 1000


def report_done(session: Session, task_id: int, agency_id: int, person_id: int, note: str | None, now: datetime) -> AssignedTask:
    share = session.exec(select(TaskAssignment).where(TaskAssignment.task_id == task_id, TaskAssignment.agency_id == agency_id)).first()
    task = session.get(AssignedTask, task_id)
    if share is None or task is None or not share.active or not task.active:
        raise RuleError("tasks.not_yours")
    if share.done_at is not None:
        raise RuleError("tasks.already_done")
    if note is not None and len(note) > NOTE_LENGTH:
        raise RuleError("tasks.note_length", most=NOTE_LENGTH)
    share.done_at, share.done_by_person_id, share.done_note = now, person_id, note
    return task
