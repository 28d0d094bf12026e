"""Reminder steps before a due date and the escalation after it.

Escalation follows seed 000 (Quy chế 31/2015/QĐ-UBND Lào Cai), Điều 11.2: each agency names
one leader and one specialist as focal points, and coordination that stalls is reported to
the leader in charge. The offsets, audiences and quiet hours are programme data; these
functions only place them on the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from models.programme.periods import is_working_day


class Audience(StrEnum):
    FOCAL_POINTS = "focal_points"
    LEADER = "leader"
    LHH_OFFICE = "lhh_office"


@dataclass(frozen=True)
class OverdueStep:
    after_days: int
    notify: tuple[Audience, ...]


DEFAULT_OVERDUE = (
    OverdueStep(1, (Audience.FOCAL_POINTS,)),
    OverdueStep(3, (Audience.FOCAL_POINTS, Audience.LEADER)),
    OverdueStep(7, (Audience.FOCAL_POINTS, Audience.LEADER, Audience.LHH_OFFICE)),
)


@dataclass(frozen=True)
class ReminderPolicy:
    before_days: tuple[int, ...] = (14, 7, 3, 1, 0)
    overdue: tuple[OverdueStep, ...] = DEFAULT_OVERDUE
    send_at: time = time(8, 0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    send_on_days_off: bool = False
    holidays: frozenset[date] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ReminderStep:
    """`offset` counts days from the due date: negative before it, positive after."""

    code: str
    offset: int
    nominal: date
    send_on: date
    audience: tuple[Audience, ...]


def is_day_on(day: date, policy: ReminderPolicy) -> bool:
    """Whether messages may go on `day`: a working day, or any day if the programme allows."""
    return policy.send_on_days_off or is_working_day(day, policy.holidays)


def shift_to_day_on(day: date, policy: ReminderPolicy, backwards: bool) -> date:
    """The nearest day on which messages may go, looking back or forward from `day`."""
    step = timedelta(days=-1 if backwards else 1)
    while not is_day_on(day, policy):
        day += step
    return day


def step_code(offset: int) -> str:
    if offset < 0:
        return f"before-{-offset}"
    return "due" if offset == 0 else f"overdue-{offset}"


def reminder_steps(due: date, policy: ReminderPolicy) -> list[ReminderStep]:
    """Every step for one due date, moved off days off; where two land on the same day
    the later step (the more urgent one) wins."""
    planned: list[tuple[int, tuple[Audience, ...]]] = [(-days, (Audience.FOCAL_POINTS,)) for days in policy.before_days]
    planned += [(step.after_days, step.notify) for step in policy.overdue]
    by_day: dict[date, ReminderStep] = {}
    for offset, audience in sorted(planned):
        nominal = due + timedelta(days=offset)
        send_on = shift_to_day_on(nominal, policy, backwards=offset <= 0)
        by_day[send_on] = ReminderStep(step_code(offset), offset, nominal, send_on, audience)
    return sorted(by_day.values(), key=lambda step: step.send_on)


def current_step(steps: list[ReminderStep], today: date) -> ReminderStep | None:
    """The one step owed on `today`: the latest that has come. After downtime this is the
    only one to send, so a restart never floods people with stale reminders."""
    owed = [step for step in steps if step.send_on <= today]
    return owed[-1] if owed else None


def in_quiet_hours(moment: datetime, policy: ReminderPolicy) -> bool:
    clock = moment.timetz().replace(tzinfo=None)
    if policy.quiet_start <= policy.quiet_end:
        return policy.quiet_start <= clock < policy.quiet_end
    return clock >= policy.quiet_start or clock < policy.quiet_end


def next_sendable(moment: datetime, policy: ReminderPolicy) -> datetime:
    """`moment` itself, or the end of the quiet hours it falls in (local time)."""
    if not in_quiet_hours(moment, policy):
        return moment
    end = datetime.combine(moment.date(), policy.quiet_end, tzinfo=moment.tzinfo)
    return end if end > moment else end + timedelta(days=1)


def deliver_at(now: datetime, policy: ReminderPolicy) -> datetime:
    """When a message written at `now` may go out: not before the day's sending hour, not
    in quiet hours, not on a day off unless the programme allows it (local time)."""
    moment = max(now, datetime.combine(now.date(), policy.send_at, tzinfo=now.tzinfo)) if is_day_on(now.date(), policy) else now
    moment = next_sendable(moment, policy)
    while not is_day_on(moment.date(), policy):
        following = shift_to_day_on(moment.date() + timedelta(days=1), policy, backwards=False)
        moment = datetime.combine(following, policy.send_at, tzinfo=now.tzinfo)
    return moment
