"""A period typed in words, as people say it, to its code: '6 tháng đầu năm 2026' ->
'2026-H1', 'năm 2026' -> '2026', 'quý III năm 2026' -> '2026-Q3', 'tháng 4/2026' ->
'2026-M04'; in English 'first half of 2026', 'Q3 2026', 'April 2026'. Codes are read as before."""

from __future__ import annotations

import calendar
import re

from models.programme.due_phrases import fold

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_HALF = re.compile(r"^(?:6|sau) thang (dau|cuoi) (?:nam )?(\d{4})$")
_HALF_EN = re.compile(r"^(first|second) half (?:of )?(\d{4})$")
_YEAR = re.compile(r"^(?:nam|year) (\d{4})$")
_QUARTER = re.compile(r"^(?:quy|quarter|q) ?(\d|i{1,3}|iv)(?: nam | of |/| )(\d{4})$")
_MONTH = re.compile(r"^thang (\d{1,2})(?: nam |/| )(\d{4})$")
_MONTH_EN = re.compile(r"^([a-z]+) (\d{4})$")


def period_code(text: str) -> str | None:
    """The code ('2026-H1') a period in words stands for; None when it is not one."""
    said = fold(text)
    if match := _HALF.match(said) or _HALF_EN.match(said):
        part, year = match.groups()
        return f"{year}-H{1 if part in ('dau', 'first') else 2}"
    if match := _YEAR.match(said):
        return match.group(1)
    if match := _QUARTER.match(said):
        quarter, year = match.groups()
        number = ROMAN.get(quarter) or int(quarter)
        return f"{year}-Q{number}" if 1 <= number <= 4 else None
    if match := _MONTH.match(said):
        month, year = int(match.group(1)), match.group(2)
        return f"{year}-M{month:02d}" if 1 <= month <= 12 else None
    if (match := _MONTH_EN.match(said)) and match.group(1) in MONTHS:
        return f"{match.group(2)}-M{MONTHS[match.group(1)]:02d}"
    return None
