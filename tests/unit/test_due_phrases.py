"""Unit tests for models/programme/due_phrases.py: due dates written the way administrative documents
write them (seed 001, công văn 3348/UBND-NLN of Hà Giang, and others).

Where a phrase names a month, quarter, half or year, the due date is its last day; "trước"
(before) is the last day still before the named day or period. Expected dates are literal.
"""

from __future__ import annotations

import calendar
import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import RuleError
from models.programme.due_phrases import fold, parse_day, parse_due

# --- fold ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Quý IV/2012", "quy iv/2012"),
        ("ĐẾN HẾT tháng 11/2012", "den het thang 11/2012"),
        ("  trong   quý  I / 2013 ", "trong quy i / 2013"),
        ("6 tháng đầu năm 2024", "6 thang dau nam 2024"),
        ("Trước ngày 15/6", "truoc ngay 15/6"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_treats_decomposed_and_composed_text_alike() -> None:
    composed = "Quý III năm 2013"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert fold(decomposed) == "quy iii nam 2013"


# --- parse_due: the phrases of seed 001 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("trong quý IV/2012", date(2012, 12, 31)),
        ("Quý I/2013", date(2013, 3, 31)),
        ("trong Quý I/2013", date(2013, 3, 31)),
        ("quý III năm 2013", date(2013, 9, 30)),
        ("quý II/2013", date(2013, 6, 30)),
        ("tháng 12/2012", date(2012, 12, 31)),
        ("tháng 11/2012", date(2012, 11, 30)),
    ],
)
def test_seed_001_phrases(text: str, due: date) -> None:
    assert parse_due(text) == due


# --- parse_due: every kind of span ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [
        # quarters, Roman or Arabic, with "/", "năm" or a space before the year
        ("quý I/2013", date(2013, 3, 31)),
        ("quý II/2013", date(2013, 6, 30)),
        ("quý III/2013", date(2013, 9, 30)),
        ("quý IV/2013", date(2013, 12, 31)),
        ("quý 1/2013", date(2013, 3, 31)),
        ("quý 2/2013", date(2013, 6, 30)),
        ("quý 3/2013", date(2013, 9, 30)),
        ("quý 4/2013", date(2013, 12, 31)),
        ("quý IV năm 2012", date(2012, 12, 31)),
        ("quý IV 2012", date(2012, 12, 31)),
        ("quý IV / 2012", date(2012, 12, 31)),
        # months
        ("tháng 1/2013", date(2013, 1, 31)),
        ("tháng 2/2024", date(2024, 2, 29)),
        ("tháng 2/2023", date(2023, 2, 28)),
        ("tháng 02/2023", date(2023, 2, 28)),
        ("tháng 4/2013", date(2013, 4, 30)),
        ("tháng 11 năm 2012", date(2012, 11, 30)),
        # halves
        ("6 tháng đầu năm 2024", date(2024, 6, 30)),
        ("6 tháng cuối năm 2024", date(2024, 12, 31)),
        ("sáu tháng đầu năm 2024", date(2024, 6, 30)),
        ("sáu tháng cuối năm 2024", date(2024, 12, 31)),
        # years
        ("năm 2024", date(2024, 12, 31)),
        # single days
        ("15/7/2022", date(2022, 7, 15)),
        ("15/07/2022", date(2022, 7, 15)),
        ("15.7.2022", date(2022, 7, 15)),
        ("15-7-2022", date(2022, 7, 15)),
        ("ngày 15/7/2022", date(2022, 7, 15)),
        ("ngày 15 tháng 7 năm 2022", date(2022, 7, 15)),
        ("2022-07-15", date(2022, 7, 15)),
        ("29/2/2024", date(2024, 2, 29)),
        ("1/1/2025", date(2025, 1, 1)),
    ],
)
def test_parse_due_spans(text: str, due: date) -> None:
    assert parse_due(text) == due


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("trong quý IV/2012", date(2012, 12, 31)),
        ("vào quý IV/2012", date(2012, 12, 31)),
        ("hoàn thành trong quý I/2013", date(2013, 3, 31)),
        ("thực hiện xong trong tháng 11/2012", date(2012, 11, 30)),
        ("cuối năm 2024", date(2024, 12, 31)),
        ("cuối tháng 2/2024", date(2024, 2, 29)),
        ("cuối quý III năm 2013", date(2013, 9, 30)),
        ("đến hết tháng 12/2012", date(2012, 12, 31)),
        ("đến hết ngày 15/7/2022", date(2022, 7, 15)),
        ("vào cuối năm 2024", date(2024, 12, 31)),
        ("trong 6 tháng đầu năm 2024", date(2024, 6, 30)),
        ("vào ngày 15/7/2022", date(2022, 7, 15)),
    ],
)
def test_parse_due_accepts_lead_words(text: str, due: date) -> None:
    assert parse_due(text) == due


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("QUY IV/2012", date(2012, 12, 31)),
        ("QUÝ IV/2012", date(2012, 12, 31)),
        ("thang 11/2012", date(2012, 11, 30)),
        ("THÁNG 11/2012", date(2012, 11, 30)),
        ("quy iii nam 2013", date(2013, 9, 30)),
        ("6 thang dau nam 2024", date(2024, 6, 30)),
        ("den het thang 12/2012", date(2012, 12, 31)),
        ("ĐẾN HẾT THÁNG 12/2012", date(2012, 12, 31)),
        ("hoan thanh trong quy i/2013", date(2013, 3, 31)),
        ("ngay 15 thang 7 nam 2022", date(2022, 7, 15)),
        ("truoc ngay 15/6/2025", date(2025, 6, 14)),
    ],
)
def test_parse_due_without_diacritics_or_in_upper_case(text: str, due: date) -> None:
    assert parse_due(text) == due


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("  trong   quý IV/2012  ", date(2012, 12, 31)),
        ("trong quý IV/2012.", date(2012, 12, 31)),
        ("tháng 11/2012;", date(2012, 11, 30)),
        ("quý\u00a0IV/2012", date(2012, 12, 31)),  # a no-break space pasted from a document
        (unicodedata.normalize("NFD", "trong Quý III năm 2013"), date(2013, 9, 30)),
    ],
)
def test_parse_due_tolerates_spacing_punctuation_and_normal_forms(text: str, due: date) -> None:
    assert parse_due(text) == due


# --- parse_due: "trước" is read literally ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "default_year", "due"),
    [
        ("trước ngày 15/6", 2024, date(2024, 6, 14)),
        ("trước ngày 15/6/2025", None, date(2025, 6, 14)),
        ("trước ngày 15/6/2025", 2024, date(2025, 6, 14)),  # a written year beats the default
        ("Trước ngày 1/1/2025", None, date(2024, 12, 31)),
        ("trước ngày 1/3/2024", None, date(2024, 2, 29)),
        ("trước ngày 1/3", 2023, date(2023, 2, 28)),
        ("trước 15/6/2025", None, date(2025, 6, 14)),
        ("trước ngày 15 tháng 6 năm 2025", None, date(2025, 6, 14)),
        ("trước ngày 15 tháng 6", 2026, date(2026, 6, 14)),
        ("trước 2025-06-15", None, date(2025, 6, 14)),
        ("trước quý III/2013", None, date(2013, 6, 30)),
        ("trước quý I/2013", None, date(2012, 12, 31)),
        ("trước tháng 3/2024", None, date(2024, 2, 29)),
        ("trước năm 2025", None, date(2024, 12, 31)),
        ("trước 6 tháng cuối năm 2024", None, date(2024, 6, 30)),
        ("TRƯỚC NGÀY 15/6/2025", None, date(2025, 6, 14)),
    ],
)
def test_parse_due_before(text: str, default_year: int | None, due: date) -> None:
    assert parse_due(text, default_year) == due


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("hoàn thành trước ngày 15/6/2025", date(2025, 6, 14)),
        ("thực hiện xong trước quý III/2013", date(2013, 6, 30)),
    ],
)
def test_parse_due_lead_word_then_before(text: str, due: date) -> None:
    assert parse_due(text) == due


def test_default_year_does_not_override_a_written_year() -> None:
    assert parse_due("15/7/2022", 2030) == date(2022, 7, 15)
    assert parse_due("quý IV/2012", 2030) == date(2012, 12, 31)


def test_default_year_completes_a_day_without_year() -> None:
    assert parse_due("15/7", 2027) == date(2027, 7, 15)
    assert parse_due("ngày 15 tháng 7", 2027) == date(2027, 7, 15)


# --- parse_due: errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "default_year", "key"),
    [
        ("", None, "due.empty"),
        ("   ", None, "due.empty"),
        ("...", None, "due.empty"),
        ("sớm nhất có thể", None, "due.unreadable"),
        ("quý V/2013", None, "due.unreadable"),
        ("quý 5/2013", None, "due.unreadable"),
        ("quý 0/2013", None, "due.unreadable"),
        ("tuần sau", None, "due.unreadable"),
        ("quý IV", 2012, "due.unreadable"),
        ("tháng 11", 2012, "due.unreadable"),
        ("quý IV/12", None, "due.unreadable"),
        ("trước", None, "due.unreadable"),
        ("tháng 13/2012", None, "due.bad_month"),
        ("tháng 0/2012", None, "due.bad_month"),
        ("trước tháng 13/2012", None, "due.bad_month"),
        ("31/2/2023", None, "due.bad_date"),
        ("29/2/2023", None, "due.bad_date"),
        ("2023-02-30", None, "due.bad_date"),
        ("31/4/2023", None, "due.bad_date"),
        ("15/13/2023", None, "due.bad_date"),
        ("ngày 31 tháng 2 năm 2023", None, "due.bad_date"),
        ("31/2", 2023, "due.bad_date"),
        ("trước ngày 15/6", None, "due.no_year"),
        ("15/6", None, "due.no_year"),
        ("ngày 15 tháng 6", None, "due.no_year"),
    ],
)
def test_parse_due_errors(text: str, default_year: int | None, key: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_due(text, default_year)
    assert caught.value.key == key


def test_parse_due_error_names_the_original_text() -> None:
    with pytest.raises(RuleError) as caught:
        parse_due("Sớm nhất có thể")
    assert caught.value.params == {"text": "Sớm nhất có thể"}
    with pytest.raises(RuleError) as caught:
        parse_due("Tháng 13/2012")
    assert caught.value.params == {"text": "Tháng 13/2012"}


def test_rule_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_due("tuần sau")


# --- parse_day -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "default_year", "day"),
    [
        ("15/7", 2027, date(2027, 7, 15)),
        ("15/07/2027", 2030, date(2027, 7, 15)),
        ("15/7/2026", 2027, date(2026, 7, 15)),
        ("2027-07-15", 2030, date(2027, 7, 15)),
        ("ngày 5 tháng 3", 2027, date(2027, 3, 5)),
        ("Ngày 5 tháng 3 năm 2028", 2027, date(2028, 3, 5)),
        ("ngày 15/7", 2027, date(2027, 7, 15)),
        ("15.7", 2027, date(2027, 7, 15)),
        ("15-7", 2027, date(2027, 7, 15)),
        ("  15 / 7 ", 2027, date(2027, 7, 15)),
        ("29/2", 2028, date(2028, 2, 29)),
        ("NGAY 5 THANG 3", 2027, date(2027, 3, 5)),
    ],
)
def test_parse_day(text: str, default_year: int, day: date) -> None:
    assert parse_day(text, default_year) == day


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("quý I/2027", "date.unreadable"),
        ("tháng 3/2027", "date.unreadable"),
        ("năm 2027", "date.unreadable"),
        ("trước ngày 15/7", "date.unreadable"),
        ("mai", "date.unreadable"),
        ("", "date.unreadable"),
        ("15/7/27", "date.unreadable"),
        ("30/2/2027", "due.bad_date"),
        ("29/2", "due.bad_date"),
        ("31/4", "due.bad_date"),
        ("2027-02-30", "due.bad_date"),
        ("ngày 32 tháng 1", "due.bad_date"),
    ],
)
def test_parse_day_errors(text: str, key: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_day(text, 2027)
    assert caught.value.key == key


def test_parse_day_unreadable_names_the_text() -> None:
    with pytest.raises(RuleError) as caught:
        parse_day("mai", 2027)
    assert caught.value.params == {"text": "mai"}


# --- properties ----------------------------------------------------------------------------------------

_DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@given(_DAYS)
def test_any_typed_day_parses_to_itself_and_before_it_to_the_day_before(day: date) -> None:
    assert parse_due(f"{day.day}/{day.month}/{day.year}") == day
    assert parse_due(f"trước ngày {day.day}/{day.month}/{day.year}") == day - timedelta(days=1)


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=4), st.booleans())
def test_any_quarter_ends_on_the_last_day_of_its_third_month(year: int, quarter: int, roman: bool) -> None:
    numeral = _ROMAN[quarter] if roman else str(quarter)
    due = parse_due(f"quý {numeral}/{year}")
    assert due.year == year
    assert due.month == 3 * quarter
    assert due.day == calendar.monthrange(year, 3 * quarter)[1]
    assert (due + timedelta(days=1)).month != due.month
