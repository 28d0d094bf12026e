"""How a channel is configured from the settings and served: all `bot/runner.py` knows of it.

Each channel package has a `setup` module with one `ChannelSetup`: where its token, API and
webhook secret are in `Settings`, what a webhook secret must look like, the `phoihop run`
option for its webhook, what is said of it at the terminal, the outbox sender's pace on it,
and its `serve`. The command line and the runner check, announce and serve every channel
the same way from those.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlparse

from pydantic import SecretStr

from bot.channels.delivery import ChannelSender
from bot.sender import Limits
from bot.settings import Settings
from bot.web.webhooks import Webhooks
from handlers.engine import ConversationEngine
from locales.catalogue import t

Ready = Callable[[str], None]
"""Called with the bot's name once updates flow."""
Companion = Callable[[ChannelSender], Coroutine[Any, Any, None]]
"""Runs beside the updates (the scheduler and the outbox sender), given the channel's sender;
it must end when the channel is told to stop."""
Serve = Callable[[ConversationEngine, asyncio.Event, Ready, Companion], Coroutine[Any, Any, None]]


class RunError(Exception):
    """The bot cannot run; `key` names the message for the person at the terminal."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class StartFailed(RunError):
    """A channel could not start (its `serve` raises it)."""


@dataclass(frozen=True)
class ChannelOptions:
    """How a channel connects: its token and API, and where its webhook listens (no
    `webhook_url`: long polling). The repr never shows the token or the secret."""

    token: str
    api_base_url: str
    webhook_url: str | None = None
    webhook_secret: str | None = None
    listen: str = "127.0.0.1"
    port: int = 8443
    hooks: Webhooks | None = None
    """The web app's webhooks, when the web is on: the webhook is served there, not on `port`."""

    @property
    def webhook_path(self) -> str:
        return urlparse(self.webhook_url or "").path.strip("/")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_base_url={self.api_base_url!r}, webhook_url={self.webhook_url!r})"


O = TypeVar("O", bound=ChannelOptions)
O_contra = TypeVar("O_contra", bound=ChannelOptions, contravariant=True)


class Serves(Protocol[O_contra]):
    """A channel's `service.serve`: run until `stop` is set."""

    def __call__(
        self,
        engine: ConversationEngine,
        options: O_contra,
        stop: asyncio.Event,
        on_ready: Ready | None = None,
        *,
        companion: Companion | None = None,
    ) -> Coroutine[Any, Any, None]: ...


@dataclass(frozen=True)
class ChannelSettings:
    """What of `Settings` is one channel's."""

    token: SecretStr | None
    webhook_secret: SecretStr | None
    api_base_url: str
    port: int
    limits: Limits


@dataclass(frozen=True)
class Messages:
    """The catalogue keys of what `phoihop run` says of a channel: that it is up (by long
    polling, or behind its webhook), or that its settings cannot work (no token, a webhook
    address that is not https, a webhook secret missing or not of the channel's form)."""

    polling: str
    webhook: str
    no_token: str
    bad_url: str
    bad_secret: str


@dataclass(frozen=True)
class ChannelRun:
    """One channel to serve: how to run it, the outbox sender's pace on it, its secrets."""

    channel: str
    serve: Serve
    limits: Limits
    secrets: tuple[str | None, ...]
    webhook_port: int | None = None


@dataclass(frozen=True)
class ChannelSetup(Generic[O]):
    """A channel as `phoihop run` sees it: where its settings are (`read`), the form of its
    webhook secret, the option that asks for its webhook, what is said of it, and how it is
    served."""

    channel: str
    read: Callable[[Settings], ChannelSettings]
    secret_form: re.Pattern[str]
    webhook_option: str
    webhook_help: str
    messages: Messages
    options_type: Callable[..., O]
    serve: Serves[O]
    extra_options: Callable[[Settings], dict[str, Any]] = lambda _settings: {}
    """Options of this channel alone, read from the settings (Zalo: the web's, for file links)."""

    @property
    def webhook_dest(self) -> str:
        """Where argparse keeps the value of `webhook_option`."""
        return f"{self.channel}_webhook"

    def wanted(self, settings: Settings, webhook_url: str | None) -> bool:
        """Served when its token is set, or its webhook asked for."""
        return self.read(settings).token is not None or bool(webhook_url)

    def limits(self, settings: Settings) -> Limits:
        return self.read(settings).limits

    def options(self, settings: Settings, webhook_url: str | None) -> O:
        """Webhook mode needs an https address and a secret the service sends back with
        every update (each channel its own: a secret shared by two services lets either
        forge the other's updates)."""
        mine = self.read(settings)
        if mine.token is None:
            raise RunError(self.messages.no_token)
        secret = mine.webhook_secret.get_secret_value() if mine.webhook_secret else None
        if webhook_url is not None:
            _https(webhook_url, self.messages.bad_url)
            if secret is None or not self.secret_form.match(secret):
                raise RunError(self.messages.bad_secret)
        return self.options_type(
            token=mine.token.get_secret_value(),
            api_base_url=mine.api_base_url,
            webhook_url=webhook_url,
            webhook_secret=secret if webhook_url else None,
            listen=settings.webhook_listen,
            port=mine.port,
            **self.extra_options(settings),
        )

    def ready_line(self, settings: Settings, name: str, webhook_url: str | None) -> str:
        """What `phoihop run` prints once the channel is up, in the terminal's language."""
        if webhook_url:
            port = self.read(settings).port
            return t(self.messages.webhook, settings.language, name=name, url=webhook_url, listen=settings.webhook_listen, port=port)
        return t(self.messages.polling, settings.language, name=name)

    def plan(self, settings: Settings, webhook_url: str | None, hooks: Webhooks | None = None) -> ChannelRun:
        """The options checked, and how the runner serves the channel with them (its webhook
        on the web app's `hooks` when the web is on, else on a port of its own)."""
        options = replace(self.options(settings, webhook_url), hooks=hooks)
        port = options.port if webhook_url and hooks is None else None
        return ChannelRun(self.channel, self._serving(options), self.limits(settings), (options.token, options.webhook_secret), port)

    def _serving(self, options: O) -> Serve:
        async def serving(engine: ConversationEngine, stop: asyncio.Event, ready: Ready, beside: Companion) -> None:
            await self.serve(engine, options, stop, ready, companion=beside)

        return serving


async def until_stopped(stop: asyncio.Event, sender: ChannelSender, name: str, on_ready: Ready | None, companion: Companion | None) -> None:
    """What every `serve` does once updates flow: run `companion(sender)` beside them, say
    `on_ready(name)`, wait for `stop`, then for the companion to end."""
    beside = asyncio.create_task(companion(sender)) if companion is not None else None
    try:
        if on_ready is not None:
            on_ready(name)
        await stop.wait()
    finally:
        if beside is not None:
            await beside


def _https(url: str, key: str) -> None:
    address = urlparse(url)
    if address.scheme != "https" or not address.hostname:
        raise RunError(key, url=url)
