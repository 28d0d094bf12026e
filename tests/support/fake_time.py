"""Time that tests move: a wall clock and a monotonic clock that advance together, and an
async sleep that advances them instead of waiting."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta


class FakeTime:
    def __init__(self, start: datetime) -> None:
        self.start = start
        self.elapsed = 0.0

    def wall(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def monotonic(self) -> float:
        return self.elapsed

    async def sleep(self, seconds: float) -> None:
        """Let the tasks that are ready run at the current time, then move on."""
        await asyncio.sleep(0)
        self.elapsed += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        self.elapsed += seconds
