"""Every table, imported once so that SQLModel's metadata (and Alembic) sees them all."""

from models.activities.tables import Activity, ActivityPartner, ActivityStatus, Attachment
from models.conversations.tables import Conversation, ProcessedUpdate
from models.office.tables import PeriodReport
from models.outbox.tables import GroupChat, OutboxMessage, OutboxStatus
from models.people.tables import ChannelIdentity, CodeAttempt, Invite, LinkCode, Person, ProcessingLog, Role
from models.programme.tables import ActivityType, Agency, AgencyKind, Indicator, ProgrammeRecord
from models.reporting.tables import AssignedTask, Period, ReportItem, Submission, SubmissionActivity, SubmissionStatus, TaskAssignment
from models.downloads.tables import KeptFile, WebFile, WebFileUse
from models.web.tables import SignInLink
from models.tvpb.tables import CouncilSeat, Expert, TvpbPart, TvpbStageLog, TvpbTask

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
    "CodeAttempt",
    "CouncilSeat",
    "Expert",
    "Conversation",
    "GroupChat",
    "Indicator",
    "Invite",
    "KeptFile",
    "LinkCode",
    "OutboxMessage",
    "OutboxStatus",
    "Person",
    "Period",
    "PeriodReport",
    "ProcessedUpdate",
    "ProcessingLog",
    "ProgrammeRecord",
    "ReportItem",
    "Role",
    "SignInLink",
    "Submission",
    "SubmissionActivity",
    "SubmissionStatus",
    "TaskAssignment",
    "WebFile",
    "WebFileUse",
    "TvpbPart",
    "TvpbStageLog",
    "TvpbTask",
]
