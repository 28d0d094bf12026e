"""The Zalo adapter against the fake Zalo Bot API, driven update by update: each step waits
until the bot has handled the update and returns what it sent."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from aiohttp import ClientSession
from sqlalchemy.engine import Engine as Database
from sqlmodel import select

from bot.zalo.service import ZaloOptions, serve
from handlers.engine import ConversationEngine
from models.db import session_scope
from models.people import ChannelIdentity, Person
from models.roster import link_identity
from tests.fakes.zalo_api import FakeZalo, Json, Sent, User, envelope
from tests.telegram_harness import free_port

STEP_TIMEOUT = 5.0
WEBHOOK_SECRET = "zalo-Secret_0123456789"
WEBHOOK_URL = "https://bot.example.vn/zalo/hook"
SECRET_HEADER = "X-Bot-Api-Secret-Token"


def link_zalo(db: Database, sample_key: str, user: User, now: datetime, language: str | None = None) -> int:
    """Give a sample person (known by their console key) a Zalo account; their id."""
    with session_scope(db) as session:
        person = session.exec(
            select(Person).join(ChannelIdentity, ChannelIdentity.person_id == Person.id).where(ChannelIdentity.user_ref == sample_key)
        ).one()
        link_identity(session, person, ("zalo", user.id, user.id), now)
        if language:
            person.language = language
        return person.id  # type: ignore[return-value]


@dataclass
class RunningZalo:
    fake: FakeZalo
    options: ZaloOptions
    handled: Counter[str | None] = field(default_factory=Counter)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def note(self, ref: str | None) -> None:
        self.handled[ref] += 1
        asyncio.get_running_loop().create_task(self._wake())

    async def _wake(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def handled_times(self, ref: str | None, times: int = 1) -> None:
        async def waiting() -> None:
            async with self.changed:
                await self.changed.wait_for(lambda: self.handled[ref] >= times)

        await asyncio.wait_for(waiting(), STEP_TIMEOUT)

    async def deliver(self, update: Json) -> list[Sent]:
        """Hand the update to the bot (getUpdates, or a POST to the webhook) and return the
        messages it sent while handling it."""
        mark = len(self.fake.sent)
        ref = update["message"].get("message_id")
        times = self.handled[ref] + 1
        if self.options.webhook_url:
            status = await self.post(envelope(update), WEBHOOK_SECRET)
            assert status == 200, status
        else:
            self.fake.push(update)
        await self.handled_times(ref, times)
        return self.fake.sent[mark:]

    async def post(self, body: object, secret: str | None) -> int:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        url = f"http://{self.options.listen}:{self.options.port}/{self.options.webhook_path}"
        async with ClientSession() as client, client.post(url, json=body, headers=headers) as response:
            return response.status

    async def say(self, user: User, text: str, chat: Json | None = None) -> list[Sent]:
        return await self.deliver(self.fake.message_update(user, text, chat))


@asynccontextmanager
async def running_zalo(engine: ConversationEngine, fake: FakeZalo, webhook: bool = False) -> AsyncIterator[RunningZalo]:
    options = ZaloOptions(
        token=fake.token,
        api_base_url=fake.url,
        webhook_url=WEBHOOK_URL if webhook else None,
        webhook_secret=WEBHOOK_SECRET if webhook else None,
        port=free_port(),
        poll_seconds=1,
    )
    bot = RunningZalo(fake, options)
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve(engine, options, stop, on_ready=lambda _name: ready.set(), on_handled=bot.note))
    waiting = asyncio.create_task(ready.wait())
    await asyncio.wait({task, waiting}, timeout=STEP_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
    if not ready.is_set():
        waiting.cancel()
        stop.set()
        await task
        raise AssertionError("the bot did not start")
    try:
        yield bot
    finally:
        stop.set()
        await asyncio.wait_for(task, STEP_TIMEOUT)
