"""Days as people type them in forms, today injected (a Wednesday in December)."""

from __future__ import annotations

from datetime import date

import pytest

from models.errors import RuleError
from models.programme.typed_days import read_day

TODAY = date(2026, 12, 16)


@pytest.mark.parametrize(
    ("text", "future", "day"),
    [
        ("hôm nay", False, TODAY),
        ("Hôm nay", True, TODAY),
        ("mai", False, date(2026, 12, 17)),
        ("ngày mai", False, date(2026, 12, 17)),
        ("tomorrow", False, date(2026, 12, 17)),
        ("hôm qua", False, date(2026, 12, 15)),
        ("ngày kia", False, date(2026, 12, 18)),
        ("thứ hai tuần sau", False, date(2026, 12, 21)),
        ("Thứ 2 tuần sau", False, date(2026, 12, 21)),
        ("chủ nhật tuần sau", False, date(2026, 12, 27)),
        ("thứ sáu", False, date(2026, 12, 18)),
        ("thứ hai tuần này", False, date(2026, 12, 14)),
        ("next monday", False, date(2026, 12, 21)),
        ("next wednesday", False, date(2026, 12, 23)),
        ("15/1/27", False, date(2027, 1, 15)),
        ("5.3.28", False, date(2028, 3, 5)),
        ("15/1", True, date(2027, 1, 15)),
        ("15/1", False, date(2026, 1, 15)),
        ("ngày 15 tháng 1", True, date(2027, 1, 15)),
        ("20/12", True, date(2026, 12, 20)),
        ("16/12", True, TODAY),
        ("15/1/2026", True, date(2026, 1, 15)),
        ("2027-07-15", False, date(2027, 7, 15)),
    ],
)
def test_read_day(text: str, future: bool, day: date) -> None:
    assert read_day(text, TODAY, future) == day


def test_a_new_year_is_crossed_on_31_december() -> None:
    assert read_day("mai", date(2026, 12, 31)) == date(2027, 1, 1)
    assert read_day("1/1", date(2026, 12, 31), future=True) == date(2027, 1, 1)


def test_29_february_to_come_is_the_next_leap_year() -> None:
    assert read_day("29/2", date(2027, 3, 1), future=True) == date(2028, 2, 29)
    with pytest.raises(RuleError) as caught:
        read_day("29/2", date(2027, 3, 1))
    assert caught.value.key == "due.bad_date"
    with pytest.raises(RuleError) as caught:
        read_day("31/4", TODAY, future=True)
    assert caught.value.key == "due.bad_date"


@pytest.mark.parametrize("text", ["thứ tám", "tuần sau", "abc", "", "15/1/2", "mai kia nữa"])
def test_what_is_no_day(text: str) -> None:
    with pytest.raises(RuleError) as caught:
        read_day(text, TODAY)
    assert caught.value.key == "date.unreadable"


@pytest.mark.parametrize(
    ("text", "today", "day"),
    [
        ("15/1", date(2026, 12, 16), date(2027, 1, 15)),
        ("20/12", date(2027, 1, 10), date(2026, 12, 20)),
        ("1/3", date(2026, 12, 16), date(2027, 3, 1)),
        ("1/7", date(2026, 12, 16), date(2026, 7, 1)),
        ("16/12", date(2026, 12, 16), date(2026, 12, 16)),
        ("ngày 15 tháng 1", date(2026, 12, 31), date(2027, 1, 15)),
        ("29/2", date(2027, 12, 1), date(2028, 2, 29)),
        ("15/1/2026", date(2026, 12, 16), date(2026, 1, 15)),
        ("hôm qua", date(2027, 1, 1), date(2026, 12, 31)),
    ],
)
def test_read_day_nearest_when_the_step_takes_a_day_past_or_to_come(text: str, today: date, day: date) -> None:
    assert read_day(text, today, nearest=True) == day


def test_nearest_refuses_a_day_no_year_has() -> None:
    with pytest.raises(RuleError):
        read_day("31/4", TODAY, nearest=True)
