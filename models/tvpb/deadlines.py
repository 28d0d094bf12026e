"""The dates of a TVPB task, from the programme's rule (seed 004, line 301: the dossier
reaches the LHH at least `dossier_days_before` days before the submission to the UBND
tỉnh). A deadline on a day off moves to the working day before it, never after: moving it
later would shorten the council's time below the rule."""

from __future__ import annotations

from datetime import date, timedelta

from models.programme.periods import is_working_day


def previous_working_day(day: date, holidays: frozenset[date]) -> date:
    while not is_working_day(day, holidays):
        day -= timedelta(days=1)
    return day


def next_working_day(day: date, holidays: frozenset[date]) -> date:
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def dossier_due(submission_on: date, days_before: int, holidays: frozenset[date]) -> date:
    return previous_working_day(submission_on - timedelta(days=days_before), holidays)


def late_at_opening(today: date, submission_on: date, days_before: int) -> bool:
    """A submission in the past, or fewer than the rule's days away."""
    return (submission_on - today).days < days_before


def response_due(critique_sent_on: date, days_after: int, holidays: frozenset[date]) -> date:
    return next_working_day(critique_sent_on + timedelta(days=days_after), holidays)


def council_days(dossier_complete_on: date, submission_on: date) -> int:
    """The council's time: days between the complete dossier and the submission."""
    return (submission_on - dossier_complete_on).days
