"""One scheduler leader among several bot processes: a PostgreSQL advisory lock, held on a
connection of its own for as long as the process leads. On SQLite there is one process.
The scheduler asks from its event loop and from its thread pool (the files' purge) at once:
one asker at a time, or two would each open a connection and the second, refused the lock
its own process holds, would skip its job."""

from __future__ import annotations

import threading

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Engine as Database

LOCK_KEY = 0x70686F69  # "phoi"


class Leadership:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.connection: Connection | None = None
        self.asking = threading.Lock()

    def lead(self) -> bool:
        """True while this process holds (or has just taken) the lock."""
        if self.db.dialect.name != "postgresql":
            return True
        with self.asking:
            return self._lead()

    def _lead(self) -> bool:
        if self.connection is not None:
            try:
                self.connection.execute(text("SELECT 1"))
                return True
            except Exception:
                self._release()
        connection = self.db.connect()
        if connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar():
            connection.commit()
            self.connection = connection
            return True
        connection.close()
        return False

    def release(self) -> None:
        """Give the lock up: unlock, and drop the connection rather than pool it."""
        with self.asking:
            self._release()

    def _release(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            self.connection.commit()
        except Exception:
            pass
        finally:
            self.connection.invalidate()
            self.connection.close()
            self.connection = None
