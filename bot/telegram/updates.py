"""Updates read one by one, so that one Telegram update python-telegram-bot cannot read does
not stop the others.

python-telegram-bot reads a getUpdates answer as a whole: one update it cannot parse fails
the batch, the same offset is asked for again and again, and every try logs the whole
batch (texts, names, invite codes). `ReadingBot` reads each update of the answer on its
own and puts an empty update (its update_id only) in the place of one that fails, so the
offset moves past it and the rest are handled. The webhook reads its one update the same
way. A skipped update is recorded by its update_id and the kind of error, never its
contents, in a log line written at most once a minute (with how many more were skipped).
"""

from __future__ import annotations

import json
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE, DefaultValue
from telegram._utils.types import ODVInput
from telegram.ext import ExtBot

from bot.telegram.http import AiohttpRequest

log = logging.getLogger(__name__)

LOG_EVERY = 60.0
RECORDED = 100
SENDING_CONNECTIONS = 256


class SkippedUpdates:
    """The updates skipped, as (update_id, error kind); the log line, rate-limited."""

    def __init__(self, every: float = LOG_EVERY, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self.monotonic = monotonic
        self.recorded: deque[tuple[int | None, str]] = deque(maxlen=RECORDED)
        self.unlogged = 0
        self.logged_at: float | None = None

    def skip(self, update_id: int | None, error: BaseException) -> None:
        self.recorded.append((update_id, type(error).__name__))
        self.unlogged += 1
        now = self.monotonic()
        if self.logged_at is not None and now - self.logged_at < self.every:
            return
        log.warning(
            "a Telegram update could not be read and was skipped: update_id %s (%s); %d skipped since the last such line",
            update_id,
            type(error).__name__,
            self.unlogged,
        )
        self.logged_at, self.unlogged = now, 0


SKIPPED = SkippedUpdates()


def readable(data: Any, bot: ExtBot[None], skipped: SkippedUpdates = SKIPPED) -> Update | None:
    """`data` read as an Update; else an empty update (its update id only) when it has one,
    or None."""
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        update_id = None
    try:
        return Update.de_json(data, bot)
    except Exception as error:  # noqa: BLE001 - whatever the library raises, the update is skipped
        skipped.skip(update_id, error)
    return None if update_id is None else Update.de_json({"update_id": update_id}, bot)


def read_posted(body: bytes, bot: ExtBot[None], skipped: SkippedUpdates = SKIPPED) -> Update | None:
    """The update POSTed to the webhook, an empty one if it cannot be read, None if it is not
    even JSON with an update id."""
    try:
        data = json.loads(body)
    except ValueError as error:
        skipped.skip(None, error)
        return None
    return readable(data, bot, skipped)


class ReadingBot(ExtBot[None]):
    """ExtBot whose getUpdates answer is read update by update (`readable`), each once."""

    __slots__ = ()

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: float | timedelta | None = None,
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: dict[str, Any] | None = None,
        **timeouts: Any,
    ) -> tuple[Update, ...]:
        """As python-telegram-bot's: the long poll's `timeout` added to the read timeout."""
        polled = timeout.total_seconds() if isinstance(timeout, timedelta) else timeout or 0
        reading = self._request[0].read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        data = {"timeout": timeout, "offset": offset, "limit": limit, "allowed_updates": allowed_updates}
        result = await self._post("getUpdates", data, read_timeout=(reading or 0) + polled, api_kwargs=api_kwargs, **timeouts)
        updates = tuple(update for item in result if (update := readable(item, self)) is not None)
        for update in updates:
            self.insert_callback_data(update)
        return updates


def reading_bot(token: str, api_url: str, file_url: str) -> ReadingBot:
    return ReadingBot(
        token,
        base_url=api_url,
        base_file_url=file_url,
        request=AiohttpRequest(SENDING_CONNECTIONS),
        get_updates_request=AiohttpRequest(1),
    )
