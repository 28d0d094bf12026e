"""Alembic driven from code: `phoihop db upgrade` and the tests use the same path.

Whether a database is up to date is asked without importing alembic (which brings mako and
pygments, some 12 MB the running bot would keep for nothing): the head is read from the
migration scripts' `revision` and `down_revision`, the current revision from
`alembic_version`, the table alembic keeps."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None if it was never migrated."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        found = list(connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())
    if len(found) > 1:
        raise RuntimeError(f"{VERSION_TABLE} holds several heads: {', '.join(sorted(found))}")
    return found[0] if found else None


def _script_revisions(script: Path) -> tuple[str, str | None]:
    """A migration script's `revision` and `down_revision`, read without running it."""
    values: dict[str, object] = {}
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None:
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            for target in targets:
                if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                    values[target.id] = ast.literal_eval(node.value)
    revision, down = values.get("revision"), values.get("down_revision")
    if not isinstance(revision, str) or not (down is None or isinstance(down, str)):
        raise RuntimeError(f"{script.name}: expected one string revision and at most one down_revision")
    return revision, down


def head_revision() -> str:
    """The one revision no other script builds on."""
    revisions = [_script_revisions(script) for script in sorted((MIGRATIONS / "versions").glob("*.py"))]
    downs = {down for _, down in revisions}
    heads = [revision for revision, _ in revisions if revision not in downs]
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {', '.join(heads)}")
    return heads[0]
