"""A clock that processes share without reading the date: it starts at a chosen instant
when the machine's monotonic clock reads `origin` and runs on with it. CLOCK_MONOTONIC is
the same in every process of the machine, so a test and the sender processes it starts,
given the same start and origin, agree on the time (a claim one of them takes expires for
the others) on whatever day the suite runs."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class SharedClock:
    start: datetime
    origin: float

    @classmethod
    def starting(cls, start: datetime) -> SharedClock:
        """A clock that reads `start` now."""
        return cls(start, time.monotonic())

    @classmethod
    def parse(cls, text: str) -> SharedClock:
        """The clock `argument()` wrote, in another process."""
        start, origin = text.rsplit("@", 1)
        return cls(datetime.fromisoformat(start), float(origin))

    def argument(self) -> str:
        return f"{self.start.isoformat()}@{self.origin!r}"

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.origin)
