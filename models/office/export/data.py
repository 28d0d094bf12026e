"""Everything the consolidated report says, gathered in a few queries (one per kind of
fact: the board, the reports' items, the activities, which the by-type table counts, and
the targets)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from models.activities.tables import Activity, ActivityStatus
from models.office.board import ARRIVED, Board, BoardStatus, TargetProgress, TypeCount, board, targets_progress
from models.programme.schema import Indicator, Programme
from models.programme.tables import ActivityType, Agency
from models.reporting.period_book import LivePeriod
from models.reporting.submissions import narrative_code
from models.reporting.tables import ReportItem, Submission


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


Items = dict[int, list[tuple[str, float | None, str | None]]]
"""Agency id -> (code, value, text) of each item of its report, agencies in id order."""


def _items(session: Session, period_id: int, arrived: list[Agency]) -> Items:
    """Every figure and narrative that the agencies whose report arrived sent for the
    period, in one query."""
    ids = {a.id for a in arrived}
    query = (
        select(Submission.agency_id, ReportItem.code, ReportItem.value, ReportItem.text)
        .join(ReportItem, col(ReportItem.submission_id) == Submission.id)
        .where(Submission.period_id == period_id)
        .order_by(col(Submission.agency_id), col(ReportItem.id))
    )
    items: Items = defaultdict(list)
    for agency_id, code, value, text in session.exec(query):
        if agency_id in ids:
            items[agency_id].append((code, value, text))
    return items


def _figures(items: Items, arrived: list[Agency], indicators: list[Indicator], statuses: dict[int, BoardStatus]) -> list[AgencyFigures]:
    codes = {i.code for i in indicators}
    return [AgencyFigures(a, statuses[a.id], {code: value for code, value, _ in items.get(a.id, []) if code in codes}) for a in arrived]


def _difficulties(items: Items, programme: Programme, arrived: list[Agency]) -> list[Difficulty]:
    codes = {narrative_code(area.code) for area in programme.content_areas if area.difficulties}
    names = {a.id: a.name for a in arrived}
    return [Difficulty(names[agency_id], text) for agency_id, rows in items.items() for code, _, text in rows if code in codes and text]


def _activities(session: Session, programme_id: int, period: LivePeriod) -> tuple[list[ActivityRow], list[TypeCount]]:
    """The window's activities, as plain columns but for their type (a handful of objects,
    shared by tens of thousands of rows), and the same activities counted by type (as
    `models.office.board.activities_by_type` counts them: held ones only, whoever led them; planned ones are listed with their status)."""
    span = period.info.window
    columns = (
        Activity.id,
        Activity.actual_date,
        Activity.planned_date,
        Activity.title,
        Activity.place,
        Activity.participants,
        Activity.status,
    )
    query = (
        # sqlmodel types select() for at most four columns
        select(*columns, ActivityType, Agency.name)  # type: ignore[call-overload]
        .join(ActivityType, ActivityType.id == Activity.type_id)
        .join(Agency, Agency.id == Activity.lead_agency_id)
        .where(
            Activity.programme_id == programme_id,
            Activity.planned_date >= span.start,
            Activity.planned_date <= span.end,
            or_(col(Activity.status) == ActivityStatus.DONE, col(Activity.status) == ActivityStatus.PLANNED),
        )
        .order_by(Activity.planned_date, Activity.id)
    )
    rows: list[ActivityRow] = []
    kinds: dict[int, ActivityType] = {}
    activities: Counter[int] = Counter()
    participants: Counter[int] = Counter()
    for number, done, planned, title, place, people, status, kind, lead in session.exec(query):
        rows.append(ActivityRow(number, done or planned, kind.name, title, lead, place, people, status))
        kinds[kind.id] = kind
        if status == ActivityStatus.DONE:
            activities[kind.id] += 1
            participants[kind.id] += people or 0
    shown = sorted(kinds.values(), key=lambda kind: (kind.position, kind.id))
    return rows, [TypeCount(kind, activities[kind.id], participants[kind.id]) for kind in shown]


def assemble(session: Session, programme: Programme, programme_id: int, period: LivePeriod, now: datetime) -> ReportData:
    status_board = board(session, programme, programme_id, period)
    statuses = {row.agency.id: row.status for row in status_board.rows}
    arrived = [row.agency for row in status_board.rows if row.status in ARRIVED]
    items = _items(session, period.row.id, arrived)
    activities, by_type = _activities(session, programme_id, period)
    return ReportData(
        programme=programme,
        period=period,
        issued_on=now.date(),
        board=status_board,
        kinds={kind.code: kind.name for kind in programme.agency_kinds},
        indicators=list(programme.indicators),
        figures=_figures(items, arrived, list(programme.indicators), statuses),
        by_type=by_type,
        activities=activities,
        targets=targets_progress(session, programme, programme_id, now.date()),
        difficulties=_difficulties(items, programme, arrived),
    )
