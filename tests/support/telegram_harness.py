"""The real python-telegram-bot application against the fake Bot API, driven update by
update: each step waits until the bot has handled the update and returns what it sent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy.engine import Engine as Database

from bot.telegram.service import TelegramOptions, serve
from bot.web.webhooks import Webhooks
from handlers.engine import ConversationEngine
from tests.fakes.telegram_api import FakeTelegram, Json, Sent, User
from tests.support.harness import Running, free_port, link_sample, serving, web_serving

WEBHOOK_SECRET = "test-Secret_0123456789"
WEBHOOK_URL = "https://bot.example.vn/telegram/hook"


def link(db: Database, sample_key: str, user: User, now: datetime, language: str | None = None) -> int:
    """Give a sample person (known by their console key) a Telegram account; their id."""
    return link_sample(db, sample_key, ("telegram", str(user.id), str(user.id)), now, language)


class RunningBot(Running[FakeTelegram, TelegramOptions, int]):
    secret_header = "X-Telegram-Bot-Api-Secret-Token"
    webhook_secret = WEBHOOK_SECRET

    async def deliver(self, update: Json, redeliver: bool = False) -> list[Sent]:
        """Hand the update to the bot (getUpdates, or a POST to the webhook) and return the
        messages it sent while handling it."""
        return await self.shown_while(update["update_id"], update, lambda: self.fake.push(update, redeliver=redeliver))

    async def shown_while(self, ref: int, update: Json, push: Callable[[], object]) -> list[Sent]:
        """The messages sent *and* edited while handling `ref`, in order: a press answers
        by editing the message pressed, typing by a new message."""
        mark = len(self.fake.shown)
        await self._deliver(ref, update, push)
        return self.fake.shown[mark:]

    async def say(self, user: User, text: str, chat: Json | None = None) -> list[Sent]:
        return await self.deliver(self.fake.message_update(user, text, chat))

    async def press(self, user: User, message: Sent, label: str) -> list[Sent]:
        return await self.deliver(self.fake.press_update(user, message, message.button(label)))


@asynccontextmanager
async def running_bot(
    engine: ConversationEngine, fake: FakeTelegram, webhook: bool = False, on_web: bool = False
) -> AsyncIterator[RunningBot]:
    options = TelegramOptions(
        token=fake.token,
        api_base_url=fake.url,
        webhook_url=WEBHOOK_URL if webhook else None,
        webhook_secret=WEBHOOK_SECRET if webhook else None,
        port=free_port(),
        hooks=Webhooks() if on_web else None,
    )
    bot = RunningBot(fake, options)

    def run(stop, on_ready):  # type: ignore[no-untyped-def]
        return serve(engine, options, stop, on_ready=on_ready, on_handled=bot.note)

    async with web_serving(engine, options.port, options.hooks), serving(run):
        yield bot
