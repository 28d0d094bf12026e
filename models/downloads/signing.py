"""Signed, expiring links to one person's file: `<kind>.<file>.<person>.<expires>.<signature>`,
the signature an HMAC-SHA256 of the rest under WEB_SECRET_KEY, compared in constant time.
`kind` ('file' or 'image') is signed too, so a download link cannot open as a picture."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timezone

KINDS = ("file", "image")


class LinkRefused(ValueError):
    """Why a link was refused: 'tampered', 'expired', 'another_person', 'unknown'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignedRef:
    kind: str
    file_id: int
    person_id: int
    expires_at: datetime


def _signature(secret: str, body: str) -> str:
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign(secret: str, ref: SignedRef) -> str:
    if ref.kind not in KINDS:
        raise ValueError(ref.kind)
    body = f"{ref.kind}.{ref.file_id}.{ref.person_id}.{int(ref.expires_at.timestamp())}"
    return f"{body}.{_signature(secret, body)}"


def read(secret: str, token: str, now: datetime) -> SignedRef:
    """What a token signs, once its signature holds and it has not expired."""
    body, _, signature = token.rpartition(".")
    if not body or not hmac.compare_digest(_signature(secret, body).encode(), signature.encode()):
        raise LinkRefused("tampered")
    kind, file_id, person_id, expires = body.split(".")
    ref = SignedRef(kind, int(file_id), int(person_id), datetime.fromtimestamp(int(expires), timezone.utc))
    if now >= ref.expires_at:
        raise LinkRefused("expired")
    return ref
