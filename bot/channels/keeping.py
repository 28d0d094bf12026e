"""Fetching the bytes of the files a channel received and the handlers asked to keep (a
signed công văn, a TVPB dossier part: `models/downloads/kept.py`): right after the update
that brought one, and again on the retry schedule while the messenger fails. Each channel
gives its `Fetch` (Telegram: getFile and the download; Zalo: the photo's URL). When a fetch
ends for good (kept, refused, given up), the council members who waited for a dossier part
on another messenger are written to in the same transaction (`models/tvpb/files.on_settled`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy.engine import Engine as Database
from sqlmodel import Session

from bot.clock import Clock
from models.db.engine import session_scope
from models.downloads import kept
from models.programme.schema import Programme
from models.tvpb import files as tvpb_files

log = logging.getLogger(__name__)

RETRY_EVERY = 60.0


class FetchFailed(Exception):
    """The file could not be fetched: `reason` is short and names no secret; `final` when
    trying again cannot help (the messenger says the file is too big, the address is not one)."""

    def __init__(self, reason: str, final: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.final = final


Fetch = Callable[[str, int], Awaitable[bytes]]
"""(the channel's file ref, the size limit) -> the bytes; FetchFailed otherwise."""


@dataclass
class FileKeeper:
    db: Database
    clock: Clock
    channel: str
    fetch: Fetch
    limit: int
    programme: Callable[[Session], Programme] | None = None
    """The served programme (the engine's), for the dossier parts' members; None: no one told."""

    async def keep_due(self) -> int:
        """Fetch every file of this channel due now; how many were kept."""
        done = 0
        for item in await asyncio.to_thread(self._due):
            if await asyncio.to_thread(self._claim, item.attachment_id):
                done += await self._fetch_one(item)
        return done

    async def run(self, stop: asyncio.Event, every: float = RETRY_EVERY) -> None:
        """Retry the files that failed (and those left by a restart), every `every`
        seconds, until `stop` is set: the first pass after a wait, once the channel is up."""
        while not stop.is_set():
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
            if stop.is_set():
                return
            try:
                await self.keep_due()
            except Exception:
                log.exception("fetching the kept files failed; trying again")

    async def _fetch_one(self, item: kept.ToFetch) -> int:
        try:
            content = await self.fetch(item.file_ref, self.limit)
        except Exception as error:
            failure = error if isinstance(error, FetchFailed) else FetchFailed(type(error).__name__)
            log.warning("a %s file was not fetched: %s", self.channel, failure.reason)
            await asyncio.to_thread(self._failed, item.attachment_id, failure)
            return 0
        row = await asyncio.to_thread(self._store, item.attachment_id, content)
        return int(row == kept.KEPT)

    def _due(self) -> list[kept.ToFetch]:
        with session_scope(self.db) as session:
            return kept.due(session, self.channel, self.clock())

    def _claim(self, attachment_id: int) -> bool:
        with session_scope(self.db) as session:
            return kept.claim(session, attachment_id, self.clock())

    def _store(self, attachment_id: int, content: bytes) -> str:
        with session_scope(self.db) as session:
            state = kept.store(session, attachment_id, content, self.limit, self.clock()).state
            self._settled(session, attachment_id)
            return state

    def _failed(self, attachment_id: int, error: FetchFailed) -> None:
        with session_scope(self.db) as session:
            if error.final:
                kept.refuse(session, attachment_id, error.reason)
            elif kept.failed(session, attachment_id, error.reason, self.clock()).state != kept.GIVEN_UP:
                return
            self._settled(session, attachment_id)

    def _settled(self, session: Session, attachment_id: int) -> None:
        if self.programme is not None:
            session.flush()
            tvpb_files.on_settled(session, self.programme, attachment_id, self.clock())


async def stopped(task: asyncio.Task[None]) -> None:
    """Cancel the retries' task and wait for it."""
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task
