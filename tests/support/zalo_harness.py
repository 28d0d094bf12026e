"""The Zalo adapter against the fake Zalo Bot API, driven update by update: each step waits
until the bot has handled the update and returns what it sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy.engine import Engine as Database

from bot.web.app import WebConfig
from bot.zalo.service import ZaloOptions, serve
from bot.web.webhooks import Webhooks
from handlers.engine import ConversationEngine
from tests.fakes.zalo_api import FakeZalo, Json, Sent, User, envelope
from tests.support.harness import Running, free_port, link_sample, serving, web_serving

WEBHOOK_SECRET = "zalo-Secret_0123456789"
WEBHOOK_URL = "https://bot.example.vn/zalo/hook"
SECRET_HEADER = "X-Bot-Api-Secret-Token"


def link_zalo(db: Database, sample_key: str, user: User, now: datetime, language: str | None = None) -> int:
    """Give a sample person (known by their console key) a Zalo account; their id."""
    return link_sample(db, sample_key, ("zalo", user.id, user.id), now, language)


class RunningZalo(Running[FakeZalo, ZaloOptions, str | None]):
    secret_header = SECRET_HEADER
    webhook_secret = WEBHOOK_SECRET

    async def deliver(self, update: Json) -> list[Sent]:
        """Hand the update to the bot (getUpdates, or a POST to the webhook) and return the
        messages it sent while handling it."""
        return await self._deliver(update["message"].get("message_id"), envelope(update), lambda: self.fake.push(update))

    async def say(self, user: User, text: str, chat: Json | None = None) -> list[Sent]:
        return await self.deliver(self.fake.message_update(user, text, chat))


@asynccontextmanager
async def running_zalo(
    engine: ConversationEngine, fake: FakeZalo, webhook: bool = False, on_web: bool = False, web: WebConfig | None = None
) -> AsyncIterator[RunningZalo]:
    """`web`: the web is on, so documents go out as signed links and pictures."""
    options = ZaloOptions(
        token=fake.token,
        api_base_url=fake.url,
        webhook_url=WEBHOOK_URL if webhook else None,
        webhook_secret=WEBHOOK_SECRET if webhook else None,
        port=free_port(),
        hooks=Webhooks() if on_web else None,
        poll_seconds=1,
        web=web,
    )
    bot = RunningZalo(fake, options)

    def run(stop, on_ready):  # type: ignore[no-untyped-def]
        return serve(engine, options, stop, on_ready=on_ready, on_handled=bot.note)

    async with web_serving(engine, options.port, options.hooks), serving(run):
        yield bot
