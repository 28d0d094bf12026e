"""A channel adapter for tests: records deliveries, fails on demand, checks the pacing."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.channels.delivery import DeliveryError, Rejected, RetryLater, Transient, Unreachable
from tests.support.fake_time import FakeTime


@dataclass
class Delivery:
    at: float
    chat_ref: str
    text: str


@dataclass
class FakeChannel:
    channel: str
    time: FakeTime
    fail: Callable[[str, str], DeliveryError | None] = lambda _chat, _text: None
    delivered: list[Delivery] = field(default_factory=list)
    attempts: int = 0

    def split(self, text: str) -> list[str]:
        return [text]

    async def send_text(self, chat_ref: str, text: str) -> str:
        self.attempts += 1
        error = self.fail(chat_ref, text)
        if error is not None:
            raise error
        self.delivered.append(Delivery(self.time.monotonic(), chat_ref, text))
        return str(len(self.delivered))


def random_failures(seed: int, rate: float, blocked: set[str]) -> Callable[[str, str], DeliveryError | None]:
    """429, 5xx and 400 at random; 403 always for the chats in `blocked`."""
    rng = random.Random(seed)

    def fail(chat_ref: str, _text: str) -> DeliveryError | None:
        if chat_ref in blocked:
            return Unreachable("403 Forbidden: bot was blocked by the user")
        roll = rng.random()
        if roll < rate / 3:
            return RetryLater(rng.choice([1, 2, 5]))
        if roll < 2 * rate / 3:
            return Transient("502 Bad Gateway")
        if roll < rate * 0.7:
            return Rejected("400 Bad Request: message is too long")
        return None

    return fail
