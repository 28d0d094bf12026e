"""/signed [KỲ]: a focal point attaches the signed, stamped công văn (a PDF or a photo: on
Zalo, a photo) to its agency's submitted report of the period. The office finds it listed
in the consolidated report's annex. The channel's file id is stored with it, and the bytes are
asked for (`models/downloads/kept`): the channel fetches them, so the office on another
messenger and the web can download the letter too."""

from __future__ import annotations

from sqlmodel import select

from handlers import forms
from handlers.attach import checked_file
from handlers.commands import FOCAL_AND_ADMIN, Command
from handlers.context import Ctx
from handlers.forms import Answer, Done, Flow, Outcome, Stay, Step
from handlers.office import period_title
from handlers.types import Reply
from models.activities.files import attach
from models.downloads import kept
from models.errors import RuleError
from models.office.board import choose_period
from models.office.export.data import SIGNED_ITEM
from models.reporting.submissions import record_item
from models.reporting.tables import ReportItem, Submission, SubmissionStatus

SENT = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


def start_signed(ctx: Ctx, args: str) -> list[Reply]:
    assert ctx.agency is not None and ctx.agency.id is not None
    try:
        chosen = choose_period(ctx.session, ctx.programme, ctx.programme_id, args, ctx.now)
    except RuleError as error:
        return [Reply(ctx.error(error))]
    query = select(Submission).where(Submission.period_id == chosen.row.id, Submission.agency_id == ctx.agency.id)
    submission = ctx.session.exec(query).first()
    name = period_title(ctx, chosen)
    if submission is None or submission.status not in SENT:
        return [ctx.say("signed.no_submission", name=name, agency=ctx.agency.name)]
    return forms.begin(ctx, "signed", {"submission": submission.id, "name": name})


def _file_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("signed.ask_file", name=forms.data(ctx)["name"]))


def _file_accept(ctx: Ctx, answer: Answer) -> Outcome:
    stored = checked_file(ctx, answer)
    if isinstance(stored, Stay):
        return stored
    assert ctx.person is not None
    values = forms.data(ctx)
    name = stored.name or ctx.t("attach.unnamed")
    record_item(ctx.session, values["submission"], SIGNED_ITEM, ctx.now, text=name[:255])
    item = ctx.session.exec(select(ReportItem).where(ReportItem.submission_id == values["submission"], ReportItem.code == SIGNED_ITEM)).one()
    row = attach(ctx.session, ctx.programme_id, ctx.person.id, ctx.incoming.channel, stored, ctx.now, report_item_id=item.id)
    kept.want(ctx.session, row.id, ctx.now)
    return Done([ctx.say("signed.saved", file=name, name=values["name"])])


SIGNED_FORM = Flow(name="signed", first="file", steps={"file": Step(_file_prompt, _file_accept, free_text=True, back=False)})

COMMANDS = (
    Command("signed", start_signed, FOCAL_AND_ADMIN, "help.signed", forms=(SIGNED_FORM,)),
)
