"""/signedfile N: the signed công văn attached with /signed, sent back to the office or to
the submitting agency's own focal points. Once its bytes are fetched (`models/downloads/kept`)
the reply carries them: Telegram re-sends the file by its id when it received it, Zalo sends
the person's own signed, expiring link. Before that, the messenger that received the file
re-sends it by id, and any other is told where the fetch stands."""

from __future__ import annotations

from sqlmodel import col, select

from handlers.channels import channel_name
from handlers.commands import FOCAL_AND_ADMIN, Command
from handlers.context import Ctx
from handlers.types import Document, Reply
from models.activities.tables import Attachment
from models.downloads import kept
from models.downloads.tables import KeptFile
from models.office.export.data import SIGNED_ITEM
from models.people.tables import Role
from models.reporting.tables import ReportItem, Submission

OFFICE_ROLES = (Role.ADMIN, Role.VIEWER)


def signed_lines(ctx: Ctx, submission_id: int) -> list[str]:
    """A line per signed letter of the submission, with the command that sends it."""
    query = (
        select(Attachment)
        .join(ReportItem, col(ReportItem.id) == Attachment.report_item_id)
        .where(ReportItem.submission_id == submission_id, ReportItem.code == SIGNED_ITEM)
        .order_by(col(Attachment.id))
    )
    return [ctx.t("signedfile.line", file=row.name or ctx.t("attach.unnamed"), id=row.id) for row in ctx.session.exec(query)]


def may_get(ctx: Ctx, submission: Submission) -> bool:
    """The office's admins and viewers, and the submitting agency's own focal points."""
    if ctx.person is None or ctx.agency is None:
        return False
    if ctx.agency.is_coordinator:
        return ctx.person.role in OFFICE_ROLES
    return ctx.agency.id == submission.agency_id and ctx.person.role in (Role.LEADER, Role.SPECIALIST)


def send_signed(ctx: Ctx, args: str) -> list[Reply]:
    wanted = args.strip().lstrip("#")
    if not wanted.isdigit():
        return [ctx.say("signedfile.usage")]
    query = (
        select(Attachment, Submission)
        .join(ReportItem, col(ReportItem.id) == Attachment.report_item_id)
        .join(Submission, col(Submission.id) == ReportItem.submission_id)
        .where(Attachment.id == int(wanted), Attachment.programme_id == ctx.programme_id, ReportItem.code == SIGNED_ITEM)
    )
    found = ctx.session.exec(query).first()
    if found is None or not may_get(ctx, found[1]):
        return [ctx.say("signedfile.unknown", id=wanted)]
    row = found[0]
    name = row.name or ctx.t("attach.unnamed")
    same_channel = row.channel == ctx.incoming.channel
    held = ctx.session.get(KeptFile, row.id)
    if held is not None and held.state == kept.KEPT and held.content:
        document = Document(name, held.content, held.mime or "application/octet-stream", name, file_ref=row.file_ref if same_channel else None)
        return [Reply(ctx.t("signedfile.sending", file=name), document=document)]
    if not same_channel:
        text = ctx.t("signedfile.other_channel", file=name, channel=channel_name(row.channel))
        return [Reply(f"{text}\n{fetch_state(ctx, held)}")]
    document = Document(name, b"", row.mime or "application/octet-stream", name, file_ref=row.file_ref)
    return [Reply(ctx.t("signedfile.sending", file=name), document=document)]


def fetch_state(ctx: Ctx, held: KeptFile | None) -> str:
    """Where the fetch of a file's bytes stands: coming, or why it will not come."""
    if held is None or held.state == kept.WAITING:
        return ctx.t("files.fetch_waiting")
    if held.reason in ("too_big", "not_pdf_or_photo"):
        return ctx.t(f"files.fetch_{held.reason}", limit=round(ctx.policy.file_limit / (1024 * 1024)))
    return ctx.t("files.fetch_failed")


COMMANDS = (
    Command("signedfile", send_signed, FOCAL_AND_ADMIN | {Role.VIEWER}, "help.signedfile"),
)
