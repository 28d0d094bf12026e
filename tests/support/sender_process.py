"""One outbox sender in its own process, delivering to an HTTP endpoint that records what
it gets: `python -m tests.support.sender_process DATABASE_URL ENDPOINT WORKER --clock CLOCK
[options]`, where CLOCK is the test's `SharedClock.argument()` (the process reads no date).

By default it stops after five quiet passes; `--until-done` keeps it going until no row is
pending (rows held by a killed sender come back when their claim expires). `--on-cue`
waits for a line on stdin before it starts: a test can start the next sender while the
current one still runs, and let it go once that one is dead."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import timedelta

import httpx
from sqlalchemy.engine import Engine as Database
from sqlmodel import func, select

from bot.channels.delivery import Transient
from bot.sender import Limits, OutboxSender
from models.db.engine import make_engine, session_scope
from models.outbox.tables import OutboxMessage, OutboxStatus
from tests.support.shared_clock import SharedClock


class HttpChannel:
    channel = "http"

    def __init__(self, endpoint: str, client: httpx.AsyncClient) -> None:
        self.endpoint = endpoint
        self.client = client

    def split(self, text: str) -> list[str]:
        return [text]

    async def send_text(self, chat_ref: str, text: str) -> str:
        try:
            answer = await self.client.post(self.endpoint, json={"chat": chat_ref, "text": text})
        except httpx.HTTPError as error:
            raise Transient(str(error)) from error
        if answer.status_code >= 500:
            raise Transient(str(answer.status_code))
        return str(answer.json()["id"])


def pending(db: Database) -> int:
    with session_scope(db) as session:
        query = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        return int(session.exec(query).one())


async def going(options: argparse.Namespace, db: Database, quiet: int) -> bool:
    if options.until_done:
        return await asyncio.to_thread(pending, db) > 0
    return quiet < 5


async def main(options: argparse.Namespace) -> None:
    if options.on_cue:
        await asyncio.to_thread(sys.stdin.readline)
    db = make_engine(options.url)
    async with httpx.AsyncClient(timeout=10) as client:
        limits = {"http": Limits(per_second=options.per_second, per_chat_per_second=50, per_group_per_minute=600)}
        sender = OutboxSender(
            db,
            {"http": HttpChannel(options.endpoint, client)},
            SharedClock.parse(options.clock),
            limits,
            worker=options.worker,
            batch=options.batch,
            hold=timedelta(seconds=options.hold),
            in_flight=options.in_flight,
        )
        quiet = 0
        while await going(options, db, quiet):
            quiet = 0 if await sender.drain() else quiet + 1
            await asyncio.sleep(0.1)
    print(sender.stats.sent, flush=True)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("endpoint")
    parser.add_argument("worker")
    parser.add_argument("--clock", required=True, help="the test's clock: SharedClock.argument()")
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--hold", type=float, default=120.0, help="claim lease, seconds")
    parser.add_argument("--in-flight", type=int, default=16)
    parser.add_argument("--per-second", type=float, default=400.0)
    parser.add_argument("--until-done", action="store_true")
    parser.add_argument("--on-cue", action="store_true")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(arguments()))
