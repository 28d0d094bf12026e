"""Running a TVPB task: opening it, its dossier parts, its stages, cancelling it. Each
function works in the caller's transaction and logs the stage with who did it; what it
tells people goes through the outbox (`models/outbox/notify`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.activities.tables import Activity, ActivityStatus
from models.errors import RuleError
from models.outbox.notify import cancel_pending, focal_points, message, tell_office
from models.programme.schema import Programme, Tvpb
from models.programme.tables import ActivityType, Agency
from models.tvpb import deadlines
from models.tvpb.stages import OPEN, check_move
from models.tvpb.tables import CouncilSeat, SchemeKind, SeatStatus, Stage, TvpbPart, TvpbStageLog, TvpbTask


def rule(programme: Programme) -> Tvpb:
    if programme.tvpb is None:
        raise RuleError("tvpb.not_in_programme")
    return programme.tvpb


def holidays(programme: Programme) -> frozenset[date]:
    return frozenset(programme.reminders.holidays)


DOSSIER_OPEN = frozenset({Stage.REQUESTED, Stage.DOSSIER})
"""The stages in which a dossier part may still be sent."""


def key_prefix(task_id: int) -> str:
    """Every outbox row about a task starts with it (so cancelling drops them)."""
    return f"tvpb:{task_id}:"


def _log(session: Session, task: TvpbTask, stage: Stage, person_id: int | None, now: datetime, note: str | None = None) -> None:
    task.stage = stage
    session.add(TvpbStageLog(task_id=task.id, stage=stage, at=now, person_id=person_id, note=note))


@dataclass(frozen=True)
class Opened:
    task: TvpbTask
    told_office: set[str]


def open_task(
    session: Session,
    programme: Programme,
    programme_id: int,
    agency: Agency,
    title: str,
    kind: SchemeKind,
    fields: list[str],
    submission_on: date,
    person_id: int | None,
    now: datetime,
) -> Opened:
    """A new task at its first stage. Late at opening (the submission under the rule's days
    away, or past) and a drafting agency without a reachable focal point are told the office."""
    tvpb = rule(programme)
    title = " ".join(title.split())
    if len(title) < 5:
        raise RuleError("tvpb.title_too_short")
    known = {item.code for item in tvpb.fields}
    unknown = [code for code in fields if code not in known]
    if unknown or not fields:
        raise RuleError("tvpb.unknown_field", codes=", ".join(unknown) or "—")
    task = TvpbTask(
        programme_id=programme_id,
        agency_id=agency.id,
        title=title[:500],
        kind=kind,
        fields=list(dict.fromkeys(fields)),
        submission_on=submission_on,
        dossier_due=deadlines.dossier_due(submission_on, tvpb.dossier_days_before, holidays(programme)),
        stage=Stage.REQUESTED,
        late_at_opening=deadlines.late_at_opening(now.date(), submission_on, tvpb.dossier_days_before),
        opened_at=now,
    )
    session.add(task)
    session.flush()
    _log(session, task, Stage.REQUESTED, person_id, now)
    told: set[str] = set()
    if task.late_at_opening:
        text = message("tvpb.office_late_opening", task=task.id, title=task.title, agency=agency.name, days=tvpb.dossier_days_before)
        told |= tell_office(session, programme_id, f"{key_prefix(task.id)}late-opening", text, now)
    if not focal_points(session, agency.id):
        text = message("tvpb.office_no_focal_point", task=task.id, agency=agency.name, code=agency.code)
        told |= tell_office(session, programme_id, f"{key_prefix(task.id)}no-focal-point", text, now)
    return Opened(task, told)


def current_parts(session: Session, task_id: int) -> dict[str, TvpbPart]:
    """The newest copy of each part received or marked missing."""
    rows = session.exec(select(TvpbPart).where(TvpbPart.task_id == task_id, col(TvpbPart.superseded_at).is_(None)))
    return {row.part: row for row in rows}


def part_history(session: Session, task_id: int) -> list[TvpbPart]:
    return list(session.exec(select(TvpbPart).where(TvpbPart.task_id == task_id).order_by(col(TvpbPart.id))))


def record_part(
    session: Session, programme: Programme, task: TvpbTask, part: str, attachment_id: int | None, person_id: int | None, now: datetime
) -> TvpbPart:
    """A part attached (`attachment_id`) or marked missing (none); a part sent twice keeps
    the newer copy current and the older in the record. The last part in makes the dossier
    received: late if after its deadline, incomplete if a part is missing (as it stood then:
    a part that arrives later, while the council forms, is added to the record, and the
    flags keep what the council was given on time). Once the council is formed the dossier
    is closed."""
    if task.stage not in DOSSIER_OPEN:
        raise RuleError("tvpb.dossier_closed")
    if part not in {item.code for item in rule(programme).parts}:
        raise RuleError("tvpb.unknown_part", part=part)
    older = current_parts(session, task.id).get(part)
    if older is not None:
        older.superseded_at = now
        session.add(older)
    row = TvpbPart(task_id=task.id, part=part, attachment_id=attachment_id, missing=attachment_id is None, at=now, person_id=person_id)
    session.add(row)
    session.flush()
    have = current_parts(session, task.id)
    if task.stage is Stage.REQUESTED and all(item.code in have for item in rule(programme).parts):
        _dossier_received(session, task, any(r.missing for r in have.values()), person_id, now)
    return row


def _dossier_received(session: Session, task: TvpbTask, incomplete: bool, person_id: int | None, now: datetime) -> None:
    task.dossier_complete_at = now
    task.dossier_late = now.date() > task.dossier_due
    task.dossier_incomplete = incomplete
    task.council_days = deadlines.council_days(now.date(), task.submission_on)
    _log(session, task, Stage.DOSSIER, person_id, now)
    cancel_pending(session, f"{key_prefix(task.id)}dossier:")
    session.add(task)


def accepted_seats(session: Session, task_id: int) -> list[CouncilSeat]:
    query = select(CouncilSeat).where(CouncilSeat.task_id == task_id, CouncilSeat.status == SeatStatus.ACCEPTED)
    return list(session.exec(query.order_by(col(CouncilSeat.id))))


def council_formed(session: Session, task: TvpbTask, workshop_on: date, person_id: int | None, now: datetime) -> None:
    """The council stands once at least one invited expert accepted; the workshop's day is set."""
    check_move(task.stage, Stage.COUNCIL)
    if not accepted_seats(session, task.id):
        raise RuleError("tvpb.no_member_accepted")
    if workshop_on < now.date():
        raise RuleError("tvpb.workshop_in_past")
    task.workshop_on = workshop_on
    _log(session, task, Stage.COUNCIL, person_id, now)
    session.add(task)


def advance(session: Session, programme: Programme, task: TvpbTask, wanted: Stage, person_id: int | None, now: datetime) -> None:
    """Workshop held, critique report sent (the response then falls due), response received, closed."""
    if wanted in (Stage.DOSSIER, Stage.COUNCIL, Stage.CANCELLED):
        raise RuleError("tvpb.wrong_stage", stage=task.stage.value, wanted=wanted.value)
    check_move(task.stage, wanted)
    if wanted is Stage.CRITIQUE_SENT:
        task.response_due = deadlines.response_due(now.date(), rule(programme).response_days_after, holidays(programme))
    if wanted is Stage.RESPONSE:
        cancel_pending(session, f"{key_prefix(task.id)}response:")
    _log(session, task, wanted, person_id, now)
    session.add(task)


def cancel(session: Session, task: TvpbTask, reason: str, person_id: int | None, now: datetime) -> None:
    """Cancelled with a reason; every reminder still waiting about it is cancelled too."""
    if task.stage not in OPEN:
        raise RuleError("tvpb.already_ended", stage=task.stage.value)
    reason = " ".join(reason.split())
    if len(reason) < 3:
        raise RuleError("tvpb.reason_needed")
    task.cancel_reason = reason[:500]
    _log(session, task, Stage.CANCELLED, person_id, now, reason[:500])
    cancel_pending(session, key_prefix(task.id))
    session.add(task)


def link_activity(session: Session, programme: Programme, task: TvpbTask, activity_id: int) -> Activity:
    """Record that activity `activity_id` (registered as a coordination activity of the
    programme's TVPB type) is this task's: the counts then take the task and skip the
    activity (`models/tvpb/counts`), so the critique is counted once. Refused: another
    programme's or an unknown activity, another type, a cancelled one, one already another
    task's (the column is unique)."""
    tvpb = rule(programme)
    if tvpb.activity_type is None:
        raise RuleError("tvpb.no_activity_type")
    activity = session.get(Activity, activity_id)
    if activity is None or activity.programme_id != task.programme_id:
        raise RuleError("tvpb.activity_unknown", activity=activity_id)
    kind = session.get(ActivityType, activity.type_id)
    if kind is None or kind.code != tvpb.activity_type:
        raise RuleError("tvpb.activity_wrong_type", activity=activity_id, type=kind.name if kind else tvpb.activity_type)
    if activity.status is ActivityStatus.CANCELLED:
        raise RuleError("tvpb.activity_cancelled", activity=activity_id)
    other = session.exec(select(TvpbTask).where(TvpbTask.activity_id == activity_id, TvpbTask.id != task.id)).first()
    if other is not None:
        raise RuleError("tvpb.activity_taken", activity=activity_id, task=other.id)
    task.activity_id = activity_id
    session.add(task)
    return activity


def open_tasks(session: Session, programme_id: int, agency_id: int | None = None) -> list[TvpbTask]:
    query = select(TvpbTask).where(TvpbTask.programme_id == programme_id, col(TvpbTask.stage).in_(list(OPEN)))
    if agency_id is not None:
        query = query.where(TvpbTask.agency_id == agency_id)
    return list(session.exec(query.order_by(col(TvpbTask.id))))


def next_deadline(task: TvpbTask) -> date | None:
    """The date the task waits for: the dossier, the workshop, or the response."""
    if task.stage is Stage.REQUESTED:
        return task.dossier_due
    if task.stage is Stage.COUNCIL:
        return task.workshop_on
    if task.stage is Stage.CRITIQUE_SENT:
        return task.response_due
    return None


def stage_log(session: Session, task_id: int) -> list[TvpbStageLog]:
    return list(session.exec(select(TvpbStageLog).where(TvpbStageLog.task_id == task_id).order_by(col(TvpbStageLog.id))))
