"""Building the python-telegram-bot Application and running it until told to stop, by long
polling or behind a webhook that refuses requests without the secret token."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import ApplicationBuilder

from bot.channels import ChannelSender, StartFailed
from bot.telegram.adapter import ALLOWED_UPDATES, TelegramAdapter, TelegramApplication
from bot.telegram.menu import publish_menus
from bot.telegram.ordering import PerChatOrder
from bot.telegram.outgoing import TelegramSender
from handlers.engine import ConversationEngine

TELEGRAM_API = "https://api.telegram.org"


@dataclass(frozen=True)
class TelegramOptions:
    token: str
    api_base_url: str = TELEGRAM_API
    webhook_url: str | None = None
    webhook_secret: str | None = None
    listen: str = "127.0.0.1"
    port: int = 8443

    @property
    def api_url(self) -> str:
        return f"{self.api_base_url.rstrip('/')}/bot"

    @property
    def file_url(self) -> str:
        return f"{self.api_base_url.rstrip('/')}/file/bot"

    @property
    def webhook_path(self) -> str:
        return urlparse(self.webhook_url or "").path.strip("/")

    def __repr__(self) -> str:
        return f"TelegramOptions(api_base_url={self.api_base_url!r}, webhook_url={self.webhook_url!r})"


def build_application(options: TelegramOptions, adapter: TelegramAdapter) -> TelegramApplication:
    builder = ApplicationBuilder().token(options.token).base_url(options.api_url).base_file_url(options.file_url)
    application = builder.concurrent_updates(PerChatOrder()).build()
    adapter.install(application)
    return application


async def _initialise(application: TelegramApplication, options: TelegramOptions) -> None:
    """getMe; PTB's InvalidToken names the token, so it is replaced, never chained."""
    try:
        await application.initialize()
    except (InvalidToken, NetworkError) as error:
        await application.bot.shutdown()
        if isinstance(error, InvalidToken):
            raise StartFailed("cli.telegram_token_refused") from None
        raise StartFailed("cli.telegram_unreachable", url=options.api_base_url) from None


async def _receive(application: TelegramApplication, options: TelegramOptions) -> None:
    updater = application.updater
    assert updater is not None
    try:
        if options.webhook_url:
            await updater.start_webhook(
                listen=options.listen,
                port=options.port,
                url_path=options.webhook_path,
                webhook_url=options.webhook_url,
                secret_token=options.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
    except TelegramError as error:
        raise StartFailed("cli.telegram_start_failed", detail=error.message) from None
    except OSError as error:
        raise StartFailed("cli.telegram_start_failed", detail=error.strerror or type(error).__name__) from None


async def serve(
    engine: ConversationEngine,
    options: TelegramOptions,
    stop: asyncio.Event,
    on_ready: Callable[[str], None] | None = None,
    on_handled: Callable[[int], None] | None = None,
    companion: Callable[[ChannelSender], Coroutine[Any, Any, None]] | None = None,
) -> None:
    """Run the bot until `stop` is set: getMe, the command menus, then updates.
    `on_ready(username)` is called once updates flow; `companion(bot)` runs beside the
    updates (the scheduler and the outbox sender, given this bot as a ChannelSender) and
    must end when `stop` is set."""
    adapter = TelegramAdapter(engine, on_handled)
    try:
        await _run(build_application(options, adapter), engine, options, stop, on_ready, companion)
    finally:
        adapter.close()


async def _run(
    application: TelegramApplication,
    engine: ConversationEngine,
    options: TelegramOptions,
    stop: asyncio.Event,
    on_ready: Callable[[str], None] | None,
    companion: Callable[[ChannelSender], Coroutine[Any, Any, None]] | None,
) -> None:
    await _initialise(application, options)
    beside: asyncio.Task[None] | None = None
    try:
        await publish_menus(application.bot, engine)
        await _receive(application, options)
        await application.start()
        if companion is not None:
            beside = asyncio.create_task(companion(TelegramSender(application.bot)))
        if on_ready is not None:
            on_ready(application.bot.username)
        await stop.wait()
    finally:
        if beside is not None:
            await beside
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
