"""The Telegram channel as `bot/runner.py` sees it: its settings, and its service."""

from __future__ import annotations

import re

from bot.channels.setup import ChannelSettings, ChannelSetup, Messages
from bot.sender import Limits
from bot.settings import Settings
from bot.telegram import CHANNEL
from bot.telegram.service import TelegramOptions, serve

SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
"""What Telegram accepts as a webhook secret_token."""


def telegram_settings(settings: Settings) -> ChannelSettings:
    return ChannelSettings(
        token=settings.telegram_bot_token,
        webhook_secret=settings.webhook_secret,
        api_base_url=settings.telegram_api_base_url,
        port=settings.webhook_port,
        limits=Limits(
            settings.telegram_rate_per_second,
            settings.telegram_rate_per_chat_per_second,
            settings.telegram_rate_per_group_per_minute,
        ),
    )


TELEGRAM = ChannelSetup(
    channel=CHANNEL,
    read=telegram_settings,
    secret_form=SECRET,
    webhook_option="--webhook",
    webhook_help="receive Telegram updates at this https URL instead (needs WEBHOOK_SECRET)",
    messages=Messages(
        polling="cli.telegram_polling",
        webhook="cli.telegram_webhook",
        no_token="cli.webhook_needs_token",
        bad_url="cli.webhook_url_invalid",
        bad_secret="cli.webhook_needs_secret",
    ),
    options_type=TelegramOptions,
    serve=serve,
)
