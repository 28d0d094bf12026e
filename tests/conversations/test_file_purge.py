"""The scheduler purges expired files on the injected clock: a link's copy of the bytes as
soon as it expires, the log of who opened it after WEB_FILE_LOG_DAYS; the signed letters
fetched from the messengers (kept_file) are records this purge does not touch."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.cron import CronTrigger
from sqlmodel import select

from bot.settings import Settings
from models.db.engine import session_scope
from models.downloads import files
from models.downloads.tables import WebFile, WebFileUse
from scheduler.service import FILES_AT_MINUTE, CycleScheduler
from tests.conftest import Clock
from tests.conversations.test_web_files import SECRET, published, two_people


def _left(db) -> tuple[list[bytes], int]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return [row.content for row in session.exec(select(WebFile))], len(session.exec(select(WebFileUse)).all())


def test_the_scheduler_purges_expired_files_and_keeps_their_use_log_its_days(db, loaded, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    owner, _ = two_people(db)
    _, link, _ = published(db, owner, clock())
    with session_scope(db) as session:
        files.open_signed(session, SECRET, link, "file", clock())
    scheduler = CycleScheduler(db, clock, "lao-cai-31-2015", file_log_kept=timedelta(days=30))
    clock.advance(hours=23)
    assert scheduler.purge_files() == files.PurgedFiles(0, 0, 0)
    assert _left(db) == ([b"PK\x03\x04docx"], 1)
    clock.advance(hours=1)
    assert scheduler.purge_files() == files.PurgedFiles(emptied=1, uses=0, rows=0)
    assert _left(db) == ([b""], 1)
    clock.advance(days=28, hours=23)
    assert scheduler.purge_files() == files.PurgedFiles(0, 0, 0)
    clock.advance(hours=1)
    assert scheduler.purge_files() == files.PurgedFiles(emptied=0, uses=1, rows=1)
    assert _left(db) == ([], 0)


async def test_the_purge_runs_every_hour_and_at_start(db, loaded, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    running = CycleScheduler(db, clock, "lao-cai-31-2015").start()
    try:
        job = running.get_job("files")
        assert job is not None and isinstance(job.trigger, CronTrigger)
        assert str(job.trigger.fields[job.trigger.FIELD_NAMES.index("minute")]) == str(FILES_AT_MINUTE)
        assert str(job.trigger.fields[job.trigger.FIELD_NAMES.index("hour")]) == "*"
        assert running.get_job("files-catch-up") is not None
    finally:
        running.shutdown(wait=False)


def test_the_use_log_is_kept_as_the_settings_say() -> None:
    assert Settings().file_log_days == 365
    assert Settings(**{"WEB_FILE_LOG_DAYS": "90"}).file_log_days == 90  # type: ignore[arg-type]
