"""The database engine and units of work.

Time stamps are aware datetimes: SQLModel's UTCDateTime stores them in UTC on every
backend and returns them in UTC. On PostgreSQL a pooled connection is checked before use
(the server may have restarted) and a new one gives up after CONNECT_TIMEOUT seconds, so a
server that does not answer costs an update seconds, not minutes. On SQLite a unit of work
waits at most SQLITE_BUSY_TIMEOUT seconds for another connection's lock: the engine has one
thread there, so a long wait would stall every other update in turn; past it the update is
held and replayed (`bot/holding.py`). SQLite connections zero what is deleted
(`secure_delete`), and `checkpoint_after_commit` empties the write-ahead log once an erasure
is committed, so an erased name is left neither in freed pages nor in the -wal file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, create_engine

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5
SQLITE_BUSY_TIMEOUT = 1.5


def make_engine(url: str, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT})


def _sqlite_pragmas(connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def checkpoint_after_commit(session: Session) -> None:
    """On SQLite, once `session` commits, copy the write-ahead log into the database file and
    truncate it (`wal_checkpoint(TRUNCATE)`); nothing to do on PostgreSQL."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    if engine.dialect.name != "sqlite":
        return

    def checkpoint(_session: Session) -> None:
        try:
            with engine.connect() as connection:
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        except OperationalError:
            log.warning("the write-ahead log could not be emptied after an erasure; SQLite will checkpoint it later")

    event.listen(session, "after_commit", checkpoint, once=True)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back if it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
