"""/activities: the agency's activities, newest first, a page at a time."""

from __future__ import annotations

from handlers import forms
from handlers.commands import AGENCY_READERS, FOCAL_AND_ADMIN, Command
from handlers.context import Ctx
from handlers.forms import Answer, Choice, Flow, Outcome, Pager, Step, Switched, choice_rows
from handlers.types import Button, Reply
from locales.formats import format_date, format_number
from models.activities.register import ActivityView, page_of_activities
from models.activities.tables import ActivityStatus
from models.people.tables import Role

PER_PAGE = 5


def list_activities(ctx: Ctx, _args: str) -> list[Reply]:
    return forms.begin(ctx, "activities", {"page": 0})


def _line(ctx: Ctx, item: ActivityView) -> str:
    partners = ", ".join(item.partner_names) or ctx.t("register.none")
    participants = format_number(item.participants, ctx.lang) if item.participants is not None else ctx.t("register.none")
    line = ctx.t(
        "activities.item",
        number=item.id,
        date=format_date(item.day, ctx.lang),
        status=ctx.t(f"activity_status.{item.status}"),
        type=ctx.name_of(item.type_name, item.type_name_en),
        title=item.title,
        place=item.place,
        participants=participants,
        lead=item.lead_name,
        partners=partners,
    )
    if ctx.agency is not None and item.lead_id != ctx.agency.id:
        line += "\n" + ctx.t("activities.registered_by", lead=item.lead_name, agency=ctx.agency.name)
    return line + "\n" + ctx.t("activities.attachments", count=item.files) if item.files else line


def activity_page(ctx: Ctx) -> tuple[list[ActivityView], Pager]:
    """The page of the agency's activities the form stands on (clamped to the last page)."""
    assert ctx.agency is not None and ctx.agency.id is not None
    wanted = forms.data(ctx)["page"]
    views, total = page_of_activities(ctx.session, ctx.agency.id, wanted, PER_PAGE)
    pager = Pager(total, PER_PAGE, wanted)
    if pager.page != wanted:
        views, _ = page_of_activities(ctx.session, ctx.agency.id, pager.page, PER_PAGE)
    return views, pager


def _prompt(ctx: Ctx) -> Reply:
    assert ctx.agency is not None
    views, pager = activity_page(ctx)
    total = pager.total
    if not total:
        key = "activities.none_to_read" if ctx.role is Role.AGENCY_VIEWER else "activities.none"
        return Reply(ctx.t(key, agency=ctx.agency.name))
    head = ctx.t("activities.title", agency=ctx.agency.name, total=total, page=pager.page + 1, pages=pager.pages)
    body = "\n\n".join(_line(ctx, item) for item in views)
    return Reply(head + "\n\n" + body, _open_buttons(ctx, views) + (pager.buttons(ctx),))


def _open_buttons(ctx: Ctx, views: list[ActivityView]) -> tuple[tuple[Button, ...], ...]:
    """A focal point opens the activities their agency leads (a partner reads the others)."""
    if ctx.role not in FOCAL_AND_ADMIN or ctx.agency is None:
        return ()
    mine = [item for item in views if item.lead_id == ctx.agency.id and item.status is not ActivityStatus.CANCELLED]
    return choice_rows([Choice(ctx.t("activities.open", number=item.id), f"o:{item.id}") for item in mine])


def _page_accept(ctx: Ctx, answer: Answer) -> Outcome:
    choice = answer.choice or ""
    if choice.startswith("o:") and choice[2:].isdecimal():
        command = ctx.wiring.opener("activity")
        assert command is not None
        return Switched(command.handler(ctx, choice[2:]))
    return forms.paging_only(ctx, answer)


ACTIVITIES_FORM = Flow(
    name="activities", first="page", steps={"page": Step(_prompt, _page_accept, back=False)}, passive=True, cancel=False
)

COMMANDS = (
    Command("activities", list_activities, AGENCY_READERS, "help.activities", forms=(ACTIVITIES_FORM,)),
)
