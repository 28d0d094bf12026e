"""Running the Zalo bot until told to stop: getMe, then updates by long polling (the
default) or through the webhook, with the outbox sender's companion beside them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import partial

import httpx

from bot.channels.delivery import DeliveryError
from bot.channels.keeping import FileKeeper, stopped
from bot.channels.setup import ChannelOptions, Companion, Ready, StartFailed, until_stopped
from bot.web.app import WebConfig
from bot.web.file_links import FileLinks
from models.downloads.files import LINK_HOURS
from bot.web.webhooks import Webhook, receive_at
from bot.zalo import CHANNEL
from bot.zalo.adapter import ZaloAdapter
from bot.zalo.files import fetch_photo
from bot.zalo.client import DEFAULT_BASE_URL, POLL_SECONDS, ZaloApiError, ZaloClient
from bot.zalo.outgoing import ZaloSender
from bot.zalo.webhook import SECRET_HEADER, accept
from handlers.engine import ConversationEngine

log = logging.getLogger(__name__)

LONGEST_PAUSE = 30.0


@dataclass(frozen=True, repr=False)
class ZaloOptions(ChannelOptions):
    api_base_url: str = DEFAULT_BASE_URL
    port: int = 8444
    poll_seconds: int = POLL_SECONDS
    web: WebConfig | None = None
    """The web, when it is on: documents become signed links (`bot/web/file_links`)."""
    file_link_hours: int = LINK_HOURS


def bot_name(me: dict[str, object]) -> str:
    return str(me.get("display_name") or me.get("account_name") or me.get("name") or me.get("id") or "?")


async def _introduce(client: ZaloClient, options: ZaloOptions) -> str:
    """getMe: the bot's name, or StartFailed (a refused token is never named)."""
    try:
        return bot_name(await client.get_me())
    except ZaloApiError as error:
        if error.status == 401:
            raise StartFailed("cli.zalo_token_refused") from None
        raise StartFailed("cli.zalo_start_failed", detail=error.description) from None
    except DeliveryError:
        raise StartFailed("cli.zalo_unreachable", url=options.api_base_url) from None


async def poll(client: ZaloClient, adapter: ZaloAdapter, seconds: int) -> None:
    """Ask for updates without end; a failure is logged and retried after a pause that
    grows to LONGEST_PAUSE."""
    failures = 0
    while True:
        try:
            update = await client.get_update(seconds)
        except (ZaloApiError, DeliveryError) as error:
            failures += 1
            log.warning("getUpdates failed (%s); trying again", error)
            await asyncio.sleep(min(2.0**failures, LONGEST_PAUSE))
            continue
        failures = 0
        if update is not None:
            adapter.receive(update)


async def _start_polling(client: ZaloClient, adapter: ZaloAdapter, options: ZaloOptions) -> asyncio.Task[None]:
    """getUpdates does not work while a webhook is set, so any webhook is removed first
    (the API may answer an error when none was ever set: that is fine)."""
    try:
        await client.delete_webhook()
    except (ZaloApiError, DeliveryError) as error:
        log.info("deleteWebhook: %s", error)
    return asyncio.create_task(poll(client, adapter, options.poll_seconds))


async def _start_webhook(client: ZaloClient, adapter: ZaloAdapter, options: ZaloOptions) -> Callable[[], Awaitable[None]]:
    assert options.webhook_url and options.webhook_secret
    try:
        await client.set_webhook(options.webhook_url, options.webhook_secret)
    except ZaloApiError as error:
        raise StartFailed("cli.zalo_start_failed", detail=error.description) from None
    except DeliveryError:
        raise StartFailed("cli.zalo_unreachable", url=options.api_base_url) from None
    try:
        hook = Webhook(options.webhook_path, SECRET_HEADER, options.webhook_secret, partial(accept, adapter.receive))
        return await receive_at(hook, options.hooks, options.listen, options.port)
    except OSError as error:
        raise StartFailed("cli.zalo_start_failed", detail=error.strerror or type(error).__name__) from None


async def serve(
    engine: ConversationEngine,
    options: ZaloOptions,
    stop: asyncio.Event,
    on_ready: Ready | None = None,
    on_handled: Callable[[str | None], None] | None = None,
    companion: Companion | None = None,
) -> None:
    """Run the bot until `stop` is set. `on_ready(name)` is called once updates flow;
    `companion(sender)` runs beside the updates and must end when `stop` is set."""
    async with ZaloClient(options.token, options.api_base_url) as client, httpx.AsyncClient() as photos:
        name = await _introduce(client, options)
        file_links = FileLinks(engine.db, options.web, engine.clock, options.file_link_hours) if options.web is not None else None
        adapter = ZaloAdapter(engine, client, on_handled, file_links)
        adapter.keeper = FileKeeper(engine.db, engine.clock, CHANNEL, partial(fetch_photo, photos), engine.policy.file_limit, engine.programme)
        receiver: asyncio.Task[None] | Callable[[], Awaitable[None]]
        if options.webhook_url:
            receiver = await _start_webhook(client, adapter, options)
        else:
            receiver = await _start_polling(client, adapter, options)
        retrying = asyncio.create_task(adapter.keeper.run(stop))
        try:
            await until_stopped(stop, ZaloSender(client, file_links), name, on_ready, companion)
        finally:
            await _stop_receiving(receiver)
            await adapter.drain()
            await stopped(retrying)
            adapter.close()


async def _stop_receiving(receiver: asyncio.Task[None] | Callable[[], Awaitable[None]]) -> None:
    if not isinstance(receiver, asyncio.Task):
        await receiver()
        return
    receiver.cancel()
    with suppress(asyncio.CancelledError):
        await receiver
