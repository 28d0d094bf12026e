"""What the outbox sender needs from a channel adapter, and the errors it understands.

Each adapter (Telegram, Zalo, console) maps its library's or API's failures to these, so
the sender's policy (wait, back off, give up, mark unreachable) is written once.
"""

from __future__ import annotations

from typing import Protocol


class DeliveryError(Exception):
    """A message could not be delivered this time."""


class RetryLater(DeliveryError):
    """The channel asked us to slow down (HTTP 429 with retry_after)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Transient(DeliveryError):
    """A 5xx answer, a timeout or a network failure: try again later."""


class Unreachable(DeliveryError):
    """403: the person blocked the bot, or the bot was removed from the group."""


class Rejected(DeliveryError):
    """The channel will never accept this message as it is (a 400 other than 'blocked')."""


class ChannelSender(Protocol):
    """Sends plain text to one chat; returns the channel's id for the (last) message.
    Texts longer than the channel allows are split by the adapter."""

    channel: str

    async def send_text(self, chat_ref: str, text: str) -> str: ...
