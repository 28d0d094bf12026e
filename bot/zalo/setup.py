"""The Zalo channel as `bot/runner.py` sees it: its settings, and its service."""

from __future__ import annotations

import re

from bot.channels.setup import ChannelSettings, ChannelSetup, Messages
from bot.sender import Limits
from bot.settings import Settings
from bot.web.app import WebConfig
from bot.zalo import CHANNEL
from bot.zalo.service import ZaloOptions, serve

SECRET = re.compile(r"^[A-Za-z0-9_-]{8,256}$")
"""Zalo asks for 8–256 characters; kept to the characters that travel safely in a header."""


def zalo_settings(settings: Settings) -> ChannelSettings:
    return ChannelSettings(
        token=settings.zalo_bot_token,
        webhook_secret=settings.zalo_webhook_secret,
        api_base_url=settings.zalo_api_base_url,
        port=settings.zalo_webhook_port,
        limits=Limits(settings.zalo_rate_per_second, settings.zalo_rate_per_chat_per_second, settings.zalo_rate_per_group_per_minute),
    )


def zalo_extra_options(settings: Settings) -> dict[str, object]:
    """The web, when it is on: documents and charts then go to Zalo as signed links."""
    key = settings.web_secret_key.get_secret_value() if settings.web_secret_key else None
    return {"web": WebConfig(settings.public_url, key) if settings.public_url and key else None, "file_link_hours": settings.file_link_hours}


ZALO = ChannelSetup(
    channel=CHANNEL,
    read=zalo_settings,
    secret_form=SECRET,
    webhook_option="--zalo-webhook",
    webhook_help="receive Zalo updates at this https URL instead (needs ZALO_WEBHOOK_SECRET)",
    messages=Messages(
        polling="cli.zalo_polling",
        webhook="cli.zalo_webhook",
        no_token="cli.zalo_webhook_needs_token",
        bad_url="cli.zalo_webhook_url_invalid",
        bad_secret="cli.zalo_webhook_needs_secret",
    ),
    options_type=ZaloOptions,
    serve=serve,
    extra_options=zalo_extra_options,
)
