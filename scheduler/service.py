"""APScheduler runs the jobs as cron triggers in the programme's time zone; each fire runs
the job against the database with the injected clock. At start-up every job runs once:
that is the catch-up after downtime (the jobs send only the step owed now). A fire that
finds the database unavailable is tried again every `retry_every` seconds, for as long as
`retry_for`, so a reminder owed at 08:00 still goes when the database is back at 08:20."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import Engine as Database
from sqlalchemy.exc import OperationalError
from models.db.engine import session_scope
from models.downloads.files import USE_LOG_KEPT, PurgedFiles, purge_expired
from models.people.housekeeping import Purged, purge
from models.programme.schema import Programme
from models.programme.served import Served, ServedProgramme
from scheduler.jobs import JOBS, run_jobs
from scheduler.leader import Leadership

log = logging.getLogger(__name__)
PERIODS_AT = time(0, 5)
TIDY_AT = time(0, 30)
FILES_AT_MINUTE = 40
"""Expired files are purged every hour at this minute (and once at start)."""
RETRY_EVERY = 60.0
RETRY_FOR = 6 * 3600.0


def job_times(programme: Programme) -> dict[str, time]:
    """When each job fires, local time: periods just after midnight, the rest at the
    programme's sending hour."""
    send_at = programme.reminders.send_at
    return {name: PERIODS_AT if name == "periods" else send_at for name in JOBS}


class CycleScheduler:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        programme_code: str | None = None,
        timezone: str | None = None,
        retry_every: float = RETRY_EVERY,
        retry_for: float = RETRY_FOR,
        served: ServedProgramme | None = None,
        file_log_kept: timedelta = USE_LOG_KEPT,
    ) -> None:
        self.db = db
        self.file_log_kept = file_log_kept
        self.clock = clock
        self.served = served or ServedProgramme(programme_code, timezone)
        self.retry_every = retry_every
        self.retry_for = retry_for
        self.leadership = Leadership(db)

    def programme(self) -> Served:
        with session_scope(self.db) as session:
            return self.served(session)

    def run_once(self, names: tuple[str, ...] = tuple(JOBS)) -> dict[str, int]:
        """Run jobs now (each in its own transaction) if this process leads. OperationalError
        (the database unavailable) is raised, any other failure of a job is logged."""
        if not self.leadership.lead():
            return {}
        served = self.programme()
        now = self.clock().astimezone(served.zone)
        written: dict[str, int] = {}
        for name in names:
            try:
                with session_scope(self.db) as session:
                    written |= run_jobs(session, served.programme, served.id, now, (name,))
            except OperationalError:
                raise
            except Exception:
                log.exception("scheduler job %s failed", name)
        if any(written.values()):
            log.info("scheduler wrote %s", written)
        return written

    def start(self) -> AsyncIOScheduler:
        """Cron triggers for every job, and one catch-up run right away."""
        served = self.programme()
        zone = served.zone
        scheduler = AsyncIOScheduler(timezone=zone)
        for name, at in job_times(served.programme).items():
            trigger = CronTrigger(hour=at.hour, minute=at.minute, timezone=zone)
            scheduler.add_job(self.fire, trigger, args=[(name,)], id=name, coalesce=True, misfire_grace_time=3600, max_instances=1)
        scheduler.add_job(self.fire, args=[tuple(JOBS)], id="catch-up")
        scheduler.add_job(self.tidy, CronTrigger(hour=TIDY_AT.hour, minute=TIDY_AT.minute, timezone=zone), id="tidy", coalesce=True)
        scheduler.add_job(self.purge_files, CronTrigger(minute=FILES_AT_MINUTE, timezone=zone), id="files", coalesce=True)
        scheduler.add_job(self.purge_files, id="files-catch-up")
        scheduler.start()
        return scheduler

    def tidy(self) -> Purged | None:
        """Forget strangers' leftovers and old update references (models/people/housekeeping)."""
        if not self.leadership.lead():
            return None
        with session_scope(self.db) as session:
            purged = purge(session, self.clock())
        log.info("housekeeping: %s", purged)
        return purged

    def purge_files(self) -> PurgedFiles | None:
        """The bytes of files whose links expired, and the openings older than the use log
        is kept (`models/downloads/files.purge_expired`)."""
        if not self.leadership.lead():
            return None
        with session_scope(self.db) as session:
            purged = purge_expired(session, self.clock(), self.file_log_kept)
        if purged != PurgedFiles(0, 0, 0):
            log.info("expired files: %s", purged)
        return purged

    async def fire(self, names: tuple[str, ...]) -> dict[str, int]:
        """Run the jobs; while the database is unavailable, try again (a job writes each row
        once, so those that ran before the failure write nothing the second time)."""
        loop = asyncio.get_running_loop()
        give_up_at = loop.time() + self.retry_for
        while True:
            try:
                return await asyncio.to_thread(self.run_once, names)
            except OperationalError as error:
                if loop.time() + self.retry_every > give_up_at:
                    log.error("scheduler: gave up on %s, the database stayed unavailable (%s)", names, error.orig)
                    return {}
                log.warning("scheduler: database unavailable (%s); trying %s again in %g s", error.orig, names, self.retry_every)
            await asyncio.sleep(self.retry_every)
