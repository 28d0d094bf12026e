"""`phoihop schedule` for every shipped programme and every year it covers, in words and
as iCalendar: the term's years, and the years its assigned tasks fall due."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models.programme.schema import Programme, load_programme
from scheduler.calendar_text import render, to_ics
from scheduler.plan import Kind, calendar
from tests.unit.test_programme_files import SHIPPED


def covered_years(programme: Programme) -> list[int]:
    years = set(programme.years())
    years |= {programme.task_due(task).year for task in programme.tasks}
    return sorted(years)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_every_year_of_every_shipped_programme_renders(path) -> None:  # type: ignore[no-untyped-def]
    programme = load_programme(path)
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    for year in covered_years(programme):
        entries = calendar(programme, year)
        for language in ("vi", "en"):
            text = render(programme, entries, year, language)
            assert text.count("\n  ") == len(entries)
            ics = to_ics(programme, entries, language, stamp)
            assert ics.count("BEGIN:VEVENT") == len(entries)


def test_a_year_with_assigned_tasks_names_them() -> None:
    programme = load_programme(next(path for path in SHIPPED if path.stem == "ha-giang-2021-2026"))
    entries = calendar(programme, 2013)
    due = [entry for entry in entries if entry.kind is Kind.TASK_DUE]
    assert due and all(entry.subject.startswith("task/") for entry in due)
    text = render(programme, entries, 2013, "vi")
    assert "31/03/2013 CN         Hạn nhiệm vụ: [3348-2.3]" in text
