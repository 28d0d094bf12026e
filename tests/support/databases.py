"""Fresh databases for tests on the suite's backend (PHOIHOP_TEST_DB=sqlite|postgresql).

Each backend migrates one template once and copies it per test: a file copy on SQLite,
CREATE DATABASE … TEMPLATE on PostgreSQL (about 45 ms).
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import make_url

from models.db.engine import make_engine
from models.db.migrate import upgrade
from tests.support.postgres import TemporaryPostgres

BACKEND = os.environ.get("PHOIHOP_TEST_DB", "sqlite").strip().lower() or "sqlite"
if BACKEND not in {"sqlite", "postgresql"}:
    raise RuntimeError(f"PHOIHOP_TEST_DB must be sqlite or postgresql, not {BACKEND!r}")

NUMBERS = itertools.count(1)


class Databases(Protocol):
    def create(self, migrated: bool) -> str: ...

    def drop(self, url: str) -> None: ...


class SqliteDatabases:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.sqlite3"
        engine = make_engine(f"sqlite:///{self.template}")
        upgrade(engine)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()

    def create(self, migrated: bool) -> str:
        path = self.folder / f"test{next(NUMBERS)}.sqlite3"
        if migrated:
            shutil.copy(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        database = make_url(url).database or ""
        for suffix in ("", "-wal", "-shm"):
            Path(database + suffix).unlink(missing_ok=True)


class PostgresDatabases:
    TEMPLATE = "phoihop_template"

    def __init__(self, server: TemporaryPostgres) -> None:
        self.server = server
        engine = make_engine(server.create_database(self.TEMPLATE))
        upgrade(engine)
        engine.dispose()

    def create(self, migrated: bool) -> str:
        return self.server.create_database(f"test{next(NUMBERS)}", self.TEMPLATE if migrated else None)

    def drop(self, url: str) -> None:
        self.server.drop_database(make_url(url).database or "")
