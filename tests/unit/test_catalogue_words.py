"""The catalogue's words (issue 15, point 7): every message rendered with lifelike values
has no doubled noun ('báo cáo Báo cáo năm…'), no bracket inside a bracket, and no large
quantity without its thousands separator; plural forms and separators follow the language."""

from __future__ import annotations

import re
import string

import pytest

from locales.catalogue import LANGUAGES, PLURAL, QUANTITIES, catalogue, t
from locales.formats import format_moment
from models.programme.period_words import period_code

PERIOD = {"vi": "Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026", "en": "Annual report on the coordination programme — 2026"}
LARGE = 4940
DOUBLED = re.compile(r"\b(\w+ \w+) \1\b", re.IGNORECASE)
BARE_NUMBER = re.compile(r"(?<![\w.,/:-])(?!(?:19|20)\d\d\b)\d{4,}(?![\d.,/:-])")
"""Four digits or more, not a year, a date, an hour or part of a code (ABCD2345)."""


def sample(name: str, language: str) -> object:
    """A value like the ones the code passes for this placeholder."""
    if name in QUANTITIES:
        return LARGE
    if name in ("name", "title", "period", "report"):
        return PERIOD[language]
    if name in ("year", "start", "end"):
        return 2026
    return name.upper()


def rendered(key: str, language: str) -> str:
    text = catalogue(language)[key]
    names = {field for _, field, _, _ in string.Formatter().parse(text) if field}
    return t(key.removesuffix(PLURAL), language, **{name: sample(name, language) for name in names})


def nested_brackets(text: str) -> bool:
    depth = 0
    for char in text:
        depth += char == "("
        if depth > 1:
            return True
        depth -= char == ")" and depth > 0
    return False


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_doubled_noun_nested_bracket_or_bare_large_number(language: str) -> None:
    doubled, nested, bare = [], [], []
    for key in catalogue(language):
        text = rendered(key, language)
        if DOUBLED.search(text):
            doubled.append((key, DOUBLED.search(text).group(0)))  # type: ignore[union-attr]
        if nested_brackets(text):
            nested.append(key)
        if BARE_NUMBER.search(text):
            bare.append((key, BARE_NUMBER.search(text).group(0)))  # type: ignore[union-attr]
    assert (doubled, nested, bare) == ([], [], [])


def test_english_plurals_are_forms_not_brackets() -> None:
    assert [key for key, text in catalogue("en").items() if re.search(r"\w\((?:s|es)\)", text)] == []


def test_the_checks_catch_what_they_are_for() -> None:
    assert DOUBLED.search("Đã nộp báo cáo Báo cáo năm 2026")
    assert nested_brackets("hạn 20/12/2026 (còn 3 ngày (đúng hạn))") and not nested_brackets("(a) (b)")
    assert BARE_NUMBER.search("quá hạn 4940 ngày") and not BARE_NUMBER.search("quá hạn 4.940 ngày, 20/12/2026, 17:21, năm 2026, ABCD2345")


def test_quantities_plurals_and_moments() -> None:
    assert t("due.days_late", "vi", days=4940) == "quá hạn 4.940 ngày"
    assert t("due.days_late", "en", days=4940).startswith("4,940 days")
    assert t("invite.still_open", "en", count=1, codes="AB").startswith("Note: 1 earlier invite for this seat is still unused")
    assert t("invite.still_open", "en", count=2, codes="AB").startswith("Note: 2 earlier invites for this seat are still unused")
    assert t("outreach.broadcast_queued", "vi", count=1200) == "Đã gửi thông báo tới 1.200 người và nhóm; tin nhắn sẽ đến trong vài phút."
    from datetime import datetime

    assert format_moment(datetime(2026, 12, 3, 17, 21), "vi") == "17:21 ngày 03/12/2026"
    assert format_moment(datetime(2026, 12, 3, 17, 21), "en") == "17:21 on 3 December 2026"


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("6 tháng đầu năm 2026", "2026-H1"),
        ("6 THÁNG CUỐI NĂM 2026", "2026-H2"),
        ("sáu tháng đầu năm 2027", "2027-H1"),
        ("năm 2026", "2026"),
        ("quý III năm 2026", "2026-Q3"),
        ("quý 2/2026", "2026-Q2"),
        ("tháng 4/2026", "2026-M04"),
        ("first half of 2026", "2026-H1"),
        ("April 2026", "2026-M04"),
        ("2026-H1", None),
        ("quý 5 năm 2026", None),
        ("tháng 13/2026", None),
    ],
)
def test_periods_in_words(said: str, code: str | None) -> None:
    assert period_code(said) == code


COUNTED_NAMES = QUANTITIES | {"most", "least", "length", "minutes", "hours", "size", "rows", "tables", "moved", "tasks", "cycles",
                              "activities", "submissions", "reports", "arrived", "councils", "office", "leader"}  # fmt: skip
ONE_PLURAL = re.compile(
    r"(?<![\d.,])1 (?:\w+ )?(days|agencies|reports|entries|rows|tables|activities|submissions|tasks|bytes|councils|minutes"
    r"|hours|groups|people|characters|invites|messages|items|experts|files|cycles|persons)\b"
)


@pytest.mark.parametrize("count", [1, "1"])
def test_no_english_message_says_1_days(count: object) -> None:
    """Every quantity set to 1 (an int, or the text format_number makes of it): no '1 days'."""
    found = []
    for key, text in catalogue("en").items():
        if key.endswith(PLURAL):
            continue
        names = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        values = {name: count if name in COUNTED_NAMES or "|" in text else sample(name, "en") for name in names}
        said = t(key, "en", **values)
        if ONE_PLURAL.search(said):
            found.append((key, ONE_PLURAL.search(said).group(0)))  # type: ignore[union-attr]
    assert found == []


def test_a_counted_placeholder_takes_the_form_of_its_number() -> None:
    assert t("due.days_late", "en", days=1) == "1 day overdue"
    assert t("due.days_late", "en", days=4940) == "4,940 days overdue"
    assert t("due.days_late", "vi", days=1) == "quá hạn 1 ngày"
    assert t("activity.keep_participants", "en", count="1") == "Keep 1 person"
    assert t("doc.status_head", "en", total=1, arrived=1).startswith("1 agency is due to report; 1 report has been sent")
    assert ONE_PLURAL.search("1 days left") and not ONE_PLURAL.search("21 days, 1.5 days, 1 day")


def test_english_months_are_named() -> None:
    assert t("period.month", "en", month=12, year=2026) == "December 2026"
    assert t("due.event_month", "en", month=4, year=2027) == "during April 2027"
    assert t("period.month", "vi", month=12, year=2026) == "tháng 12/2026"
