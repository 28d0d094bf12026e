"""One thing wrong in a programme file, as the checks report it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any


@dataclass(frozen=True)
class Problem:
    """At `path` (e.g. 'agencies[3].kind'); `item` is the code of the list item the path is
    in (the agency 'SYT', the cycle 'dv-quy'), so a message names more than an index."""

    path: str
    key: str
    params: dict[str, Any]
    item: str = field(default="", compare=False)

    @property
    def where(self) -> str:
        return f"{self.path} «{self.item}»" if self.item else self.path


def day_text(day: date) -> str:
    """Dates in check messages: the way Vietnamese documents write them, read in both languages."""
    return f"{day:%d/%m/%Y}"


def clock_text(moment: time) -> str:
    return f"{moment:%H:%M}"
