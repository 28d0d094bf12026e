"""PostgreSQL: migrations from empty, two sender processes that never deliver a row twice
(FOR UPDATE SKIP LOCKED), one scheduler leader (advisory lock)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel, func, select

import models.db.all_tables  # noqa: F401
from models.db.engine import session_scope
from models.outbox.notify import enqueue
from models.outbox.tables import OutboxMessage, OutboxStatus
from scheduler.leader import Leadership
from tests.support.processes import RUN_STARTS
from tests.support.shared_clock import SharedClock

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_match_the_models_on_postgresql(pg_db) -> None:  # type: ignore[no-untyped-def]
    with pg_db.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), SQLModel.metadata) == []


def test_one_scheduler_leader(pg_db) -> None:  # type: ignore[no-untyped-def]
    first, second = Leadership(pg_db), Leadership(pg_db)
    assert first.lead() is True
    assert second.lead() is False
    assert first.lead() is True
    first.release()
    assert second.lead() is True
    second.release()


def test_the_leader_asked_from_two_threads_at_once_leads_in_both(pg_db) -> None:  # type: ignore[no-untyped-def]
    """The scheduler's loop (the catch-up) and its thread pool (the files' purge) ask at start
    together: both must hear True, or the catch-up is skipped."""
    leadership, start = Leadership(pg_db), threading.Barrier(8)

    def ask() -> bool:
        start.wait()
        return leadership.lead()

    for _ in range(5):
        with ThreadPoolExecutor(8) as pool:
            assert list(pool.map(lambda _: ask(), range(8))) == [True] * 8
        leadership.release()


async def _serve_and_run(url: str, rows: int, clock: SharedClock) -> Counter[str]:
    received: Counter[str] = Counter()

    async def take(request: web.Request) -> web.Response:
        body = await request.json()
        received[body["text"]] += 1
        await asyncio.sleep(0.002)
        return web.json_response({"id": sum(received.values())})

    app = web.Application()
    app.router.add_post("/send", take)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    endpoint = f"http://127.0.0.1:{port}/send"
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.support.sender_process",
            url,
            endpoint,
            f"worker-{n}",
            "--clock",
            clock.argument(),
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        for n in (1, 2)
    ]
    outputs = await asyncio.wait_for(asyncio.gather(*(w.communicate() for w in workers)), timeout=120)
    await runner.cleanup()
    assert all(w.returncode == 0 for w in workers)
    sent_by = [int(out.decode().strip()) for out, _ in outputs]
    assert sum(sent_by) == rows and all(count > 0 for count in sent_by), sent_by
    return received


def test_two_sender_processes_deliver_each_row_once(pg_db) -> None:  # type: ignore[no-untyped-def]
    rows = 600
    clock = SharedClock.starting(RUN_STARTS)
    now = clock() - timedelta(minutes=1)
    with session_scope(pg_db) as session:
        for number in range(rows):
            enqueue(session, f"pg:{number}", "http", f"chat-{number % 120}", f"message {number}", now)
    url = pg_db.url.render_as_string(hide_password=False)
    received = asyncio.run(_serve_and_run(url, rows, clock))
    assert len(received) == rows
    assert max(received.values()) == 1
    with session_scope(pg_db) as session:
        assert session.exec(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENT)).one() == rows
