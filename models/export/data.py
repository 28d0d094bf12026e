"""Everything the consolidated report says, gathered in a few queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_
from sqlmodel import Session, select

from models.activities import Activity, ActivityStatus
from models.catalogue import ActivityType, Agency, AgencyKind
from models.office import (
    ARRIVED,
    Board,
    BoardStatus,
    TargetProgress,
    TypeCount,
    activities_by_type,
    board,
    targets_progress,
)
from models.period_book import LivePeriod
from models.programme_schema import Indicator, Programme
from models.reporting import ReportItem, Submission
from models.submissions import narrative_code


@dataclass(frozen=True)
class AgencyFigures:
    agency: Agency
    status: BoardStatus
    values: dict[str, float | None]


@dataclass(frozen=True)
class ActivityRow:
    id: int
    day: date
    type_name: str
    title: str
    lead: str
    place: str
    participants: int | None
    status: ActivityStatus


@dataclass(frozen=True)
class Difficulty:
    agency: str
    text: str


@dataclass(frozen=True)
class ReportData:
    programme: Programme
    period: LivePeriod
    issued_on: date
    board: Board
    kinds: dict[str, str]
    indicators: list[Indicator]
    figures: list[AgencyFigures]
    by_type: list[TypeCount]
    activities: list[ActivityRow]
    targets: list[TargetProgress]
    difficulties: list[Difficulty]

    @property
    def totals(self) -> dict[str, float]:
        return {i.code: sum(f.values.get(i.code) or 0.0 for f in self.figures) for i in self.indicators}


def _figures(
    session: Session, period_id: int, arrived: list[Agency], indicators: list[Indicator], statuses: dict[int, BoardStatus]
) -> list[AgencyFigures]:
    ids = [a.id for a in arrived]
    query = (
        select(Submission.agency_id, ReportItem.code, ReportItem.value)
        .join(ReportItem, ReportItem.submission_id == Submission.id)
        .where(Submission.period_id == period_id, Submission.agency_id.in_(ids))  # type: ignore[attr-defined]
    )
    values: dict[int, dict[str, float | None]] = defaultdict(dict)
    for agency_id, code, value in session.exec(query):
        values[agency_id][code] = value
    codes = {i.code for i in indicators}
    return [AgencyFigures(a, statuses[a.id], {c: v for c, v in values[a.id].items() if c in codes}) for a in arrived]  # type: ignore[index]


def _difficulties(session: Session, programme: Programme, period_id: int, arrived: list[Agency]) -> list[Difficulty]:
    codes = [narrative_code(area.code) for area in programme.content_areas if area.difficulties]
    names = {a.id: a.name for a in arrived}
    query = (
        select(Submission.agency_id, ReportItem.text)
        .join(ReportItem, ReportItem.submission_id == Submission.id)
        .where(
            Submission.period_id == period_id, Submission.agency_id.in_(list(names)), ReportItem.code.in_(codes), ReportItem.text != None
        )  # type: ignore[attr-defined]  # noqa: E711
        .order_by(Submission.agency_id)
    )
    return [Difficulty(names[agency_id], text) for agency_id, text in session.exec(query) if text]


def _activities(session: Session, programme_id: int, period: LivePeriod) -> list[ActivityRow]:
    span = period.info.window
    query = (
        select(Activity, ActivityType.name, Agency.name)
        .join(ActivityType, ActivityType.id == Activity.type_id)
        .join(Agency, Agency.id == Activity.lead_agency_id)
        .where(
            Activity.programme_id == programme_id,
            Activity.planned_date >= span.start,
            Activity.planned_date <= span.end,
            or_(Activity.status == ActivityStatus.DONE, Activity.status == ActivityStatus.PLANNED),
        )
        .order_by(Activity.planned_date, Activity.id)
    )
    return [
        ActivityRow(a.id, a.actual_date or a.planned_date, type_name, a.title, lead, a.place, a.participants, a.status)  # type: ignore[arg-type]
        for a, type_name, lead in session.exec(query)
    ]


def assemble(session: Session, programme: Programme, programme_id: int, period: LivePeriod, now: datetime) -> ReportData:
    status_board = board(session, programme, programme_id, period)
    statuses = {row.agency.id: row.status for row in status_board.rows}
    arrived = [row.agency for row in status_board.rows if row.status in ARRIVED]
    kinds = {k.code: k.name for k in session.exec(select(AgencyKind).where(AgencyKind.programme_id == programme_id))}
    return ReportData(
        programme=programme,
        period=period,
        issued_on=now.date(),
        board=status_board,
        kinds=kinds,
        indicators=list(programme.indicators),
        figures=_figures(session, period.row.id, arrived, list(programme.indicators), statuses),  # type: ignore[arg-type]
        by_type=activities_by_type(session, programme_id, period.info.window),
        activities=_activities(session, programme_id, period),
        targets=targets_progress(session, programme, programme_id, now.date()),
        difficulties=_difficulties(session, programme, period.row.id, arrived),  # type: ignore[arg-type]
    )
