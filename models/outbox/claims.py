"""Claiming outbox rows for delivery, and recording what became of them.

On PostgreSQL several senders may run: `FOR UPDATE SKIP LOCKED` gives each a disjoint
batch, and a claim expires, so rows held by a sender that died are taken up again (at
least once; the key tells a repeat from a new message). SQLite serves one sender.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from models.outbox.tables import OutboxMessage, OutboxStatus

ERROR_LENGTH = 500


def claim(session: Session, worker: str, now: datetime, limit: int, hold: timedelta, channels: list[str]) -> list[OutboxMessage]:
    """Up to `limit` rows due now on these channels, held for `hold` by `worker`."""
    query = (
        select(OutboxMessage)
        .where(
            col(OutboxMessage.channel).in_(channels),
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.not_before <= now,
            or_(col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= now),
            or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now),
        )
        .order_by(col(OutboxMessage.not_before), col(OutboxMessage.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.exec(query))
    for row in rows:
        row.claimed_by, row.claimed_until = worker, now + hold
    return rows


def renew(session: Session, row_ids: list[int], worker: str, until: datetime) -> set[int]:
    """Hold the rows still pending and still `worker`'s until `until`; the ids renewed. One
    UPDATE, so a row marked meanwhile (sent, to retry) is never claimed again."""
    if not row_ids:
        return set()
    statement = (
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id).in_(row_ids),
            col(OutboxMessage.claimed_by) == worker,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
            col(OutboxMessage.claimed_until).is_not(None),
        )
        .values(claimed_until=until)
        .returning(col(OutboxMessage.id))
    )
    return set(session.execute(statement).scalars())


def _mine(session: Session, row_id: int, worker: str) -> OutboxMessage | None:
    row = session.get(OutboxMessage, row_id)
    return row if row is not None and row.claimed_by == worker else None


def mark_sent(session: Session, row_id: int, worker: str, now: datetime, provider_id: str) -> None:
    row = _mine(session, row_id, worker)
    if row is not None:
        row.status, row.sent_at, row.provider_message_id = OutboxStatus.SENT, now, provider_id[:64]
        row.attempts += 1
        row.claimed_until = None


def mark_progress(session: Session, row_id: int, worker: str, pieces: int) -> bool:
    """`pieces` of the row's text went out; False when the row is no longer this worker's."""
    row = _mine(session, row_id, worker)
    if row is not None:
        row.pieces_sent = pieces
    return row is not None


def mark_retry(session: Session, row_id: int, worker: str, at: datetime, error: str) -> None:
    row = _mine(session, row_id, worker)
    if row is not None:
        row.attempts += 1
        row.next_attempt_at, row.last_error, row.claimed_until = at, error[:ERROR_LENGTH], None


def mark_failed(session: Session, row_id: int, worker: str, now: datetime, error: str) -> OutboxMessage | None:
    row = _mine(session, row_id, worker)
    if row is not None:
        row.attempts += 1
        row.status, row.last_error, row.claimed_until = OutboxStatus.FAILED, error[:ERROR_LENGTH], None
    return row
