"""The scheduler's jobs. Each reads what is due from the database and the programme, and
writes outbox rows whose unique keys name the recipient, the subject and the step: a job
that runs twice writes nothing twice, and a job that runs late writes the step owed now,
never the ones it missed (a catch-up is one message, not a flood).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property, partial

from sqlmodel import Session, col, select

from locales.catalogue import localised, t
from locales.formats import format_date
from models.activities.life import digest_kind, digest_readers
from models.activities.tables import Activity, ActivityPartner, ActivityStatus
from models.outbox.notify import (
    Addressee,
    Letter,
    Message,
    Recipient,
    message,
    notify,
    programme_focal_points,
    reachable_identities,
    to_groups,
    to_people,
)
from models.outbox.notify import office as reachable_office
from models.outbox.tables import GroupChat
from models.outbox.when import When
from models.people.tables import Role
from models.programme.cycles import Occurrence, Phase, phase, upcoming_occurrences
from models.programme.reminders import Audience, ReminderPolicy, ReminderStep, current_step, is_day_on, reminder_steps
from models.programme.schema import Event, Programme
from models.programme.tables import Agency
from models.programme.wording import countdown, deadline, period_name
from models.reporting.period_book import SETTLED, LivePeriod, ensure_periods, live, statuses
from models.reporting.tables import AssignedTask, TaskAssignment
from models.tvpb.services import accepted_seats, open_tasks
from models.tvpb.stages import chased
from models.tvpb.tables import Expert, Stage, TvpbTask
from scheduler.plan import event_steps
from scheduler.waiting_forms import remind_waiting_forms

CATCH_UP_DAYS = 7
ANNOUNCE_OPENING_DAYS = 7
DIGEST_AFTER_DUE_DAYS = 30
EVENT_HORIZON_DAYS = 40
REMINDER_LOOKBACK_DAYS = 120
HELD_LOOKBACK_DAYS = 30


@dataclass
class Run:
    """One run of the jobs: what they read once (who can be reached), and the letters a
    job queues, written together as it ends (`write`), to go at the sending hour."""

    session: Session
    programme: Programme
    programme_id: int
    now: datetime
    queued: list[Letter] = field(default_factory=list)

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def policy(self) -> ReminderPolicy:
        return self.programme.reminders.policy()

    @property
    def when(self) -> When:
        return When.at_sending_hour(self.policy)

    @property
    def sent_on(self) -> date:
        """The day the rows will go out: what the texts count the days from."""
        return self.when.moment(self.now).date()

    @property
    def sent_at(self) -> datetime:
        """The moment the rows will go out: what a countdown on a deadline's own day reads its hour against."""
        return self.when.moment(self.now)

    @property
    def language(self) -> str:
        """The language of the groups."""
        return self.programme.programme.language

    @cached_property
    def office(self) -> list[Recipient]:
        return reachable_office(self.session, self.programme_id)

    @cached_property
    def focal_points(self) -> dict[int, list[Recipient]]:
        """Every agency's leader and specialist(s) who can be reached, by agency id."""
        return programme_focal_points(self.session, self.programme_id)

    def send(self, subject: str, text: Message | str, to: list[Addressee]) -> None:
        self.queued.append(Letter(subject, text, to))

    def write(self) -> int:
        """Write the queued letters (one INSERT, however many rows); how many rows were new."""
        written = notify(self.session, self.queued, self.when, self.now, self.programme_id)
        self.queued = []
        return len(written)


def owed_step(steps: list[ReminderStep], today: date) -> ReminderStep | None:
    """The step owed today, unless it is older than the catch-up window."""
    step = current_step(steps, today)
    return step if step is not None and (today - step.send_on).days <= CATCH_UP_DAYS else None


def _agencies(run: Run, codes: list[str]) -> list[Agency]:
    query = select(Agency).where(Agency.programme_id == run.programme_id, col(Agency.code).in_(codes), Agency.active == True)
    return list(run.session.exec(query))


def _workers(run: Run, agency: Agency) -> list[Recipient]:
    """Who gets the routine reminders: the specialist(s), or the leader if no specialist
    can be reached; for the LHH's own reports, its office."""
    if agency.is_coordinator:
        return run.office
    people = run.focal_points.get(agency.id, [])
    specialists = [pair for pair in people if pair[0].role is Role.SPECIALIST]
    return specialists or [pair for pair in people if pair[0].role is Role.LEADER]


def _leaders(run: Run, agency: Agency) -> list[Recipient]:
    """The leader in charge (seed 000, Điều 11.2), to whom stalled coordination goes."""
    if agency.is_coordinator:
        return []
    return [pair for pair in run.focal_points.get(agency.id, []) if pair[0].role is Role.LEADER]


def _subject(live_period: LivePeriod, language: str) -> str:
    return period_name(live_period.cycle, live_period.info.key, language)


def remind_reports(run: Run) -> None:
    """Reminders and escalations for every reporting agency that has not submitted."""
    periods = live(run.session, run.programme, run.programme_id, run.today, REMINDER_LOOKBACK_DAYS)
    known = statuses(run.session, [p.row.id for p in periods])
    for live_period in periods:
        step = owed_step(reminder_steps(live_period.info.due, live_period.cycle.policy(run.policy)), run.today)
        if step is None:
            continue
        late = []
        for agency in _agencies(run, run.programme.agencies_for(live_period.cycle.reporters)):
            if known.get((live_period.row.id, agency.id)) in SETTLED:
                continue
            if not agency.is_coordinator:
                late.append(agency)
            _remind_agency(run, live_period, agency, step)
        if Audience.LHH_OFFICE in step.audience and late:
            _escalate_to_office(run, live_period, step, late)


def _remind_agency(run: Run, live_period: LivePeriod, agency: Agency, step: ReminderStep) -> None:
    prefix = f"remind:{live_period.row.id}:{agency.id}:{step.code}"
    on, due, at = run.sent_on, live_period.info.due, live_period.cycle.due_time
    name, dated = partial(_subject, live_period), partial(deadline, due, at)
    left = partial(countdown, due, run.sent_at, at=at)
    if run.programme.reports_outside(live_period.cycle):
        period = f"{live_period.cycle.code}/{live_period.info.code}"
        reminder = message("conv.remind_outside", name=name, recipient=live_period.cycle.recipient, due=dated, countdown=left, period=period)
    else:
        reminder = message("remind.report", name=name, agency=agency.name, due=dated, countdown=left)
    run.send(prefix, reminder, to_people(_workers(run, agency)))
    if Audience.LEADER in step.audience:
        for leader in _leaders(run, agency):
            text = message("remind.leader", person=leader[0].full_name, name=name, agency=agency.name, due=dated, days=(on - due).days)
            run.send(prefix, text, to_people([leader], "leader"))


def _escalate_to_office(run: Run, live_period: LivePeriod, step: ReminderStep, late: list[Agency]) -> None:
    text = message(
        "remind.office",
        name=partial(_subject, live_period),
        due=partial(deadline, live_period.info.due, live_period.cycle.due_time),
        days=step.offset,
        count=len(late),
        agencies=", ".join(agency.name for agency in late),
    )
    run.send(f"escalate:{live_period.row.id}:{step.code}", text, to_people(run.office, "admin"))


def remind_tasks(run: Run) -> None:
    """The same steps for assigned tasks (seed 001), until each agency reports them done."""
    query = (
        select(AssignedTask, TaskAssignment, Agency)
        .join(TaskAssignment, col(TaskAssignment.task_id) == AssignedTask.id)
        .join(Agency, col(Agency.id) == TaskAssignment.agency_id)
        .where(
            AssignedTask.programme_id == run.programme_id,
            AssignedTask.active == True,
            TaskAssignment.active == True,
            TaskAssignment.done_at == None,
            Agency.active == True,
        )
    )
    if run.programme.live_from is not None:
        query = query.where(AssignedTask.due_date >= run.programme.live_from)
    hours = run.programme.task_times()
    for task, _share, agency in run.session.exec(query):
        step = owed_step(reminder_steps(task.due_date, run.policy), run.today)
        if step is None:
            continue
        audience = _workers(run, agency) + (_leaders(run, agency) if Audience.LEADER in step.audience else [])
        text = message(
            "remind.task",
            code=task.code,
            title=task.title,
            agency=agency.name,
            due=partial(deadline, task.due_date, hours.get(task.code)),
            countdown=partial(countdown, task.due_date, run.sent_at, at=hours.get(task.code)),
        )
        run.send(f"task:{task.id}:{agency.id}:{step.code}", text, to_people(dict.fromkeys(audience)))


def _groups(run: Run, agency_ids: set[int] | None) -> list[GroupChat]:
    """Active groups bound to these agencies, and the all-focal-points groups."""
    rows = run.session.exec(select(GroupChat).where(GroupChat.programme_id == run.programme_id, GroupChat.active == True))
    return [g for g in rows if g.agency_id is None or agency_ids is None or g.agency_id in agency_ids]


def announce_periods(run: Run) -> None:
    """Tell the groups when a period opens and when its data are cut off."""
    ensure_periods(run.session, run.programme, run.programme_id, run.now)
    for live_period in live(run.session, run.programme, run.programme_id, run.today, 0):
        info, state = live_period.info, phase(live_period.info, run.today)
        if state is Phase.OPEN and (run.today - info.window.start).days <= ANNOUNCE_OPENING_DAYS:
            key = "announce.opened"
        elif state is Phase.REPORTING:
            key = "announce.cutoff"
        else:
            continue
        reporters = {a.id for a in _agencies(run, run.programme.agencies_for(live_period.cycle.reporters)) if a.id is not None}
        text = message(
            key,
            name=partial(_subject, live_period),
            start=partial(format_date, info.window.start),
            end=partial(format_date, info.window.end),
            due=partial(deadline, info.due, live_period.cycle.due_time),
        )
        run.send(f"{key}:{live_period.row.id}", text, to_groups(_groups(run, reporters), run.language))


def digest_groups(run: Run) -> None:
    """Each morning, to each group: the reports still missing (nothing if nothing is)."""
    if not is_day_on(run.today, run.policy):
        return
    periods = [
        p
        for p in live(run.session, run.programme, run.programme_id, run.today, DIGEST_AFTER_DUE_DAYS)
        if phase(p.info, run.today) in (Phase.REPORTING, Phase.OVERDUE)
    ]
    known = statuses(run.session, [p.row.id for p in periods])
    reporting = [(p, _agencies(run, run.programme.agencies_for(p.cycle.reporters))) for p in periods]
    language = run.language
    for group in _groups(run, None):
        lines = []
        for live_period, reporters in reporting:
            missing = [
                a
                for a in reporters
                if known.get((live_period.row.id, a.id)) not in SETTLED and (group.agency_id is None or a.id == group.agency_id)
            ]
            if missing:
                lines.append(
                    t(
                        "digest.line",
                        language,
                        name=_subject(live_period, language),
                        due=deadline(live_period.info.due, live_period.cycle.due_time, language),
                        countdown=countdown(live_period.info.due, run.sent_at, language, live_period.cycle.due_time),
                        done=len(reporters) - len(missing),
                        total=len(reporters),
                        missing=", ".join(a.code for a in missing),
                    )
                )
        if lines:
            text = t("digest.head", language, today=format_date(run.today, language)) + "\n\n" + "\n\n".join(lines)
            run.send(f"digest:{run.today.isoformat()}", text, to_groups([group], language))


def announce_events(run: Run) -> None:
    """A week before a recurring event and on its day: to the groups of its audience, to
    the focal points of audience agencies without a group, and to the office."""
    for event in run.programme.events:
        audience = _agencies(run, run.programme.agencies_for(event.audience))
        for occurrence in upcoming_occurrences(event, run.today, max(EVENT_HORIZON_DAYS, *event.before_days)):
            step = owed_step(event_steps(event, occurrence, run.policy), run.today)
            if step is None:
                continue
            subject = f"event:{event.code}:{occurrence.day.isoformat()}:{step.code}"
            _event_notices(run, event, occurrence, subject, audience)


def _event_notices(run: Run, event: Event, occurrence: Occurrence, subject: str, audience: list[Agency]) -> None:
    on = run.sent_on

    def dated(language: str) -> str:
        if occurrence.whole_month:
            return t("due.event_month", language, month=occurrence.day.month, year=occurrence.day.year)
        return format_date(occurrence.day, language)

    key = "announce.event_soon" if occurrence.day > on else "announce.event_now"
    text = message(key, name=partial(localised, event.name, event.name_en), when=dated, days=(occurrence.day - on).days)
    groups = _groups(run, {a.id for a in audience if a.id is not None})
    covered = {g.agency_id for g in groups}
    uncovered = [] if None in covered else [a for a in audience if a.id not in covered and not a.is_coordinator]
    people = [pair for agency in uncovered for pair in run.focal_points.get(agency.id, [])]
    run.send(subject, text, to_groups(groups, run.language) + to_people(people + run.office))


def remind_tvpb(run: Run) -> None:
    """TVPB tasks (seed 004, line 954: "đôn đốc việc gửi hồ sơ ... bảo đảm trước 20 ngày",
    "Đôn đốc việc gửi Báo cáo tiếp thu, giải trình"): the drafting agency before and after
    each deadline, its leader then the office as the steps say; council members before the workshop."""
    tvpb = run.programme.tvpb
    if tvpb is None:
        return
    agencies = {a.id: a for a in run.session.exec(select(Agency).where(Agency.programme_id == run.programme_id))}
    for task in open_tasks(run.session, run.programme_id):
        agency = agencies[task.agency_id]
        chasing = chased(task.stage)
        if chasing is not None:
            due = task.dossier_due if chasing == "dossier" else task.response_due
            rules = tvpb.dossier_reminders if chasing == "dossier" else tvpb.response_reminders
            step = owed_step(reminder_steps(due, rules.policy(run.policy)), run.today) if due is not None else None
            if step is not None and due is not None:
                _chase_tvpb(run, task, agency, chasing, due, step)
        elif task.stage is Stage.COUNCIL and task.workshop_on is not None:
            policy = replace(run.policy, before_days=tuple(sorted(set(tvpb.council_notice_days), reverse=True)), overdue=())
            step = owed_step(reminder_steps(task.workshop_on, policy), run.today)
            if step is not None and step.offset <= 0:
                _notify_council(run, task, step)


def _chase_tvpb(run: Run, task: TvpbTask, agency: Agency, chasing: str, due: date, step: ReminderStep) -> None:
    subject = f"tvpb:{task.id}:{chasing}:{step.code}"
    dated, on = partial(format_date, due), run.sent_on
    text = message(f"tvpb.remind_{chasing}", task=task.id, title=task.title, agency=agency.name, due=dated, countdown=partial(countdown, due, on))
    run.send(subject, text, to_people(_workers(run, agency)))
    if Audience.LEADER in step.audience:
        run.send(subject, text, to_people(_leaders(run, agency), "leader"))
    if Audience.LHH_OFFICE in step.audience:
        late = message(f"tvpb.office_{chasing}_late", task=task.id, title=task.title, agency=agency.name, due=dated, days=step.offset)
        run.send(subject, late, to_people(run.office, "admin"))


def _notify_council(run: Run, task: TvpbTask, step: ReminderStep) -> None:
    assert task.workshop_on is not None
    people = [s.expert_id for s in accepted_seats(run.session, task.id)]
    accounts = [e.person_id for e in run.session.exec(select(Expert).where(col(Expert.id).in_(people))) if e.person_id is not None]
    workshop = task.workshop_on
    text = message("tvpb.remind_workshop", task=task.id, title=task.title, day=partial(format_date, workshop), days=(workshop - run.sent_on).days)
    run.send(f"tvpb:{task.id}:workshop:{step.code}", text, to_people(reachable_identities(run.session, accounts)))


def ask_if_held(run: Run) -> None:
    """After a planned activity's day, ask the lead agency's focal points once whether it
    took place (the key names the activity: never asked twice)."""
    since = run.today - timedelta(days=HELD_LOOKBACK_DAYS)
    query = (
        select(Activity, Agency)
        .join(Agency, col(Agency.id) == Activity.lead_agency_id)
        .where(
            Activity.programme_id == run.programme_id,
            Activity.status == ActivityStatus.PLANNED,
            Activity.planned_date < run.today,
            Activity.planned_date >= since,
        )
    )
    for activity, lead in run.session.exec(query):
        text = message("activity.ask_held", number=activity.id, title=activity.title, date=partial(format_date, activity.planned_date))
        run.send(f"held?:{activity.id}", text, to_people(_workers(run, lead)))


def digest_activities(run: Run) -> None:
    """To each person who chose the digest: yesterday's new, changed, cancelled and held
    activities that name their agency, in one message (none when there were none)."""
    yesterday = run.today - timedelta(days=1)
    start = datetime.combine(yesterday, time(), run.now.tzinfo)
    query = (
        select(Activity, ActivityPartner.agency_id, Agency.is_coordinator)
        .join(ActivityPartner, col(ActivityPartner.activity_id) == Activity.id)
        .join(Agency, col(Agency.id) == ActivityPartner.agency_id)
        .where(Activity.programme_id == run.programme_id, Activity.updated_at >= start, Activity.updated_at < start + timedelta(days=1))
        .order_by(col(Activity.id))
    )
    changes: dict[tuple[int, bool], list[tuple[str, int, str]]] = {}
    for activity, agency_id, coordinator in run.session.exec(query):
        changes.setdefault((agency_id, coordinator), []).append((digest_kind(activity, start), activity.id, activity.title))
    if not changes:
        return
    chosen = digest_readers(run.session, run.programme_id)
    for (agency_id, coordinator), items in changes.items():
        people = run.office if coordinator else run.focal_points.get(agency_id, [])
        readers = [pair for pair in people if pair[0].id in chosen]
        if readers:
            text = message("activity.digest", day=partial(format_date, yesterday), items=partial(_digest_items, items))
            run.send(f"activity-digest:{yesterday.isoformat()}:{agency_id}", text, to_people(readers))


def _digest_items(changes: list[tuple[str, int, str]], language: str) -> str:
    return "\n".join(t(f"activity.digest_{kind}", language, number=number, title=title) for kind, number, title in changes)


JOBS: dict[str, Callable[[Run], None]] = {
    "periods": announce_periods,
    "reminders": remind_reports,
    "tasks": remind_tasks,
    "events": announce_events,
    "digest": digest_groups,
    "forms": remind_waiting_forms,
    "tvpb": remind_tvpb,
    "held": ask_if_held,
    "activity_digest": digest_activities,
}


def run_jobs(
    session: Session, programme: Programme, programme_id: int, now: datetime, names: tuple[str, ...] = tuple(JOBS)
) -> dict[str, int]:
    """Run the named jobs once, in order; how many outbox rows each wrote. Before the
    programme's go-live date, none: its reminders start from it."""
    if programme.live_from is not None and now.date() < programme.live_from:
        return dict.fromkeys(names, 0)
    run = Run(session, programme, programme_id, now)
    written = {}
    for name in names:
        JOBS[name](run)
        written[name] = run.write()
    return written
