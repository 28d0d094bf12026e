"""What a programme's reporting cycles and recurring events put on the calendar.

Pure functions over the programme file: the scheduler, `/due` and `phoihop schedule` all
use these, so what one shows is what the other does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from models.programme.periods import PeriodKey, Window, due_date, last_day_of_month, periods_of_year, window
from models.programme.schema import Cycle, Event


@dataclass(frozen=True)
class PeriodInfo:
    cycle_code: str
    key: PeriodKey
    window: Window
    due: date

    @property
    def code(self) -> str:
        return self.key.code


class Phase(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    REPORTING = "reporting"
    OVERDUE = "overdue"


def phase(info: PeriodInfo, today: date) -> Phase:
    """Before its window; within it (data still coming in, drafts welcome); after the
    cut-off until the deadline; past the deadline."""
    if today < info.window.start:
        return Phase.UPCOMING
    if today <= info.window.end:
        return Phase.OPEN
    return Phase.REPORTING if today <= info.due else Phase.OVERDUE


def period_info(cycle: Cycle, key: PeriodKey) -> PeriodInfo:
    span = window(key, cycle.window)
    return PeriodInfo(cycle.code, key, span, due_date(span.end, cycle.due_rule()))


def periods_of_years(cycle: Cycle, years: range) -> list[PeriodInfo]:
    """The cycle's periods of those years in date order, without those due before the
    programme's go-live date: a programme loaded in March asks for nothing owed last year."""
    keys = [key for year in years for key in periods_of_year(cycle.periodicity, year, tuple(cycle.parts))]
    infos = [period_info(cycle, key) for key in keys]
    return [info for info in infos if cycle.live_from is None or info.due >= cycle.live_from]


def periods_around(cycle: Cycle, today: date) -> list[PeriodInfo]:
    """The cycle's periods of last year, this year and next year, in date order."""
    return periods_of_years(cycle, range(today.year - 1, today.year + 2))


def next_period(cycle: Cycle, today: date) -> PeriodInfo:
    """The first period whose deadline is today or later."""
    return next(info for info in periods_around(cycle, today) if info.due >= today)


def live_periods(cycle: Cycle, today: date, lookback_days: int) -> list[PeriodInfo]:
    """Periods whose window has begun and whose deadline is at most `lookback_days` ago."""
    since = today - timedelta(days=lookback_days)
    return [info for info in periods_around(cycle, today) if info.window.start <= today and info.due >= since]


def recent_periods(cycle: Cycle, today: date, lookback_days: int) -> list[PeriodInfo]:
    """Periods already due within the last `lookback_days`, oldest first."""
    since = today - timedelta(days=lookback_days)
    return [info for info in periods_around(cycle, today) if since <= info.due < today]


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a recurring event; without a day it is 'during that month'."""

    event_code: str
    day: date
    whole_month: bool


def occurrences(event: Event, year: int) -> list[Occurrence]:
    if year < event.first_year or (year - event.first_year) % event.every_years:
        return []
    return [
        Occurrence(event.code, date(year, month, min(event.day or 1, last_day_of_month(year, month).day)), event.day is None)
        for month in sorted(event.months)
    ]


def upcoming_occurrences(event: Event, today: date, horizon_days: int) -> list[Occurrence]:
    """Occurrences not yet past (a whole-month one lasts its month) within the horizon."""
    end = today + timedelta(days=horizon_days)
    found = []
    for year in (today.year, today.year + 1):
        for item in occurrences(event, year):
            last_day = last_day_of_month(item.day.year, item.day.month) if item.whole_month else item.day
            if last_day >= today and item.day <= end:
                found.append(item)
    return found
