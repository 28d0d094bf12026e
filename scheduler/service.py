"""APScheduler runs the jobs as cron triggers in the programme's time zone; each fire runs
the job against the database with the injected clock. At start-up every job runs once:
that is the catch-up after downtime (the jobs send only the step owed now)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import Engine as Database
from sqlmodel import select

from models.catalogue import ProgrammeRecord
from models.db import session_scope
from models.programme_loader import programme_of
from models.programme_schema import Programme
from scheduler.jobs import JOBS, run_jobs
from scheduler.leader import Leadership

log = logging.getLogger(__name__)
PERIODS_AT = time(0, 5)


def job_times(programme: Programme) -> dict[str, time]:
    """When each job fires, local time: periods just after midnight, the rest at the
    programme's sending hour."""
    send_at = programme.reminders.send_at
    return {name: PERIODS_AT if name == "periods" else send_at for name in JOBS}


class CycleScheduler:
    def __init__(self, db: Database, clock: Callable[[], datetime], programme_code: str | None = None, timezone: str | None = None) -> None:
        self.db = db
        self.clock = clock
        self.programme_code = programme_code
        self.timezone = timezone
        self.leadership = Leadership(db)

    def programme(self) -> tuple[int, Programme]:
        with session_scope(self.db) as session:
            query = select(ProgrammeRecord)
            if self.programme_code:
                query = query.where(ProgrammeRecord.code == self.programme_code)
            record = session.exec(query).one()
            return record.id, programme_of(record)  # type: ignore[return-value]

    def zone(self, programme: Programme) -> ZoneInfo:
        return ZoneInfo(self.timezone or programme.programme.timezone)

    def run_once(self, names: tuple[str, ...] = tuple(JOBS)) -> dict[str, int]:
        """Run jobs now (each in its own transaction) if this process leads."""
        if not self.leadership.lead():
            return {}
        programme_id, programme = self.programme()
        now = self.clock().astimezone(self.zone(programme))
        written = {}
        for name in names:
            try:
                with session_scope(self.db) as session:
                    written |= run_jobs(session, programme, programme_id, now, (name,))
            except Exception:
                log.exception("scheduler job %s failed", name)
        if any(written.values()):
            log.info("scheduler wrote %s", written)
        return written

    def start(self) -> AsyncIOScheduler:
        """Cron triggers for every job, and one catch-up run right away."""
        _programme_id, programme = self.programme()
        zone = self.zone(programme)
        scheduler = AsyncIOScheduler(timezone=zone)
        for name, at in job_times(programme).items():
            trigger = CronTrigger(hour=at.hour, minute=at.minute, timezone=zone)
            scheduler.add_job(self._fire, trigger, args=[(name,)], id=name, coalesce=True, misfire_grace_time=3600, max_instances=1)
        scheduler.add_job(self._fire, args=[tuple(JOBS)], id="catch-up")
        scheduler.start()
        return scheduler

    async def _fire(self, names: tuple[str, ...]) -> None:
        await asyncio.to_thread(self.run_once, names)
