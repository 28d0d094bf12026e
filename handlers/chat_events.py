"""What a channel learns about a chat outside any conversation: the bot added to a group,
the chat gone (a 403, the bot removed from the group or blocked), a group with a new id, an
answer the channel would not take (kept for the outbox sender).

The engine handles each in its own unit of work, once per update (`ConversationEngine.
chat_event`), as it does a message; a channel only says what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from handlers.types import Reply
from locales.catalogue import DEFAULT_LANGUAGE, t
from models.outbox.groups import move_group
from models.outbox.notify import Account, keep_reply
from models.people.reachability import mark_unreachable


@dataclass(frozen=True)
class ChatEvent:
    """A change to a chat the bot need not act on, only remember (so a redelivery of
    `update_ref` is recognised); the subclasses are those it acts on."""

    channel: str
    chat_ref: str
    update_ref: str | None = None


@dataclass(frozen=True)
class ChatGone(ChatEvent):
    """The chat will not take our messages: the person or group behind it is deactivated
    and the LHH office told."""


@dataclass(frozen=True)
class BotAdded(ChatEvent):
    """The bot was added to a group: the group is told how to bind it to an agency."""


@dataclass(frozen=True, kw_only=True)
class ChatMoved(ChatEvent):
    """The group goes on under `new_ref` (Telegram: a group upgraded to a supergroup)."""

    new_ref: str


@dataclass(frozen=True, kw_only=True)
class ReplyKept(ChatEvent):
    """An answer the channel kept failing to take (a server error): it goes to the outbox
    under `key`, from the piece after the `pieces_sent` already delivered."""

    key: str
    text: str
    pieces_sent: int
    photo_url: str | None = None
    """A picture to send from this URL, `text` what goes instead if it keeps failing."""


def on_chat_event(session: Session, event: ChatEvent, now: datetime) -> list[Reply]:
    """Apply `event`; the replies go to its chat."""
    if isinstance(event, ChatGone):
        mark_unreachable(session, event.channel, event.chat_ref, now)
    elif isinstance(event, ChatMoved):
        move_group(session, event.channel, event.chat_ref, event.new_ref)
    elif isinstance(event, ReplyKept):
        keep_reply(session, event.key, Account(event.channel, event.chat_ref), event.text, event.pieces_sent, now, event.photo_url)
    elif isinstance(event, BotAdded):
        return [Reply(t("groups.added", DEFAULT_LANGUAGE))]
    return []
