"""`phoihop run`: the conversation engine built from the settings, served on every channel
whose token is set (Telegram, Zalo, or both in one process, each by long polling or behind
a webhook), with one scheduler and one outbox sender for all, until SIGINT or SIGTERM.

The runner knows the channels only through their `ChannelSetup` (`bot/channels/setup`).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import Callable, Mapping
from datetime import timedelta
from functools import partial
from typing import Any


from bot.channels.delivery import ChannelSender
from bot.channels.setup import ChannelRun, ChannelSetup, RunError, StartFailed
from bot.clock import Clock, system_clock
from bot.heap import settle
from bot.redaction import protect_logs
from bot.sender import Limits, OutboxSender
from bot.settings import Settings
from bot.telegram import file_download as telegram_files
from bot.telegram.setup import TELEGRAM
from bot.web.app import WebConfig, build_app
from bot.web.pages.common import WEB_CHANNEL
from bot.web.server import serve_web
from bot.web.webhooks import Webhooks as WebHooks
from bot.zalo.setup import ZALO
from handlers.channels import CROSS_CHANNEL
from handlers.engine import ConversationEngine
from models.activities.files import MB
from models.db.engine import make_engine, session_scope
from models.db.migrate import current_revision, head_revision
from models.people.attempts import AttemptLimits
from models.programme.served import NoProgramme
from scheduler.service import CycleScheduler

CHANNELS: tuple[ChannelSetup[Any], ...] = (TELEGRAM, ZALO)
"""Every channel `phoihop run` can serve, in the order they are started."""
Webhooks = Mapping[str, str | None]
"""Channel -> the https address to receive its updates at (None or absent: long polling)."""
Announce = Callable[[str, str], None]
SECRET_KEY_LENGTH = 32


def web_config(settings: Settings) -> WebConfig | None:
    """The web's settings when PUBLIC_URL is set (the web is on); it will not run without a
    WEB_SECRET_KEY long enough to sign sessions with."""
    if settings.public_url is None:
        return None
    key = settings.web_secret_key.get_secret_value() if settings.web_secret_key else ""
    if len(key) < SECRET_KEY_LENGTH:
        raise RunError("cli.web_no_secret")
    return WebConfig(settings.public_url, key)


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
        db,
        clock,
        settings.programme,
        settings.invite_days,
        settings.timezone,
        settings.file_limit_mb * MB,
        invite_limits(settings),
        web_url=settings.public_url,
    )
    with session_scope(db) as session:
        try:
            engine.served(session)
        except NoProgramme as error:
            raise RunError(error.key, **error.params) from None
    return engine


def planned_channels(settings: Settings, webhooks: Webhooks, hooks: WebHooks | None = None) -> list[ChannelRun]:
    """The channels whose token is set (or whose webhook is asked for), their options checked;
    their webhooks on the web app's `hooks` when the web is on; else two webhooks cannot
    listen on one port."""
    runs = []
    for setup in CHANNELS:
        webhook_url = webhooks.get(setup.channel)
        if setup.wanted(settings, webhook_url):
            runs.append(setup.plan(settings, webhook_url, hooks))
    ports = [run.webhook_port for run in runs if run.webhook_port is not None]
    clash = next((port for port in ports if ports.count(port) > 1), None)
    if clash is not None:
        raise RunError("cli.webhook_ports_clash", port=clash)
    return runs


def run_bots(settings: Settings, webhooks: Webhooks, announce: Announce, clock: Clock = system_clock) -> None:
    """Serve every planned channel until interrupted; `announce(channel, name)` once each is
    up. A channel that cannot start raises its StartFailed (a RunError)."""
    web = web_config(settings)
    hooks = WebHooks() if web else None
    runs = planned_channels(settings, webhooks, hooks)
    protect_logs([secret for run in runs for secret in run.secrets] + [web.secret_key if web else None])
    engine = build_engine(settings, clock)
    serving_channels(engine, runs)
    settle()
    asyncio.run(_serve_until_signalled(engine, runs, settings, announce, web, hooks))


def serving_channels(engine: ConversationEngine, runs: list[ChannelRun]) -> None:
    """/link and /channel leave /help and the menus when only one messenger is served."""
    if len({run.channel for run in runs}) < 2:
        engine.wiring = engine.wiring.unlisting(CROSS_CHANNEL)


async def run_cycles(
    engine: ConversationEngine, settings: Settings, senders: dict[str, ChannelSender], limits: dict[str, Limits], stop: asyncio.Event
) -> None:
    """The scheduler's cron jobs (with a catch-up run now) and one outbox sender for every
    channel, until `stop` is set."""
    jobs = CycleScheduler(engine.db, engine.clock, served=engine.served, file_log_kept=timedelta(days=settings.file_log_days)).start()
    worker = f"{socket.gethostname()}-{os.getpid()}"
    undelivered_after = timedelta(days=settings.undelivered_notice_days)
    sender = OutboxSender(engine.db, senders, engine.clock, limits, worker=worker, undelivered_after=undelivered_after)
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


async def serve_with_web(
    engine: ConversationEngine,
    runs: list[ChannelRun],
    settings: Settings,
    stop: asyncio.Event,
    announce: Announce,
    web: WebConfig | None,
    hooks: WebHooks | None = None,
) -> None:
    """The channels and, when it is on, the web (with the channels' webhooks on `hooks`), in
    this event loop, until `stop` is set."""
    if web is None:
        await serve_channels(engine, runs, settings, stop, announce)
        return
    up = asyncio.Event()
    app = build_app(engine, web, hooks)
    app.state.telegram_token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    app.state.mini_app_max_age = timedelta(minutes=settings.mini_app_max_age_minutes)
    if settings.telegram_bot_token:
        token = settings.telegram_bot_token.get_secret_value()
        app.state.file_fetchers = {"telegram": telegram_files.fetcher(token, settings.telegram_api_base_url, settings.file_limit_mb * MB)}
    serving = asyncio.create_task(serve_web(app, settings.web_listen, settings.web_port, stop, up))
    try:
        await asyncio.wait({serving, asyncio.create_task(up.wait())}, return_when=asyncio.FIRST_COMPLETED)
        if serving.done():
            serving.result()
        announce(WEB_CHANNEL, web.public_url)
        await serve_channels(engine, runs, settings, stop, partial(_noted, app.state.bot_names, announce))
    except OSError as error:
        raise StartFailed("cli.web_cannot_listen", listen=settings.web_listen, port=settings.web_port, error=str(error)) from None
    finally:
        stop.set()
        await asyncio.gather(serving, return_exceptions=True)


def _noted(names: dict[str, str], announce: Announce, channel: str, name: str) -> None:
    """Announce a channel up, and keep its bot's name for the web (Telegram's username makes
    the people page's invite link)."""
    names[channel] = name
    announce(channel, name)


async def _serve_until_signalled(
    engine: ConversationEngine, runs: list[ChannelRun], settings: Settings, announce: Announce, web: WebConfig | None, hooks: WebHooks | None
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await serve_with_web(engine, runs, settings, stop, announce, web, hooks)
