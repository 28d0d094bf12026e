"""Everything the consolidated report says, gathered in a few queries (one per kind of
fact: the board, the reports' items, the activities and their partners, which the by-type
table and the reconciled figures count, the targets, the tasks, the missing agencies'
focal points and what the office wrote for the period)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from models.activities.tables import Activity, ActivityPartner, ActivityStatus, Attachment
from models.office.board import ARRIVED, AgencyLine, Board, BoardStatus, TargetProgress, TypeCount, board, focal_points_of, targets_progress
from models.office.export.reconcile import AgencyActivities, Counted, Reconciled, by_agency, reconcile
from models.office.standing import Stand
from models.office.tables import PeriodReport
from models.people.tables import Person
from models.programme.schema import ContentArea, Indicator, Programme
from models.office.export.tvpb_table import TvpbRow, tvpb_rows
from models.tvpb.counts import TaskDates, TvpbShare, share_of, task_dates
from models.programme.tables import ActivityType, Agency
from models.reporting.period_book import LivePeriod
from models.reporting.submissions import narrative_code
from models.reporting.tables import AssignedTask, ReportItem, Submission, TaskAssignment

SIGNED_ITEM = "signed"
"""The report item a submission's signed, stamped công văn is attached to."""


@dataclass(frozen=True)
class AgencyFigures:
    agency: AgencyLine
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
    type_code: str = ""
    lead_id: int = 0


@dataclass(frozen=True)
class Difficulty:
    agency: str
    text: str


@dataclass(frozen=True)
class AreaNarratives:
    """A content area and what each agency whose report arrived wrote in it."""

    area: ContentArea
    entries: list[Difficulty]


@dataclass(frozen=True)
class MissingAgency:
    agency: AgencyLine
    stand: Stand
    focal_points: list[Person]


@dataclass(frozen=True)
class TaskLine:
    """One agency's share of an assigned task."""

    code: str
    title: str
    agency: str
    due: date
    due_text: str
    done_on: date | None
    note: str | None


@dataclass(frozen=True)
class SignedCopy:
    """A signed công văn a focal point attached to its submission."""

    agency: str
    name: str
    channel: str
    attached_on: date


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
    narratives: list[AreaNarratives]
    reconciled: list[Reconciled]
    agency_activities: list[tuple[str, AgencyActivities]]
    joint: int
    """Activities of the window with at least one partner."""
    missing: list[MissingAgency]
    office: PeriodReport | None
    tasks: list[TaskLine]
    signed: list[SignedCopy]
    recipient_period: LivePeriod | None = None
    """For a report to a body outside the programme (the LHH's to Sở Nội vụ): that
    period; `period` is then the agencies' period it is prepared from."""
    tvpb: list[TvpbRow] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, float]:
        return {i.code: sum(f.values.get(i.code) or 0.0 for f in self.figures) for i in self.indicators}

    @property
    def stands(self) -> list[Stand]:
        return self.board.stands(self.issued_on)

    @property
    def agencies_report(self) -> bool:
        """Whether agencies (not only the coordinator) report in the period's cycle."""
        return any(not row.agency.is_coordinator for row in self.board.rows)


Items = dict[int, list[tuple[str, float | None, str | None]]]
"""Agency id -> (code, value, text) of each item of its report, agencies in id order."""


def _items(session: Session, period_id: int, arrived: list[AgencyLine]) -> Items:
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


def _figures(items: Items, arrived: list[AgencyLine], indicators: list[Indicator], statuses: dict[int, BoardStatus]) -> list[AgencyFigures]:
    codes = {i.code for i in indicators}
    return [AgencyFigures(a, statuses[a.id], {code: value for code, value, _ in items.get(a.id, []) if code in codes}) for a in arrived]


def _narratives(items: Items, programme: Programme, arrived: list[AgencyLine]) -> list[AreaNarratives]:
    """Every content area, in the file's order, with what each agency wrote in it, agencies
    in the board's order."""
    names = {a.id: a.name for a in arrived}
    order = {a.id: index for index, a in enumerate(arrived)}
    found: dict[str, list[tuple[int, Difficulty]]] = defaultdict(list)
    for agency_id, rows in items.items():
        for code, _, text in rows:
            if text and code.startswith("n:"):
                found[code].append((order[agency_id], Difficulty(names[agency_id], text)))
    return [
        AreaNarratives(area, [entry for _, entry in sorted(found[narrative_code(area.code)], key=lambda pair: pair[0])])
        for area in programme.content_areas
    ]


def _missing(session: Session, status_board: Board, today: date) -> list[MissingAgency]:
    rows = [(row, item) for row, item in zip(status_board.rows, status_board.stands(today), strict=True) if row.status not in ARRIVED]
    people = focal_points_of(session, [row.agency.id for row, _ in rows])
    return [MissingAgency(row.agency, item, people.get(row.agency.id, [])) for row, item in rows]


def _tasks(session: Session, programme_id: int) -> list[TaskLine]:
    query = (
        select(AssignedTask, TaskAssignment, Agency.name)
        .join(TaskAssignment, col(TaskAssignment.task_id) == AssignedTask.id)
        .join(Agency, col(Agency.id) == TaskAssignment.agency_id)
        .where(AssignedTask.programme_id == programme_id, AssignedTask.active == True, TaskAssignment.active == True)  # noqa: E712
        .order_by(col(AssignedTask.due_date), col(AssignedTask.code), col(Agency.id))
    )
    return [
        TaskLine(task.code, task.title, name, task.due_date, task.due_text, share.done_at.date() if share.done_at else None, share.done_note)
        for task, share, name in session.exec(query)
    ]


def _signed(session: Session, period_id: int) -> list[SignedCopy]:
    query = (
        select(Agency.name, Attachment)
        .join(ReportItem, col(ReportItem.id) == Attachment.report_item_id)
        .join(Submission, col(Submission.id) == ReportItem.submission_id)
        .join(Agency, col(Agency.id) == Submission.agency_id)
        .where(Submission.period_id == period_id, ReportItem.code == SIGNED_ITEM)
        .order_by(col(Agency.id), col(Attachment.id))
    )
    return [SignedCopy(name, row.name or row.file_ref, row.channel, row.created_at.date()) for name, row in session.exec(query)]


def _partners(session: Session, programme_id: int, period: LivePeriod) -> dict[int, list[int]]:
    """Activity id -> its partner agencies, for the window's activities, in one query."""
    span = period.info.window
    query = (
        select(ActivityPartner.activity_id, ActivityPartner.agency_id)
        .join(Activity, col(Activity.id) == ActivityPartner.activity_id)
        .where(
            Activity.programme_id == programme_id,
            Activity.planned_date >= span.start,
            Activity.planned_date <= span.end,
            col(Activity.status) != ActivityStatus.CANCELLED,
        )
    )
    found: dict[int, list[int]] = defaultdict(list)
    for activity_id, agency_id in session.exec(query):
        found[activity_id].append(agency_id)
    return found


def _counted(
    programme: Programme,
    period: LivePeriod,
    activities: list[ActivityRow],
    partners: dict[int, list[int]],
    coordinator: int | None,
    tasks: list[TaskDates],
) -> list[Counted]:
    """The window's activities as the counts take them, each once, and the TVPB tasks whose
    critique was sent in it, for the coordinator; an activity linked to a task only through
    the task (`models/tvpb/counts`)."""
    span = period.info.window
    type_code = programme.tvpb.activity_type if programme.tvpb is not None else None
    tvpb = share_of(tasks, type_code, coordinator is not None, span.start, span.end) if type_code is not None else TvpbShare()
    kept = [a for a in activities if a.id not in tvpb.linked]
    counted = [Counted(a.type_code, a.participants, a.lead_id, tuple(partners.get(a.id, ()))) for a in kept]
    if tvpb.type_code is not None and coordinator is not None:
        counted += [Counted(tvpb.type_code, None, coordinator)] * tvpb.tasks
    return counted


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
        Activity.lead_agency_id,
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
    for number, done, planned, title, place, people, status, lead_id, kind, lead in session.exec(query):
        rows.append(ActivityRow(number, done or planned, kind.name, title, lead, place, people, status, kind.code, lead_id))
        kinds[kind.id] = kind
        if status == ActivityStatus.DONE:
            activities[kind.id] += 1
            participants[kind.id] += people or 0
    shown = sorted(kinds.values(), key=lambda kind: (kind.position, kind.id))
    return rows, [TypeCount(kind, activities[kind.id], participants[kind.id]) for kind in shown]


def source_period(programme: Programme, periods: list[LivePeriod], chosen: LivePeriod) -> LivePeriod | None:
    """For the coordinator's own report to an outside body, the agencies' period of the same
    window that it is prepared from (none if no agency cycle has that window)."""
    if any(code != programme.coordinator.code for code in programme.agencies_for(chosen.cycle.reporters)):
        return None
    same = [
        p
        for p in periods
        if p.info.window == chosen.info.window and any(c != programme.coordinator.code for c in programme.agencies_for(p.cycle.reporters))
    ]
    return same[0] if same else None


def assemble(
    session: Session, programme: Programme, programme_id: int, period: LivePeriod, now: datetime, recipient: LivePeriod | None = None
) -> ReportData:
    """The report of `period`; with `recipient`, the coordinator's report of that period to
    an outside body, prepared from `period` (what the office wrote is the recipient's)."""
    today = now.date()
    status_board = board(session, programme, programme_id, period)
    statuses = {row.agency.id: row.status for row in status_board.rows}
    arrived = [row.agency for row in status_board.rows if row.status in ARRIVED]
    items = _items(session, period.row.id, arrived)
    activities, by_type = _activities(session, programme_id, period)
    partners = _partners(session, programme_id, period)
    agencies = list(session.exec(select(Agency).where(Agency.programme_id == programme_id)))
    coordinator = next((a.id for a in agencies if a.is_coordinator), None)
    tasks = task_dates(session, programme_id, programme.zone) if programme.tvpb is not None else []
    counted = _counted(programme, period, activities, partners, coordinator, tasks)
    figures = _figures(items, arrived, list(programme.indicators), statuses)
    narratives = _narratives(items, programme, arrived)
    names = {a.id: a.name for a in agencies}
    office_period = recipient or period
    return ReportData(
        programme=programme,
        period=period,
        issued_on=today,
        board=status_board,
        kinds={kind.code: kind.name for kind in programme.agency_kinds},
        indicators=list(programme.indicators),
        figures=figures,
        by_type=by_type,
        activities=activities,
        targets=targets_progress(session, programme, programme_id, today, tasks),
        difficulties=[entry for group in narratives if group.area.difficulties for entry in group.entries],
        narratives=narratives,
        reconciled=reconcile(list(programme.indicators), [f.values for f in figures], counted),
        agency_activities=[(names.get(row.agency_id, "?"), row) for row in by_agency(counted)],
        joint=sum(1 for c in counted if any(p != c.lead_id for p in c.partner_ids)),
        missing=_missing(session, status_board, today),
        office=session.get(PeriodReport, office_period.row.id),
        tasks=_tasks(session, programme_id) if programme.tasks else [],
        signed=_signed(session, period.row.id),
        recipient_period=recipient,
        tvpb=tvpb_rows(session, programme_id, period.info.window, programme.zone) if programme.tvpb is not None else [],
    )
