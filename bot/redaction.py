"""Keeping tokens, webhook secrets and what people write out of the logs.

The Bot API puts the token in every URL (https://api.telegram.org/bot<TOKEN>/sendMessage):
httpx logs those URLs at INFO, and python-telegram-bot names the token in a few messages
and exceptions. The request lines are silenced, and whatever still reaches a handler has
the secrets replaced. python-telegram-bot's lines that print whole updates or API calls
(texts, names, invite codes; at DEBUG, and at CRITICAL for a batch it cannot parse) are
dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

QUIET_LOGGERS = ("httpx", "httpcore")
CONTENTS = frozenset(
    {
        "Calling Bot API endpoint `%s` with parameters `%s`",
        "Call to Bot API endpoint `%s` finished with return value `%s`",
        "Error while parsing updates! Received data was %r",
        "Processing update %s",
        "Dropping pending update: %s",
        "Webhook received data: %s",
    }
)
"""python-telegram-bot's messages that print what people wrote."""
MASK = "«redacted»"


class Redactor(logging.Filter):
    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self.secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and record.msg in CONTENTS:
            return False
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the handler's to report, not ours
            return True
        clean = self.scrub(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info:
            record.exc_text = self.scrub(record.exc_text or logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        return True


def protect_logs(secrets: Iterable[str | None], handlers: Iterable[logging.Handler] | None = None) -> Redactor:
    """Silence the request lines and redact `secrets` in every handler (default: the root's)."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    redactor = Redactor(secrets)
    targets = list(handlers) if handlers is not None else [*logging.getLogger().handlers, logging.lastResort]
    for handler in targets:
        if handler is not None:
            handler.addFilter(redactor)
    return redactor
