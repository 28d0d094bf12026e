"""Alembic environment: the URL comes from the caller (`phoihop db upgrade`), never from a file."""

from alembic import context
from sqlmodel import SQLModel

import models.db.all_tables  # noqa: F401  (registers every table)
from models.db.columns import StrEnumType

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connectable = config.attributes.get("connection")
    if connectable is None:
        from models.db.engine import make_engine

        with make_engine(config.get_main_option("sqlalchemy.url")).connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _render_item(kind: str, item: object, _context: object) -> str | bool:
    """Enum columns are plain strings in migrations."""
    if kind == "type" and isinstance(item, StrEnumType):
        return f"sa.String(length={item.impl.length})"  # type: ignore[attr-defined]
    return False


def _run(connection: object) -> None:
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
