"""Attaching a file (the minutes, a photo) to an activity or to a report item.

Only the channel's file id and metadata are stored; the messenger keeps the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.activities.tables import Activity, ActivityPartner, Attachment
from models.errors import RuleError

MB = 1024 * 1024
DEFAULT_LIMIT = 20 * MB
"""What a Telegram bot may download through getFile (the Bot API's 20 MB)."""


@dataclass(frozen=True)
class StoredFile:
    ref: str
    unique_ref: str | None = None
    name: str | None = None
    mime: str | None = None
    size: int | None = None


def stated_size_valid(size: object) -> bool:
    """A size a channel states is a whole number of bytes, not negative, or none at all: a
    client can put anything in an update (-1, "20", 1.5, true)."""
    return size is None or (type(size) is int and size >= 0)


def too_big(size: int | None, limit: int) -> bool:
    """A file the channel did not size is let through: the limit is then the channel's own."""
    return size is not None and size > limit


def attachable_activity(session: Session, programme_id: int, agency_id: int, number: int) -> Activity:
    """Activity `number`, if the agency leads it or is a partner in it."""
    activity = session.get(Activity, number)
    if activity is None or activity.programme_id != programme_id:
        raise RuleError("attach.unknown_activity", number=number)
    if activity.lead_agency_id != agency_id and session.get(ActivityPartner, (number, agency_id)) is None:
        raise RuleError("attach.not_yours", number=number)
    return activity


def attach(
    session: Session,
    programme_id: int,
    person_id: int | None,
    channel: str,
    file: StoredFile,
    now: datetime,
    activity_id: int | None = None,
    report_item_id: int | None = None,
) -> Attachment:
    """Store one file against exactly one activity or one report item."""
    if (activity_id is None) == (report_item_id is None):
        raise ValueError("an attachment belongs to one activity or one report item")
    row = Attachment(
        programme_id=programme_id,
        person_id=person_id,
        channel=channel,
        file_ref=file.ref,
        file_unique_ref=file.unique_ref,
        name=file.name[:255] if file.name else None,
        mime=file.mime[:100] if file.mime else None,
        size=file.size,
        activity_id=activity_id,
        report_item_id=report_item_id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def attachment_counts(session: Session, activity_ids: list[int]) -> dict[int, int]:
    if not activity_ids:
        return {}
    query = (
        select(Attachment.activity_id, func.count())
        .where(col(Attachment.activity_id).in_(activity_ids))
        .group_by(col(Attachment.activity_id))
    )
    return {activity_id: count for activity_id, count in session.exec(query) if activity_id is not None}
