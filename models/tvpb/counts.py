"""TVPB tasks as figures: what the targets count (seed 002, II.2.c: 25 in the term), and
the counts by stage and by drafting agency."""

from __future__ import annotations

from collections import Counter
from datetime import date, tzinfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.tvpb.stages import OPEN
from models.tvpb.tables import Stage, TvpbStageLog, TvpbTask


def closed_and_open(session: Session, programme_id: int, start: date, end: date, zone: tzinfo) -> tuple[int, int]:
    """Tasks closed within the span, local days (done), and open tasks whose submission
    falls in it (planned). A term holds a few dozen tasks: their closing moments are read."""
    closed = (
        select(TvpbStageLog.at)
        .join(TvpbTask, col(TvpbTask.id) == TvpbStageLog.task_id)
        .where(TvpbTask.programme_id == programme_id, TvpbStageLog.stage == Stage.CLOSED)
    )
    planned = (
        select(func.count())
        .select_from(TvpbTask)
        .where(
            TvpbTask.programme_id == programme_id,
            col(TvpbTask.stage).in_(list(OPEN)),
            TvpbTask.submission_on >= start,
            TvpbTask.submission_on <= end,
        )
    )
    days = [moment.astimezone(zone).date() for moment in session.exec(closed)]
    return sum(start <= day <= end for day in days), session.exec(planned).one()


def by_stage_and_agency(session: Session, programme_id: int) -> tuple[Counter[Stage], Counter[int]]:
    """Every task by its stage; the open ones by drafting agency id."""
    stages: Counter[Stage] = Counter()
    agencies: Counter[int] = Counter()
    for stage, agency_id in session.exec(select(TvpbTask.stage, TvpbTask.agency_id).where(TvpbTask.programme_id == programme_id)):
        stages[Stage(stage)] += 1
        if stage in OPEN:
            agencies[agency_id] += 1
    return stages, agencies
