"""What the outbox sender needs from a channel, and the errors it understands.

Each channel (Telegram, Zalo, console) maps its library's or API's failures to these, so
the sender's policy (wait, back off, give up, mark unreachable) and the retries of an
answer someone waits for are written once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar, runtime_checkable

T = TypeVar("T")


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
    `split` gives the pieces a text goes out in (the channel's length limit): the outbox
    sender sends them one by one and remembers how many went out. `send_document` sends a
    file the channel keeps, by its own id, with a caption (a channel that keeps no files,
    Zalo, is given only `kept:<attachment>`, bytes the server kept: `models/tvpb/files`)."""

    channel: str

    def split(self, text: str) -> list[str]: ...

    async def send_text(self, chat_ref: str, text: str) -> str: ...

    async def send_document(self, chat_ref: str, file_ref: str, caption: str) -> str: ...


@runtime_checkable
class PhotoSender(Protocol):
    """A channel that sends a picture from its URL (Zalo's sendPhoto): the outbox's rows
    with a `photo_url`."""

    async def send_photo(self, chat_ref: str, url: str) -> str: ...


async def with_retries(call: Callable[[], Awaitable[T]], tries: int = 3, longest_wait: float = 30.0) -> T:
    """An answer to someone waiting for it: retried a short while on 429 (when the wait is
    short) and on transient failures, never forever. `call` raises DeliveryError."""
    for attempt in range(1, tries + 1):
        try:
            return await call()
        except RetryLater as error:
            if attempt == tries or error.seconds > longest_wait:
                raise
            await asyncio.sleep(error.seconds)
        except Transient:
            if attempt == tries:
                raise
            await asyncio.sleep(0.5 * attempt)
    raise AssertionError("unreachable")
