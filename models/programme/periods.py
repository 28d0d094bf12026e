"""Reporting periods: their data windows and due dates.

The windows follow the national reporting regime, Nghị định 09/2019/NĐ-CP, Điều 12
(data cut-off): a monthly report covers the 15th of the previous month to the 14th; a
quarterly one the 15th of the month before the quarter to the 14th of its last month; the
first six months 15/12 of the previous year to 14/6; the last six months 15/6 to 14/12;
the year 15/12 of the previous year to 14/12. A programme may instead use calendar
windows. Each province sets its own deadline (Điều 13), so the due rule is data.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from models.errors import RuleError


class Periodicity(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SIX_MONTHLY = "six_monthly"
    ANNUAL = "annual"

    @property
    def parts(self) -> int:
        """How many periods of this kind a year holds."""
        return {"monthly": 12, "quarterly": 4, "six_monthly": 2, "annual": 1}[self.value]

    @property
    def months(self) -> int:
        return 12 // self.parts


class WindowMode(StrEnum):
    NATIONAL = "nd09"
    CALENDAR = "calendar"


@dataclass(frozen=True)
class Window:
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True, order=True)
class PeriodKey:
    """One period of a periodicity: `part` is the month, quarter or half, 1 for a year."""

    year: int
    periodicity: Periodicity
    part: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.part <= self.periodicity.parts:
            raise RuleError("period.bad_part", part=self.part)

    @property
    def code(self) -> str:
        return {
            Periodicity.MONTHLY: f"{self.year}-M{self.part:02d}",
            Periodicity.QUARTERLY: f"{self.year}-Q{self.part}",
            Periodicity.SIX_MONTHLY: f"{self.year}-H{self.part}",
            Periodicity.ANNUAL: f"{self.year}",
        }[self.periodicity]

    @property
    def last_month(self) -> int:
        return self.part * self.periodicity.months

    @property
    def first_month(self) -> int:
        return self.last_month - self.periodicity.months + 1


_CODE = re.compile(r"^(\d{4})(?:-([MQH])(\d{1,2}))?$")
_LETTERS = {"M": Periodicity.MONTHLY, "Q": Periodicity.QUARTERLY, "H": Periodicity.SIX_MONTHLY}


def parse_period_code(code: str) -> PeriodKey:
    """'2027-H1', '2027-Q3', '2027-M04' or '2027' back to a key."""
    match = _CODE.match(code.strip().upper())
    if not match:
        raise RuleError("period.bad_code", code=code)
    year, letter, part = match.groups()
    if letter is None:
        return PeriodKey(int(year), Periodicity.ANNUAL)
    try:
        return PeriodKey(int(year), _LETTERS[letter], int(part))
    except RuleError:
        raise RuleError("period.bad_code", code=code) from None


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def window(key: PeriodKey, mode: WindowMode = WindowMode.NATIONAL) -> Window:
    if mode is WindowMode.CALENDAR:
        return Window(date(key.year, key.first_month, 1), last_day_of_month(key.year, key.last_month))
    start_year, start_month = _month_before(key.year, key.first_month)
    return Window(date(start_year, start_month, 15), date(key.year, key.last_month, 14))


@dataclass(frozen=True)
class ProgrammeDays:
    """What a cycle's dates need from its programme: the holidays, whether a deadline on a
    day off moves to the next working day, and the go-live date (no period due before it)."""

    holidays: frozenset[date] = frozenset()
    next_working_day: bool = False
    live_from: date | None = None


@dataclass(frozen=True)
class DueRule:
    """Exactly one of: a day of the month (`months_after` months after the cut-off's month;
    by default the cut-off's month for `nd09` windows, the next for calendar ones, since those
    close on a month's last day), or days after the cut-off. A day past a month's end is
    that month's last day ('ngày 31': the end of the month). A deadline on a day off stays
    there unless `next_working_day` (Bộ luật Dân sự 2015 Điều 148: it moves to the next
    working day)."""

    day_of_month: int | None = None
    days_after_window: int | None = None
    months_after: int | None = None
    next_working_day: bool = False
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if (self.day_of_month is None) == (self.days_after_window is None):
            raise RuleError("due_rule.exactly_one")
        if self.day_of_month is not None and not 1 <= self.day_of_month <= 31:
            raise RuleError("due_rule.bad_day", day=self.day_of_month)
        if self.days_after_window is not None and not 1 <= self.days_after_window <= 90:
            raise RuleError("due_rule.bad_days", days=self.days_after_window)


def _add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def nominal_due(cutoff: date, rule: DueRule) -> date:
    """The deadline as the rule writes it, before any move off a day off. It may fall on or
    before the cut-off: `programme check` refuses that, naming the periods."""
    if rule.days_after_window is not None:
        return cutoff + timedelta(days=rule.days_after_window)
    assert rule.day_of_month is not None
    months = rule.months_after
    if months is None:
        months = 1 if cutoff == last_day_of_month(cutoff.year, cutoff.month) else 0
    year, month = _add_months(cutoff, months)
    return date(year, month, min(rule.day_of_month, last_day_of_month(year, month).day))


def due_date(cutoff: date, rule: DueRule) -> date:
    """The deadline for a window that closes on `cutoff`."""
    due = nominal_due(cutoff, rule)
    while rule.next_working_day and not is_working_day(due, rule.holidays):
        due += timedelta(days=1)
    return due


def periods_of_year(periodicity: Periodicity, year: int, parts: tuple[int, ...] = ()) -> list[PeriodKey]:
    """The periods of `year`, restricted to `parts` when a programme reports only some."""
    chosen = parts or tuple(range(1, periodicity.parts + 1))
    return [PeriodKey(year, periodicity, part) for part in sorted(chosen)]


def period_containing(periodicity: Periodicity, day: date, mode: WindowMode = WindowMode.NATIONAL) -> PeriodKey:
    """The period whose data window holds `day`."""
    for year in (day.year, day.year + 1):
        for key in periods_of_year(periodicity, year):
            if day in window(key, mode):
                return key
    raise AssertionError(f"no window holds {day}")


def add_years(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def is_working_day(day: date, holidays: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in holidays


def working_days_between(cutoff: date, due: date, holidays: frozenset[date] = frozenset()) -> int:
    """Working days after `cutoff` up to and including `due`."""
    count, day = 0, cutoff + timedelta(days=1)
    while day <= due:
        count += is_working_day(day, holidays)
        day += timedelta(days=1)
    return count


def past_deadline(moment: datetime, due: date, at: time | None = None) -> bool:
    """Whether `moment` (local time) is after a deadline: the end of its day, or its hour."""
    if at is None:
        return moment.date() > due
    return moment > datetime.combine(due, at, tzinfo=moment.tzinfo)
