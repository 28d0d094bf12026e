"""Building the python-telegram-bot Application and running it until told to stop, by long
polling or behind a webhook that refuses requests without the secret token.

The webhook is ours (`bot/web/webhooks`: the secret checked before the body is read,
bodies capped at 1 MB; a route of the web app, or of its own port when the web is off), not
python-telegram-bot's, which reads up to 100 MB first; its updates go to the Application's
queue (as python-telegram-bot's custom-webhook Starlette example does). Updates are read one by one (`updates`)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot.channels.keeping import FileKeeper, stopped
from bot.channels.setup import ChannelOptions, Companion, Ready, StartFailed, until_stopped
from bot.telegram import CHANNEL
from bot.telegram.adapter import ALLOWED_UPDATES, TelegramAdapter
from bot.telegram.files import fetch_file
from bot.telegram.menu import publish_menus
from bot.telegram.mini_app_menu import MiniAppMenus, mini_app_url
from bot.telegram.ordering import PerChatOrder
from bot.telegram.outgoing import TelegramSender
from bot.telegram.updates import read_posted, reading_bot
from bot.web.webhooks import Webhook, receive_at
from handlers.engine import ConversationEngine

TELEGRAM_API = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True, repr=False)
class TelegramOptions(ChannelOptions):
    api_base_url: str = TELEGRAM_API

    @property
    def api_url(self) -> str:
        return f"{self.api_base_url.rstrip('/')}/bot"

    @property
    def file_url(self) -> str:
        return f"{self.api_base_url.rstrip('/')}/file/bot"


def build_application(options: TelegramOptions, adapter: TelegramAdapter) -> Application:  # type: ignore[type-arg]
    builder = ApplicationBuilder().bot(reading_bot(options.token, options.api_url, options.file_url))
    application = builder.concurrent_updates(PerChatOrder()).build()
    adapter.install(application)
    return application


async def _initialise(application: Application, options: TelegramOptions) -> None:  # type: ignore[type-arg]
    """getMe; PTB's InvalidToken names the token, so it is replaced, never chained."""
    try:
        await application.initialize()
    except (InvalidToken, NetworkError) as error:
        await application.bot.shutdown()
        if isinstance(error, InvalidToken):
            raise StartFailed("cli.telegram_token_refused") from None
        raise StartFailed("cli.telegram_unreachable", url=options.api_base_url) from None


async def _receive(application: Application, options: TelegramOptions) -> Callable[[], Awaitable[None]] | None:  # type: ignore[type-arg]
    """Start receiving: by the webhook (what stops it, returned) or long polling (None)."""
    updater = application.updater
    assert updater is not None
    try:
        if options.webhook_url:
            assert options.webhook_secret
            await application.bot.set_webhook(options.webhook_url, allowed_updates=ALLOWED_UPDATES, secret_token=options.webhook_secret)
            hook = Webhook(options.webhook_path, SECRET_HEADER, options.webhook_secret, partial(_queue, application))
            return await receive_at(hook, options.hooks, options.listen, options.port)
        await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        return None
    except TelegramError as error:
        raise StartFailed("cli.telegram_start_failed", detail=error.message) from None
    except OSError as error:
        raise StartFailed("cli.telegram_start_failed", detail=error.strerror or type(error).__name__) from None


def _queue(application: Application, body: bytes) -> dict[str, object] | None:  # type: ignore[type-arg]
    """Put a POSTed update on the Application's queue; None (400) if it is not an update."""
    update = read_posted(body, application.bot)
    if update is None:
        return None
    application.update_queue.put_nowait(update)
    return {}


async def serve(
    engine: ConversationEngine,
    options: TelegramOptions,
    stop: asyncio.Event,
    on_ready: Ready | None = None,
    on_handled: Callable[[int], None] | None = None,
    companion: Companion | None = None,
) -> None:
    """Run the bot until `stop` is set: getMe, the command menus, then updates.
    `on_ready(username)` is called once updates flow; `companion(bot)` runs beside the
    updates (the scheduler and the outbox sender, given this bot as a ChannelSender) and
    must end when `stop` is set."""
    adapter = TelegramAdapter(engine, on_handled)
    application = build_application(options, adapter)
    adapter.keeper = FileKeeper(engine.db, engine.clock, CHANNEL, partial(fetch_file, application.bot), engine.policy.file_limit, engine.programme)
    retrying = asyncio.create_task(adapter.keeper.run(stop))
    url = mini_app_url(engine.policy.web_url)
    adapter.menus = MiniAppMenus(application.bot, engine, url) if url else None
    try:
        await _run(application, engine, options, stop, on_ready, companion, adapter.menus)
    finally:
        await stopped(retrying)
        adapter.close()


async def _run(
    application: Application,  # type: ignore[type-arg]
    engine: ConversationEngine,
    options: TelegramOptions,
    stop: asyncio.Event,
    on_ready: Ready | None,
    companion: Companion | None,
    menus: MiniAppMenus | None = None,
) -> None:
    await _initialise(application, options)
    stop_hook: Callable[[], Awaitable[None]] | None = None
    syncing: asyncio.Task[None] | None = None
    try:
        await publish_menus(application.bot, engine)
        if menus is not None:
            syncing = asyncio.create_task(menus.run(stop, first=menus.start))
        stop_hook = await _receive(application, options)
        await application.start()
        await until_stopped(stop, TelegramSender(application.bot), application.bot.username, on_ready, companion)
    finally:
        if syncing is not None:
            await stopped(syncing)
        if stop_hook is not None:
            await stop_hook()
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
