"""The answer when the database did not answer: the try-again text, marked, so that a channel
that can keep the update and handle it later (bot/holding.py) knows to, and any other
channel simply shows the text."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.types import Reply


@dataclass(frozen=True)
class Unavailable(Reply):
    """The database was unavailable: nothing of the update was stored."""


def unavailable(replies: list[Reply]) -> bool:
    return any(isinstance(reply, Unavailable) for reply in replies)
