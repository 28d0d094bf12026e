"""What Zalo POSTs to the webhook (served by `bot/web/webhooks`, on the web app's port).

Zalo sends the secret given to setWebhook in the X-Bot-Api-Secret-Token header of every
request. A request without it, or with another value, is refused with 403 and nothing in it
is looked at; an accepted update is answered 200 at once and handled in the background.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot.zalo.client import Json
from bot.zalo.incoming import unwrap

SECRET_HEADER = "X-Bot-Api-Secret-Token"


def accept(receive: Callable[[Json], None], body: bytes) -> dict[str, Any] | None:
    """Hand the update in `body` to `receive`; None (400) if it is not one."""
    try:
        update = unwrap(json.loads(body))
    except ValueError:
        update = None
    if update is None:
        return None
    receive(update)
    return {"message": "Success"}
