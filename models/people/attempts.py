"""Wrong invite codes, counted per messenger account, in memory.

Nothing may be stored about people who have not consented, so the count lives in the
engine's process, not in the database: it is per process and starts afresh on restart.
That is enough against guessing (codes are 8 of 32 characters, single use, expiring), and
an attacker cannot lock out anyone else, since each account has its own count.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

Key = tuple[str, str]


@dataclass(frozen=True)
class AttemptLimits:
    """`most` wrong codes within `window` close the door for `lockout`."""

    most: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)
    accounts: int = 10_000


@dataclass
class _Record:
    failures: deque[datetime] = field(default_factory=deque)
    blocked_until: datetime | None = None


class InviteAttempts:
    """A sliding window of wrong codes per (channel, user_ref). Time is passed in. A right
    code does not reset the count: a guesser holding one valid invite could otherwise
    reset it between rounds of guesses."""

    def __init__(self, limits: AttemptLimits | None = None) -> None:
        self.limits = limits or AttemptLimits()
        self._records: OrderedDict[Key, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def blocked_until(self, key: Key, now: datetime) -> datetime | None:
        """Until when `key` may not try a code; None when it may."""
        with self._lock:
            record = self._records.get(key)
            if record is None or record.blocked_until is None:
                return None
            if record.blocked_until <= now:
                del self._records[key]
                return None
            return record.blocked_until

    def failed(self, key: Key, now: datetime) -> datetime | None:
        """Count a wrong code; returns the end of the lockout if this one started it."""
        limits = self.limits
        with self._lock:
            record = self._records.pop(key, None)
            if record is None or (record.blocked_until is not None and record.blocked_until <= now):
                record = _Record()
            self._records[key] = record
            while record.failures and record.failures[0] <= now - limits.window:
                record.failures.popleft()
            record.failures.append(now)
            if len(record.failures) >= limits.most:
                record.failures.clear()
                record.blocked_until = now + limits.lockout
            self._forget_stale(now)
            return record.blocked_until

    def _forget_stale(self, now: datetime) -> None:
        """Drop the oldest accounts once they no longer matter, and any beyond the cap."""
        while self._records:
            oldest = next(iter(self._records.values()))
            stale = not oldest.failures or oldest.failures[-1] <= now - self.limits.window
            expired = oldest.blocked_until is None or oldest.blocked_until <= now
            if not (stale and expired) and len(self._records) <= self.limits.accounts:
                return
            self._records.popitem(last=False)

    def __len__(self) -> int:
        return len(self._records)
