"""Copy a whole installation from one database to another (`phoihop db migrate-to URL`).

Every table the models declare is copied in foreign-key order, in batches, inside one
transaction on the target; the counts are then compared table by table, and PostgreSQL
sequences are moved past the copied ids so new rows do not collide with old ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import models.db.all_tables  # noqa: F401  (every table on the metadata)
from models.db.migrate import current_revision, head_revision, upgrade

BATCH = 2000


class TransferError(Exception):
    """The copy cannot start or did not verify; `key` names the message for the terminal."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int


def tables() -> list[Table]:
    return list(SQLModel.metadata.sorted_tables)


def copy_database(source: Engine, target: Engine) -> list[TableCount]:
    """Copy every row from `source` into the empty `target`, verify, and return the counts."""
    if source.url == target.url:
        raise TransferError("cli.migrate_same_database")
    if current_revision(source) != head_revision():
        raise TransferError("cli.not_migrated")
    upgrade(target)
    with source.connect() as reading, target.begin() as writing:
        occupied = [table.name for table in tables() if _count(writing, table)]
        if occupied:
            raise TransferError("cli.migrate_target_not_empty", tables=", ".join(occupied))
        for table in tables():
            for rows in _batches(reading, table):
                writing.execute(table.insert(), rows)
        if writing.dialect.name == "postgresql":
            _move_sequences(writing)
        counts = [TableCount(table.name, _count(reading, table), _count(writing, table)) for table in tables()]
        wrong = [count.table for count in counts if count.source != count.target]
        if wrong:
            raise TransferError("cli.migrate_counts_differ", tables=", ".join(wrong))
    return counts


def _count(connection: Connection, table: Table) -> int:
    return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _batches(connection: Connection, table: Table) -> Iterator[list[dict[str, object]]]:
    result = connection.execute(select(table).order_by(*table.primary_key.columns)).mappings()
    while rows := result.fetchmany(BATCH):
        yield [dict(row) for row in rows]


def _move_sequences(connection: Connection) -> None:
    for table in tables():
        columns = list(table.primary_key.columns)
        if len(columns) != 1:
            continue
        found = connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": columns[0].name})
        sequence = found.scalar_one_or_none()
        if sequence:
            highest = f'SELECT COALESCE(MAX("{columns[0].name}"), 0) + 1 FROM "{table.name}"'
            connection.execute(text(f"SELECT setval(:s, ({highest}), false)"), {"s": sequence})
