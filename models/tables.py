"""Every table, imported once so that SQLModel's metadata (and Alembic) sees them all."""

from models.activities import Activity, ActivityPartner, ActivityStatus
from models.catalogue import ActivityType, Agency, AgencyKind, AssignedTask, Indicator, ProgrammeRecord, TaskAssignment
from models.conversation import Conversation, ProcessedUpdate
from models.people import ChannelIdentity, Invite, Person, ProcessingLog, Role
from models.reporting import Period, ReportItem, Submission, SubmissionStatus

__all__ = [
    "Activity",
    "ActivityPartner",
    "ActivityStatus",
    "ActivityType",
    "Agency",
    "AgencyKind",
    "AssignedTask",
    "ChannelIdentity",
    "Conversation",
    "Indicator",
    "Invite",
    "Person",
    "Period",
    "ProcessedUpdate",
    "ProcessingLog",
    "ProgrammeRecord",
    "ReportItem",
    "Role",
    "Submission",
    "SubmissionStatus",
    "TaskAssignment",
]
