"""What is forgotten every night: the traces strangers leave before they consent (a consent
notice they walked away from, a language they chose) and old update references.

Nothing personal is kept without consent (Law 91/2025/QH15): a stranger's conversation row
holds only their chat and user ids, and goes once it has been still for `STRANGER_DAYS`
(the default life of an invite). Update references are needed only while a messenger may
deliver an update again (Telegram: 24 hours).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, exists, not_
from sqlmodel import Session, col

from models.conversations.tables import Conversation, ProcessedUpdate
from models.people.tables import ChannelIdentity

STRANGER_DAYS = 7
UPDATE_DAYS = 7


@dataclass(frozen=True)
class Purged:
    conversations: int
    updates: int


def purge(session: Session, now: datetime) -> Purged:
    member = exists().where(
        and_(col(ChannelIdentity.channel) == Conversation.channel, col(ChannelIdentity.user_ref) == Conversation.user_ref)
    )
    strangers = delete(Conversation).where(col(Conversation.updated_at) < now - timedelta(days=STRANGER_DAYS), not_(member))
    updates = delete(ProcessedUpdate).where(col(ProcessedUpdate.at) < now - timedelta(days=UPDATE_DAYS))
    return Purged(session.exec(strangers).rowcount, session.exec(updates).rowcount)
