"""`phoihop run`: the conversation engine built from the settings, served on Telegram by
long polling or behind a webhook, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlparse

from sqlmodel import select

from bot.channels import ChannelSender
from bot.clock import Clock, system_clock
from bot.redaction import protect_logs
from bot.sender import Limits, OutboxSender
from bot.settings import Settings
from bot.telegram import CHANNEL
from bot.telegram.service import StartFailed, TelegramOptions, serve
from handlers.engine import ConversationEngine, NoProgramme
from models.attaching import MB
from models.catalogue import ProgrammeRecord
from models.db import make_engine, session_scope
from models.migrate import current_revision, head_revision
from scheduler.service import CycleScheduler

SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
"""What Telegram accepts as a webhook secret_token."""


class RunError(Exception):
    """The bot cannot run; `key` names the message for the person at the terminal."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def build_engine(settings: Settings, clock: Clock = system_clock) -> ConversationEngine:
    """The engine over a migrated database that serves exactly one programme."""
    db = make_engine(settings.database_url)
    if current_revision(db) != head_revision():
        raise RunError("cli.not_migrated")
    engine = ConversationEngine(db, clock, settings.programme, settings.invite_days, settings.timezone, settings.file_limit_mb * MB)
    with session_scope(db) as session:
        try:
            engine.programme(session)
        except NoProgramme:
            codes = ", ".join(sorted(session.exec(select(ProgrammeRecord.code)))) or "—"
            raise RunError("cli.which_programme", codes=codes) from None
    return engine


def telegram_options(settings: Settings, webhook_url: str | None) -> TelegramOptions:
    """Webhook mode needs an https address and a secret Telegram will send back."""
    if settings.telegram_bot_token is None:
        raise RunError("cli.webhook_needs_token")
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    if webhook_url is not None:
        address = urlparse(webhook_url)
        if address.scheme != "https" or not address.hostname:
            raise RunError("cli.webhook_url_invalid", url=webhook_url)
        if secret is None or not SECRET.match(secret):
            raise RunError("cli.webhook_needs_secret")
    return TelegramOptions(
        token=settings.telegram_bot_token.get_secret_value(),
        api_base_url=settings.telegram_api_base_url,
        webhook_url=webhook_url,
        webhook_secret=secret if webhook_url else None,
        listen=settings.webhook_listen,
        port=settings.webhook_port,
    )


def run_telegram(settings: Settings, webhook_url: str | None, announce: Callable[[str], None]) -> None:
    """Serve until interrupted; `announce(username)` once the bot is up."""
    options = telegram_options(settings, webhook_url)
    protect_logs([options.token, options.webhook_secret])
    engine = build_engine(settings)
    try:
        asyncio.run(_serve_until_signalled(engine, options, announce, settings))
    except StartFailed as error:
        raise RunError(error.key, **error.params) from None


def telegram_limits(settings: Settings) -> Limits:
    return Limits(
        settings.telegram_rate_per_second, settings.telegram_rate_per_chat_per_second, settings.telegram_rate_per_group_per_minute
    )


def cycles(engine: ConversationEngine, settings: Settings, stop: asyncio.Event) -> Callable[[ChannelSender], Awaitable[None]]:
    """What runs beside the updates: the scheduler's cron jobs (with a catch-up run now) and
    the outbox sender, until `stop` is set."""

    async def run(telegram: ChannelSender) -> None:
        jobs = CycleScheduler(engine.db, engine.clock, settings.programme, settings.timezone).start()
        worker = f"{socket.gethostname()}-{os.getpid()}"
        sender = OutboxSender(engine.db, {CHANNEL: telegram}, engine.clock, {CHANNEL: telegram_limits(settings)}, worker=worker)
        try:
            await sender.run(stop)
        finally:
            jobs.shutdown(wait=False)

    return run


async def _serve_until_signalled(
    engine: ConversationEngine, options: TelegramOptions, announce: Callable[[str], None], settings: Settings
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await serve(engine, options, stop, on_ready=announce, companion=cycles(engine, settings, stop))
