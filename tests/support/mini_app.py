"""Telegram Mini App initData for the tests, built from Telegram's documented recipe alone
(not from the code under test)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timezone
from urllib.parse import urlencode

TOKEN = "123456:TEST-token"
NOW = datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)


def telegram_init_data(token: str = TOKEN, auth_date: datetime = NOW, **extra: str) -> str:
    """initData as Telegram builds it, computed here from the documented recipe alone."""
    fields = {"auth_date": str(int(auth_date.timestamp())), "query_id": "AAH", "user": json.dumps({"id": 4242, "first_name": "Lan", "language_code": "vi"}), **extra}
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)
