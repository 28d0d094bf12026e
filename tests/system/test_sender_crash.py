"""The outbox sender killed with SIGKILL at random points of a 1,000-message fan-out, ten
times, and restarted each time: every message arrives, a repeat is always the same message
(its key says so) and there are no more repeats than messages in flight at the kills; and a
sender never sends a row whose claim has run out (another sender may have taken it)."""

from __future__ import annotations

import asyncio
import random
import re
import signal
import sys
import time
from collections import Counter
from datetime import timedelta

import pytest
from aiohttp import web
from sqlmodel import select

from bot.sender import OutboxSender
from models.db.engine import session_scope
from models.outbox.notify import enqueue
from models.outbox.tables import OutboxMessage, OutboxStatus
from tests.channels.test_sender import GROUP_LIMITS, group_notices
from tests.conftest import ROOT, local
from tests.support.fake_channel import FakeChannel
from tests.support.fake_time import FakeTime
from tests.support.processes import RUN_STARTS
from tests.support.shared_clock import SharedClock

pytestmark = pytest.mark.slow

SEED = 20261123
ROWS, CHATS, KILLS = 1000, 250, 10
HOLD = 1.0
IN_FLIGHT = 8
KEY = re.compile(r"\[(crash:\d{4})\]$")
CLOCK = SharedClock.starting(RUN_STARTS)
"""The time of this test and of the senders it starts."""


class Recorder:
    """An HTTP endpoint that keeps every message it receives, before it answers, and
    answers a moment later: a kill may land while a message is on its way back."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        self.changed = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.endpoint = ""

    async def take(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append((body["chat"], body["text"]))
        self.changed.set()
        await asyncio.sleep(0.002)
        return web.json_response({"id": len(self.received)})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/send", self.take)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.endpoint = f"http://127.0.0.1:{self.runner.addresses[0][1]}/send"

    async def until(self, count: int, process: asyncio.subprocess.Process) -> None:
        """Until `count` messages have arrived in all, or the process has ended."""
        deadline = time.monotonic() + 30
        while len(self.received) < count and process.returncode is None:
            assert time.monotonic() < deadline, f"{len(self.received)} deliveries, waiting for {count}"
            self.changed.clear()
            waiting = asyncio.create_task(self.changed.wait())
            ended = asyncio.create_task(process.wait())
            await asyncio.wait({waiting, ended}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()
            ended.cancel()


async def sender(url: str, endpoint: str, worker: str, until_done: bool = False) -> asyncio.subprocess.Process:
    """A sender process, started but waiting for its cue (so its start-up overlaps the run
    of the one before it)."""
    options = ["--hold", str(HOLD), "--in-flight", str(IN_FLIGHT), "--per-second", "2000", "--batch", "100", "--on-cue"]
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.sender_process",
        url,
        endpoint,
        worker,
        "--clock",
        CLOCK.argument(),
        *options,
        *(["--until-done"] if until_done else []),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.DEVNULL,
    )


async def cue(process: asyncio.subprocess.Process) -> None:
    assert process.stdin is not None
    process.stdin.write(b"go\n")
    await process.stdin.drain()


async def kill_and_restart(url: str, recorder: Recorder, rng: random.Random) -> list[str]:
    """Ten senders, each killed at a random point: after a random number of deliveries
    (and a random few milliseconds more), or a random time after its cue (before or while
    it claims); each next one is let go once the one before is dead. Then one that runs
    until nothing is pending."""
    kills: list[str] = []
    started = [await sender(url, recorder.endpoint, "crash-0")]
    try:
        for number in range(KILLS):
            process = started[-1]
            await cue(process)
            started.append(await sender(url, recorder.endpoint, f"crash-{number + 1}", until_done=number + 1 == KILLS))
            if rng.random() < 0.7:
                target = len(recorder.received) + rng.randint(10, 90)
                await recorder.until(target, process)
                await asyncio.sleep(rng.uniform(0, 0.02))
                kills.append(f"after {target} deliveries in all")
            else:
                delay = rng.uniform(0.0, 0.5)
                await asyncio.sleep(delay)
                kills.append(f"{delay:.2f} s after its cue")
            if process.returncode is None:
                process.send_signal(signal.SIGKILL)
            await process.wait()
        await cue(started[-1])
        assert await asyncio.wait_for(started[-1].wait(), 60) == 0
        return kills
    finally:
        for process in started:
            if process.returncode is None:
                process.kill()
                await process.wait()


def test_a_sender_killed_ten_times_delivers_every_message_once(db) -> None:  # type: ignore[no-untyped-def]
    now = CLOCK() - timedelta(minutes=1)
    rows = {}
    with session_scope(db) as session:
        for number in range(ROWS):
            key, chat = f"crash:{number:04d}", f"chat-{number % CHATS}"
            rows[key] = (chat, f"Nhắc việc số {number} [{key}]")
            enqueue(session, key, "http", chat, rows[key][1], now)

    async def scenario() -> tuple[Recorder, list[str]]:
        recorder = Recorder()
        await recorder.start()
        try:
            return recorder, await kill_and_restart(db.url.render_as_string(hide_password=False), recorder, random.Random(SEED))
        finally:
            assert recorder.runner is not None
            await recorder.runner.cleanup()

    started = time.monotonic()
    recorder, kills = asyncio.run(scenario())
    elapsed = time.monotonic() - started

    keys: Counter[str] = Counter()
    for chat, text in recorder.received:
        match = KEY.search(text)
        assert match is not None and rows[match.group(1)] == (chat, text), (chat, text)
        keys[match.group(1)] += 1
    repeats = sum(times - 1 for times in keys.values())
    print(f"\n{ROWS} messages, {KILLS} kills ({'; '.join(kills)}): {len(recorder.received)} deliveries, {repeats} repeats, {elapsed:.1f} s")
    assert set(keys) == set(rows)
    assert repeats <= IN_FLIGHT * KILLS
    with session_scope(db) as session:
        stored = session.exec(select(OutboxMessage)).all()
    assert Counter(row.status for row in stored) == {OutboxStatus.SENT: ROWS}
    assert all(row.claimed_until is None and row.sent_at is not None for row in stored)


def test_a_row_is_not_sent_once_its_claim_runs_out(db, loaded) -> None:  # type: ignore[no-untyped-def]
    """Forty notices to one group (20 a minute) take two minutes; claimed for one minute,
    a pass sends only those it still holds with a quarter of the hold to spare, and the
    next passes the rest: none twice."""
    now = local(2027, 6, 4, 8)
    group_notices(db, loaded, 40, now)
    clock = FakeTime(now)
    channel = FakeChannel("fake", clock)
    hold = timedelta(minutes=1)
    sender = OutboxSender(
        db, {"fake": channel}, clock.wall, GROUP_LIMITS, hold=hold, sleep=clock.sleep, monotonic=clock.monotonic, renew=False
    )
    asyncio.run(sender.drain())
    first = [delivery.at for delivery in channel.delivered]
    assert 0 < len(first) < 40 and max(first) < 45
    for _ in range(3):
        clock.advance(60)
        asyncio.run(sender.drain())
    assert sorted(Counter(delivery.text for delivery in channel.delivered).values()) == [1] * 40
    with session_scope(db) as session:
        assert {row.status for row in session.exec(select(OutboxMessage))} == {OutboxStatus.SENT}
