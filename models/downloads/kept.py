"""The bytes of a signed công văn or a TVPB dossier part, fetched from the messenger that
received it (`kept_file`), so that a person on another messenger gets it as a signed link
and the web serves it.

The handler asks for a file to be kept in the transaction that stores the attachment
(`want`); the channel fetches it (`bot/channels/keeping.py`), each try claimed first so two
workers never fetch one file at once. A failure the messenger may get over is tried again
later (`RETRY_AFTER`), up to `len(RETRY_AFTER)` times; a file too big or neither a PDF nor a
photo is refused for good. The messenger's file id stays on the attachment whatever happens.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from models.activities.tables import Attachment
from models.downloads.tables import KeptFile
from models.office.export.data import SIGNED_ITEM
from models.reporting.tables import ReportItem

WAITING, KEPT, REFUSED, GIVEN_UP = "waiting", "kept", "refused", "given_up"
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1), timedelta(hours=6))
"""The wait after each failed try; past the last one the file is given up."""
CLAIM = timedelta(minutes=5)
"""How long a claimed try holds the file: a worker killed mid-fetch frees it then."""

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniffed_type(content: bytes) -> str | None:
    """The type the bytes themselves show (a PDF, a JPEG, a PNG or a WebP photo), whatever
    the messenger or the file name claims; None for anything else."""
    for magic, mime in SIGNATURES:
        if content.startswith(magic):
            return mime
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def refusal(content: bytes, limit: int) -> str | None:
    """Why these bytes cannot be kept ('too_big', 'not_pdf_or_photo'), or None."""
    if len(content) > limit:
        return "too_big"
    return None if sniffed_type(content) else "not_pdf_or_photo"


@dataclass(frozen=True)
class ToFetch:
    attachment_id: int
    file_ref: str


def want(session: Session, attachment_id: int, now: datetime) -> KeptFile:
    row = KeptFile(attachment_id=attachment_id, state=WAITING, next_try_at=now)
    session.add(row)
    session.flush()
    return row


def due(session: Session, channel: str, now: datetime, limit: int = 20) -> list[ToFetch]:
    """Files received on `channel` waiting to be fetched now, oldest first."""
    query = (
        select(KeptFile.attachment_id, Attachment.file_ref)
        .join(Attachment, col(Attachment.id) == KeptFile.attachment_id)
        .where(KeptFile.state == WAITING, col(KeptFile.next_try_at) <= now, Attachment.channel == channel)
        .order_by(col(KeptFile.next_try_at), col(KeptFile.attachment_id))
        .limit(limit)
    )
    return [ToFetch(attachment_id, file_ref) for attachment_id, file_ref in session.exec(query)]


def claim(session: Session, attachment_id: int, now: datetime) -> bool:
    """Hold the file for one try: one conditional UPDATE, so of two workers one wins."""
    statement = (
        update(KeptFile)
        .where(col(KeptFile.attachment_id) == attachment_id, col(KeptFile.state) == WAITING, col(KeptFile.next_try_at) <= now)
        .values(next_try_at=now + CLAIM)
        .returning(col(KeptFile.attachment_id))
    )
    return session.execute(statement).first() is not None


def store(session: Session, attachment_id: int, content: bytes, limit: int, now: datetime) -> KeptFile:
    """The fetched bytes kept, or the file refused for good (the reason kept with it)."""
    row = session.get_one(KeptFile, attachment_id)
    reason = refusal(content, limit)
    if reason is not None:
        row.state, row.reason = REFUSED, reason
    else:
        row.state, row.reason, row.content, row.mime, row.size, row.kept_at = KEPT, None, content, sniffed_type(content), len(content), now
    session.add(row)
    session.flush()
    return row


def refuse(session: Session, attachment_id: int, reason: str) -> None:
    row = session.get_one(KeptFile, attachment_id)
    row.state, row.reason = REFUSED, reason[:40]
    session.add(row)


def failed(session: Session, attachment_id: int, reason: str, now: datetime) -> KeptFile:
    """One more failed try: tried again after its wait, or given up after the last."""
    row = session.get_one(KeptFile, attachment_id)
    row.attempts += 1
    row.reason = reason[:40]
    if row.attempts > len(RETRY_AFTER):
        row.state = GIVEN_UP
    else:
        row.next_try_at = now + RETRY_AFTER[row.attempts - 1]
    session.add(row)
    session.flush()
    return row


def kept_bytes(session: Session, attachment_id: int) -> KeptFile | None:
    """The attachment's kept row if its bytes are there."""
    row = session.get(KeptFile, attachment_id)
    return row if row is not None and row.state == KEPT and row.content else None


@dataclass(frozen=True)
class SignedFile:
    """A signed công văn of a submission, as the web lists it."""

    attachment_id: int
    name: str | None
    state: str | None


def signed_files(session: Session, submission_ids: list[int]) -> dict[int, list[SignedFile]]:
    """Submission -> its signed letters, in the order they came, with what is kept of each."""
    if not submission_ids:
        return {}
    query = (
        select(ReportItem.submission_id, Attachment.id, Attachment.name, KeptFile.state)
        .join(Attachment, col(Attachment.report_item_id) == ReportItem.id)
        .outerjoin(KeptFile, col(KeptFile.attachment_id) == Attachment.id)
        .where(col(ReportItem.submission_id).in_(submission_ids), ReportItem.code == SIGNED_ITEM)
        .order_by(col(Attachment.id))
    )
    found: dict[int, list[SignedFile]] = defaultdict(list)
    for submission_id, attachment_id, name, state in session.exec(query):
        found[submission_id].append(SignedFile(attachment_id, name, state))
    return found
