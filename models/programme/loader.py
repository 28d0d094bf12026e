"""Loading a programme file into the database, idempotently.

Rows are matched by their codes: loading the same file twice changes nothing, and loading
an edited file updates names, adds what is new and makes inactive what it dropped. Nothing
is deleted, so activities and submissions keep their agencies, types and indicators.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from models.programme import schema as spec
from models.programme.agency_changes import apply_changes, dropped_agencies
from models.programme.tables import ActivityType, Agency, AgencyKind, Indicator, ProgrammeRecord
from models.reporting.tables import AssignedTask, TaskAssignment


@dataclass
class LoadReport:
    code: str
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    moved: int = 0
    """Rows moved from merged or renamed agencies to the agencies they became."""
    ended: int = 0
    """Focal points of those agencies ended, for the office to invite again."""
    dropped: list[str] = field(default_factory=list)
    """Agencies the file no longer lists and no change names: made inactive, nothing deleted."""

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated or self.moved)


def document_of(programme: spec.Programme) -> dict[str, Any]:
    return programme.model_dump(mode="json")


def digest_of(document: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _apply(row: SQLModel, fields: dict[str, Any]) -> bool:
    changed = False
    for name, value in fields.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _sync(session: Session, model: type[Any], programme_id: int, wanted: dict[str, dict[str, Any]], report: LoadReport) -> dict[str, Any]:
    """Make the programme's rows of `model` match `wanted` (code -> fields); returns code -> row."""
    rows = {row.code: row for row in session.exec(select(model).where(model.programme_id == programme_id))}
    for code, fields in wanted.items():
        row = rows.get(code)
        if row is None:
            rows[code] = row = model(programme_id=programme_id, code=code, active=True, **fields)
            session.add(row)
            report.created += 1
        elif _apply(row, {**fields, "active": True}):
            report.updated += 1
    for code, row in rows.items():
        if code not in wanted and row.active:
            row.active = False
            report.deactivated += 1
    session.flush()
    return rows


def _sync_assignments(
    session: Session, tasks: dict[str, AssignedTask], agencies: dict[str, Agency], programme: spec.Programme, report: LoadReport
) -> None:
    task_ids = [task.id for task in tasks.values()]
    existing = {
        (row.task_id, row.agency_id): row for row in session.exec(select(TaskAssignment).where(col(TaskAssignment.task_id).in_(task_ids)))
    }
    wanted = {
        (tasks[edition.code].id, agencies[code].id) for edition in programme.task_editions() for code in programme.agencies_for(edition.task.assignees)
    }
    for key in wanted - existing.keys():
        session.add(TaskAssignment(task_id=key[0], agency_id=key[1]))
        report.created += 1
    for key, row in existing.items():
        if _apply(row, {"active": key in wanted}):
            report.updated += key in wanted
            report.deactivated += key not in wanted


def _programme_record(session: Session, programme: spec.Programme, now: datetime, report: LoadReport) -> ProgrammeRecord:
    document = document_of(programme)
    fields: dict[str, Any] = {
        "name": programme.programme.name,
        "timezone": programme.programme.timezone,
        "source_hash": digest_of(document),
        "document": document,
    }
    record = session.exec(select(ProgrammeRecord).where(ProgrammeRecord.code == programme.code)).first()
    if record is None:
        record = ProgrammeRecord(code=programme.code, loaded_at=now, **fields)
        session.add(record)
        session.flush()
        report.created += 1
    elif _apply(record, fields):
        report.updated += 1
    return record


def load_into(session: Session, programme: spec.Programme, now: datetime) -> LoadReport:
    report = LoadReport(programme.code)
    record = _programme_record(session, programme, now, report)
    assert record.id is not None
    pid = record.id
    _sync(session, AgencyKind, pid, {k.code: {"name": k.name, "name_en": k.name_en} for k in programme.agency_kinds}, report)
    coordinator = programme.coordinator
    agencies = {coordinator.code: {"name": coordinator.name, "kind_code": None, "is_coordinator": True}}
    agencies |= {a.code: {"name": a.name, "kind_code": a.kind, "is_coordinator": False} for a in programme.agencies}
    report.dropped = dropped_agencies(session, pid, set(agencies), {change.old for change in programme.agency_changes})
    agency_rows = _sync(session, Agency, pid, agencies, report)
    moved = apply_changes(session, pid, programme.agency_changes, programme.focal_points, now)
    report.moved, report.ended = moved.rows, moved.ended
    _sync(
        session,
        ActivityType,
        pid,
        {t.code: {"name": t.name, "name_en": t.name_en, "position": i} for i, t in enumerate(programme.activity_types)},
        report,
    )
    indicators = {
        item.code: {"name": item.name, "name_en": item.name_en, "unit": item.unit, "unit_en": item.unit_en, "position": i}
        for i, item in enumerate(programme.indicators)
    }
    _sync(session, Indicator, pid, indicators, report)
    tasks = {
        edition.code: {"title": edition.task.title, "due_text": edition.due_text, "due_date": edition.due, "source": edition.task.source}
        for edition in programme.task_editions()
    }
    task_rows = _sync(session, AssignedTask, pid, tasks, report)
    _sync_assignments(session, task_rows, agency_rows, programme, report)
    if report.changed:
        record.loaded_at = now
    session.flush()
    return report


def programme_of(record: ProgrammeRecord) -> spec.Programme:
    """The validated programme a record holds."""
    return spec.Programme.model_validate(record.document)
