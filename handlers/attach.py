"""/attach [N]: a file (the minutes, a photo) for an activity the agency leads or partners in.

Without N the person picks the activity from a list; with N the form starts at "send the
file", and Back returns to the list. Report items will reuse `models.activities.files.attach`.
"""

from __future__ import annotations

from handlers import forms
from handlers.activities import activity_page
from handlers.commands import FOCAL_AND_ADMIN, Command
from handlers.context import Ctx
from handlers.forms import (
    Answer,
    Choice,
    Done,
    Flow,
    Go,
    Outcome,
    Stay,
    Step,
    choice_rows,
)
from handlers.types import Reply
from locales.formats import format_date, format_number
from models.activities.files import MB, StoredFile, attach, attachable_activity, attachment_counts, stated_size_valid, too_big
from models.hidden_characters import has_hidden
from models.activities.register import ActivityView, page_of_activities
from models.activities.tables import Activity
from models.errors import RuleError

PER_PAGE = 5
LABEL_LENGTH = 60
LONGEST_NUMBER = 9


def start_attach(ctx: Ctx, args: str) -> list[Reply]:
    assert ctx.agency is not None and ctx.agency.id is not None
    number = args.strip()
    if number:
        try:
            activity = _activity(ctx, number)
        except RuleError as error:
            return [Reply(ctx.error(error))]
        return forms.begin(ctx, "attach", {"page": 0, "_trail": ["pick"], **_chosen(activity)}, first="file")
    if not page_of_activities(ctx.session, ctx.agency.id, 0, 1)[1]:
        return [ctx.say("attach.no_activities", agency=ctx.agency.name)]
    return forms.begin(ctx, "attach", {"page": 0})


def _activity(ctx: Ctx, text: str) -> Activity:
    """The activity a typed number names. `isdecimal`, not `isdigit`: '²' and '①' are
    digits that int() refuses; a number longer than any id cannot name an activity (and
    int() refuses more than 4,300 digits)."""
    assert ctx.agency is not None and ctx.agency.id is not None
    number = text.strip().lstrip("#")
    if not number.isdecimal():
        raise RuleError("attach.bad_number", text=text)
    if len(number) > LONGEST_NUMBER:
        raise RuleError("attach.unknown_activity", number=number)
    return attachable_activity(ctx.session, ctx.programme_id, ctx.agency.id, int(number))


def _chosen(activity: Activity) -> dict[str, object]:
    return {"activity": activity.id, "title": activity.title}


def _label(ctx: Ctx, item: ActivityView) -> str:
    label = f"#{item.id} · {format_date(item.day, ctx.lang)} · {item.title}"
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"


def _pick_prompt(ctx: Ctx) -> Reply:
    views, pager = activity_page(ctx)
    choices = [Choice(_label(ctx, item), f"a:{item.id}") for item in views]
    text = ctx.t("attach.ask_activity", page=pager.page + 1, pages=pager.pages)
    return Reply(text, choice_rows(choices) + (pager.buttons(ctx),))


def _pick_accept(ctx: Ctx, answer: Answer) -> Outcome:
    choice = answer.choice or ""
    if turned := forms.turn_page(ctx, answer):
        return turned
    try:
        activity = _activity(ctx, choice.removeprefix("a:") if choice else answer.text or "")
    except RuleError as error:
        return Stay(ctx.error(error))
    forms.remember(ctx, **_chosen(activity))
    return Go("file")


def _megabytes(ctx: Ctx, size: int) -> str:
    return format_number(round(size / MB, 1), ctx.lang)


def _file_prompt(ctx: Ctx) -> Reply:
    values = forms.data(ctx)
    return Reply(ctx.t("attach.ask_file", number=values["activity"], title=values["title"], limit=_megabytes(ctx, ctx.policy.file_limit)))


def checked_file(ctx: Ctx, answer: Answer) -> StoredFile | Stay:
    """The file a person sent, or why it cannot be kept (none, a hidden character in its
    name, a size the channel states wrongly, too big)."""
    file = answer.file
    if file is None:
        return Stay(ctx.t("attach.need_file"))
    if file.name and has_hidden(file.name):
        return Stay(ctx.t("attach.hidden_name"))
    if not stated_size_valid(file.size):
        return Stay(ctx.t("attach.bad_size"))
    if too_big(file.size, ctx.policy.file_limit):
        name = file.name or ctx.t("attach.unnamed")
        return Stay(ctx.t("attach.too_big", name=name, size=_megabytes(ctx, file.size or 0), limit=_megabytes(ctx, ctx.policy.file_limit)))
    return StoredFile(file.ref, file.unique_ref, file.name, file.mime, file.size)


def _file_accept(ctx: Ctx, answer: Answer) -> Outcome:
    stored = checked_file(ctx, answer)
    if isinstance(stored, Stay):
        return stored
    name = stored.name or ctx.t("attach.unnamed")
    try:
        activity = _activity(ctx, str(forms.data(ctx)["activity"]))
    except RuleError as error:
        return Done([Reply(ctx.error(error))])
    assert ctx.person is not None and activity.id is not None
    attach(ctx.session, ctx.programme_id, ctx.person.id, ctx.incoming.channel, stored, ctx.now, activity_id=activity.id)
    count = attachment_counts(ctx.session, [activity.id])[activity.id]
    return Done([ctx.say("attach.saved", name=name, number=activity.id, title=activity.title, count=count)])


ATTACH_FORM = Flow(
    name="attach",
    first="pick",
    steps={
        "pick": Step(_pick_prompt, _pick_accept, free_text=True, back=False),
        "file": Step(_file_prompt, _file_accept, free_text=True),
    },
)

COMMANDS = (
    Command("attach", start_attach, FOCAL_AND_ADMIN, "help.attach", forms=(ATTACH_FORM,)),
)
