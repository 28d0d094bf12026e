"""Targets year by year: how many activities each target counted in each calendar year of
the term, against the even share of a term target (or a yearly target's own figure), so the
office sees the pace per year as well as over the term."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, func
from sqlmodel import Session, col, select

from models.activities.tables import Activity, ActivityStatus
from models.programme.schema import Programme, Target
from models.programme.tables import ActivityType

YEARS_SHOWN = 6
"""At most this many years, the latest: a regulation without an end runs for decades."""


@dataclass(frozen=True)
class TargetYears:
    target: Target
    share: float | None
    """What each year should bring: a yearly target's figure, a term target's even share
    (none for a term without an end)."""
    done: list[tuple[int, int]]
    """(year, activities done that year), from the term's first year to this one."""


def shown_years(programme: Programme, today: date) -> range:
    term = programme.programme.term
    last = min(today.year, term.end.year) if term.end else today.year
    return range(max(term.start.year, last - YEARS_SHOWN + 1), last + 1)


def even_share(programme: Programme, target: Target) -> float | None:
    if target.per == "year":
        return float(target.target)
    term = programme.programme.term
    return target.target / len(programme.years()) if term.end else None


def targets_by_year(session: Session, programme: Programme, programme_id: int, today: date) -> list[TargetYears]:
    """Each target's activities done in each shown year, in one query."""
    years = shown_years(programme, today)
    if not programme.targets or not years:
        return []
    term = programme.programme.term
    start = max(term.start, date(years[0], 1, 1))
    end = min(term.end or date.max, date(years[-1], 12, 31))
    year = extract("year", col(Activity.planned_date))
    query = (
        select(ActivityType.code, year, func.count())
        .join(ActivityType, col(ActivityType.id) == Activity.type_id)
        .where(
            Activity.programme_id == programme_id,
            Activity.status == ActivityStatus.DONE,
            Activity.planned_date >= start,
            Activity.planned_date <= end,
        )
        .group_by(ActivityType.code, year)
    )
    counts: Counter[tuple[str, int]] = Counter({(code, int(y)): n for code, y, n in session.exec(query)})
    return [
        TargetYears(target, even_share(programme, target), [(y, sum(counts[(c, y)] for c in target.activity_types)) for y in years])
        for target in programme.targets
    ]
