"""Sign-in links for the web: `/web` in the chat issues one (valid LINK_MINUTES, single use);
opening it redeems it. Only the SHA-256 of the token is stored, so the table never holds a
working link."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from models.people.tables import Person
from models.web.tables import SignInLink

LINK_MINUTES = 10


class Refused(StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    INACTIVE = "inactive"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(session: Session, person_id: int, now: datetime) -> str:
    """A fresh token for `person_id`; only its hash is kept. Spent and expired rows of the
    person are removed at the same time."""
    for old in session.exec(select(SignInLink).where(SignInLink.person_id == person_id)):
        if old.used_at is not None or old.expires_at <= now:
            session.delete(old)
    token = secrets.token_urlsafe(32)
    session.add(SignInLink(token_hash=token_hash(token), person_id=person_id, created_at=now, expires_at=now + timedelta(minutes=LINK_MINUTES)))
    return token


def redeem(session: Session, token: str, now: datetime) -> Person | Refused:
    """The active person the token signs in, the link spent in the same transaction; or why not."""
    link = session.exec(select(SignInLink).where(col(SignInLink.token_hash) == token_hash(token)).with_for_update()).first()
    if link is None:
        return Refused.UNKNOWN
    person = session.get(Person, link.person_id)
    if link.used_at is not None:
        return Refused.USED
    if link.expires_at <= now:
        return Refused.EXPIRED
    if person is None or not person.active:
        return Refused.INACTIVE
    link.used_at = now
    session.add(link)
    return person


def language_of_link(session: Session, token: str) -> str | None:
    """The language of the person a (refused) link was issued to, to explain in it."""
    link = session.exec(select(SignInLink).where(col(SignInLink.token_hash) == token_hash(token))).first()
    person = session.get(Person, link.person_id) if link else None
    return person.language if person else None
