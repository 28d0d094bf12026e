"""The rules of a programme that no single field can hold: dates against dates, times
against times, one item against the others. Each returns every failing item, named by its
code and with the dates involved, never only the first."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import TYPE_CHECKING

from models.programme.periods import PeriodKey, due_date, nominal_due, periods_of_year, window, working_days_between
from models.programme.problems import Problem, clock_text, day_text
from models.programme.reminders import Audience, in_quiet_hours

if TYPE_CHECKING:
    from models.programme.schema import Cycle, Event, OverdueRule, Programme, Reminders


def term_problems(programme: Programme) -> list[Problem]:
    term = programme.programme.term
    if term.end is not None and term.end < term.start:
        return [Problem("programme.term.end", "check.term_backwards", {"start": day_text(term.start), "end": day_text(term.end)})]
    return []


def send_at_problems(reminders: Reminders, path: str) -> list[Problem]:
    policy = reminders.policy()
    if not in_quiet_hours(datetime.combine(date(2000, 1, 3), reminders.send_at), policy):
        return []
    times = {"send_at": clock_text(policy.send_at), "quiet_start": clock_text(policy.quiet_start), "quiet_end": clock_text(policy.quiet_end)}
    return [Problem(f"{path}.send_at", "check.send_at_quiet", times)]


def overdue_problems(steps: list[OverdueRule], path: str) -> list[Problem]:
    """Steps in the order of their days, and the leader told before the office (seed 000,
    Điều 11.2: stalled coordination goes to the leader in charge first)."""
    problems = []
    for index in range(1, len(steps)):
        before, step = steps[index - 1], steps[index]
        if step.after_days <= before.after_days:
            days = {"days": step.after_days, "previous": before.after_days}
            problems.append(Problem(f"{path}[{index}].after_days", "check.overdue_order", days))
    first: dict[Audience, int] = {}
    for step in steps:
        for audience in step.notify:
            first[audience] = min(first.get(audience, step.after_days), step.after_days)
    office, leader = first.get(Audience.LHH_OFFICE), first.get(Audience.LEADER)
    if office is not None and (leader is None or office < leader):
        params: dict[str, int | str] = {"office": office, "leader": leader if leader is not None else "—"}
        problems.append(Problem(path, "check.office_before_leader", params))
    return problems


def difficulties_problems(programme: Programme) -> list[Problem]:
    marked = [area.code for area in programme.content_areas if area.difficulties]
    if len(marked) < 2:
        return []
    return [Problem("content_areas", "check.two_difficulties", {"codes": ", ".join(marked)})]


def event_day_problems(event: Event, path: str) -> list[Problem]:
    """A day some listed month lacks (February counted at 28 days), unless clamped."""
    if event.day is None or event.clamp_to_month_end:
        return []
    short = [month for month in sorted(event.months) if 1 <= month <= 12 and event.day > calendar.monthrange(2027, month)[1]]
    if not short:
        return []
    return [Problem(path, "check.event_day_past_month_end", {"event": event.code, "day": event.day, "months": ", ".join(map(str, short))})]


def _keys(cycle: Cycle, programme: Programme) -> list[PeriodKey]:
    return [key for year in programme.years() for key in periods_of_year(cycle.periodicity, year, tuple(cycle.parts))]


def cycle_timing_problems(programme: Programme, cycle: Cycle, path: str) -> list[Problem]:
    """A deadline after its own cut-off, never moved there silently; at least one working
    day between them (Nghị định 09/2019/NĐ-CP Điều 8.5.b); and a deadline before the next
    period's cut-off, so that no two periods of a cycle are being reported at once."""
    holidays = frozenset(programme.reminders.holidays)
    rule = cycle.due_rule()
    cutoffs = [(key, window(key, cycle.window).end) for key in _keys(cycle, programme)]
    dated = [(key, cutoff, due_date(cutoff, rule)) for key, cutoff in cutoffs]
    before = [_span(key, cutoff, due) for key, cutoff, due in dated if nominal_due(cutoff, rule) <= cutoff]
    too_soon = [
        _span(key, cutoff, due) for key, cutoff, due in dated if due > cutoff and working_days_between(cutoff, due, holidays) < 1
    ]
    overlapping = [
        f"{key.code}: {day_text(due)} / {later.code}: {day_text(later_cutoff)}"
        for (key, _, due), (later, later_cutoff, _) in zip(dated, dated[1:], strict=False)
        if due >= later_cutoff
    ]
    found = (("check.due_before_cutoff", before), ("check.due_too_soon", too_soon), ("check.windows_overlap", overlapping))
    return [Problem(path, key, {"cycle": cycle.code, "periods": "; ".join(periods)}) for key, periods in found if periods]


def _span(key: PeriodKey, cutoff: date, due: date) -> str:
    return f"{key.code}: {day_text(cutoff)} → {day_text(due)}"


def tvpb_problems(programme: Programme, types: set[str]) -> list[Problem]:
    """The TVPB section: codes once each, a known activity type, escalation in order."""
    tvpb = programme.tvpb
    if tvpb is None:
        return []
    problems, section = [], "tvpb"
    for name, items in (("parts", tvpb.parts), ("fields", tvpb.fields)):
        codes = [item.code for item in items]
        twice = sorted({code for code in codes if codes.count(code) > 1})
        problems += [Problem(f"{section}.{name}", "check.duplicate_code", {"code": code}) for code in twice]
    if tvpb.activity_type is not None and tvpb.activity_type not in types:
        problems.append(Problem(f"{section}.activity_type", "check.unknown_type", {"code": tvpb.activity_type}))
    for name in ("dossier_reminders", "response_reminders"):
        steps = getattr(tvpb, name).overdue
        if steps is not None:
            problems += overdue_problems(steps, f"{section}.{name}.overdue")
    return problems
