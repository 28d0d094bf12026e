"""`phoihop run`: the conversation engine built from the settings, served on Telegram, on
Zalo, or on both in one process (each by long polling or behind a webhook), with one
scheduler and one outbox sender for all, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any
from urllib.parse import urlparse

from sqlmodel import select

from bot import telegram, zalo
from bot.channels import ChannelSender, StartFailed
from bot.clock import Clock, system_clock
from bot.redaction import protect_logs
from bot.sender import Limits, OutboxSender
from bot.settings import Settings
from bot.telegram.service import TelegramOptions
from bot.telegram.service import serve as serve_telegram
from bot.zalo.service import ZaloOptions
from bot.zalo.service import serve as serve_zalo
from handlers.engine import ConversationEngine
from models.activities.files import MB
from models.db.engine import make_engine, session_scope
from models.db.migrate import current_revision, head_revision
from models.people.attempts import AttemptLimits
from models.programme.served import NoProgramme
from models.programme.tables import ProgrammeRecord
from scheduler.service import CycleScheduler

SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
"""What Telegram accepts as a webhook secret_token."""
ZALO_SECRET = re.compile(r"^[A-Za-z0-9_-]{8,256}$")
"""Zalo asks for 8–256 characters; kept to the characters that travel safely in a header."""

Companion = Callable[[ChannelSender], Awaitable[None]]
Announce = Callable[[str, str], None]


class RunError(Exception):
    """The bot cannot run; `key` names the message for the person at the terminal."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def invite_limits(settings: Settings) -> AttemptLimits:
    return AttemptLimits(
        settings.invite_attempts,
        timedelta(minutes=settings.invite_attempts_minutes),
        timedelta(minutes=settings.invite_lockout_minutes),
    )


def build_engine(settings: Settings, clock: Clock = system_clock) -> ConversationEngine:
    """The engine over a migrated database that serves exactly one programme."""
    db = make_engine(settings.database_url)
    if current_revision(db) != head_revision():
        raise RunError("cli.not_migrated")
    engine = ConversationEngine(
        db, clock, settings.programme, settings.invite_days, settings.timezone, settings.file_limit_mb * MB, invite_limits(settings)
    )
    with session_scope(db) as session:
        try:
            engine.served(session)
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
        _https(webhook_url, "cli.webhook_url_invalid")
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


def _https(url: str, key: str) -> None:
    address = urlparse(url)
    if address.scheme != "https" or not address.hostname:
        raise RunError(key, url=url)


def zalo_options(settings: Settings, webhook_url: str | None) -> ZaloOptions:
    """Webhook mode needs an https address and a secret of its own (not Telegram's: a
    secret shared by two services lets either forge the other's updates)."""
    if settings.zalo_bot_token is None:
        raise RunError("cli.zalo_webhook_needs_token")
    secret = settings.zalo_webhook_secret.get_secret_value() if settings.zalo_webhook_secret else None
    if webhook_url is not None:
        _https(webhook_url, "cli.zalo_webhook_url_invalid")
        if secret is None or not ZALO_SECRET.match(secret):
            raise RunError("cli.zalo_webhook_needs_secret")
    return ZaloOptions(
        token=settings.zalo_bot_token.get_secret_value(),
        api_base_url=settings.zalo_api_base_url,
        webhook_url=webhook_url,
        webhook_secret=secret if webhook_url else None,
        listen=settings.webhook_listen,
        port=settings.zalo_webhook_port,
    )


def telegram_limits(settings: Settings) -> Limits:
    return Limits(
        settings.telegram_rate_per_second, settings.telegram_rate_per_chat_per_second, settings.telegram_rate_per_group_per_minute
    )


def zalo_limits(settings: Settings) -> Limits:
    return Limits(settings.zalo_rate_per_second, settings.zalo_rate_per_chat_per_second, settings.zalo_rate_per_group_per_minute)


@dataclass(frozen=True)
class ChannelRun:
    """One channel to serve: how to run it, the outbox sender's pace on it, its secrets."""

    channel: str
    serve: Callable[[ConversationEngine, asyncio.Event, Callable[[str], None], Companion], Awaitable[None]]
    limits: Limits
    secrets: tuple[str | None, ...]


async def _telegram(
    options: TelegramOptions, engine: ConversationEngine, stop: asyncio.Event, ready: Callable[[str], None], beside: Companion
) -> None:
    await serve_telegram(engine, options, stop, on_ready=ready, companion=beside)


async def _zalo(
    options: ZaloOptions, engine: ConversationEngine, stop: asyncio.Event, ready: Callable[[str], None], beside: Companion
) -> None:
    await serve_zalo(engine, options, stop, on_ready=ready, companion=beside)


def planned_channels(settings: Settings, telegram_webhook: str | None, zalo_webhook: str | None) -> list[ChannelRun]:
    """The channels whose token is set (or whose webhook is asked for), their options checked."""
    runs = []
    if settings.telegram_bot_token is not None or telegram_webhook:
        options = telegram_options(settings, telegram_webhook)
        secrets = (options.token, options.webhook_secret)
        runs.append(ChannelRun(telegram.CHANNEL, partial(_telegram, options), telegram_limits(settings), secrets))
    if settings.zalo_bot_token is not None or zalo_webhook:
        on_zalo = zalo_options(settings, zalo_webhook)
        secrets = (on_zalo.token, on_zalo.webhook_secret)
        runs.append(ChannelRun(zalo.CHANNEL, partial(_zalo, on_zalo), zalo_limits(settings), secrets))
    if telegram_webhook and zalo_webhook and settings.webhook_port == settings.zalo_webhook_port:
        raise RunError("cli.webhook_ports_clash", port=settings.webhook_port)
    return runs


def run_bots(
    settings: Settings, telegram_webhook: str | None, zalo_webhook: str | None, announce: Announce, clock: Clock = system_clock
) -> None:
    """Serve every planned channel until interrupted; `announce(channel, name)` once each is up."""
    runs = planned_channels(settings, telegram_webhook, zalo_webhook)
    protect_logs([secret for run in runs for secret in run.secrets])
    engine = build_engine(settings, clock)
    try:
        asyncio.run(_serve_until_signalled(engine, runs, settings, announce))
    except StartFailed as error:
        raise RunError(error.key, **error.params) from None


async def run_cycles(
    engine: ConversationEngine, settings: Settings, senders: dict[str, ChannelSender], limits: dict[str, Limits], stop: asyncio.Event
) -> None:
    """The scheduler's cron jobs (with a catch-up run now) and one outbox sender for every
    channel, until `stop` is set."""
    jobs = CycleScheduler(engine.db, engine.clock, served=engine.served).start()
    worker = f"{socket.gethostname()}-{os.getpid()}"
    sender = OutboxSender(engine.db, senders, engine.clock, limits, worker=worker)
    try:
        await sender.run(stop)
    finally:
        jobs.shutdown(wait=False)


async def serve_channels(
    engine: ConversationEngine, runs: list[ChannelRun], settings: Settings, stop: asyncio.Event, announce: Announce
) -> None:
    """Start every channel; the last one up runs the scheduler and the outbox sender, with
    every channel's sender, so they start once. If a channel cannot start, the others are
    stopped and its StartFailed is raised."""
    senders: dict[str, ChannelSender] = {}
    limits = {run.channel: run.limits for run in runs}

    async def beside(sender: ChannelSender) -> None:
        senders[sender.channel] = sender
        if len(senders) == len(runs):
            await run_cycles(engine, settings, senders, limits, stop)
        else:
            await stop.wait()

    serving = [asyncio.create_task(run.serve(engine, stop, partial(announce, run.channel), beside)) for run in runs]
    try:
        for finished in asyncio.as_completed(serving):
            await finished
    finally:
        stop.set()
        await asyncio.gather(*serving, return_exceptions=True)


async def _serve_until_signalled(engine: ConversationEngine, runs: list[ChannelRun], settings: Settings, announce: Announce) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await serve_channels(engine, runs, settings, stop, announce)
