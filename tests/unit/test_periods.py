"""Unit tests for models/programme/periods.py: data windows (Nghị định 09/2019/NĐ-CP Điều 12),
calendar windows, due rules, period codes and working days.

Every expected date below is worked out by hand from the rule and written literally.
"""

from __future__ import annotations

from datetime import date

import pytest

from models.errors import RuleError
from models.programme.periods import (
    DueRule,
    Periodicity,
    PeriodKey,
    Window,
    WindowMode,
    due_date,
    is_working_day,
    last_day_of_month,
    parse_period_code,
    period_containing,
    periods_of_year,
    window,
    working_days_between,
)

M = Periodicity.MONTHLY
Q = Periodicity.QUARTERLY
H = Periodicity.SIX_MONTHLY
Y = Periodicity.ANNUAL
ND09 = WindowMode.NATIONAL
CAL = WindowMode.CALENDAR


# --- Periodicity and PeriodKey ------------------------------------------------------------


@pytest.mark.parametrize(
    ("periodicity", "parts", "months"),
    [(M, 12, 1), (Q, 4, 3), (H, 2, 6), (Y, 1, 12)],
)
def test_periodicity_parts_and_months(periodicity: Periodicity, parts: int, months: int) -> None:
    assert periodicity.parts == parts
    assert periodicity.months == months


@pytest.mark.parametrize(
    ("value", "periodicity"),
    [("monthly", M), ("quarterly", Q), ("six_monthly", H), ("annual", Y)],
)
def test_periodicity_values_are_the_programme_file_words(value: str, periodicity: Periodicity) -> None:
    assert Periodicity(value) is periodicity


def test_window_mode_values() -> None:
    assert WindowMode("nd09") is WindowMode.NATIONAL
    assert WindowMode("calendar") is WindowMode.CALENDAR


@pytest.mark.parametrize(
    ("key", "first_month", "last_month"),
    [
        (PeriodKey(2027, M, 1), 1, 1),
        (PeriodKey(2027, M, 4), 4, 4),
        (PeriodKey(2027, M, 12), 12, 12),
        (PeriodKey(2027, Q, 1), 1, 3),
        (PeriodKey(2027, Q, 3), 7, 9),
        (PeriodKey(2027, Q, 4), 10, 12),
        (PeriodKey(2027, H, 1), 1, 6),
        (PeriodKey(2027, H, 2), 7, 12),
        (PeriodKey(2027, Y), 1, 12),
    ],
)
def test_first_and_last_month(key: PeriodKey, first_month: int, last_month: int) -> None:
    assert key.first_month == first_month
    assert key.last_month == last_month


def test_annual_key_defaults_to_part_one() -> None:
    assert PeriodKey(2027, Y).part == 1


@pytest.mark.parametrize(
    ("periodicity", "part"),
    [(M, 0), (M, 13), (Q, 0), (Q, 5), (H, 0), (H, 3), (Y, 2), (Y, 0), (M, -1)],
)
def test_period_key_rejects_a_part_out_of_range(periodicity: Periodicity, part: int) -> None:
    with pytest.raises(RuleError) as caught:
        PeriodKey(2027, periodicity, part)
    assert caught.value.key == "period.bad_part"
    assert caught.value.params == {"part": part}


def test_period_keys_are_hashable_and_compare_by_value() -> None:
    assert PeriodKey(2027, H, 1) == PeriodKey(2027, H, 1)
    assert PeriodKey(2027, H, 1) != PeriodKey(2027, H, 2)
    assert len({PeriodKey(2027, H, 1), PeriodKey(2027, H, 1), PeriodKey(2028, H, 1)}) == 2


def test_period_keys_of_one_periodicity_sort_by_year_then_part() -> None:
    keys = [PeriodKey(2028, Q, 1), PeriodKey(2027, Q, 4), PeriodKey(2027, Q, 2)]
    assert sorted(keys) == [PeriodKey(2027, Q, 2), PeriodKey(2027, Q, 4), PeriodKey(2028, Q, 1)]


# --- Period codes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "code"),
    [
        (PeriodKey(2027, H, 1), "2027-H1"),
        (PeriodKey(2027, H, 2), "2027-H2"),
        (PeriodKey(2027, Q, 3), "2027-Q3"),
        (PeriodKey(2027, Q, 1), "2027-Q1"),
        (PeriodKey(2027, M, 4), "2027-M04"),
        (PeriodKey(2027, M, 12), "2027-M12"),
        (PeriodKey(2027, Y), "2027"),
    ],
)
def test_code_and_round_trip(key: PeriodKey, code: str) -> None:
    assert key.code == code
    assert parse_period_code(code) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2027-h1", PeriodKey(2027, H, 1)),
        ("  2027-q3\n", PeriodKey(2027, Q, 3)),
        ("2027-m04", PeriodKey(2027, M, 4)),
        ("2027-M4", PeriodKey(2027, M, 4)),
        (" 2027 ", PeriodKey(2027, Y)),
    ],
)
def test_parse_period_code_is_case_insensitive_and_trims(text: str, key: PeriodKey) -> None:
    assert parse_period_code(text) == key


@pytest.mark.parametrize(
    "code",
    [
        "2027-Q5",
        "2027-Q0",
        "2027-H3",
        "2027-H0",
        "2027-M13",
        "2027-M00",
        "2027-M123",
        "27-H1",
        "abc",
        "",
        "2027-",
        "2027-X1",
        "2027H1",
        "20271",
        "2027-H1-extra",
    ],
)
def test_parse_period_code_rejects_bad_codes(code: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_period_code(code)
    assert caught.value.key == "period.bad_code"
    assert caught.value.params == {"code": code}


# --- Windows: Nghị định 09/2019 Điều 12 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        # monthly: 15th of the previous month .. 14th
        (PeriodKey(2027, M, 1), date(2026, 12, 15), date(2027, 1, 14)),
        (PeriodKey(2027, M, 3), date(2027, 2, 15), date(2027, 3, 14)),
        (PeriodKey(2027, M, 12), date(2027, 11, 15), date(2027, 12, 14)),
        # quarterly: 15th of the month before the quarter .. 14th of its last month
        (PeriodKey(2027, Q, 1), date(2026, 12, 15), date(2027, 3, 14)),
        (PeriodKey(2027, Q, 2), date(2027, 3, 15), date(2027, 6, 14)),
        (PeriodKey(2027, Q, 3), date(2027, 6, 15), date(2027, 9, 14)),
        (PeriodKey(2027, Q, 4), date(2027, 9, 15), date(2027, 12, 14)),
        # six months
        (PeriodKey(2027, H, 1), date(2026, 12, 15), date(2027, 6, 14)),
        (PeriodKey(2027, H, 2), date(2027, 6, 15), date(2027, 12, 14)),
        # year
        (PeriodKey(2027, Y), date(2026, 12, 15), date(2027, 12, 14)),
    ],
)
def test_nd09_windows(key: PeriodKey, start: date, end: date) -> None:
    assert window(key, ND09) == Window(start, end)


def test_nd09_is_the_default_mode() -> None:
    assert window(PeriodKey(2027, H, 1)) == Window(date(2026, 12, 15), date(2027, 6, 14))


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        (PeriodKey(2027, M, 1), date(2027, 1, 1), date(2027, 1, 31)),
        (PeriodKey(2028, M, 2), date(2028, 2, 1), date(2028, 2, 29)),
        (PeriodKey(2027, M, 2), date(2027, 2, 1), date(2027, 2, 28)),
        (PeriodKey(2027, M, 4), date(2027, 4, 1), date(2027, 4, 30)),
        (PeriodKey(2027, Q, 1), date(2027, 1, 1), date(2027, 3, 31)),
        (PeriodKey(2027, Q, 2), date(2027, 4, 1), date(2027, 6, 30)),
        (PeriodKey(2027, Q, 3), date(2027, 7, 1), date(2027, 9, 30)),
        (PeriodKey(2027, Q, 4), date(2027, 10, 1), date(2027, 12, 31)),
        (PeriodKey(2027, H, 1), date(2027, 1, 1), date(2027, 6, 30)),
        (PeriodKey(2027, H, 2), date(2027, 7, 1), date(2027, 12, 31)),
        (PeriodKey(2027, Y), date(2027, 1, 1), date(2027, 12, 31)),
    ],
)
def test_calendar_windows(key: PeriodKey, start: date, end: date) -> None:
    assert window(key, CAL) == Window(start, end)


@pytest.mark.parametrize("periodicity", [M, Q, H, Y])
@pytest.mark.parametrize("mode", [ND09, CAL])
def test_windows_tile_the_years_without_gap_or_overlap(periodicity: Periodicity, mode: WindowMode) -> None:
    keys = periods_of_year(periodicity, 2026) + periods_of_year(periodicity, 2027) + periods_of_year(periodicity, 2028)
    for before, after in zip(keys, keys[1:]):
        assert (window(after, mode).start - window(before, mode).end).days == 1


def test_window_contains_its_ends_and_nothing_outside() -> None:
    span = Window(date(2026, 12, 15), date(2027, 6, 14))
    assert date(2026, 12, 15) in span
    assert date(2027, 6, 14) in span
    assert date(2027, 3, 1) in span
    assert date(2026, 12, 14) not in span
    assert date(2027, 6, 15) not in span
    assert "2027-03-01" not in span
    assert None not in span


@pytest.mark.parametrize(
    ("year", "month", "last"),
    [
        (2027, 1, date(2027, 1, 31)),
        (2027, 2, date(2027, 2, 28)),
        (2028, 2, date(2028, 2, 29)),
        (2000, 2, date(2000, 2, 29)),
        (2100, 2, date(2100, 2, 28)),
        (2027, 4, date(2027, 4, 30)),
        (2027, 12, date(2027, 12, 31)),
    ],
)
def test_last_day_of_month(year: int, month: int, last: date) -> None:
    assert last_day_of_month(year, month) == last


# --- periods_of_year and period_containing -------------------------------------------------------


def test_periods_of_year_all_parts() -> None:
    assert periods_of_year(Q, 2027) == [PeriodKey(2027, Q, 1), PeriodKey(2027, Q, 2), PeriodKey(2027, Q, 3), PeriodKey(2027, Q, 4)]
    assert [key.code for key in periods_of_year(M, 2027)] == [
        "2027-M01", "2027-M02", "2027-M03", "2027-M04", "2027-M05", "2027-M06",
        "2027-M07", "2027-M08", "2027-M09", "2027-M10", "2027-M11", "2027-M12",
    ]  # fmt: skip
    assert periods_of_year(Y, 2027) == [PeriodKey(2027, Y)]


def test_periods_of_year_restricted_and_sorted() -> None:
    assert periods_of_year(H, 2027, (1,)) == [PeriodKey(2027, H, 1)]
    assert periods_of_year(H, 2027, (2, 1)) == [PeriodKey(2027, H, 1), PeriodKey(2027, H, 2)]
    assert periods_of_year(Q, 2027, (4, 2)) == [PeriodKey(2027, Q, 2), PeriodKey(2027, Q, 4)]


def test_periods_of_year_rejects_a_part_the_periodicity_lacks() -> None:
    with pytest.raises(RuleError) as caught:
        periods_of_year(H, 2027, (3,))
    assert caught.value.key == "period.bad_part"


@pytest.mark.parametrize(
    ("periodicity", "day", "mode", "code"),
    [
        # six-monthly, nd09
        (H, date(2026, 12, 20), ND09, "2027-H1"),
        (H, date(2026, 12, 15), ND09, "2027-H1"),
        (H, date(2026, 12, 14), ND09, "2026-H2"),
        (H, date(2027, 6, 14), ND09, "2027-H1"),
        (H, date(2027, 6, 15), ND09, "2027-H2"),
        (H, date(2027, 12, 14), ND09, "2027-H2"),
        (H, date(2027, 12, 31), ND09, "2028-H1"),
        (H, date(2027, 1, 1), ND09, "2027-H1"),
        # six-monthly, calendar
        (H, date(2026, 12, 20), CAL, "2026-H2"),
        (H, date(2027, 6, 30), CAL, "2027-H1"),
        (H, date(2027, 7, 1), CAL, "2027-H2"),
        # monthly
        (M, date(2026, 12, 31), ND09, "2027-M01"),
        (M, date(2027, 1, 14), ND09, "2027-M01"),
        (M, date(2027, 1, 15), ND09, "2027-M02"),
        (M, date(2027, 3, 1), ND09, "2027-M03"),
        (M, date(2027, 3, 15), ND09, "2027-M04"),
        (M, date(2027, 12, 14), ND09, "2027-M12"),
        (M, date(2028, 2, 29), CAL, "2028-M02"),
        (M, date(2027, 1, 31), CAL, "2027-M01"),
        # quarterly
        (Q, date(2026, 12, 15), ND09, "2027-Q1"),
        (Q, date(2027, 3, 14), ND09, "2027-Q1"),
        (Q, date(2027, 3, 15), ND09, "2027-Q2"),
        (Q, date(2027, 6, 15), ND09, "2027-Q3"),
        (Q, date(2027, 9, 14), ND09, "2027-Q3"),
        (Q, date(2027, 9, 15), ND09, "2027-Q4"),
        (Q, date(2027, 3, 31), CAL, "2027-Q1"),
        (Q, date(2027, 4, 1), CAL, "2027-Q2"),
        (Q, date(2027, 12, 31), CAL, "2027-Q4"),
        # annual
        (Y, date(2026, 12, 14), ND09, "2026"),
        (Y, date(2026, 12, 15), ND09, "2027"),
        (Y, date(2027, 12, 14), ND09, "2027"),
        (Y, date(2027, 12, 31), ND09, "2028"),
        (Y, date(2027, 12, 31), CAL, "2027"),
        (Y, date(2027, 1, 1), CAL, "2027"),
    ],
)
def test_period_containing(periodicity: Periodicity, day: date, mode: WindowMode, code: str) -> None:
    assert period_containing(periodicity, day, mode).code == code


def test_period_containing_defaults_to_nd09() -> None:
    assert period_containing(H, date(2026, 12, 20)) == PeriodKey(2027, H, 1)


# --- Due rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cutoff", "rule", "due"),
    [
        (date(2027, 6, 14), DueRule(day_of_month=20), date(2027, 6, 20)),
        (date(2027, 12, 14), DueRule(day_of_month=20), date(2027, 12, 20)),
        (date(2026, 12, 14), DueRule(day_of_month=10, months_after=1), date(2027, 1, 10)),
        (date(2027, 6, 14), DueRule(day_of_month=14, months_after=1), date(2027, 7, 14)),
        # never moved silently: a day before the cut-off stays before it (programme check refuses it)
        (date(2027, 6, 14), DueRule(day_of_month=14), date(2027, 6, 14)),
        (date(2027, 6, 14), DueRule(day_of_month=10), date(2027, 6, 10)),
        (date(2027, 6, 14), DueRule(day_of_month=15), date(2027, 6, 15)),
        (date(2027, 6, 14), DueRule(day_of_month=1, months_after=1), date(2027, 7, 1)),
        # "ngày 31": the month's last day
        (date(2027, 6, 14), DueRule(day_of_month=31), date(2027, 6, 30)),
        (date(2027, 1, 14), DueRule(day_of_month=31, months_after=1), date(2027, 2, 28)),
        (date(2027, 3, 31), DueRule(day_of_month=15, months_after=2), date(2027, 5, 15)),
        (date(2027, 6, 14), DueRule(day_of_month=28), date(2027, 6, 28)),
        (date(2027, 1, 14), DueRule(day_of_month=5, months_after=1), date(2027, 2, 5)),
        # calendar cut-offs fall on the last day of a month
        (date(2027, 3, 31), DueRule(day_of_month=20), date(2027, 4, 20)),
        (date(2027, 12, 31), DueRule(day_of_month=20), date(2028, 1, 20)),
        (date(2027, 2, 28), DueRule(day_of_month=28), date(2027, 3, 28)),
        (date(2028, 1, 31), DueRule(day_of_month=28), date(2028, 2, 28)),
        # days after the window
        (date(2027, 6, 14), DueRule(days_after_window=1), date(2027, 6, 15)),
        (date(2027, 6, 14), DueRule(days_after_window=6), date(2027, 6, 20)),
        (date(2026, 12, 14), DueRule(days_after_window=5), date(2026, 12, 19)),
        (date(2026, 12, 14), DueRule(days_after_window=30), date(2027, 1, 13)),
        (date(2027, 6, 14), DueRule(days_after_window=90), date(2027, 9, 12)),
        (date(2028, 2, 14), DueRule(days_after_window=15), date(2028, 2, 29)),
    ],
)
def test_due_date(cutoff: date, rule: DueRule, due: date) -> None:
    assert due_date(cutoff, rule) == due


@pytest.mark.parametrize(
    ("cutoff", "day", "stays", "moves"),
    [
        # 20/06/2027 is a Sunday: Bộ luật Dân sự 2015 Điều 148 reads it as Monday the 21st.
        (date(2027, 6, 14), 20, date(2027, 6, 20), date(2027, 6, 21)),
        # 19/06/2027, a Saturday: to Monday the 21st.
        (date(2027, 6, 14), 19, date(2027, 6, 19), date(2027, 6, 21)),
        # a working day does not move
        (date(2027, 6, 14), 18, date(2027, 6, 18), date(2027, 6, 18)),
        # 30/04 and 01/05/2027 holidays (Friday, Saturday), then Sunday: to Monday 03/05.
        (date(2027, 4, 14), 30, date(2027, 4, 30), date(2027, 5, 3)),
    ],
)
def test_a_deadline_on_a_day_off_stays_or_moves_as_the_programme_says(cutoff: date, day: int, stays: date, moves: date) -> None:
    holidays = frozenset({date(2027, 4, 30), date(2027, 5, 1)})
    assert due_date(cutoff, DueRule(day_of_month=day, holidays=holidays)) == stays
    assert due_date(cutoff, DueRule(day_of_month=day, next_working_day=True, holidays=holidays)) == moves


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({}, "due_rule.exactly_one"),
        ({"day_of_month": 20, "days_after_window": 5}, "due_rule.exactly_one"),
        ({"day_of_month": 0}, "due_rule.bad_day"),
        ({"day_of_month": 32}, "due_rule.bad_day"),
        ({"day_of_month": -1}, "due_rule.bad_day"),
        ({"days_after_window": 0}, "due_rule.bad_days"),
        ({"days_after_window": 91}, "due_rule.bad_days"),
        ({"days_after_window": -5}, "due_rule.bad_days"),
    ],
)
def test_due_rule_rejects(kwargs: dict[str, int], key: str) -> None:
    with pytest.raises(RuleError) as caught:
        DueRule(**kwargs)
    assert caught.value.key == key


@pytest.mark.parametrize(
    "kwargs",
    [{"day_of_month": 1}, {"day_of_month": 31}, {"days_after_window": 1}, {"days_after_window": 90}],
)
def test_due_rule_accepts_the_limits(kwargs: dict[str, int]) -> None:
    rule = DueRule(**kwargs)
    assert rule.day_of_month == kwargs.get("day_of_month")
    assert rule.days_after_window == kwargs.get("days_after_window")


def test_due_rule_error_carries_the_bad_value() -> None:
    with pytest.raises(RuleError) as caught:
        DueRule(day_of_month=32)
    assert caught.value.params == {"day": 32}
    with pytest.raises(RuleError) as caught:
        DueRule(days_after_window=91)
    assert caught.value.params == {"days": 91}


# --- Working days ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "holidays", "working"),
    [
        (date(2027, 6, 14), frozenset(), True),  # Monday
        (date(2027, 6, 18), frozenset(), True),  # Friday
        (date(2027, 6, 19), frozenset(), False),  # Saturday
        (date(2027, 6, 20), frozenset(), False),  # Sunday
        (date(2027, 9, 2), frozenset({date(2027, 9, 2)}), False),  # Thursday, National Day
        (date(2027, 9, 1), frozenset({date(2027, 9, 2)}), True),
    ],
)
def test_is_working_day(day: date, holidays: frozenset[date], working: bool) -> None:
    assert is_working_day(day, holidays) is working


def test_calendar_facts_the_working_day_tests_rely_on() -> None:
    assert date(2027, 6, 14).weekday() == 0  # Monday
    assert date(2027, 6, 20).weekday() == 6  # Sunday
    assert date(2027, 12, 14).weekday() == 1  # Tuesday
    assert date(2027, 9, 2).weekday() == 3  # Thursday
    assert date(2026, 12, 14).weekday() == 0  # Monday


@pytest.mark.parametrize(
    ("cutoff", "due", "holidays", "count"),
    [
        # Mon 14/06 -> Sun 20/06: Tue, Wed, Thu, Fri
        (date(2027, 6, 14), date(2027, 6, 20), frozenset(), 4),
        # Mon 14/06 -> Mon 21/06: plus the Monday
        (date(2027, 6, 14), date(2027, 6, 21), frozenset(), 5),
        # Mon 14/06 -> Tue 15/06: the cut-off itself is not counted, the due day is
        (date(2027, 6, 14), date(2027, 6, 15), frozenset(), 1),
        # Fri 18/06 -> Sun 20/06: only weekend days
        (date(2027, 6, 18), date(2027, 6, 20), frozenset(), 0),
        # Tue 14/12 -> Mon 20/12: Wed, Thu, Fri, Mon
        (date(2027, 12, 14), date(2027, 12, 20), frozenset(), 4),
        (date(2027, 12, 14), date(2027, 12, 20), frozenset({date(2027, 12, 15)}), 3),
        # a holiday on a weekend changes nothing
        (date(2027, 12, 14), date(2027, 12, 20), frozenset({date(2027, 12, 18)}), 4),
        # Tue 31/08 -> Fri 03/09 with 2/9 and 3/9 off: only Wed 1/9
        (date(2027, 8, 31), date(2027, 9, 3), frozenset({date(2027, 9, 2), date(2027, 9, 3)}), 1),
        # Mon 14/12/2026 -> Sun 10/01/2027: 15-18/12, 21-25/12, 28-31/12, 1/1, 4-8/1
        (date(2026, 12, 14), date(2027, 1, 10), frozenset(), 19),
        (date(2026, 12, 14), date(2027, 1, 10), frozenset({date(2027, 1, 1)}), 18),
        # empty or reversed span
        (date(2027, 6, 14), date(2027, 6, 14), frozenset(), 0),
        (date(2027, 6, 14), date(2027, 6, 10), frozenset(), 0),
    ],
)
def test_working_days_between(cutoff: date, due: date, holidays: frozenset[date], count: int) -> None:
    assert working_days_between(cutoff, due, holidays) == count


def test_working_days_between_defaults_to_no_holidays() -> None:
    # Tue 31/08 -> Fri 03/09: Wed 1, Thu 2, Fri 3
    assert working_days_between(date(2027, 8, 31), date(2027, 9, 3)) == 3
