"""The clocks the entry points inject. Nothing below `bot/` reads the wall clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class ShiftedClock:
    """The wall clock moved by an offset: the demo's way of bringing deadlines closer."""

    def __init__(self, base: Clock = system_clock) -> None:
        self.base = base
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return self.base() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta

    def jump_to(self, moment: datetime) -> None:
        self.offset = moment - self.base()
