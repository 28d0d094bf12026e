"""What the LHH office looks at: the submission board of a period, who is missing, the
roster, term targets against progress, assigned tasks. Read-only queries, a handful each,
whatever the number of agencies."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import Exists, and_, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from models.activities.tables import Activity, ActivityStatus
from models.db.paging import page_with_total
from models.errors import RuleError
from models.outbox.tables import GroupChat
from models.people.tables import ChannelIdentity, Person, Role
from models.programme.cycles import live_periods, period_info
from models.programme.period_words import period_code
from models.programme.periods import Window, parse_period_code
from models.programme.schema import Programme, Target
from models.programme.tables import ActivityType, Agency
from models.office.standing import Stand, Standing, stand
from models.reporting.period_book import KEEP_DAYS, LivePeriod, ensure_periods, live
from models.reporting.tables import AssignedTask, Period, Submission, SubmissionStatus, TaskAssignment
from models.tvpb.counts import TaskDates, done_and_planned, linked_activities, task_dates

LOOKBACK_DAYS = 400


class BoardStatus(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    LATE = "late"
    RETURNED = "returned"
    ACCEPTED = "accepted"


ARRIVED = (BoardStatus.SUBMITTED, BoardStatus.LATE, BoardStatus.ACCEPTED)


_BOARD_STATUS = {status: BoardStatus(status.value) for status in SubmissionStatus if status is not SubmissionStatus.SUBMITTED}


def board_status(status: SubmissionStatus | None, late: bool | None) -> BoardStatus:
    """The board's status of an agency whose submission (if any) has `status` and `late`."""
    if status is None:
        return BoardStatus.NOT_STARTED
    if status is SubmissionStatus.SUBMITTED:
        return BoardStatus.LATE if late else BoardStatus.SUBMITTED
    return _BOARD_STATUS[status]


def _agency_cycle(programme: Programme, live_period: LivePeriod) -> bool:
    """Cycles in which agencies (not only the LHH itself) report."""
    return any(code != programme.coordinator.code for code in programme.agencies_for(live_period.cycle.reporters))


def _kept(programme: Programme, periods: list[LivePeriod], today: date) -> bool:
    """Whether `ensure_periods` has nothing to do: every period it keeps has its row, and
    the row is stamped closed once the window is over."""
    rows = {(p.cycle.code, p.info.code): p.row for p in periods}
    for cycle in programme.cycles:
        for info in live_periods(cycle, today, KEEP_DAYS):
            row = rows.get((cycle.code, info.code))
            if row is None or (row.closed_at is None and today > info.window.end):
                return False
    return True


def office_periods(session: Session, programme: Programme, programme_id: int, now: datetime) -> list[LivePeriod]:
    """The live periods an office command may be about, in one read when the rows are
    already in place (the scheduler and /report create them); else after creating them."""
    periods = live(session, programme, programme_id, now.date(), LOOKBACK_DAYS)
    if _kept(programme, periods, now.date()):
        return periods
    ensure_periods(session, programme, programme_id, now)
    return live(session, programme, programme_id, now.date(), LOOKBACK_DAYS)


def period_by_id(session: Session, programme: Programme, period_id: int) -> LivePeriod | None:
    """A period row named by its id (a form remembers it), with its cycle and dates."""
    row = session.get(Period, period_id)
    if row is None:
        return None
    cycle = next((c for c in programme.cycles if c.code == row.cycle_code), None)
    return LivePeriod(cycle, period_info(cycle, parse_period_code(row.period_code)), row) if cycle else None


def choose_period(session: Session, programme: Programme, programme_id: int, text: str, now: datetime) -> LivePeriod:
    """The period an office command is about: 'CYCLE/CODE', 'CODE' (e.g. 2027-H1), the
    period in words ('6 tháng đầu năm 2027', `period_words`), or, by default, the one whose
    deadline is nearest to today, before or after."""
    return pick_period(programme, office_periods(session, programme, programme_id, now), text, now)


def pick_period(programme: Programme, periods: list[LivePeriod], text: str, now: datetime) -> LivePeriod:
    """`choose_period` among periods already read (a page that also lists them)."""
    wanted = period_code(text) or text.strip()
    if wanted:
        cycle_code, _, code = wanted.rpartition("/")
        key = parse_period_code(code)
        found = [p for p in periods if p.info.key == key and (not cycle_code or p.cycle.code == cycle_code)]
        found.sort(key=lambda p: not _agency_cycle(programme, p))
        if not found:
            raise RuleError("office.no_such_period", code=wanted)
        return found[0]
    ours = [p for p in periods if _agency_cycle(programme, p)] or periods
    if not ours:
        raise RuleError("office.no_period")
    today = now.date()
    return min(ours, key=lambda p: (abs((p.info.due - today).days), p.info.due))


_SUBMISSION = {
    BoardStatus.NOT_STARTED: None,
    BoardStatus.DRAFT: SubmissionStatus.DRAFT,
    BoardStatus.SUBMITTED: SubmissionStatus.SUBMITTED,
    BoardStatus.LATE: SubmissionStatus.SUBMITTED,
    BoardStatus.RETURNED: SubmissionStatus.RETURNED,
    BoardStatus.ACCEPTED: SubmissionStatus.ACCEPTED,
}


class AgencyLine(NamedTuple):
    """An agency as the board lists it: its columns as plain values, not an ORM object
    (1,500 of them, with their submissions, cost more to build than to read)."""

    id: int
    code: str
    name: str
    kind_code: str | None
    is_coordinator: bool


class BoardRow(NamedTuple):
    agency: AgencyLine
    status: BoardStatus
    submitted_at: datetime | None

    def stand(self, due: date, today: date) -> Stand:
        """The row's standing in the state's words (`models.office.standing`)."""
        return stand(_SUBMISSION[self.status], self.status is BoardStatus.LATE, due, today)


@dataclass(frozen=True)
class Board:
    period: LivePeriod
    rows: list[BoardRow]

    @property
    def counts(self) -> Counter[BoardStatus]:
        return Counter(row.status for row in self.rows)

    @property
    def missing(self) -> list[BoardRow]:
        return [row for row in self.rows if row.status not in ARRIVED]

    def stands(self, today: date) -> list[Stand]:
        """Each row's standing, in the rows' order."""
        return [row.stand(self.period.info.due, today) for row in self.rows]

    def stand_counts(self, today: date) -> Counter[Standing]:
        return Counter(item.standing for item in self.stands(today))


_LINE_COLUMNS = (col(Agency.id), col(Agency.code), col(Agency.name), col(Agency.kind_code), col(Agency.is_coordinator))


def board(session: Session, programme: Programme, programme_id: int, live_period: LivePeriod) -> Board:
    """Each active agency that reports in the period's cycle, with its submission's state,
    in one query of plain columns, in the programme file's order."""
    order = {code: index for index, code in enumerate(programme.agencies_for(live_period.cycle.reporters))}
    query = (
        select_columns(*_LINE_COLUMNS, col(Submission.status), col(Submission.late), col(Submission.submitted_at))
        .outerjoin(Submission, and_(col(Submission.agency_id) == Agency.id, col(Submission.period_id) == live_period.row.id))
        .where(col(Agency.programme_id) == programme_id, col(Agency.active) == True)
    )
    rows = [
        BoardRow(AgencyLine(agency_id, code, name, kind_code, coordinator), board_status(status, late), submitted_at)
        for agency_id, code, name, kind_code, coordinator, status, late, submitted_at in session.execute(query)
        if code in order
    ]
    return Board(live_period, sorted(rows, key=lambda row: order[row.agency.code]))


def focal_points_of(session: Session, agency_ids: list[int]) -> dict[int, list[Person]]:
    """Active leaders and specialists by agency, leader first."""
    query = (
        select(Person)
        .where(col(Person.agency_id).in_(agency_ids), col(Person.active) == True, col(Person.role).in_([Role.LEADER, Role.SPECIALIST]))
        .order_by(col(Person.agency_id), col(Person.role), col(Person.id))
    )
    found: dict[int, list[Person]] = defaultdict(list)
    for person in session.exec(query):
        found[person.agency_id].append(person)
    return found


@dataclass(frozen=True)
class RosterRow:
    agency: Agency
    roles: frozenset[Role]
    groups: int

    def holds(self, role: Role) -> bool:
        return role in self.roles


def _holds(role: Role) -> Exists:
    return select(Person.id).where(Person.agency_id == Agency.id, Person.active == True, Person.role == role).correlate(Agency).exists()


def roster(session: Session, programme_id: int) -> list[RosterRow]:
    """Each active agency (the LHH aside) with the focal roles it holds and its bound groups,
    in one query: the people themselves are not loaded (15,000 of them at scale)."""
    groups = (
        select(func.count())
        .where(GroupChat.agency_id == Agency.id, GroupChat.programme_id == programme_id, GroupChat.active == True)
        .correlate(Agency)
        .scalar_subquery()
    )
    query = (
        select(Agency, _holds(Role.LEADER), _holds(Role.SPECIALIST), groups)
        .where(Agency.programme_id == programme_id, Agency.active == True, Agency.is_coordinator == False)
        .order_by(col(Agency.id))
    )
    return [
        RosterRow(agency, frozenset(role for role, held in ((Role.LEADER, leader), (Role.SPECIALIST, specialist)) if held), count)
        for agency, leader, specialist, count in session.exec(query)
    ]


@dataclass(frozen=True)
class PersonRow:
    person: Person
    agency: Agency
    channels: list[str]
    last_seen: datetime | None


def people_page(session: Session, programme_id: int, page: int, per_page: int, active: bool = True) -> tuple[list[PersonRow], int]:
    """One page of everyone active (or deactivated and not erased, to restore), LHH staff
    first, then by agency and role, and how many there are in all: the page and the total
    in one query (a page past the end counts apart), the page's channels in a second."""
    chosen = (Person.programme_id == programme_id, Person.active == active, col(Person.erased_at).is_(None))
    query = (
        select(Person, Agency)
        .join(Agency, col(Agency.id) == Person.agency_id)
        .where(*chosen)
        .order_by(col(Agency.is_coordinator).desc(), col(Agency.id), col(Person.role), col(Person.id))
    )
    counted = select(func.count()).select_from(Person).where(*chosen)
    rows, total = page_with_total(session, query, counted, page, per_page)
    channels: dict[int, list[ChannelIdentity]] = defaultdict(list)
    ids = [person.id for person, _ in rows]
    for identity in session.exec(select(ChannelIdentity).where(col(ChannelIdentity.person_id).in_(ids))):
        channels[identity.person_id].append(identity)
    found = [
        PersonRow(
            person,
            agency,
            sorted(i.channel for i in channels[person.id] if i.active),
            max((i.last_seen_at for i in channels[person.id]), default=None),
        )
        for person, agency in rows
    ]
    return found, total


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    done: int
    planned: int
    expected_now: float | None
    year: int | None = None
    """The year a yearly target's figures are of."""


def target_span(programme: Programme, target: Target, today: date) -> tuple[date, date | None]:
    """The days a target counts over: the term, or for a yearly target the current year
    within the term (so a term without an end still shows this year's target)."""
    term = programme.programme.term
    if target.per == "term":
        return term.start, term.end
    start, end = max(term.start, date(today.year, 1, 1)), date(today.year, 12, 31)
    return start, min(end, term.end) if term.end else end


def elapsed_fraction(start: date, end: date | None, today: date) -> float | None:
    """How much of the span has gone by today; none for a span without an end."""
    if end is None:
        return None
    span = (end - start).days
    return min(max((today - start).days / span, 0.0), 1.0) if span > 0 else None


def _counts(session: Session, programme_id: int, start: date, end: date) -> tuple[Counter[str], Counter[str]]:
    query = (
        select(ActivityType.code, Activity.status, func.count())
        .join(ActivityType, col(ActivityType.id) == Activity.type_id)
        .where(Activity.programme_id == programme_id, Activity.planned_date >= start, Activity.planned_date <= end)
        .where(col(Activity.id).not_in(linked_activities(programme_id)))
        .group_by(ActivityType.code, Activity.status)
    )
    done: Counter[str] = Counter()
    planned: Counter[str] = Counter()
    for code, status, count in session.exec(query):
        if status == ActivityStatus.DONE:
            done[code] += count
        elif status == ActivityStatus.PLANNED:
            planned[code] += count
    return done, planned


def targets_progress(
    session: Session, programme: Programme, programme_id: int, today: date, tvpb_tasks: list[TaskDates] | None = None
) -> list[TargetProgress]:
    """Each target against the activities registered in its span (each counted once,
    whoever led it): done by today, and planned later; one query per distinct span. A
    target naming the programme's TVPB activity type also counts the TVPB tasks whose
    critique was sent in its span, and the open ones due in it as planned; an activity
    linked to a task is counted through the task only (`models/tvpb/counts`). `tvpb_tasks`:
    the tasks already read (the export reads them once for its counts and the targets)."""
    spans = {target.code: target_span(programme, target, today) for target in programme.targets}
    counted = {span: _counts(session, programme_id, span[0], span[1] or today) for span in set(spans.values())}
    tvpb_type = programme.tvpb.activity_type if programme.tvpb is not None else None
    if tvpb_type is not None and programme.targets:
        tasks = tvpb_tasks if tvpb_tasks is not None else task_dates(session, programme_id, programme.zone)
        for (start, end), (done, planned) in counted.items():
            closed, still_open = done_and_planned(tasks, start, end or today)
            done[tvpb_type] += closed
            planned[tvpb_type] += still_open
    found = []
    for target in programme.targets:
        start, end = spans[target.code]
        done, planned = counted[(start, end)]
        fraction = elapsed_fraction(start, end, today)
        found.append(
            TargetProgress(
                target,
                sum(done[c] for c in target.activity_types),
                sum(planned[c] for c in target.activity_types),
                target.target * fraction if fraction is not None else None,
                today.year if target.per == "year" else None,
            )
        )
    return found


@dataclass(frozen=True)
class TaskRow:
    task: AssignedTask
    assigned: list[str]
    done: list[str]

    @property
    def open(self) -> list[str]:
        return [code for code in self.assigned if code not in self.done]


def tasks_overview(session: Session, programme_id: int, since: date | None = None) -> list[TaskRow]:
    """Each active task with who was assigned it and who reported it done; with `since` (the
    go-live date), none due before it."""
    query = (
        select(AssignedTask, TaskAssignment, Agency.code)
        .join(TaskAssignment, col(TaskAssignment.task_id) == AssignedTask.id)
        .join(Agency, col(Agency.id) == TaskAssignment.agency_id)
        .where(AssignedTask.programme_id == programme_id, AssignedTask.active == True, TaskAssignment.active == True)
        .order_by(col(AssignedTask.due_date), col(AssignedTask.code), col(Agency.id))
    )
    if since is not None:
        query = query.where(AssignedTask.due_date >= since)
    rows: dict[int, TaskRow] = {}
    for task, share, code in session.exec(query):
        row = rows.setdefault(task.id, TaskRow(task, [], []))
        row.assigned.append(code)
        if share.done_at is not None:
            row.done.append(code)
    return list(rows.values())


@dataclass(frozen=True)
class TypeCount:
    type: ActivityType
    activities: int
    participants: int


def activities_by_type(session: Session, programme_id: int, span: Window) -> list[TypeCount]:
    """Activities held in the window, by type (each once, whoever led it): planned and
    cancelled ones do not count."""
    query = (
        select(ActivityType, func.count(col(Activity.id)), func.coalesce(func.sum(col(Activity.participants)), 0))
        .join(Activity, col(Activity.type_id) == ActivityType.id)
        .where(
            Activity.programme_id == programme_id,
            Activity.status == ActivityStatus.DONE,
            Activity.planned_date >= span.start,
            Activity.planned_date <= span.end,
        )
        .group_by(col(ActivityType.id))
        .order_by(col(ActivityType.position))
    )
    return [TypeCount(kind, count, int(participants or 0)) for kind, count, participants in session.exec(query)]
