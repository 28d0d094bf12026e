"""TVPB tasks as figures: what the targets count (seed 002, II.2.c: 25 in the term), and
the counts by stage and by drafting agency."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, tzinfo

from sqlalchemy import and_
from sqlmodel import Session, col, select

from models.tvpb.stages import OPEN
from models.tvpb.tables import Stage, TvpbStageLog, TvpbTask


@dataclass(frozen=True)
class TaskDates:
    """What the targets need of each task: its stage, submission day and the local day it closed."""

    stage: Stage
    submission_on: date
    closed_on: date | None


def task_dates(session: Session, programme_id: int, zone: tzinfo) -> list[TaskDates]:
    """Every task of the programme, in one query (a term holds a few dozen)."""
    closing = and_(col(TvpbStageLog.task_id) == TvpbTask.id, col(TvpbStageLog.stage) == Stage.CLOSED)
    query = (
        select(col(TvpbTask.stage), col(TvpbTask.submission_on), col(TvpbStageLog.at))
        .outerjoin(TvpbStageLog, closing)
        .where(TvpbTask.programme_id == programme_id)
    )
    return [TaskDates(Stage(stage), day, at.astimezone(zone).date() if at is not None else None) for stage, day, at in session.exec(query)]


def closed_and_open(tasks: list[TaskDates], start: date, end: date) -> tuple[int, int]:
    """Tasks closed within the span (done), and open tasks whose submission falls in it (planned)."""
    done = sum(task.closed_on is not None and start <= task.closed_on <= end for task in tasks)
    planned = sum(task.stage in OPEN and start <= task.submission_on <= end for task in tasks)
    return done, planned


def by_stage_and_agency(session: Session, programme_id: int) -> tuple[Counter[Stage], Counter[int]]:
    """Every task by its stage; the open ones by drafting agency id."""
    stages: Counter[Stage] = Counter()
    agencies: Counter[int] = Counter()
    for stage, agency_id in session.exec(select(TvpbTask.stage, TvpbTask.agency_id).where(TvpbTask.programme_id == programme_id)):
        stages[Stage(stage)] += 1
        if stage in OPEN:
            agencies[agency_id] += 1
    return stages, agencies
