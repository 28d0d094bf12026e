"""The outbox sender: delivers outbox rows through the channel adapters, within each
channel's rate limits, and records what became of every row.

- pacing: a global interval (≤ 30 messages/s on Telegram), one per private chat per
  second, 20 per group per minute — spread evenly, never in bursts, so the channel has no
  reason to answer 429;
- 429: the row waits `retry_after`, and so does that chat; 5xx or timeout: exponential
  back-off; after `max_attempts` the row is marked failed, nothing is retried forever;
- `Unreachable` (Telegram's 403): the recipient is marked inactive and the LHH office told
  once (models/people/reachability); a chat that only keeps failing (Zalo's 403 is a server
  error) is never deactivated: when its rows have been given up for `undelivered_after`
  without one delivered, the office is told once, in the words of what is known;
- a row with a picture (`photo_url`, Zalo's sendPhoto) is sent as the picture; refused, or
  failed `PHOTO_TRIES` times, its text (the picture's link) goes instead;
- every row is claimed before it is sent and marked after: delivered at least once, and
  the unique key stops a job from writing it twice. Claims are short (30 s) and renewed
  while the batch is being sent, so a killed sender holds its rows for half a minute, not
  for the length of a fan-out. A sender killed between the call and the mark repeats at
  most what it had in flight once its claims expire; a row whose claim is about to expire
  before its turn comes (its renewal failed) is left for the next claim rather than sent,
  so another sender that takes it up never sends it alongside this one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.engine import Engine as Database
from sqlalchemy.exc import OperationalError

from bot.channels.delivery import ChannelSender, PhotoSender, Rejected, RetryLater, Transient, Unreachable
from bot.clock import Clock
from models.db.engine import session_scope
from models.outbox.claims import claim, mark_failed, mark_progress, mark_retry, mark_sent, renew
from models.outbox.tables import OutboxMessage
from models.people.reachability import mark_unreachable, report_undelivered

log = logging.getLogger(__name__)

PHOTO_TRIES = 3
"""Tries of a row's picture; then its text (the picture's link) is sent instead."""


@dataclass(frozen=True)
class Limits:
    """A channel's published limits; `margin` keeps the pace a little under them, so that
    jitter on the way never makes two messages look closer than allowed."""

    per_second: float = 30.0
    per_chat_per_second: float = 1.0
    per_group_per_minute: float = 20.0
    margin: float = 0.05

    def interval(self, group: bool) -> float:
        allowed = self.per_group_per_minute / 60.0 if group else self.per_chat_per_second
        return 1.0 / (allowed * (1.0 - self.margin))

    @property
    def global_interval(self) -> float:
        return 1.0 / (self.per_second * (1.0 - self.margin))


@dataclass
class Pacer:
    """When the next message may go: globally, and to each chat (monotonic seconds)."""

    limits: Limits
    now: Callable[[], float] = time.monotonic
    global_next: float = 0.0
    chat_next: dict[str, float] = field(default_factory=dict)

    def ready_at(self, chat_ref: str) -> float:
        return max(self.global_next, self.chat_next.get(chat_ref, 0.0))

    def chat_ready_at(self, chat_ref: str) -> float:
        return self.chat_next.get(chat_ref, 0.0)

    def take(self, chat_ref: str, group: bool, at: float) -> None:
        self.global_next = max(self.global_next, at) + self.limits.global_interval
        self.chat_next[chat_ref] = at + self.limits.interval(group)

    def hold_chat(self, chat_ref: str, seconds: float) -> None:
        self.chat_next[chat_ref] = max(self.chat_next.get(chat_ref, 0.0), self.now() + seconds)


@dataclass
class SenderStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0


class OutboxSender:
    def __init__(
        self,
        db: Database,
        channels: dict[str, ChannelSender],
        clock: Clock,
        limits: dict[str, Limits] | None = None,
        worker: str = "sender",
        batch: int = 200,
        hold: timedelta = timedelta(seconds=30),
        max_attempts: int = 8,
        in_flight: int = 16,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        undelivered_after: timedelta = timedelta(days=3),
        renew: bool = True,
    ) -> None:
        self.db = db
        self.channels = channels
        self.clock = clock
        self.worker = worker
        self.batch = batch
        self.hold = hold
        self.max_attempts = max_attempts
        self.sleep = sleep
        self.monotonic = monotonic
        self.pacers = {name: Pacer((limits or {}).get(name, Limits()), monotonic) for name in channels}
        self.slots = asyncio.Semaphore(in_flight)
        self.stats = SenderStats()
        self.margin = hold / 4
        self.undelivered_after = undelivered_after
        self.renew = renew
        self.busy: set[tuple[str, str]] = set()
        """Chats a row is being delivered to: another row waits, so pieces never interleave."""

    def _claim(self) -> list[OutboxMessage]:
        with session_scope(self.db) as session:
            return claim(session, self.worker, self.clock(), self.batch, self.hold, list(self.channels))

    async def drain(self) -> int:
        """Deliver every row due now; returns how many were handled (sent or settled)."""
        handled = 0
        while rows := await asyncio.to_thread(self._claim):
            await self._deliver_batch(rows)
            handled += len(rows)
        return handled

    async def run(self, stop: asyncio.Event, idle: float = 1.0) -> None:
        """Deliver until `stop` is set, looking for new rows every `idle` seconds."""
        while not stop.is_set():
            try:
                await self.drain()
            except OperationalError as error:
                log.warning("outbox sender: database unavailable (%s); trying again", error.orig)
            except Exception:
                log.exception("outbox sender pass failed; trying again")
            try:
                await asyncio.wait_for(stop.wait(), timeout=idle)
            except TimeoutError:
                pass

    async def _deliver_batch(self, rows: list[OutboxMessage]) -> None:
        """Send the batch within the pace. A row that could not be recorded (the database
        went away) stops the batch: the rest wait for their next claim instead of being sent
        unrecorded. Every task is awaited before a failure is raised, so nothing of this
        batch is in flight when the next claim is made."""
        waiting = list(rows)
        tasks: list[asyncio.Task[None]] = []
        renewed_at = self.monotonic()
        while (waiting := [row for row in waiting if self._still_held(row)]) and not _failed(tasks):
            if self.renew and self.monotonic() - renewed_at >= self.margin.total_seconds():
                await asyncio.to_thread(self._renew, rows)
                renewed_at = self.monotonic()
            now = self.monotonic()
            free = [row for row in waiting if (row.channel, row.chat_ref) not in self.busy]
            if not free:
                await _one_done(tasks)
                continue
            ready = next((row for row in free if self.pacers[row.channel].chat_ready_at(row.chat_ref) <= now), None)
            if ready is None:
                await self.sleep(max(0.001, min(self.pacers[r.channel].chat_ready_at(r.chat_ref) for r in free) - now))
                continue
            pacer = self.pacers[ready.channel]
            await self.sleep(max(0.0, pacer.ready_at(ready.chat_ref) - self.monotonic()))
            if pacer.ready_at(ready.chat_ref) > self.monotonic():
                continue
            waiting.remove(ready)
            await self.slots.acquire()
            if not self._still_held(ready):
                self.slots.release()
                continue
            pacer.take(ready.chat_ref, ready.group_id is not None, self.monotonic())
            self.busy.add((ready.channel, ready.chat_ref))
            tasks.append(asyncio.create_task(self._deliver(ready)))
        failures = [outcome for outcome in await asyncio.gather(*tasks, return_exceptions=True) if isinstance(outcome, BaseException)]
        if failures:
            raise failures[0]

    def _still_held(self, row: OutboxMessage) -> bool:
        """The claim outlasts the send by `margin`; else the row is left for the next claim."""
        return row.claimed_until is not None and self.clock() + self.margin < row.claimed_until

    async def _send_pieces(self, row: OutboxMessage) -> str | None:
        """The row's pieces from the first not yet sent, each paced like a message of its
        own and recorded as it goes; None when the claim ran short before the last one.
        The chat is the row's until its last piece is out (not until the row is marked)."""
        try:
            return await self._each_piece(row)
        finally:
            self.busy.discard((row.channel, row.chat_ref))

    async def _each_piece(self, row: OutboxMessage) -> str | None:
        channel = self.channels[row.channel]
        if row.document_ref is not None:
            return await channel.send_document(row.chat_ref, row.document_ref, row.text)
        if row.photo_url is not None and row.attempts < PHOTO_TRIES and isinstance(channel, PhotoSender):
            try:
                return await channel.send_photo(row.chat_ref, row.photo_url)
            except Rejected as error:
                log.info("a picture was refused (%s); its link goes instead", error)
        pieces = channel.split(row.text)
        provider_id = ""
        first = min(row.pieces_sent, len(pieces) - 1)
        for index in range(first, len(pieces)):
            if index > first and not await self._next_turn(row):
                return None
            provider_id = await channel.send_text(row.chat_ref, pieces[index])
            self._spaced_from_now(row)
            if index + 1 < len(pieces):
                row.pieces_sent = index + 1
                await asyncio.to_thread(self._progress, row)
        return provider_id

    def _spaced_from_now(self, row: OutboxMessage) -> None:
        """The chat's next message a whole interval after this one was delivered: the time a
        call takes on the way must not bring two messages closer than allowed."""
        pacer = self.pacers[row.channel]
        pacer.hold_chat(row.chat_ref, pacer.limits.interval(row.group_id is not None))

    async def _next_turn(self, row: OutboxMessage) -> bool:
        """Wait for the chat's next turn in the pace; False if the claim would not outlast it."""
        pacer = self.pacers[row.channel]
        while (wait := pacer.ready_at(row.chat_ref) - self.monotonic()) > 0:
            await self.sleep(wait)
        if not self._still_held(row):
            return False
        pacer.take(row.chat_ref, row.group_id is not None, self.monotonic())
        return True

    async def _deliver(self, row: OutboxMessage) -> None:
        try:
            provider_id = await self._send_pieces(row)
            if provider_id is None:
                return
        except RetryLater as error:
            self.pacers[row.channel].hold_chat(row.chat_ref, error.seconds)
            await self._settle_retry(row, timedelta(seconds=error.seconds), f"429 retry after {error.seconds}s")
        except (Transient, TimeoutError, OSError) as error:
            backoff = timedelta(seconds=min(2 ** (row.attempts + 1), 900))
            await self._settle_retry(row, backoff, f"transient: {error}")
        except Unreachable as error:
            self.stats.unreachable += 1
            await asyncio.to_thread(self._unreachable, row, str(error))
        except Rejected as error:
            self.stats.failed += 1
            await asyncio.to_thread(self._fail, row, f"rejected: {error}")
        else:
            self.stats.sent += 1
            await asyncio.to_thread(self._sent, row, provider_id)
        finally:
            self.slots.release()

    async def _settle_retry(self, row: OutboxMessage, wait: timedelta, error: str) -> None:
        if row.attempts + 1 >= self.max_attempts:
            self.stats.failed += 1
            await asyncio.to_thread(self._give_up, row, f"gave up after {row.attempts + 1} attempts; {error}", error)
            return
        self.stats.retried += 1
        await asyncio.to_thread(self._retry, row, wait, error)

    def _sent(self, row: OutboxMessage, provider_id: str) -> None:
        with session_scope(self.db) as session:
            mark_sent(session, row.id, self.worker, self.clock(), provider_id)

    def _renew(self, rows: list[OutboxMessage]) -> None:
        """Hold for another `hold` the rows of the batch not yet settled."""
        until = self.clock() + self.hold
        open_rows = [row for row in rows if row.claimed_until is not None]
        with session_scope(self.db) as session:
            renewed = renew(session, [row.id for row in open_rows], self.worker, until)
        for row in open_rows:
            if row.id in renewed:
                row.claimed_until = until

    def _progress(self, row: OutboxMessage) -> None:
        with session_scope(self.db) as session:
            mark_progress(session, row.id, self.worker, row.pieces_sent)

    def _retry(self, row: OutboxMessage, wait: timedelta, error: str) -> None:
        with session_scope(self.db) as session:
            mark_retry(session, row.id, self.worker, self.clock() + wait, error)

    def _fail(self, row: OutboxMessage, error: str) -> None:
        with session_scope(self.db) as session:
            mark_failed(session, row.id, self.worker, self.clock(), error)

    def _give_up(self, row: OutboxMessage, error: str, cause: str) -> None:
        with session_scope(self.db) as session:
            if mark_failed(session, row.id, self.worker, self.clock(), error) is not None:
                report_undelivered(session, row.channel, row.chat_ref, self.clock(), self.undelivered_after, cause)

    def _unreachable(self, row: OutboxMessage, error: str) -> None:
        with session_scope(self.db) as session:
            if mark_failed(session, row.id, self.worker, self.clock(), f"unreachable: {error}") is not None:
                mark_unreachable(session, row.channel, row.chat_ref, self.clock())


def _failed(tasks: list[asyncio.Task[None]]) -> bool:
    return any(task.done() and not task.cancelled() and task.exception() is not None for task in tasks)


async def _one_done(tasks: list[asyncio.Task[None]]) -> None:
    """Wait until one of the deliveries in flight ends (the chat it held is then free)."""
    running = [task for task in tasks if not task.done()]
    if running:
        await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
