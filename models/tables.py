"""Every table, imported once so that SQLModel's metadata (and Alembic) sees them all."""

from models.activities import Activity, ActivityPartner, ActivityStatus
from models.attachments import Attachment
from models.catalogue import (
    ActivityType,
    Agency,
    AgencyKind,
    AssignedTask,
    Indicator,
    ProgrammeRecord,
    TaskAssignment,
)
from models.conversation import Conversation, ProcessedUpdate
from models.groups import GroupChat
from models.outbox import OutboxMessage, OutboxStatus
from models.people import ChannelIdentity, Invite, LinkCode, Person, ProcessingLog, Role
from models.reporting import (
    Period,
    ReportItem,
    Submission,
    SubmissionActivity,
    SubmissionStatus,
)

__all__ = [
    "Activity",
    "ActivityPartner",
    "ActivityStatus",
    "ActivityType",
    "Attachment",
    "Agency",
    "AgencyKind",
    "AssignedTask",
    "ChannelIdentity",
    "Conversation",
    "GroupChat",
    "Indicator",
    "Invite",
    "LinkCode",
    "OutboxMessage",
    "OutboxStatus",
    "Person",
    "Period",
    "ProcessedUpdate",
    "ProcessingLog",
    "ProgrammeRecord",
    "ReportItem",
    "Role",
    "Submission",
    "SubmissionActivity",
    "SubmissionStatus",
    "TaskAssignment",
]
