"""Publishing a file to one person behind a signed link, and opening it: the signature and
the expiry checked (`signing.read`), the file one the link's person owns, each opening logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, update
from sqlmodel import Session, col, delete, select

from models.people.tables import ChannelIdentity
from models.downloads import signing
from models.downloads.signing import LinkRefused, SignedRef
from models.downloads.tables import WebFile, WebFileUse

LINK_HOURS = 24
USE_LOG_KEPT = timedelta(days=365)


def publish(
    session: Session, person_id: int, filename: str, mime: str, content: bytes, now: datetime, hours: int = LINK_HOURS
) -> WebFile:
    row = WebFile(person_id=person_id, filename=filename, mime=mime, content=content, created_at=now, expires_at=now + timedelta(hours=hours))
    session.add(row)
    session.flush()
    return row


def token(secret: str, row: WebFile, kind: str) -> str:
    return signing.sign(secret, SignedRef(kind, row.id, row.person_id, row.expires_at))


def open_signed(session: Session, secret: str, link: str, kind: str, now: datetime, viewer_id: int | None = None) -> WebFile:
    """The file a valid link of `kind` opens, logged; LinkRefused otherwise. `viewer_id`, the
    person signed in on the web if anyone is: a link issued to someone else is refused."""
    try:
        ref = signing.read(secret, link, now)
    except ValueError as refused:
        raise refused if isinstance(refused, LinkRefused) else LinkRefused("tampered") from None
    if ref.kind != kind:
        raise LinkRefused("tampered")
    if viewer_id is not None and viewer_id != ref.person_id:
        raise LinkRefused("another_person")
    row = session.get(WebFile, ref.file_id)
    if row is None or row.person_id != ref.person_id:
        raise LinkRefused("unknown")
    session.add(WebFileUse(web_file_id=row.id, person_id=ref.person_id, via=kind, used_at=now))
    session.flush()
    return row


def person_of_chat(session: Session, channel: str, chat_ref: str) -> int | None:
    """The person whose private chat this is, if it is one."""
    return session.exec(
        select(ChannelIdentity.person_id).where(ChannelIdentity.channel == channel, ChannelIdentity.chat_ref == chat_ref, col(ChannelIdentity.active))
    ).first()


@dataclass(frozen=True)
class PurgedFiles:
    emptied: int
    """Expired files whose copy of the bytes was deleted."""
    uses: int
    """Openings older than the use log is kept."""
    rows: int
    """Expired files with no opening left in the log, forgotten."""


def purge_expired(session: Session, now: datetime, log_kept: timedelta = USE_LOG_KEPT) -> PurgedFiles:
    """An expired link's file is a copy nobody may open: its bytes go at once. Who opened
    what, and when, is the processing log the law asks for: it is kept `log_kept`
    (WEB_FILE_LOG_DAYS), with the file's name and person, then forgotten."""
    uses = session.exec(delete(WebFileUse).where(col(WebFileUse.used_at) <= now - log_kept))
    emptied = session.exec(update(WebFile).where(col(WebFile.expires_at) <= now, col(WebFile.content) != b"").values(content=b""))
    logged = exists().where(col(WebFileUse.web_file_id) == WebFile.id)
    rows = session.exec(delete(WebFile).where(col(WebFile.expires_at) <= now, ~logged))
    return PurgedFiles(int(emptied.rowcount or 0), int(uses.rowcount or 0), int(rows.rowcount or 0))
