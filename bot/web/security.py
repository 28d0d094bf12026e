"""Signed values, the session cookie, CSRF tokens and the security headers of every page.

The session cookie holds `{"p": person id, "n": nonce, "t": issued}` signed with
HMAC-SHA256 under WEB_SECRET_KEY; it is good for SESSION_HOURS from `t` by the engine's
clock. A form's CSRF token is the HMAC of the session's nonce, so it dies with the session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

SESSION_COOKIE = "phoihop_session"
SESSION_HOURS = 8
CSRF_FIELD = "csrf"
FRAME_NONE = "'none'"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Signer:
    """HMAC-SHA256 signatures of small JSON values under one key and purpose."""

    key: bytes

    def mac(self, purpose: str, text: str) -> str:
        return _b64(hmac.new(self.key, f"{purpose}:{text}".encode(), hashlib.sha256).digest())

    def sign(self, purpose: str, value: dict[str, Any]) -> str:
        body = _b64(json.dumps(value, separators=(",", ":"), sort_keys=True).encode())
        return f"{body}.{self.mac(purpose, body)}"

    def unsign(self, purpose: str, signed: str) -> dict[str, Any] | None:
        body, _, mac = signed.partition(".")
        if not mac or not hmac.compare_digest(mac, self.mac(purpose, body)):
            return None
        try:
            value = json.loads(_unb64(body))
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class WebSession:
    person_id: int
    nonce: str
    issued: datetime

    def expired(self, now: datetime) -> bool:
        return now >= self.issued + timedelta(hours=SESSION_HOURS) or now < self.issued - timedelta(minutes=5)


def new_session(signer: Signer, person_id: int, now: datetime) -> str:
    return signer.sign("session", {"p": person_id, "n": secrets.token_urlsafe(16), "t": int(now.timestamp())})


def read_session(signer: Signer, cookie: str | None, now: datetime) -> WebSession | None:
    """The cookie's session if its signature is right and it has not expired."""
    value = signer.unsign("session", cookie) if cookie else None
    if value is None or not isinstance(value.get("p"), int) or not isinstance(value.get("t"), int):
        return None
    session = WebSession(value["p"], str(value.get("n", "")), datetime.fromtimestamp(value["t"], now.tzinfo))
    return None if session.expired(now) else session


def csrf_token(signer: Signer, session: WebSession) -> str:
    return signer.mac("csrf", session.nonce)


def csrf_ok(signer: Signer, session: WebSession | None, given: object) -> bool:
    return session is not None and isinstance(given, str) and hmac.compare_digest(given, csrf_token(signer, session))


def security_headers(frame_ancestors: str = FRAME_NONE) -> dict[str, str]:
    """The headers of every response. `frame_ancestors` is the hook for a page that must be
    framed (a Telegram Mini App in Telegram Web): a route sets `request.state.frame_ancestors`."""
    csp = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors {frame_ancestors}"
    )
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
    if frame_ancestors == FRAME_NONE:
        headers["X-Frame-Options"] = "DENY"
    return headers
