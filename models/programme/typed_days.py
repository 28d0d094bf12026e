"""A day as a person types it in a form: a calendar date (`parse_day`), a two-digit year
("15/1/27"), or words relative to today ("hôm nay", "mai", "thứ hai tuần sau", "tomorrow",
"next monday"). Today is always given, never read from a clock."""

from __future__ import annotations

import re
from datetime import date, timedelta

from models.errors import RuleError
from models.programme.due_phrases import fold, parse_day

_RELATIVE = {
    "hom nay": 0, "today": 0,
    "mai": 1, "ngay mai": 1, "tomorrow": 1,
    "hom qua": -1, "yesterday": -1,
    "ngay kia": 2, "ngay mot": 2, "mot": 2,
}  # fmt: skip
_WEEKDAYS = {
    "thu hai": 0, "thu 2": 0, "monday": 0,
    "thu ba": 1, "thu 3": 1, "tuesday": 1,
    "thu tu": 2, "thu 4": 2, "wednesday": 2,
    "thu nam": 3, "thu 5": 3, "thursday": 3,
    "thu sau": 4, "thu 6": 4, "friday": 4,
    "thu bay": 5, "thu 7": 5, "saturday": 5,
    "chu nhat": 6, "cn": 6, "sunday": 6,
}  # fmt: skip
_WEEKDAY = re.compile(r"^(?:(?:vao|ngay)\s+)?(?P<day>.+?)(?:\s+(?P<week>tuan nay|tuan sau|tuan toi|this week|next week))?$")
_NEXT_WEEKDAY = re.compile(r"^(?:next|this)\s+(?P<day>\w+)$")
_SHORT_YEAR = re.compile(r"^(?P<head>(?:ngay\s+)?\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*)(?P<year>\d{2})$")
_NO_YEAR = re.compile(r"^(?:ngay\s+)?\d{1,2}\s*[/.-]\s*\d{1,2}$|^ngay\s+\d{1,2}\s+thang\s+\d{1,2}$")


def read_day(text: str, today: date, future: bool = False, nearest: bool = False) -> date:
    """The day `text` names. Without a year it is in today's year; when the step asks for a
    day to come (`future`), the next such day ("15/1" typed in December is next January);
    when the step takes a day past or to come (`nearest`), the nearer of this year's and
    the next or last year's ("15/1" in December is next January, "20/12" in January last
    December). Raises RuleError('date.unreadable' or 'due.bad_date')."""
    folded = " ".join(fold(text).strip().rstrip(".").split())
    if folded in _RELATIVE:
        return today + timedelta(days=_RELATIVE[folded])
    weekday = _weekday(folded, today)
    if weekday is not None:
        return weekday
    short = _SHORT_YEAR.match(folded)
    if short:
        return parse_day(f"{short.group('head')}20{short.group('year')}", today.year)
    if future and _NO_YEAR.match(folded):
        return _next(text, today)
    if nearest and _NO_YEAR.match(folded):
        return _nearest(text, today)
    return parse_day(text, today.year)


def _nearest(text: str, today: date) -> date:
    """The day and month in the year before, this year or the next, whichever is nearest
    today (29/2 only where it exists; a tie goes to the day to come)."""
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            found.append(parse_day(text, year))
        except RuleError:
            continue
    if not found:
        return parse_day(text, today.year)
    return min(found, key=lambda day: (abs((day - today).days), day < today))


def _next(text: str, today: date) -> date:
    """The next day on or after today that a day and month name (29/2 waits for a leap year)."""
    problem: RuleError | None = None
    for year in range(today.year, today.year + 5):
        try:
            day = parse_day(text, year)
        except RuleError as error:
            problem = problem or error
            continue
        if day >= today:
            return day
    assert problem is not None
    raise problem


def _weekday(folded: str, today: date) -> date | None:
    """'thứ hai tuần sau' (the Monday of next week), 'thứ sáu' or 'thứ sáu tuần này' (this
    week's), 'next monday' (the first Monday after today)."""
    english = _NEXT_WEEKDAY.match(folded)
    if english and english.group("day") in _WEEKDAYS:
        ahead = (_WEEKDAYS[english.group("day")] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    match = _WEEKDAY.match(folded)
    if match is None or match.group("day") not in _WEEKDAYS:
        return None
    monday = today - timedelta(days=today.weekday())
    if match.group("week") in ("tuan sau", "tuan toi", "next week"):
        monday += timedelta(days=7)
    return monday + timedelta(days=_WEEKDAYS[match.group("day")])
