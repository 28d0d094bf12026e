"""Unit tests for models/programme/cycles.py: what reporting cycles and recurring events put on the
calendar. Windows follow Nghị định 09/2019/NĐ-CP Điều 12 unless a cycle asks for calendar
windows; every expected window, deadline and occurrence is written literally.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from models.errors import RuleError
from models.programme.cycles import (
    Occurrence,
    PeriodInfo,
    next_period,
    occurrences,
    period_info,
    periods_around,
    recent_periods,
    upcoming_occurrences,
)
from models.programme.periods import Periodicity, PeriodKey, Window
from models.programme.schema import Cycle, Event

H = Periodicity.SIX_MONTHLY


def make_cycle(**fields: Any) -> Cycle:
    values: dict[str, Any] = {
        "code": "bc-6thang",
        "name": "Báo cáo 6 tháng đầu năm",
        "name_en": "First-half report",
        "reporters": ["all"],
        "recipient": "Liên hiệp các hội KH&KT tỉnh",
        "periodicity": "six_monthly",
        "parts": [1],
        "due_day_of_month": 20,
    }
    values.update(fields)
    return Cycle(**values)


def make_event(**fields: Any) -> Event:
    values: dict[str, Any] = {
        "code": "dai-hoi",
        "name": "Đại hội Liên hiệp hội",
        "name_en": "Union congress",
        "months": [10],
        "first_year": 2023,
        "audience": ["all"],
    }
    values.update(fields)
    return Event(**values)


FIRST_HALF = make_cycle()
BOTH_HALVES = make_cycle(code="bc-6t", parts=[1, 2])
ANNUAL_JAN = make_cycle(code="bc-nam", periodicity="annual", parts=[], due_day_of_month=10, due_months_after_cutoff=1)
MONTHLY = make_cycle(code="bc-thang", periodicity="monthly", parts=[], due_day_of_month=20)
QUARTERLY_CALENDAR = make_cycle(
    code="bc-quy", periodicity="quarterly", parts=[], window="calendar", due_day_of_month=None, due_days_after_window=15
)


def codes(infos: list[PeriodInfo]) -> list[str]:
    return [info.code for info in infos]


# --- period_info -----------------------------------------------------------------------------------


def test_period_info_first_half_nd09() -> None:
    info = period_info(FIRST_HALF, PeriodKey(2027, H, 1))
    assert info == PeriodInfo("bc-6thang", PeriodKey(2027, H, 1), Window(date(2026, 12, 15), date(2027, 6, 14)), date(2027, 6, 20))
    assert info.code == "2027-H1"
    assert info.cycle_code == "bc-6thang"


@pytest.mark.parametrize(
    ("cycle", "key", "start", "end", "due"),
    [
        (BOTH_HALVES, PeriodKey(2027, H, 2), date(2027, 6, 15), date(2027, 12, 14), date(2027, 12, 20)),
        (ANNUAL_JAN, PeriodKey(2027, Periodicity.ANNUAL), date(2026, 12, 15), date(2027, 12, 14), date(2028, 1, 10)),
        (MONTHLY, PeriodKey(2027, Periodicity.MONTHLY, 1), date(2026, 12, 15), date(2027, 1, 14), date(2027, 1, 20)),
        (MONTHLY, PeriodKey(2027, Periodicity.MONTHLY, 12), date(2027, 11, 15), date(2027, 12, 14), date(2027, 12, 20)),
        (QUARTERLY_CALENDAR, PeriodKey(2027, Periodicity.QUARTERLY, 1), date(2027, 1, 1), date(2027, 3, 31), date(2027, 4, 15)),
        (QUARTERLY_CALENDAR, PeriodKey(2027, Periodicity.QUARTERLY, 4), date(2027, 10, 1), date(2027, 12, 31), date(2028, 1, 15)),
        (
            make_cycle(window="calendar", due_day_of_month=20),
            PeriodKey(2027, H, 1),
            date(2027, 1, 1),
            date(2027, 6, 30),
            date(2027, 7, 20),
        ),
        (
            make_cycle(due_day_of_month=None, due_days_after_window=10),
            PeriodKey(2027, H, 1),
            date(2026, 12, 15),
            date(2027, 6, 14),
            date(2027, 6, 24),
        ),
    ],
)
def test_period_info_windows_and_dues(cycle: Cycle, key: PeriodKey, start: date, end: date, due: date) -> None:
    info = period_info(cycle, key)
    assert info.window == Window(start, end)
    assert info.due == due


def test_period_info_without_a_due_rule_raises() -> None:
    cycle = make_cycle(due_day_of_month=None)
    with pytest.raises(RuleError) as caught:
        period_info(cycle, PeriodKey(2027, H, 1))
    assert caught.value.key == "due_rule.exactly_one"


# --- periods_around --------------------------------------------------------------------------------


def test_periods_around_first_half_only() -> None:
    infos = periods_around(FIRST_HALF, date(2027, 3, 10))
    assert [(info.code, info.window, info.due) for info in infos] == [
        ("2026-H1", Window(date(2025, 12, 15), date(2026, 6, 14)), date(2026, 6, 20)),
        ("2027-H1", Window(date(2026, 12, 15), date(2027, 6, 14)), date(2027, 6, 20)),
        ("2028-H1", Window(date(2027, 12, 15), date(2028, 6, 14)), date(2028, 6, 20)),
    ]
    assert all(info.cycle_code == "bc-6thang" for info in infos)


def test_periods_around_both_halves_in_date_order() -> None:
    infos = periods_around(BOTH_HALVES, date(2027, 3, 10))
    assert [(info.code, info.due) for info in infos] == [
        ("2026-H1", date(2026, 6, 20)),
        ("2026-H2", date(2026, 12, 20)),
        ("2027-H1", date(2027, 6, 20)),
        ("2027-H2", date(2027, 12, 20)),
        ("2028-H1", date(2028, 6, 20)),
        ("2028-H2", date(2028, 12, 20)),
    ]


def test_periods_around_a_restricted_cycle_keeps_its_parts_sorted() -> None:
    cycle = make_cycle(periodicity="quarterly", parts=[4, 2])
    assert codes(periods_around(cycle, date(2027, 5, 1))) == ["2026-Q2", "2026-Q4", "2027-Q2", "2027-Q4", "2028-Q2", "2028-Q4"]


def test_periods_around_monthly_covers_three_years() -> None:
    infos = periods_around(MONTHLY, date(2027, 5, 1))
    assert len(infos) == 36
    assert infos[0].code == "2026-M01"
    assert infos[0].due == date(2026, 1, 20)
    assert infos[-1].code == "2028-M12"
    assert infos[-1].due == date(2028, 12, 20)


# --- next_period -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cycle", "today", "code", "due"),
    [
        (FIRST_HALF, date(2027, 3, 10), "2027-H1", date(2027, 6, 20)),
        (FIRST_HALF, date(2027, 6, 20), "2027-H1", date(2027, 6, 20)),  # due today still counts
        (FIRST_HALF, date(2027, 6, 21), "2028-H1", date(2028, 6, 20)),
        (FIRST_HALF, date(2027, 1, 1), "2027-H1", date(2027, 6, 20)),
        (BOTH_HALVES, date(2027, 6, 21), "2027-H2", date(2027, 12, 20)),
        (BOTH_HALVES, date(2027, 12, 20), "2027-H2", date(2027, 12, 20)),
        (BOTH_HALVES, date(2027, 12, 21), "2028-H1", date(2028, 6, 20)),
        # the annual report for 2026 closes on 14/12/2026 and is due 10/01/2027
        (ANNUAL_JAN, date(2027, 1, 5), "2026", date(2027, 1, 10)),
        (ANNUAL_JAN, date(2027, 1, 10), "2026", date(2027, 1, 10)),
        (ANNUAL_JAN, date(2027, 1, 11), "2027", date(2028, 1, 10)),
        (MONTHLY, date(2027, 1, 20), "2027-M01", date(2027, 1, 20)),
        (MONTHLY, date(2027, 1, 21), "2027-M02", date(2027, 2, 20)),
        (MONTHLY, date(2027, 12, 21), "2028-M01", date(2028, 1, 20)),
        (QUARTERLY_CALENDAR, date(2027, 4, 10), "2027-Q1", date(2027, 4, 15)),
        (QUARTERLY_CALENDAR, date(2027, 4, 16), "2027-Q2", date(2027, 7, 15)),
        (QUARTERLY_CALENDAR, date(2027, 1, 10), "2026-Q4", date(2027, 1, 15)),
    ],
)
def test_next_period(cycle: Cycle, today: date, code: str, due: date) -> None:
    info = next_period(cycle, today)
    assert info.code == code
    assert info.due == due


# --- recent_periods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cycle", "today", "lookback", "expected"),
    [
        # since 17/05: M05 due 20/05 and M06 due 20/06; M07 due 20/07 is still ahead
        (MONTHLY, date(2027, 7, 1), 45, ["2027-M05", "2027-M06"]),
        # since 21/05: M05 is too old; M06 is due today, so not yet past
        (MONTHLY, date(2027, 6, 20), 30, []),
        # since 20/05: the lower end is inclusive
        (MONTHLY, date(2027, 6, 20), 31, ["2027-M05"]),
        (MONTHLY, date(2027, 6, 21), 1, ["2027-M06"]),
        (MONTHLY, date(2027, 6, 21), 0, []),
        (BOTH_HALVES, date(2027, 12, 22), 10, ["2027-H2"]),
        (BOTH_HALVES, date(2027, 12, 22), 200, ["2027-H1", "2027-H2"]),
        (FIRST_HALF, date(2027, 12, 22), 200, ["2027-H1"]),
        (ANNUAL_JAN, date(2027, 1, 15), 7, ["2026"]),
        (ANNUAL_JAN, date(2027, 1, 15), 4, []),
    ],
)
def test_recent_periods(cycle: Cycle, today: date, lookback: int, expected: list[str]) -> None:
    assert codes(recent_periods(cycle, today, lookback)) == expected


# --- occurrences -----------------------------------------------------------------------------------


EVERY_OTHER_OCTOBER = make_event(every_years=2)
MID_MONTH = make_event(code="hop", months=[12, 3], day=15, first_year=2020)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2021, []),
        (2022, []),
        (2023, [Occurrence("dai-hoi", date(2023, 10, 1), True)]),
        (2024, []),
        (2025, [Occurrence("dai-hoi", date(2025, 10, 1), True)]),
        (2026, []),
        (2027, [Occurrence("dai-hoi", date(2027, 10, 1), True)]),
    ],
)
def test_occurrences_every_two_years_from_2023(year: int, expected: list[Occurrence]) -> None:
    assert occurrences(EVERY_OTHER_OCTOBER, year) == expected


def test_occurrences_every_year_from_the_first() -> None:
    event = make_event()
    assert occurrences(event, 2022) == []
    assert occurrences(event, 2023) == [Occurrence("dai-hoi", date(2023, 10, 1), True)]
    assert occurrences(event, 2024) == [Occurrence("dai-hoi", date(2024, 10, 1), True)]


def test_occurrences_every_five_years() -> None:
    event = make_event(every_years=5, first_year=2021)
    assert [year for year in range(2015, 2040) if occurrences(event, year)] == [2021, 2026, 2031, 2036]


def test_occurrences_with_a_day_in_month_order() -> None:
    assert occurrences(MID_MONTH, 2027) == [
        Occurrence("hop", date(2027, 3, 15), False),
        Occurrence("hop", date(2027, 12, 15), False),
    ]


def test_whole_month_occurrences_fall_on_the_first() -> None:
    event = make_event(months=[6, 12], first_year=2015)
    assert occurrences(event, 2027) == [
        Occurrence("dai-hoi", date(2027, 6, 1), True),
        Occurrence("dai-hoi", date(2027, 12, 1), True),
    ]


# --- upcoming_occurrences --------------------------------------------------------------------------


OCTOBER = make_event(first_year=2020)
JUNE_15 = make_event(code="hoi-thi", months=[6], day=15, first_year=2020)


@pytest.mark.parametrize(
    ("event", "today", "horizon", "expected"),
    [
        # a whole-month occurrence lasts until the month ends
        (OCTOBER, date(2027, 10, 20), 30, [Occurrence("dai-hoi", date(2027, 10, 1), True)]),
        (OCTOBER, date(2027, 10, 31), 0, [Occurrence("dai-hoi", date(2027, 10, 1), True)]),
        (OCTOBER, date(2027, 11, 1), 30, []),
        # the horizon limits what is shown: 1/11/2027 + 365 days = 31/10/2028, + 300 = 28/08/2028
        (OCTOBER, date(2027, 11, 1), 365, [Occurrence("dai-hoi", date(2028, 10, 1), True)]),
        (OCTOBER, date(2027, 11, 1), 300, []),
        # 1/9/2027 + 30 = 1/10/2027: on the horizon; + 29 = 30/09/2027: beyond it
        (OCTOBER, date(2027, 9, 1), 30, [Occurrence("dai-hoi", date(2027, 10, 1), True)]),
        (OCTOBER, date(2027, 9, 1), 29, []),
        (
            OCTOBER,
            date(2027, 10, 5),
            400,
            [Occurrence("dai-hoi", date(2027, 10, 1), True), Occurrence("dai-hoi", date(2028, 10, 1), True)],
        ),
        # a dated occurrence lasts its day only
        (JUNE_15, date(2027, 6, 15), 0, [Occurrence("hoi-thi", date(2027, 6, 15), False)]),
        (JUNE_15, date(2027, 6, 16), 30, []),
        # 16/06/2027 + 365 days = 15/06/2028 (29/02/2028 lies between)
        (JUNE_15, date(2027, 6, 16), 365, [Occurrence("hoi-thi", date(2028, 6, 15), False)]),
        (JUNE_15, date(2027, 6, 16), 364, []),
        (JUNE_15, date(2027, 6, 1), 14, [Occurrence("hoi-thi", date(2027, 6, 15), False)]),
        (JUNE_15, date(2027, 6, 1), 13, []),
        # every two years from 2023: nothing in 2024; October 2025 is within 400 days of 1/11/2024
        (EVERY_OTHER_OCTOBER, date(2024, 1, 10), 300, []),
        (EVERY_OTHER_OCTOBER, date(2024, 11, 1), 400, [Occurrence("dai-hoi", date(2025, 10, 1), True)]),
        (EVERY_OTHER_OCTOBER, date(2023, 10, 31), 30, [Occurrence("dai-hoi", date(2023, 10, 1), True)]),
        # before the first year nothing is shown
        (make_event(first_year=2030), date(2027, 1, 1), 365, []),
        # into the next year
        (
            make_event(code="tet", months=[1], day=10, first_year=2020),
            date(2027, 12, 20),
            30,
            [Occurrence("tet", date(2028, 1, 10), False)],
        ),
    ],
)
def test_upcoming_occurrences(event: Event, today: date, horizon: int, expected: list[Occurrence]) -> None:
    assert upcoming_occurrences(event, today, horizon) == expected


def test_upcoming_occurrences_of_several_months_in_order() -> None:
    assert upcoming_occurrences(MID_MONTH, date(2027, 3, 16), 365) == [
        Occurrence("hop", date(2027, 12, 15), False),
        Occurrence("hop", date(2028, 3, 15), False),
    ]
