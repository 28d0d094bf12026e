"""Reading a typed figure without guessing: whole numbers for counted units, and a
separator that could mean thousands or decimals ("1,234", "1.234") asked back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.errors import RuleError

MOST_VALUE = 1_000_000_000
_GROUPED = re.compile(r"^\d{1,3}(?:(?P<sep>[.,\s])\d{3})(?:(?P=sep)\d{3})*$")
_MIXED = re.compile(r"^\d{1,3}(?:(?P<sep>[.,\s])\d{3})*(?!(?P=sep))(?P<dec>[.,])\d+$")
_SIMPLE = re.compile(r"^\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class Figure:
    """What a typed figure means: one value, or two it could mean (`ambiguous`)."""

    value: float
    other: float | None = None

    @property
    def ambiguous(self) -> bool:
        return self.other is not None


def read_figure(text: str, whole: bool) -> Figure:
    """'12', '12,5', '1.250.000', '1 250', '1.234,5' or '1,234.5' -> a figure >= 0.

    A single '.' or ',' before exactly three digits ("1,234") is either a thousands
    separator or a decimal mark; a counted unit (`whole`) settles it, otherwise both
    readings come back for the person to choose. Raises RuleError for what is no figure,
    a fraction of a counted unit, a negative or a huge number."""
    cleaned = " ".join(text.split()).replace("\u00a0", " ")
    if cleaned.startswith("-"):
        raise RuleError("report.value_negative")
    figure = _read(cleaned)
    if figure is None:
        raise RuleError("report.value_not_number", text=text)
    if whole:
        figure = _whole(figure, text)
    for value in (figure.value, figure.other):
        if value is not None and value > MOST_VALUE:
            raise RuleError("report.value_too_large", most=MOST_VALUE)
    return figure


def _read(cleaned: str) -> Figure | None:
    grouped = _GROUPED.match(cleaned)
    if grouped:
        thousands = float(re.sub(r"\D", "", cleaned))
        single = cleaned.count(grouped.group("sep")) == 1 and grouped.group("sep") != " "
        if single and cleaned.startswith("0"):
            return Figure(float(cleaned.replace(",", ".")))
        return Figure(thousands, float(cleaned.replace(",", ".")) if single else None)
    mixed = _MIXED.match(cleaned)
    if mixed and mixed.group("sep") not in (None, mixed.group("dec")):
        whole_part, _, decimals = cleaned.rpartition(mixed.group("dec"))
        return Figure(float(re.sub(r"\D", "", whole_part) + "." + decimals))
    if _SIMPLE.match(cleaned):
        return Figure(float(cleaned.replace(",", ".")))
    return None


def _whole(figure: Figure, text: str) -> Figure:
    readings = [v for v in (figure.value, figure.other) if v is not None and v == int(v)]
    if not readings:
        raise RuleError("forms.value_not_whole", text=text)
    return Figure(readings[0])
