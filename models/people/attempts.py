"""Wrong invite and link codes, counted per messenger account, in the database.

Nothing may be stored about people who have not consented, so an account is known here
only by a hash of its channel and id (`account_hash`), with the times of its wrong codes
and of its lockout; nothing else. The count is shared by every worker on the database and
survives a restart. A row is deleted as soon as it no longer counts: a wrong code once it
has left the window, a lockout once it has ended (at most window + lockout, 30 minutes by
default). Each account has its own count, so no one can lock out anyone else. Two workers
counting at the same moment may let an account one or two codes past the limit; codes
are 8 of 32 characters, single use and expiring, so that is no help to a guesser.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_
from sqlmodel import Session, col, select

from models.people.tables import CodeAttempt

Key = tuple[str, str]
HASHED_AS = b"phoihop code attempts\x00"


@dataclass(frozen=True)
class AttemptLimits:
    """`most` wrong codes within `window` close the door for `lockout`."""

    most: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)


def account_hash(key: Key) -> str:
    channel, user_ref = key
    return hashlib.sha256(HASHED_AS + channel.encode() + b"\x00" + user_ref.encode()).hexdigest()


class CodeAttempts:
    """A sliding window of wrong codes per (channel, user_ref), in the caller's transaction.
    Time is passed in. A right code does not reset the count: a guesser holding one valid
    code could otherwise reset it between rounds of guesses."""

    def __init__(self, limits: AttemptLimits | None = None) -> None:
        self.limits = limits or AttemptLimits()

    def blocked_until(self, session: Session, key: Key, now: datetime) -> datetime | None:
        """Until when `key` may not try a code; None when it may."""
        query = select(func.max(CodeAttempt.blocked_until)).where(
            CodeAttempt.account_hash == account_hash(key), col(CodeAttempt.blocked_until) > now
        )
        return session.exec(query).one()

    def failed(self, session: Session, key: Key, now: datetime) -> datetime | None:
        """Count a wrong code; returns the end of the lockout if this one started it."""
        self._forget_stale(session, now)
        hashed = account_hash(key)
        session.add(CodeAttempt(account_hash=hashed, at=now))
        session.flush()
        wrong = col(CodeAttempt.blocked_until).is_(None)
        count = select(func.count()).where(CodeAttempt.account_hash == hashed, wrong).select_from(CodeAttempt)
        if session.exec(count).one() < self.limits.most:
            return None
        session.execute(delete(CodeAttempt).where(col(CodeAttempt.account_hash) == hashed, wrong))
        until = now + self.limits.lockout
        session.add(CodeAttempt(account_hash=hashed, at=now, blocked_until=until))
        session.flush()
        return until

    def _forget_stale(self, session: Session, now: datetime) -> None:
        """Delete the wrong codes that left the window and the lockouts that ended."""
        blocked = col(CodeAttempt.blocked_until)
        left_window = and_(blocked.is_(None), col(CodeAttempt.at) <= now - self.limits.window)
        session.execute(delete(CodeAttempt).where(or_(left_window, blocked <= now)))
