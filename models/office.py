"""What the LHH office looks at: the submission board of a period, who is missing, the
roster, term targets against progress, assigned tasks. Read-only queries, a handful each,
whatever the number of agencies."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, select

from models.activities import Activity, ActivityStatus
from models.catalogue import ActivityType, Agency, AssignedTask, TaskAssignment
from models.errors import RuleError
from models.groups import GroupChat
from models.people import ChannelIdentity, Person, Role
from models.period_book import LivePeriod, ensure_periods, live
from models.periods import Window, parse_period_code
from models.programme_schema import Programme, Target
from models.reporting import Submission, SubmissionStatus

LOOKBACK_DAYS = 400


class BoardStatus(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    LATE = "late"
    RETURNED = "returned"
    ACCEPTED = "accepted"


ARRIVED = (BoardStatus.SUBMITTED, BoardStatus.LATE, BoardStatus.ACCEPTED)


def board_status(submission: Submission | None) -> BoardStatus:
    if submission is None:
        return BoardStatus.NOT_STARTED
    if submission.status is SubmissionStatus.SUBMITTED:
        return BoardStatus.LATE if submission.late else BoardStatus.SUBMITTED
    return BoardStatus(submission.status.value)


def _agency_cycle(programme: Programme, live_period: LivePeriod) -> bool:
    """Cycles in which agencies (not only the LHH itself) report."""
    return any(code != programme.coordinator.code for code in programme.agencies_for(live_period.cycle.reporters))


def choose_period(session: Session, programme: Programme, programme_id: int, text: str, now: datetime) -> LivePeriod:
    """The period an office command is about: 'CYCLE/CODE', 'CODE' (e.g. 2027-H1), or, by
    default, the one whose deadline is nearest to today, before or after."""
    ensure_periods(session, programme, programme_id, now)
    periods = live(session, programme, programme_id, now.date(), LOOKBACK_DAYS)
    wanted = text.strip()
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


@dataclass(frozen=True)
class BoardRow:
    agency: Agency
    status: BoardStatus
    submitted_at: datetime | None


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


def board(session: Session, programme: Programme, programme_id: int, live_period: LivePeriod) -> Board:
    codes = programme.agencies_for(live_period.cycle.reporters)
    agencies = session.exec(select(Agency).where(Agency.programme_id == programme_id, Agency.code.in_(codes), Agency.active == True)).all()  # type: ignore[attr-defined]  # noqa: E712
    order = {code: index for index, code in enumerate(codes)}
    submissions = {s.agency_id: s for s in session.exec(select(Submission).where(Submission.period_id == live_period.row.id))}
    rows = [BoardRow(a, board_status(submissions.get(a.id)), getattr(submissions.get(a.id), "submitted_at", None)) for a in agencies]  # type: ignore[arg-type]
    return Board(live_period, sorted(rows, key=lambda row: order[row.agency.code]))


def focal_points_of(session: Session, agency_ids: list[int]) -> dict[int, list[Person]]:
    """Active leaders and specialists by agency, leader first."""
    query = (
        select(Person)
        .where(Person.agency_id.in_(agency_ids), Person.active == True, Person.role.in_([Role.LEADER, Role.SPECIALIST]))  # type: ignore[attr-defined]  # noqa: E712
        .order_by(Person.agency_id, Person.role, Person.id)
    )
    found: dict[int, list[Person]] = defaultdict(list)
    for person in session.exec(query):
        found[person.agency_id].append(person)
    return found


@dataclass(frozen=True)
class RosterRow:
    agency: Agency
    people: list[Person]
    groups: int

    def holds(self, role: Role) -> bool:
        return any(person.role is role for person in self.people)


def roster(session: Session, programme_id: int) -> list[RosterRow]:
    agencies = session.exec(select(Agency).where(Agency.programme_id == programme_id, Agency.active == True).order_by(Agency.id)).all()  # noqa: E712
    people = focal_points_of(session, [a.id for a in agencies])  # type: ignore[misc]
    groups = Counter(
        session.exec(
            select(GroupChat.agency_id).where(GroupChat.programme_id == programme_id, GroupChat.active == True, GroupChat.agency_id != None)
        )  # noqa: E711, E712
    )
    return [RosterRow(a, people.get(a.id, []), groups.get(a.id, 0)) for a in agencies if not a.is_coordinator]  # type: ignore[arg-type]


@dataclass(frozen=True)
class PersonRow:
    person: Person
    agency: Agency
    channels: list[str]
    last_seen: datetime | None


def people(session: Session, programme_id: int) -> list[PersonRow]:
    """Everyone active, LHH staff first, then by agency and role."""
    rows = session.exec(
        select(Person, Agency).join(Agency, Agency.id == Person.agency_id).where(Person.programme_id == programme_id, Person.active == True)  # noqa: E712
    ).all()
    ids = [person.id for person, _ in rows]
    channels: dict[int, list[ChannelIdentity]] = defaultdict(list)
    for identity in session.exec(select(ChannelIdentity).where(ChannelIdentity.person_id.in_(ids))):  # type: ignore[attr-defined]
        channels[identity.person_id].append(identity)
    found = [
        PersonRow(
            person,
            agency,
            sorted(i.channel for i in channels[person.id] if i.active),  # type: ignore[index]
            max((i.last_seen_at for i in channels[person.id]), default=None),  # type: ignore[index]
        )
        for person, agency in rows
    ]
    return sorted(found, key=lambda row: (not row.agency.is_coordinator, row.agency.id, row.person.role.value, row.person.id))


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    done: int
    planned: int
    expected_now: float | None


def _term_fraction(programme: Programme, today: date) -> float | None:
    term = programme.programme.term
    if term.end is None:
        return None
    span = (term.end - term.start).days
    return min(max((today - term.start).days / span, 0.0), 1.0) if span > 0 else None


def targets_progress(session: Session, programme: Programme, programme_id: int, today: date) -> list[TargetProgress]:
    """Each term target against the activities registered in the term (each counted once,
    whoever led it): done by today, and planned later."""
    term = programme.programme.term
    end = term.end or today
    query = (
        select(ActivityType.code, Activity.status, func.count())
        .join(ActivityType, ActivityType.id == Activity.type_id)
        .where(Activity.programme_id == programme_id, Activity.planned_date >= term.start, Activity.planned_date <= end)
        .group_by(ActivityType.code, Activity.status)
    )
    done: Counter[str] = Counter()
    planned: Counter[str] = Counter()
    for code, status, count in session.exec(query):
        if status == ActivityStatus.DONE:
            done[code] += count
        elif status == ActivityStatus.PLANNED:
            planned[code] += count
    fraction = _term_fraction(programme, today)
    return [
        TargetProgress(
            target,
            sum(done[c] for c in target.activity_types),
            sum(planned[c] for c in target.activity_types),
            target.target * fraction if fraction is not None else None,
        )
        for target in programme.targets
    ]


@dataclass(frozen=True)
class TaskRow:
    task: AssignedTask
    assigned: list[str]
    done: list[str]

    @property
    def open(self) -> list[str]:
        return [code for code in self.assigned if code not in self.done]


def tasks_overview(session: Session, programme_id: int) -> list[TaskRow]:
    query = (
        select(AssignedTask, TaskAssignment, Agency.code)
        .join(TaskAssignment, TaskAssignment.task_id == AssignedTask.id)
        .join(Agency, Agency.id == TaskAssignment.agency_id)
        .where(AssignedTask.programme_id == programme_id, AssignedTask.active == True, TaskAssignment.active == True)  # noqa: E712
        .order_by(AssignedTask.due_date, AssignedTask.code, Agency.id)
    )
    rows: dict[int, TaskRow] = {}
    for task, share, code in session.exec(query):
        row = rows.setdefault(task.id, TaskRow(task, [], []))  # type: ignore[arg-type]
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
    """Activities dated in the window, by type (each once, whoever led it), not cancelled."""
    query = (
        select(ActivityType, func.count(Activity.id), func.coalesce(func.sum(Activity.participants), 0))
        .join(Activity, Activity.type_id == ActivityType.id)
        .where(
            Activity.programme_id == programme_id,
            Activity.status != ActivityStatus.CANCELLED,
            Activity.planned_date >= span.start,
            Activity.planned_date <= span.end,
        )
        .group_by(ActivityType.id)
        .order_by(ActivityType.position)
    )
    return [TypeCount(kind, count, int(participants)) for kind, count, participants in session.exec(query)]
