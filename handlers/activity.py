"""/activity N: one activity the agency leads, opened from /activities or by its number:
edit a field (its type and partners too), reschedule, cancel with a reason, or mark it
held (actual date, participants, then its minutes through /attach's file step)."""

from __future__ import annotations

from datetime import date

from handlers import forms
from handlers.commands import FOCAL_AND_ADMIN, Command
from handlers.context import Ctx
from handlers.forms import Answer, Choice, Done, Flow, Go, Outcome, Stay, Step, Switched, choice_rows
from handlers.partner_picker import partner_agencies, picker_accept, picker_prompt
from handlers.register import chosen_type, type_prompt
from handlers.types import Button, Reply
from locales.formats import format_date, format_number
from models.activities.life import (
    REASON_LENGTH,
    cancel,
    edit,
    mark_held,
    own_activity,
    partners_of,
    reschedule,
    set_partners,
    tell_named,
)
from models.activities.register import PLACE_LENGTH, TITLE_LENGTH, clean_text, parse_participants
from models.activities.tables import Activity, ActivityStatus
from models.errors import RuleError
from models.programme.periods import add_years
from models.programme.tables import ActivityType, Agency
from models.programme.typed_days import read_day

LONGEST_NUMBER = 9
YEARS_BACK = 2
LENGTHS = {"title": (TITLE_LENGTH, "register.title_length"), "place": (PLACE_LENGTH, "register.place_length")}


def start_activity(ctx: Ctx, args: str) -> list[Reply]:
    number = args.strip().lstrip("#")
    if not number:
        return _run(ctx, "activities", "")
    if not number.isdecimal() or len(number) > LONGEST_NUMBER:
        return [ctx.say("attach.bad_number", text=args.strip())]
    return open_activity(ctx, int(number))


def open_activity(ctx: Ctx, number: int) -> list[Reply]:
    try:
        activity = _own(ctx, number)
    except RuleError as error:
        return [Reply(ctx.error(error))]
    if activity.status is ActivityStatus.CANCELLED:
        return [Reply(_card(ctx, activity))]
    return forms.begin(ctx, "activity", {"activity": activity.id})


def _own(ctx: Ctx, number: int) -> Activity:
    assert ctx.agency is not None and ctx.agency.id is not None
    return own_activity(ctx.session, ctx.programme_id, ctx.agency.id, number)


def _current(ctx: Ctx) -> Activity:
    return _own(ctx, int(forms.data(ctx)["activity"]))


def _card(ctx: Ctx, activity: Activity) -> str:
    people = activity.participants
    text = ctx.t(
        "activity.card",
        number=activity.id,
        title=activity.title,
        status=ctx.t(f"activity_status.{activity.status}"),
        date=format_date(activity.actual_date or activity.planned_date, ctx.lang),
        place=activity.place,
        participants=format_number(people, ctx.lang) if people is not None else ctx.t("register.none"),
    )
    kind = ctx.session.get(ActivityType, activity.type_id)
    if kind is not None:
        text += "\n" + ctx.t("conv.card_type", type=ctx.name_of(kind.name, kind.name_en))
    partners = ", ".join(agency.name for agency in partners_of(ctx.session, activity.id)) or ctx.t("register.none")
    text += "\n" + ctx.t("conv.card_partners", names=partners)
    if activity.cancel_reason:
        text += "\n" + ctx.t("activity.cancel_reason", reason=activity.cancel_reason)
    return text


def _menu_prompt(ctx: Ctx) -> Reply:
    activity = _current(ctx)
    keys = ["edit:title", "edit:place", "edit:participants", "edit:type", "edit:partners"]
    if activity.status is ActivityStatus.PLANNED:
        keys.append("reschedule")
    keys += ["held", "drop", "minutes"]
    choices = [Choice(ctx.t(f"activity.do_{key.replace(':', '_')}"), key) for key in keys]
    return Reply(_card(ctx, activity) + "\n\n" + ctx.t("activity.ask_action"), choice_rows(choices))


def _menu_accept(ctx: Ctx, answer: Answer) -> Outcome:
    choice = answer.choice or ""
    if choice == "minutes":
        return Switched(_run(ctx, "attach", str(_current(ctx).id)))
    if choice == "edit:participants":
        return Go("participants")
    if choice == "edit:type":
        return Go("type")
    if choice == "edit:partners":
        forms.remember(ctx, partners=[agency.code for agency in partners_of(ctx.session, _current(ctx).id)], partner_page=0)
        return Go("partners")
    if choice.startswith("edit:"):
        return Go(f"text:{choice[5:]}")
    if choice == "reschedule":
        return Go("reschedule")
    if choice == "held":
        return Go("held")
    if choice == "drop":
        return Go("drop")
    return Stay(ctx.t("form.pick_a_button"))


def _run(ctx: Ctx, flow: str, args: str) -> list[Reply]:
    """Start the form another module owns, as its command would (/activities, /attach N)."""
    command = ctx.wiring.opener(flow)
    assert command is not None
    return command.handler(ctx, args)


def _saved(ctx: Ctx, activity: Activity, key: str, kind: str = "changed", added: tuple[Agency, ...] = ()) -> Done:
    """The change saved: its partners told (or their digest fed), those it now names told
    they are named, and the card shown."""
    assert ctx.agency is not None
    policy = ctx.programme.reminders.policy()
    partners = partners_of(ctx.session, activity.id)
    kept = [agency for agency in partners if agency not in added]
    tell_named(ctx.session, ctx.programme_id, activity, ctx.agency, kept, kind, ctx.now, policy)
    tell_named(ctx.session, ctx.programme_id, activity, ctx.agency, list(added), "added", ctx.now, policy)
    told = "\n\n" + ctx.t("register.partners_told") if partners else ""
    return Done([Reply(ctx.t(key, number=activity.id) + "\n\n" + _card(ctx, activity) + told)])


def _type_prompt(ctx: Ctx) -> Reply:
    return type_prompt(ctx, "conv.ask_type")


def _type_accept(ctx: Ctx, answer: Answer) -> Outcome:
    kind = chosen_type(ctx, answer)
    if kind is None:
        return Stay(ctx.t("form.pick_a_button"))
    try:
        activity = _current(ctx)
        edit(activity, "type_id", kind.id, ctx.now)
    except RuleError as error:
        return Stay(ctx.error(error))
    return _saved(ctx, activity, "activity.edited")


def _partners_prompt(ctx: Ctx) -> Reply:
    return picker_prompt(ctx, "conv.ask_partners")


def _partners_accept(ctx: Ctx, answer: Answer) -> Outcome:
    picked = picker_accept(ctx, answer)
    if picked is not None:
        return picked
    wanted = set(forms.data(ctx)["partners"])
    try:
        activity = _current(ctx)
        added, removed = set_partners(ctx.session, activity, [a for a in partner_agencies(ctx) if a.code in wanted], ctx.now)
    except RuleError as error:
        return Stay(ctx.error(error))
    assert ctx.agency is not None
    policy = ctx.programme.reminders.policy()
    tell_named(ctx.session, ctx.programme_id, activity, ctx.agency, removed, "removed", ctx.now, policy, digest=False)
    if not added and not removed:
        return Done([Reply(ctx.t("conv.partners_unchanged", number=activity.id) + "\n\n" + _card(ctx, activity))])
    return _saved(ctx, activity, "activity.edited", added=tuple(added))


def _text_prompt(ctx: Ctx) -> Reply:
    field = forms.step_arg(ctx)
    bounds = LENGTHS[field][0]
    current = getattr(_current(ctx), field)
    return Reply(ctx.t(f"activity.ask_{field}", least=bounds[0], most=bounds[1]) + "\n" + ctx.t("form.current", value=current))


def _text_accept(ctx: Ctx, answer: Answer) -> Outcome:
    field = forms.step_arg(ctx)
    bounds, key = LENGTHS[field]
    try:
        value = clean_text(answer.text or "", bounds, key)
        activity = _current(ctx)
        edit(activity, field, value, ctx.now)
    except RuleError as error:
        return Stay(ctx.error(error))
    return _saved(ctx, activity, "activity.edited")


def _participants_prompt(ctx: Ctx) -> Reply:
    current = _current(ctx).participants
    shown = format_number(current, ctx.lang) if current is not None else ctx.t("register.none")
    return Reply(ctx.t("register.ask_participants") + "\n" + ctx.t("form.current", value=shown))


def _participants_accept(ctx: Ctx, answer: Answer) -> Outcome:
    try:
        people = parse_participants(answer.text or "")
        activity = _current(ctx)
        edit(activity, "participants", people, ctx.now)
    except RuleError as error:
        return Stay(ctx.error(error))
    return _saved(ctx, activity, "activity.edited")


def _day(ctx: Ctx, text: str, future: bool = False) -> date:
    day = read_day(text, ctx.today, future)
    earliest, latest = add_years(ctx.today, -YEARS_BACK), add_years(ctx.today, YEARS_BACK)
    if not earliest <= day <= latest:
        raise RuleError("register.date_range", earliest=format_date(earliest, ctx.lang), latest=format_date(latest, ctx.lang))
    return day


def _reschedule_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("activity.ask_new_date", example=format_date(ctx.today, "vi")))


def _reschedule_accept(ctx: Ctx, answer: Answer) -> Outcome:
    try:
        day = _day(ctx, answer.text or "", future=True)
        activity = _current(ctx)
        reschedule(activity, day, ctx.today, ctx.now)
    except RuleError as error:
        return Stay(ctx.error(error))
    return _saved(ctx, activity, "activity.rescheduled")


def _cancel_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("activity.ask_reason", least=REASON_LENGTH[0], most=REASON_LENGTH[1]))


def _cancel_accept(ctx: Ctx, answer: Answer) -> Outcome:
    try:
        reason = clean_text(answer.text or "", REASON_LENGTH, "activity.reason_length")
        activity = _current(ctx)
        cancel(activity, reason, ctx.now)
    except RuleError as error:
        return Stay(ctx.error(error))
    return _saved(ctx, activity, "activity.cancelled", "cancelled")


def _held_prompt(ctx: Ctx) -> Reply:
    planned = _current(ctx).planned_date
    buttons = ((Button(ctx.t("activity.on_planned_day", date=format_date(planned, ctx.lang)), "planned"),),) if planned <= ctx.today else ()
    return Reply(ctx.t("activity.ask_held_date", example=format_date(ctx.today, "vi")), buttons)


def _held_accept(ctx: Ctx, answer: Answer) -> Outcome:
    try:
        day = _current(ctx).planned_date if answer.choice == "planned" else _day(ctx, answer.text or "")
    except RuleError as error:
        return Stay(ctx.error(error))
    if day > ctx.today:
        return Stay(ctx.t("activity.held_future"))
    forms.remember(ctx, held=day.isoformat())
    return Go("held_people")


def _held_people_prompt(ctx: Ctx) -> Reply:
    current = _current(ctx).participants
    buttons: tuple[tuple[Button, ...], ...] = ()
    if current is not None:
        buttons = ((Button(ctx.t("activity.keep_participants", count=format_number(current, ctx.lang)), "keep"),),)
    return Reply(ctx.t("activity.ask_held_participants"), buttons)


def _held_people_accept(ctx: Ctx, answer: Answer) -> Outcome:
    try:
        people = None if answer.choice == "keep" else parse_participants(answer.text or "")
        activity = _current(ctx)
        mark_held(activity, date.fromisoformat(forms.data(ctx)["held"]), people, ctx.today, ctx.now)
    except RuleError as error:
        return Stay(ctx.error(error))
    held = _saved(ctx, activity, "activity.held", "held").replies
    return Switched(held + _run(ctx, "attach", str(activity.id)))


ACTIVITY_FORM = Flow(
    name="activity",
    first="menu",
    steps={
        "menu": Step(_menu_prompt, _menu_accept, back=False),
        "text": Step(_text_prompt, _text_accept, free_text=True),
        "participants": Step(_participants_prompt, _participants_accept, free_text=True),
        "type": Step(_type_prompt, _type_accept),
        "partners": Step(_partners_prompt, _partners_accept),
        "reschedule": Step(_reschedule_prompt, _reschedule_accept, free_text=True),
        "drop": Step(_cancel_prompt, _cancel_accept, free_text=True),
        "held": Step(_held_prompt, _held_accept, free_text=True),
        "held_people": Step(_held_people_prompt, _held_people_accept, free_text=True),
    },
)

COMMANDS = (
    Command("activity", start_activity, FOCAL_AND_ADMIN, "help.activity", forms=(ACTIVITY_FORM,)),
)
