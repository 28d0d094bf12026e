"""Alembic from empty to head gives exactly the tables the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import models.db.all_tables  # noqa: F401
from models.db.engine import make_engine
from models.db.migrate import current_revision, head_revision, upgrade


def test_upgrade_from_empty_matches_the_models(new_database) -> None:  # type: ignore[no-untyped-def]
    db = make_engine(new_database(migrated=False))
    assert current_revision(db) is None
    upgrade(db)
    assert current_revision(db) == head_revision()
    with db.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    upgrade(db)
    assert current_revision(db) == head_revision()
    db.dispose()
