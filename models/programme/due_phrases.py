"""Due dates written the way administrative documents write them.

Seed 001 (công văn 3348/UBND-NLN) assigns tasks "trong quý IV/2012", "tháng 11/2012",
"trong Quý I/2013", "quý III năm 2013"; other documents write "6 tháng đầu năm 2024",
"trước ngày 15/6" or a plain "15/7/2022". Where only a month, quarter, half or year is
given, the due date is its last day. "trước" (before) is read literally: the last day
that is still before the named day or period. Anything else is an error, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time, timedelta

from models.errors import RuleError
from models.programme.periods import last_day_of_month

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"(?:\s*/\s*|\s+nam\s+|\s+)(\d{4})"
_LEADS = ("hoan thanh", "thuc hien xong", "xong", "trong", "vao", "cuoi", "den het", "het", "han")

_QUARTER = re.compile(r"^quy\s+(iv|iii|ii|i|[1-4])" + _YEAR + "$")
_MONTH = re.compile(r"^thang\s+(\d{1,2})" + _YEAR + "$")
_HALF = re.compile(r"^(?:6|sau)\s+thang\s+(dau|cuoi)\s+nam\s+(\d{4})$")
_YEAR_ONLY = re.compile(r"^nam\s+(\d{4})$")
_DMY = re.compile(r"^(?:ngay\s+)?(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?$")
_WORDS = re.compile(r"^ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_HOUR = re.compile(r"^(?:(?:truoc|den|luc|vao)\s+)*(\d{1,2})\s*(?:gio|h|:)\s*(\d{2})?(?:\s*phut)?\s*,?\s*(?=ngay\s|\d)")


def fold(text: str) -> str:
    """Lower case, without diacritics, single-spaced: 'Quý IV/2012' -> 'quy iv/2012'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(plain.lower().split())


def _strip_leads(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for lead in _LEADS:
            if text.startswith(lead + " "):
                text, changed = text[len(lead) + 1 :], True
    return text


def _make_date(day: int, month: int, year: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise RuleError("due.bad_date", text=original) from None


def _span(text: str, original: str, default_year: int | None) -> tuple[date, date] | None:
    """The first and last day named by `text`, or None when it names no span."""
    if match := _QUARTER.match(text):
        quarter, year = match.group(1), int(match.group(2))
        number = _ROMAN.get(quarter) or int(quarter)
        return date(year, 3 * number - 2, 1), last_day_of_month(year, 3 * number)
    if match := _MONTH.match(text):
        month, year = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise RuleError("due.bad_month", text=original)
        return date(year, month, 1), last_day_of_month(year, month)
    if match := _HALF.match(text):
        year = int(match.group(2))
        return (date(year, 1, 1), date(year, 6, 30)) if match.group(1) == "dau" else (date(year, 7, 1), date(year, 12, 31))
    if match := _YEAR_ONLY.match(text):
        year = int(match.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    if match := _ISO.match(text):
        day = _make_date(int(match.group(3)), int(match.group(2)), int(match.group(1)), original)
        return day, day
    if match := _DMY.match(text) or _WORDS.match(text):
        year_text = match.group(3)
        if year_text:
            year = int(year_text)
        elif default_year is not None:
            year = default_year
        else:
            raise RuleError("due.no_year", text=original)
        day = _make_date(int(match.group(1)), int(match.group(2)), year, original)
        return day, day
    return None


def parse_due(text: str, default_year: int | None = None) -> date:
    """The due date a phrase names; `default_year` completes 'trước ngày 15/6'."""
    folded = fold(text).rstrip(".;,")
    if not folded:
        raise RuleError("due.empty")
    body = _strip_leads(folded)
    before = body.startswith("truoc ")
    if before:
        body = _strip_leads(body[len("truoc ") :])
    span = _span(body, text, default_year)
    if span is None:
        raise RuleError("due.unreadable", text=text)
    return span[0] - timedelta(days=1) if before else span[1]


@dataclass(frozen=True)
class Due:
    day: date
    at: time | None = None


def parse_due_moment(text: str, default_year: int | None = None) -> Due:
    """The due date and, when the phrase gives one, the hour: "17 giờ ngày 30/3/2027",
    "trước 17h00 ngày 30/3/2027" (before the hour, on that day), "17:30, 30/3/2027"."""
    body = _strip_leads(fold(text).rstrip(".;,"))
    match = _HOUR.match(body)
    if match is None:
        return Due(parse_due(text, default_year))
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise RuleError("due.bad_hour", text=text)
    try:
        return Due(parse_due(body[match.end() :], default_year), time(hour, minute))
    except RuleError as error:
        raise RuleError(error.key, **{**error.params, "text": text}) from None


def parse_day(text: str, default_year: int) -> date:
    """A single calendar day typed by a person ('15/7', '15/07/2027', '2027-07-15')."""
    folded = fold(text)
    for pattern in (_ISO, _DMY, _WORDS):
        if pattern.match(folded):
            span = _span(folded, text, default_year)
            assert span is not None
            return span[0]
    raise RuleError("date.unreadable", text=text)
