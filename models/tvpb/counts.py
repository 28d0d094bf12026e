"""TVPB tasks as figures: what the targets, the report's suggestions and the export count,
and the counts by stage and by drafting agency.

The rule. A TVPB task is the LHH's work: seed 004 (line 291) asks that the provincial LHH be
"cơ quan chủ trì thực hiện các nhiệm vụ tư vấn, phản biện và giám định xã hội", seed 002
(II.2.c) sets the LHH's own term target ("Tổ chức thực hiện 25 đề tài, nhiệm vụ tư vấn,
phản biện cấp tỉnh"), and seed 000 (Điều 4.4.b) has the agencies only "phối hợp". So a task
counts for the LHH (the coordinator), never for the drafting agency. It counts as done on
the day its critique report is sent to the drafting agency (stage `critique_sent`): that
is the LHH's product (seed 004, line 301: the council's opinions go to the agency, whose
"báo cáo tiếp thu, giải trình" afterwards is the agency's own duty, chased separately); a
task cancelled afterwards no longer counts. It counts where an indicator or target counts
the programme's TVPB activity type (`[tvpb] activity_type`), by number only (a task has no
participants). An activity linked to a task (`TvpbTask.activity_id`, the same critique
registered as a coordination activity) is never counted on its own, so the critique
counts once whoever registered it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, tzinfo

from sqlalchemy import and_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models.programme.schema import Indicator, Programme
from models.programme.tables import Agency
from models.tvpb.stages import OPEN
from models.tvpb.tables import Stage, TvpbStageLog, TvpbTask

DONE_AT = Stage.CRITIQUE_SENT
"""The stage whose day makes a task count as done."""
BEFORE_DONE = frozenset({Stage.REQUESTED, Stage.DOSSIER, Stage.COUNCIL, Stage.WORKSHOP})


@dataclass(frozen=True)
class TaskDates:
    """What the counts need of each task: its stage, submission day, the local day its
    critique was sent, and the activity linked to it."""

    stage: Stage
    submission_on: date
    done_on: date | None
    activity_id: int | None = None


def task_dates(session: Session, programme_id: int, zone: tzinfo) -> list[TaskDates]:
    """Every task of the programme, in one query (a term holds a few dozen)."""
    sent = and_(col(TvpbStageLog.task_id) == TvpbTask.id, col(TvpbStageLog.stage) == DONE_AT)
    query = (
        select(col(TvpbTask.stage), col(TvpbTask.submission_on), col(TvpbStageLog.at), col(TvpbTask.activity_id))
        .outerjoin(TvpbStageLog, sent)
        .where(TvpbTask.programme_id == programme_id)
    )
    return [
        TaskDates(Stage(stage), day, at.astimezone(zone).date() if at is not None else None, activity)
        for stage, day, at, activity in session.exec(query)
    ]


def done_and_planned(tasks: list[TaskDates], start: date, end: date) -> tuple[int, int]:
    """Tasks whose critique was sent within the span, not cancelled since (done), and tasks
    not yet that far whose submission falls in it (planned)."""
    done = sum(t.done_on is not None and t.stage is not Stage.CANCELLED and start <= t.done_on <= end for t in tasks)
    planned = sum(t.stage in BEFORE_DONE and start <= t.submission_on <= end for t in tasks)
    return done, planned


def linked_activities(programme_id: int) -> SelectOfScalar[int | None]:
    """The ids of the activities linked to a task not cancelled: counted through the task."""
    return select(col(TvpbTask.activity_id)).where(
        TvpbTask.programme_id == programme_id, col(TvpbTask.activity_id).is_not(None), TvpbTask.stage != Stage.CANCELLED
    )


@dataclass(frozen=True)
class TvpbShare:
    """What the TVPB tasks add to one agency's counts of a window: `tasks` of the
    programme's TVPB activity type (the coordinator's alone), and the `linked` activities
    that the counts skip."""

    type_code: str | None = None
    tasks: int = 0
    linked: frozenset[int] = field(default_factory=frozenset)

    def added(self, types: list[str]) -> int:
        return self.tasks if self.type_code is not None and self.type_code in types else 0


def share_of(tasks: list[TaskDates], type_code: str, for_coordinator: bool, start: date, end: date) -> TvpbShare:
    """The TVPB share of a window, for the coordinator's counts or another agency's."""
    linked = frozenset(t.activity_id for t in tasks if t.activity_id is not None and t.stage is not Stage.CANCELLED)
    return TvpbShare(type_code, done_and_planned(tasks, start, end)[0] if for_coordinator else 0, linked)


def share(session: Session, programme: Programme, programme_id: int, for_coordinator: bool, start: date, end: date) -> TvpbShare:
    """`share_of` the programme's tasks, read in one query (none without a TVPB activity type)."""
    if programme.tvpb is None or programme.tvpb.activity_type is None:
        return TvpbShare()
    return share_of(task_dates(session, programme_id, programme.zone), programme.tvpb.activity_type, for_coordinator, start, end)


def counts_tasks(programme: Programme, indicators: Iterable[Indicator]) -> bool:
    """Whether any of `indicators` counts the programme's TVPB type by number (then the tasks are read)."""
    code = programme.tvpb.activity_type if programme.tvpb is not None else None
    rules = [i.from_activities for i in indicators if i.from_activities is not None]
    return code is not None and any(code in rule.types and rule.measure != "participants" for rule in rules)


def share_for(session: Session, programme: Programme, programme_id: int, agency: Agency, window_start: date, window_end: date) -> TvpbShare:
    """`share` for one agency's report of a window (what the report's suggestions add)."""
    if not counts_tasks(programme, programme.indicators):
        return TvpbShare()
    return share(session, programme, programme_id, agency.is_coordinator, window_start, window_end)


def by_stage_and_agency(session: Session, programme_id: int) -> tuple[Counter[Stage], Counter[int]]:
    """Every task by its stage; the open ones by drafting agency id."""
    stages: Counter[Stage] = Counter()
    agencies: Counter[int] = Counter()
    for stage, agency_id in session.exec(select(TvpbTask.stage, TvpbTask.agency_id).where(TvpbTask.programme_id == programme_id)):
        stages[Stage(stage)] += 1
        if stage in OPEN:
            agencies[agency_id] += 1
    return stages, agencies
