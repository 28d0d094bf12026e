"""One page of a query and how many rows it has in all, in one statement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session
from sqlmodel.sql.expression import Select, SelectOfScalar


def page_with_total(
    session: Session, query: Select[*tuple[Any, ...]], counted: SelectOfScalar[int], page: int, per_page: int
) -> tuple[list[tuple[Any, ...]], int]:
    """The rows of page `page` (from 0) of `query`, and the total: it rides on the page as
    count() OVER (); only a page past the end counts apart, with `counted`."""
    paged = query.add_columns(func.count().over()).offset(page * per_page).limit(per_page)
    rows = list(session.execute(paged))
    if rows:
        return [tuple(row[:-1]) for row in rows], rows[0][-1]
    return [], (session.exec(counted).one() if page else 0)

