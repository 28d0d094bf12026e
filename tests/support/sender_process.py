"""One outbox sender in its own process, delivering to an HTTP endpoint that records what
it gets: `python -m tests.support.sender_process DATABASE_URL ENDPOINT WORKER`."""

from __future__ import annotations

import asyncio
import sys

import httpx

from bot.channels import Transient
from bot.clock import system_clock
from bot.sender import Limits, OutboxSender
from models.db import make_engine


class HttpChannel:
    channel = "http"

    def __init__(self, endpoint: str, client: httpx.AsyncClient) -> None:
        self.endpoint = endpoint
        self.client = client

    async def send_text(self, chat_ref: str, text: str) -> str:
        try:
            answer = await self.client.post(self.endpoint, json={"chat": chat_ref, "text": text})
        except httpx.HTTPError as error:
            raise Transient(str(error)) from error
        if answer.status_code >= 500:
            raise Transient(str(answer.status_code))
        return str(answer.json()["id"])


async def main(url: str, endpoint: str, worker: str) -> None:
    db = make_engine(url)
    async with httpx.AsyncClient(timeout=10) as client:
        limits = {"http": Limits(per_second=400, per_chat_per_second=50, per_group_per_minute=600)}
        sender = OutboxSender(db, {"http": HttpChannel(endpoint, client)}, system_clock, limits, worker=worker, batch=25)
        quiet = 0
        while quiet < 5:
            quiet = 0 if await sender.drain() else quiet + 1
            await asyncio.sleep(0.1)
    print(sender.stats.sent, flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
