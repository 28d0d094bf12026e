"""What a channel learns outside any conversation, each in its own unit of work: an update
the engine never sees (already handled?), a chat gone (a 403, the bot removed or blocked),
a group with a new id, and the admins' chats (for their command menus)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from handlers.engine import ConversationEngine
from models.conversations.tables import ProcessedUpdate
from models.db.engine import session_scope
from models.outbox.groups import move_group
from models.people.reachability import mark_unreachable
from models.people.roster import admin_chats


def first_delivery(engine: ConversationEngine, channel: str, update_ref: str) -> bool:
    """Record an update the engine does not see (a membership change); False if it was
    recorded before, so a redelivery does nothing twice."""
    try:
        with session_scope(engine.db) as session:
            session.add(ProcessedUpdate(channel=channel, update_ref=update_ref, at=engine.clock()))
    except IntegrityError:
        return False
    return True


def chat_gone(engine: ConversationEngine, channel: str, chat_ref: str) -> bool:
    """Deactivate the person or group behind the chat and tell the office; False if it
    already was inactive or is unknown."""
    with session_scope(engine.db) as session:
        return mark_unreachable(session, channel, chat_ref, engine.clock()) is not None


def group_moved(engine: ConversationEngine, channel: str, old_ref: str, new_ref: str) -> bool:
    with session_scope(engine.db) as session:
        return move_group(session, channel, old_ref, new_ref)


def office_chats(engine: ConversationEngine, channel: str) -> list[tuple[str, str]]:
    """(private chat, language) of the admins reachable on `channel`."""
    with session_scope(engine.db) as session:
        return admin_chats(session, engine.served(session).id, channel)
