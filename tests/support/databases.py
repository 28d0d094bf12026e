"""Fresh databases for tests on the suite's backend (PHOIHOP_TEST_DB=sqlite|postgresql).

Each backend migrates one template once and copies it per test: a file copy on SQLite,
CREATE DATABASE … TEMPLATE on PostgreSQL (about 45 ms). Further templates start as a copy
of the migrated one and are filled once (`add_template`): the programme and the sample
people, loaded once per session instead of once per test.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import Engine, make_url

from models.db.engine import make_engine
from models.db.migrate import upgrade
from tests.support.postgres import TemporaryPostgres

BACKEND = os.environ.get("PHOIHOP_TEST_DB", "sqlite").strip().lower() or "sqlite"
if BACKEND not in {"sqlite", "postgresql"}:
    raise RuntimeError(f"PHOIHOP_TEST_DB must be sqlite or postgresql, not {BACKEND!r}")

NUMBERS = itertools.count(1)
MIGRATED = "migrated"

Fill = Callable[[Engine], None]


class Databases(Protocol):
    def create(self, migrated: bool, template: str = MIGRATED) -> str:
        """A fresh database: a copy of `template` (by default the migrated one), or empty."""
        ...

    def add_template(self, name: str, fill: Fill) -> None:
        """Make template `name`: a copy of the migrated template that `fill` writes to once."""
        ...

    def drop(self, url: str) -> None: ...


class SqliteDatabases:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fill(self._template(MIGRATED), upgrade)

    def _template(self, name: str) -> Path:
        return self.folder / f"template-{name}.sqlite3"

    def _fill(self, path: Path, fill: Fill) -> None:
        engine = make_engine(f"sqlite:///{path}")
        fill(engine)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()

    def add_template(self, name: str, fill: Fill) -> None:
        path = self._template(name)
        shutil.copy(self._template(MIGRATED), path)
        self._fill(path, fill)

    def create(self, migrated: bool, template: str = MIGRATED) -> str:
        path = self.folder / f"test{next(NUMBERS)}.sqlite3"
        if migrated:
            shutil.copy(self._template(template), path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        database = make_url(url).database or ""
        for suffix in ("", "-wal", "-shm"):
            Path(database + suffix).unlink(missing_ok=True)


class PostgresDatabases:
    PREFIX = "phoihop_template"

    def __init__(self, server: TemporaryPostgres) -> None:
        self.server = server
        self._fill(self.server.create_database(self._template(MIGRATED)), upgrade)

    def _template(self, name: str) -> str:
        return self.PREFIX if name == MIGRATED else f"{self.PREFIX}_{name}"

    def _fill(self, url: str, fill: Fill) -> None:
        engine = make_engine(url)
        fill(engine)
        engine.dispose()

    def add_template(self, name: str, fill: Fill) -> None:
        self._fill(self.server.create_database(self._template(name), self._template(MIGRATED)), fill)

    def create(self, migrated: bool, template: str = MIGRATED) -> str:
        return self.server.create_database(f"test{next(NUMBERS)}", self._template(template) if migrated else None)

    def drop(self, url: str) -> None:
        self.server.drop_database(make_url(url).database or "")
