"""What a programme puts on the calendar, computed without a database.

The scheduler's jobs and `phoihop schedule` both read their dates from here (periods from
models/programme/cycles.py, reminder steps from models/programme/reminders.py), so the dry run shows exactly
what the scheduler will do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time
from enum import StrEnum

from models.programme.cycles import Occurrence, PeriodInfo, occurrences, periods_of_years
from models.programme.reminders import Audience, ReminderPolicy, ReminderStep, reminder_steps
from models.programme.schema import Cycle, Event, Programme



class Kind(StrEnum):
    OPENS = "opens"
    CUTOFF = "cutoff"
    DUE = "due"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    EVENT = "event"
    EVENT_NOTICE = "event_notice"
    TASK_DUE = "task_due"


@dataclass(frozen=True)
class Entry:
    day: date
    at: time | None
    kind: Kind
    subject: str
    step: str = ""
    audience: tuple[Audience, ...] = ()


def event_steps(event: Event, occurrence: Occurrence, policy: ReminderPolicy) -> list[ReminderStep]:
    """Notices of an event on its before_days (counted from the 1st, for 'during the month')."""
    notice_policy = replace(policy, before_days=tuple(sorted(set(event.before_days), reverse=True)), overdue=())
    return reminder_steps(occurrence.day, notice_policy)


def cycle_periods(cycle: Cycle, year: int) -> list[PeriodInfo]:
    """Periods of this and the neighbouring years: any of their dates may fall in `year`."""
    return periods_of_years(cycle, range(year - 1, year + 2))


def _period_entries(cycle: Cycle, info: PeriodInfo, policy: ReminderPolicy) -> list[Entry]:
    subject = f"{cycle.code}/{info.code}"
    entries = [
        Entry(info.window.start, None, Kind.OPENS, subject),
        Entry(info.window.end, None, Kind.CUTOFF, subject),
        Entry(info.due, cycle.due_time, Kind.DUE, subject),
    ]
    return entries + _step_entries(subject, info.due, policy)


def _step_entries(subject: str, due: date, policy: ReminderPolicy) -> list[Entry]:
    """The reminders of one deadline; an escalation when it goes beyond the focal points."""
    entries = []
    for step in reminder_steps(due, policy):
        kind = Kind.ESCALATION if set(step.audience) - {Audience.FOCAL_POINTS} else Kind.REMINDER
        entries.append(Entry(step.send_on, policy.send_at, kind, subject, step.code, step.audience))
    return entries


def _event_entries(event: Event, year: int, policy: ReminderPolicy) -> list[Entry]:
    entries = []
    for occurrence in occurrences(event, year) + occurrences(event, year + 1):
        entries.append(Entry(occurrence.day, None, Kind.EVENT, event.code, "month" if occurrence.whole_month else ""))
        entries += [
            Entry(step.send_on, policy.send_at, Kind.EVENT_NOTICE, event.code, step.code) for step in event_steps(event, occurrence, policy)
        ]
    return entries


def task_subject(code: str) -> str:
    """How a task's entries are named: apart from cycles' '<cycle>/<period>'."""
    return f"task/{code}"


def _task_entries(subject: str, due: date, at: time | None, policy: ReminderPolicy) -> list[Entry]:
    return [Entry(due, at, Kind.TASK_DUE, subject)] + _step_entries(subject, due, policy)


def calendar(programme: Programme, year: int) -> list[Entry]:
    """Every dated thing the programme produces in `year`, in order; nothing before its
    go-live date."""
    policy = programme.reminders.policy()
    entries: list[Entry] = []
    for cycle in programme.cycles:
        for info in cycle_periods(cycle, year):
            entries += _period_entries(cycle, info, cycle.policy(policy))
    for event in programme.events:
        entries += _event_entries(event, year, policy)
    for edition in programme.task_editions():
        if programme.live_from is None or edition.due >= programme.live_from:
            entries += _task_entries(task_subject(edition.code), edition.due, edition.at, policy)
    since = programme.live_from or date.min
    chosen = {entry for entry in entries if entry.day.year == year and entry.day >= since}
    return sorted(chosen, key=lambda e: (e.day, e.at or time(0), e.kind, e.subject, e.step))
