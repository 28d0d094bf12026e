"""The Telegram Mini App's `initData`, checked as Telegram documents it
(https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):
secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token); the data-check-string is every
received field but `hash`, as `key=value` sorted by key and joined by newlines; the hash is
HMAC_SHA256(key=secret_key, msg=data-check-string) in hex. `auth_date` must be fresh."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl

MAX_AGE = timedelta(hours=1)
CLOCK_SKEW = timedelta(minutes=5)


class InitDataRefused(ValueError):
    """Why the initData was refused: 'missing_hash', 'forged', 'no_date', 'stale', 'no_user'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class MiniAppUser:
    telegram_id: str
    language_code: str | None
    auth_date: datetime


def secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign(fields: dict[str, str], bot_token: str) -> str:
    """The `hash` Telegram would put beside these fields (the tests build initData with it)."""
    return hmac.new(secret_key(bot_token), data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def validate(init_data: str, bot_token: str, now: datetime, max_age: timedelta = MAX_AGE) -> MiniAppUser:
    """The Telegram user the initData speaks for, or InitDataRefused."""
    fields = dict(parse_qsl(init_data, keep_blank_values=True))
    received = fields.get("hash")
    if not received:
        raise InitDataRefused("missing_hash")
    if not hmac.compare_digest(sign(fields, bot_token), received.lower()):
        raise InitDataRefused("forged")
    auth_date = _auth_date(fields)
    if not now - max_age <= auth_date <= now + CLOCK_SKEW:
        raise InitDataRefused("stale")
    return _user(fields, auth_date)


def _auth_date(fields: dict[str, str]) -> datetime:
    try:
        return datetime.fromtimestamp(int(fields["auth_date"]), timezone.utc)
    except (KeyError, ValueError, OverflowError):
        raise InitDataRefused("no_date") from None


def _user(fields: dict[str, str], auth_date: datetime) -> MiniAppUser:
    try:
        user = json.loads(fields["user"])
        telegram_id = user["id"]
    except (KeyError, ValueError, TypeError):
        raise InitDataRefused("no_user") from None
    if not isinstance(telegram_id, int) or isinstance(telegram_id, bool):
        raise InitDataRefused("no_user")
    language = user.get("language_code")
    return MiniAppUser(str(telegram_id), language if isinstance(language, str) else None, auth_date)
