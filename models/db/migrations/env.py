"""Alembic environment: the URL comes from the caller (`phoihop db upgrade`), never from a file."""

from typing import Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, String
from sqlmodel import SQLModel

import models.db.all_tables  # noqa: F401  (registers every table)
from models.db.columns import StrEnumType

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connectable = config.attributes.get("connection")
    if connectable is None:
        from models.db.engine import make_engine

        url = config.get_main_option("sqlalchemy.url")
        assert url is not None, "the caller sets sqlalchemy.url"
        with make_engine(url).connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _render_item(kind: str, item: object, _context: AutogenContext) -> str | Literal[False]:
    """Enum columns are plain strings in migrations."""
    if kind == "type" and isinstance(item, StrEnumType) and isinstance(item.impl_instance, String):
        return f"sa.String(length={item.impl_instance.length})"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
