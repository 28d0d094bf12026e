"""INSERT … ON CONFLICT DO NOTHING on SQLite and PostgreSQL, telling whether the row was new.

`rowcount` cannot tell: through the ORM, psycopg reports -1 for it. RETURNING can.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session

_INSERTS: dict[str, Callable[..., Any]] = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def insert_once(session: Session, model: type[Any], values: dict[str, Any], unique: list[str]) -> bool:
    """Insert the row unless one with the same `unique` columns exists; True when inserted."""
    statement = _statement(session.get_bind().dialect.name, model.__table__, tuple(unique))
    return session.execute(statement, values).first() is not None


def dialect_insert(session: Session) -> Callable[..., Any]:
    """The INSERT that has ON CONFLICT on the session's database: PostgreSQL's or SQLite's."""
    return _INSERTS.get(session.get_bind().dialect.name, sqlite_insert)


@cache
def _statement(dialect: str, table: Table, unique: tuple[str, ...]) -> Executable:
    """Built once per table: building an INSERT costs more than running it."""
    insert = _INSERTS.get(dialect, sqlite_insert)
    statement: Executable = insert(table).on_conflict_do_nothing(index_elements=list(unique)).returning(table.c[unique[0]])
    return statement
