"""An agency's report for a period: the draft, its figures and narratives, the activities
it counts, submission, and the office's review.

Every answer is saved as it is given, so a draft survives leaving the form, a restart, or
switching between Telegram and Zalo.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from sqlalchemy import ColumnElement, and_, case, delete, exists, false, func, or_, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from models.activities.tables import Activity, ActivityPartner, ActivityStatus
from models.db.inserts import dialect_insert
from models.errors import RuleError
from models.outbox.notify import cancel_pending
from models.people.tables import Person
from models.programme.cycles import PeriodInfo
from models.programme.periods import Window, past_deadline
from models.programme.schema import Indicator, Programme
from models.programme.tables import ActivityType, Agency
from models.reporting.period_book import SETTLED, LivePeriod, owed_info
from models.reporting.tables import Period, ReportItem, Submission, SubmissionActivity, SubmissionStatus
from models.tvpb.counts import TvpbShare

NARRATIVE_LENGTH = (3, 2000)


def narrative_code(area_code: str) -> str:
    return f"n:{area_code}"


def reportable(session: Session, programme: Programme, programme_id: int, agency: Agency, today: date) -> list[LivePeriod]:
    """Periods this agency reports in that are open or overdue and not yet settled: the
    programme's period rows less those the agency's settled submissions name, one query."""
    settled = select(Submission.id).where(
        Submission.period_id == Period.id,
        Submission.agency_id == agency.id,
        col(Submission.status).in_(SETTLED),
    )
    rows = session.exec(select(Period).where(Period.programme_id == programme_id, ~exists(settled)))
    return reportable_rows(programme, agency, rows, today)


def reportable_rows(programme: Programme, agency: Agency, rows: Iterable[Period], today: date) -> list[LivePeriod]:
    """The rows of periods still owed (`owed_info`, the rule /due follows too) in a cycle
    the agency reports in, oldest deadline first; settlement is the caller's check."""
    cycles = {cycle.code: cycle for cycle in programme.cycles if agency.code in programme.agencies_for(cycle.reporters)}
    found = [
        LivePeriod(cycles[row.cycle_code], info, row)
        for row in rows
        if row.cycle_code in cycles and (info := owed_info(cycles[row.cycle_code], row.period_code, today)) is not None
    ]
    return sorted(found, key=lambda item: (item.info.due, item.cycle.code))


def submission_for(session: Session, period_id: int, agency_id: int, now: datetime) -> Submission:
    """The agency's submission for a period, created as a draft on first need."""
    row = session.exec(select(Submission).where(Submission.period_id == period_id, Submission.agency_id == agency_id)).first()
    return row or new_draft(session, period_id, agency_id, now)


def new_draft(session: Session, period_id: int, agency_id: int, now: datetime) -> Submission:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: of two focal points opening the period's
    report at once, one creates the draft and the other finds it (on PostgreSQL, once the
    first has committed), instead of failing on the unique (period, agency)."""
    values = {"period_id": period_id, "agency_id": agency_id, "status": SubmissionStatus.DRAFT, "updated_at": now, "round": 0}
    statement = dialect_insert(session)(Submission).values(values).on_conflict_do_nothing(index_elements=["period_id", "agency_id"])
    made: Submission | None = session.scalars(statement.returning(Submission)).first()
    if made is not None:
        return made
    return session.exec(select(Submission).where(Submission.period_id == period_id, Submission.agency_id == agency_id)).one()


def items_of(session: Session, submission_id: int) -> dict[str, ReportItem]:
    return {item.code: item for item in session.exec(select(ReportItem).where(ReportItem.submission_id == submission_id))}


def save_item(
    session: Session, submission: Submission, code: str, now: datetime, value: float | None = None, text: str | None = None
) -> None:
    """Set an item of the submission (created or replaced) and stamp the submission."""
    _upsert_item(session, submission.id, code, value, text)
    submission.updated_at = now


def record_item(
    session: Session, submission_id: int, code: str, now: datetime, value: float | None = None, text: str | None = None
) -> None:
    """`save_item` for a submission known by its number only: two statements, no read."""
    _upsert_item(session, submission_id, code, value, text)
    session.execute(update(Submission).where(col(Submission.id) == submission_id).values(updated_at=now))


def _upsert_item(session: Session, submission_id: int, code: str, value: float | None, text: str | None) -> None:
    """INSERT … ON CONFLICT (submission_id, code) DO UPDATE; an item already loaded in the
    session takes the new values."""
    statement = dialect_insert(session)(ReportItem).values(submission_id=submission_id, code=code, value=value, text=text)
    statement = statement.on_conflict_do_update(
        index_elements=["submission_id", "code"], set_={"value": statement.excluded.value, "text": statement.excluded.text}
    )
    session.scalars(statement.returning(ReportItem), execution_options={"populate_existing": True}).all()


NO_TVPB = TvpbShare()


@dataclass(frozen=True)
class WindowActivity:
    id: int
    type_code: str
    title: str
    day: date
    participants: int | None
    lead: str | None = None
    """The agency that registered it, when another one did (this agency is a partner)."""
    held: bool = True
    """Whether it took place: only held activities count in the suggestions."""


def _in_window(agency_id: int, start: date, end: date) -> ColumnElement[bool]:
    """Activities the agency led or joined, dated from `start` to `end` (dates, or a
    period's columns), not cancelled."""
    partnered = select(ActivityPartner.activity_id).where(ActivityPartner.agency_id == agency_id)
    return and_(
        or_(col(Activity.lead_agency_id) == agency_id, col(Activity.id).in_(partnered)),
        col(Activity.status) != ActivityStatus.CANCELLED,
        col(Activity.planned_date) >= start,
        col(Activity.planned_date) <= end,
    )


def window_activities(session: Session, agency_id: int, span: Window) -> list[WindowActivity]:
    """Activities the agency led or joined, dated within the window, not cancelled."""
    query = (
        select(Activity, ActivityType.code, Agency.name)
        .join(ActivityType, col(ActivityType.id) == Activity.type_id)
        .join(Agency, col(Agency.id) == Activity.lead_agency_id)
        .where(_in_window(agency_id, span.start, span.end))
        .order_by(col(Activity.planned_date), col(Activity.id))
    )
    return [
        WindowActivity(
            a.id,
            code,
            a.title,
            a.actual_date or a.planned_date,
            a.participants,
            None if a.lead_agency_id == agency_id else lead,
            a.status is ActivityStatus.DONE,
        )
        for a, code, lead in session.exec(query)
    ]


Lead = aliased(Agency)


@dataclass(frozen=True)
class DraftView:
    """What the report form shows of one period for one agency (`draft_view`)."""

    period: Period
    submission: Submission | None
    has_items: bool
    links: int
    """How many activities the submission counts, in the window or not (any more)."""
    activities: list[WindowActivity]
    linked: frozenset[int]
    """The window's activities that the submission counts."""
    item: ReportItem | None = None

    @property
    def started(self) -> bool:
        """Whether the submission has any item or counts any activity."""
        return self.has_items or self.links > 0

    def relinked(self, wanted: AbstractSet[int]) -> DraftView:
        """The view once the submission counts exactly `wanted` (`relink`)."""
        return replace(self, linked=frozenset(wanted), links=len(wanted))


def draft_view(
    session: Session, period_id: int, agency_id: int, submission_id: int | None = None, code: str | None = None
) -> DraftView | None:
    """The period, the agency's submission for it (the one numbered `submission_id`, if
    given), whether it is started and how many activities it counts, the window's
    activities with those it counts, and its item `code`: one query, a row per activity."""
    mine = col(Submission.id) == submission_id if submission_id is not None else col(Submission.agency_id) == agency_id
    has_items = exists().where(col(ReportItem.submission_id) == Submission.id).correlate(Submission)
    links = select(func.count()).where(SubmissionActivity.submission_id == Submission.id).correlate(Submission).scalar_subquery()
    linked = exists().where(col(SubmissionActivity.submission_id) == Submission.id, col(SubmissionActivity.activity_id) == Activity.id)
    query = (
        # sqlmodel types select() for at most four columns
        select(  # type: ignore[call-overload]
            Period,
            Submission,
            has_items,
            links,
            ReportItem,
            Activity.id,
            ActivityType.code,
            Activity.title,
            Activity.planned_date,
            Activity.actual_date,
            Activity.participants,
            linked,
            Activity.lead_agency_id,
            Lead.name,
        )
        .select_from(Period)
        .outerjoin(Submission, and_(col(Submission.period_id) == Period.id, mine))
        .outerjoin(
            ReportItem, and_(col(ReportItem.submission_id) == Submission.id, col(ReportItem.code) == code if code is not None else false())
        )
        .outerjoin(Activity, _in_window(agency_id, Period.window_start, Period.window_end))
        .outerjoin(ActivityType, ActivityType.id == Activity.type_id)
        .outerjoin(Lead, Lead.id == Activity.lead_agency_id)
        .where(Period.id == period_id)
        .order_by(Activity.planned_date, Activity.id)
    )
    rows = session.exec(query).all()
    if not rows:
        return None
    period, submission, any_item, count, item = rows[0][:5]
    activities = [
        (
            WindowActivity(number, type_code, title, done or planned, participants, None if lead_id == agency_id else lead, done is not None),
            counted,
        )
        for *_, number, type_code, title, planned, done, participants, counted, lead_id, lead in rows
        if number is not None
    ]
    return DraftView(
        period,
        submission,
        bool(any_item),
        count,
        [activity for activity, _ in activities],
        frozenset(activity.id for activity, counted in activities if counted),
        item,
    )


def linked_ids(session: Session, submission_id: int) -> set[int]:
    return set(session.exec(select(SubmissionActivity.activity_id).where(SubmissionActivity.submission_id == submission_id)))


def relink(session: Session, submission_id: int, wanted: AbstractSet[int], view: DraftView) -> None:
    """Make the submission count exactly `wanted`, knowing from `view` what it counts now:
    an INSERT for the links added (ON CONFLICT DO NOTHING: another focal point may have
    made them a moment ago) and a DELETE for those dropped, each only when needed.
    Links to activities no longer in the window are dropped too, as `set_links` would."""
    added = wanted - view.linked
    if added:
        links = [{"submission_id": submission_id, "activity_id": i} for i in sorted(added)]
        statement = dialect_insert(session)(SubmissionActivity).values(links)
        session.execute(statement.on_conflict_do_nothing(index_elements=["submission_id", "activity_id"]))
    column = col(SubmissionActivity.activity_id)
    if view.links > len(view.linked):
        gone = column.not_in(wanted)
    elif view.linked - wanted:
        gone = column.in_(view.linked - wanted)
    else:
        return
    session.execute(delete(SubmissionActivity).where(col(SubmissionActivity.submission_id) == submission_id, gone))


def contents(session: Session, submission_id: int) -> tuple[dict[str, ReportItem], int]:
    """The submission's items by code and how many activities it counts, in one query."""
    links = select(func.count()).where(SubmissionActivity.submission_id == Submission.id).scalar_subquery()
    query = (
        select(links, ReportItem)
        .select_from(Submission)
        .outerjoin(ReportItem, col(ReportItem.submission_id) == Submission.id)
        .where(Submission.id == submission_id)
    )
    rows = session.exec(query).all()
    return {item.code: item for _, item in rows if item is not None}, (rows[0][0] if rows else 0)


def set_links(session: Session, submission_id: int, activity_ids: Iterable[int]) -> None:
    wanted = set(activity_ids)
    current = {
        row.activity_id: row for row in session.exec(select(SubmissionActivity).where(SubmissionActivity.submission_id == submission_id))
    }
    for activity_id in wanted - current.keys():
        session.add(SubmissionActivity(submission_id=submission_id, activity_id=activity_id))
    for activity_id in current.keys() - wanted:
        session.delete(current[activity_id])
    session.flush()


def suggested(indicator: Indicator, activities: Iterable[WindowActivity], tvpb: TvpbShare = NO_TVPB) -> float | None:
    """What the linked activities that were held say an indicator should be: a count, or
    participants (a planned one counts once it is marked held); a count of the TVPB type
    adds the window's TVPB tasks for the coordinator, and an activity linked to a task is
    counted through the task only (`models/tvpb/counts`)."""
    rule = indicator.from_activities
    if rule is None:
        return None
    chosen = [a for a in activities if a.type_code in rule.types and a.held and a.id not in tvpb.linked]
    if rule.measure == "participants":
        return float(sum(a.participants or 0 for a in chosen))
    return float(len(chosen) + tvpb.added(rule.types))


def submit(
    session: Session, submission: Submission, period: Period, person_id: int, now: datetime, due_time: time | None = None
) -> Submission:
    """Submit (or resubmit after a return), in one conditional UPDATE: of two focal points
    pressing Submit at once, one submits and the other is told (`report.just_submitted`).
    Late is decided by the first submission: after the deadline's day, or its hour when the
    cycle gives one. Reminders for this period still waiting to go out are dropped: an
    agency that has submitted is not reminded again."""
    late = case((col(Submission.submitted_at).is_(None), past_deadline(now, period.due_date, due_time)), else_=col(Submission.late))
    values = {"late": late, "submitted_by_person_id": person_id, "submitted_at": now, "updated_at": now}
    won = _transition(session, submission, OPEN_TO_SUBMIT, SubmissionStatus.SUBMITTED, values)
    if not won:
        raise _lost(session, submission, "report")
    cancel_pending(session, f"remind:{period.id}:{submission.agency_id}:")
    return submission


def mark_sent(session: Session, submission: Submission, person_id: int, now: datetime) -> Submission:
    """The coordinator's own report, to a body outside the programme (the UBND tỉnh, the Sở
    Nội vụ): the office does not review itself; what it submits is sent, on that date."""
    values = {"reviewed_by_person_id": person_id, "reviewed_at": now, "updated_at": now}
    if not _transition(session, submission, (SubmissionStatus.SUBMITTED,), SubmissionStatus.ACCEPTED, values):
        raise _lost(session, submission, "review")
    return submission


def review(
    session: Session,
    submission: Submission,
    reviewer_id: int,
    accept: bool,
    reason: str | None,
    now: datetime,
    shown: int | None = None,
    flagged: list[str] | None = None,
) -> Submission:
    """Accept or return a submitted report, in one conditional UPDATE: of two admins
    deciding at once, one decides and the other is told what the first decided. `shown`:
    the round the reviewer read, so a report resubmitted meanwhile is not decided unread;
    `flagged`: the items a return names (`returned_items`), none when it names none."""
    status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    values = {
        "return_reason": None if accept else reason,
        "returned_items": None if accept or not flagged else list(flagged),
        "reviewed_by_person_id": reviewer_id,
        "reviewed_at": now,
        "updated_at": now,
    }
    if not _transition(session, submission, (SubmissionStatus.SUBMITTED,), status, values, shown=shown):
        raise _lost(session, submission, "review")
    return submission


OPEN_TO_SUBMIT = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


def _transition(
    session: Session,
    submission: Submission,
    sources: tuple[SubmissionStatus, ...],
    target: SubmissionStatus,
    values: Mapping[str, object],
    shown: int | None = None,
) -> bool:
    """UPDATE … WHERE status IN `sources` RETURNING the row: True when this transaction made
    the change. On PostgreSQL a concurrent one waits for the row, then finds the status
    changed; RETURNING, not rowcount, says so (psycopg through the ORM). `submission` holds
    the row as it now is either way. A submission starts a new round; a review answers the
    round `shown`, if given."""
    changes: dict[str, object] = {**values, "status": target}
    conditions = [col(Submission.id) == submission.id, col(Submission.status).in_(sources)]
    if target is SubmissionStatus.SUBMITTED:
        changes["round"] = col(Submission.round) + 1
    elif shown is not None:
        conditions.append(col(Submission.round) == shown)
    columns = Submission.__table__.columns  # type: ignore[attr-defined]
    statement = update(Submission).where(*conditions).values(changes).returning(*columns).execution_options(synchronize_session=False)
    row = session.execute(statement).first()
    if row is None:
        session.refresh(submission)
        return False
    for name, value in row._mapping.items():
        set_committed_value(submission, name, value)
    return True


def _lost(session: Session, submission: Submission, what: str) -> RuleError:
    """What the loser of a race (or a stale form) is told: who got there first, and what they did."""
    status = submission.status
    if what == "review" and status is SubmissionStatus.SUBMITTED:
        return RuleError("review.resubmitted", person=_name(session, submission.submitted_by_person_id))
    if status is SubmissionStatus.SUBMITTED:
        return RuleError("report.just_submitted", person=_name(session, submission.submitted_by_person_id))
    if what == "review" and status in (SubmissionStatus.ACCEPTED, SubmissionStatus.RETURNED):
        return RuleError(f"review.just_{status.value}", person=_name(session, submission.reviewed_by_person_id))
    return RuleError("report.already_submitted" if what == "report" else "review.not_waiting")


def _name(session: Session, person_id: int | None) -> str:
    person = session.get(Person, person_id) if person_id is not None else None
    return person.full_name if person else "?"


def waiting_for_review(session: Session, programme_id: int) -> list[tuple[Submission, Period, Agency]]:
    query = (
        select(Submission, Period, Agency)
        .join(Period, col(Period.id) == Submission.period_id)
        .join(Agency, col(Agency.id) == Submission.agency_id)
        .where(Period.programme_id == programme_id, Submission.status == SubmissionStatus.SUBMITTED, Agency.is_coordinator == False)  # noqa: E712
        .order_by(col(Submission.submitted_at), col(Submission.id))
    )
    return list(session.exec(query))
