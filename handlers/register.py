"""/register: a coordination activity, step by step, with a summary to confirm."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import col, select

from handlers import forms
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
from handlers.partner_picker import Partner, first_suggestions, partner_choices, picker_accept, picker_prompt
from handlers.types import Button, Reply
from locales.formats import format_date, format_number
from models.activities.register import (
    PLACE_LENGTH,
    TITLE_LENGTH,
    Draft,
    chosen_catalogue,
    clean_text,
    parse_participants,
    register,
    tell_partners,
)
from models.errors import RuleError
from models.programme.typed_days import read_day
from models.programme.periods import add_years
from models.programme.tables import ActivityType, Agency

YEARS_EITHER_SIDE = 2


def start_register(ctx: Ctx, _args: str) -> list[Reply]:
    return forms.begin(ctx, "register", {"partners": first_suggestions(ctx)})


def active_types(ctx: Ctx) -> list[ActivityType]:
    query = select(ActivityType).where(ActivityType.programme_id == ctx.programme_id, ActivityType.active == True)
    return list(ctx.session.exec(query.order_by(col(ActivityType.position))))


def _current(ctx: Ctx, key: str) -> str:
    value = forms.data(ctx).get(key)
    return "\n" + ctx.t("form.current", value=value) if value else ""


def type_prompt(ctx: Ctx, key: str) -> Reply:
    """The catalogue's active activity types to choose from (/register, /activity N)."""
    choices = [Choice(ctx.name_of(kind.name, kind.name_en), f"t:{kind.code}") for kind in active_types(ctx)]
    return Reply(ctx.t(key), choice_rows(choices))


def chosen_type(ctx: Ctx, answer: Answer) -> ActivityType | None:
    code = (answer.choice or "").removeprefix("t:")
    return next((kind for kind in active_types(ctx) if kind.code == code), None)


def _type_prompt(ctx: Ctx) -> Reply:
    return type_prompt(ctx, "register.ask_type")


def _type_accept(ctx: Ctx, answer: Answer) -> Outcome:
    kind = chosen_type(ctx, answer)
    if kind is None:
        return Stay(ctx.t("form.pick_a_button"))
    forms.remember(ctx, type=kind.code, type_name=ctx.name_of(kind.name, kind.name_en))
    return Go("title")


def _title_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("register.ask_title", least=TITLE_LENGTH[0], most=TITLE_LENGTH[1]) + _current(ctx, "title"))


def _title_accept(ctx: Ctx, answer: Answer) -> Outcome:
    try:
        forms.remember(ctx, title=clean_text(answer.text or "", TITLE_LENGTH, "register.title_length"))
    except RuleError as error:
        return Stay(ctx.error(error))
    return Go("date")


def _date_prompt(ctx: Ctx) -> Reply:
    shown = forms.data(ctx).get("date")
    current = format_date(date.fromisoformat(shown), ctx.lang) if shown else None
    text = ctx.t("register.ask_date", example=format_date(ctx.today, "vi"))
    return Reply(text + ("\n" + ctx.t("form.current", value=current) if current else ""))


def _date_accept(ctx: Ctx, answer: Answer) -> Outcome:
    try:
        day = read_day(answer.text or "", ctx.today, nearest=True)
    except RuleError as error:
        return Stay(ctx.error(error))
    earliest, latest = add_years(ctx.today, -YEARS_EITHER_SIDE), add_years(ctx.today, YEARS_EITHER_SIDE)
    if not earliest <= day <= latest:
        return Stay(ctx.t("register.date_range", earliest=format_date(earliest, ctx.lang), latest=format_date(latest, ctx.lang)))
    forms.remember(ctx, date=day.isoformat())
    return Go("place")


def _place_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("register.ask_place") + _current(ctx, "place"))


def _place_accept(ctx: Ctx, answer: Answer) -> Outcome:
    try:
        forms.remember(ctx, place=clean_text(answer.text or "", PLACE_LENGTH, "register.place_length"))
    except RuleError as error:
        return Stay(ctx.error(error))
    return Go("partners")


def _partners_prompt(ctx: Ctx) -> Reply:
    return picker_prompt(ctx, "register.ask_partners")


def _partners_accept(ctx: Ctx, answer: Answer) -> Outcome:
    return picker_accept(ctx, answer) or Go("participants")


def _participants_prompt(ctx: Ctx) -> Reply:
    current = forms.data(ctx).get("participants")
    shown = format_number(current, ctx.lang) if current is not None else None
    text = ctx.t("register.ask_participants") + ("\n" + ctx.t("form.current", value=shown) if shown else "")
    return Reply(text, ((Button(ctx.t("register.skip"), "skip"),),))


def _participants_accept(ctx: Ctx, answer: Answer) -> Outcome:
    if answer.choice == "skip":
        forms.remember(ctx, participants=None)
        return Go("confirm")
    try:
        forms.remember(ctx, participants=parse_participants(answer.text or ""))
    except RuleError as error:
        return Stay(ctx.error(error))
    return Go("confirm")


def _summary(ctx: Ctx, agencies: Sequence[Partner | Agency]) -> str:
    values = forms.data(ctx)
    names = {agency.code: agency.name for agency in agencies}
    partners = ", ".join(names.get(code, code) for code in values["partners"]) or ctx.t("register.none")
    participants = values.get("participants")
    return ctx.t(
        "register.summary",
        type=values["type_name"],
        title=values["title"],
        date=format_date(date.fromisoformat(values["date"]), ctx.lang),
        place=values["place"],
        partners=partners,
        participants=format_number(participants, ctx.lang) if participants is not None else ctx.t("register.none"),
    )


def _confirm_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("register.confirm") + "\n\n" + _summary(ctx, partner_choices(ctx)), ((Button(ctx.t("register.save"), "save"),),))


def _confirm_accept(ctx: Ctx, answer: Answer) -> Outcome:
    if answer.choice != "save":
        return Stay(ctx.t("form.pick_a_button"))
    values = forms.data(ctx)
    assert ctx.agency is not None and ctx.person is not None
    kind, named = chosen_catalogue(ctx.session, ctx.programme_id, values["type"], values["partners"], ctx.person.agency_id)
    if kind is None or any(code not in named for code in values["partners"]):
        return Stay(ctx.t("register.catalogue_changed"))
    assert kind.id is not None
    draft = Draft(
        type_id=kind.id,
        title=values["title"],
        day=date.fromisoformat(values["date"]),
        place=values["place"],
        partner_ids=tuple(named[code].id for code in values["partners"]),
        participants=values.get("participants"),
    )
    summary = _summary(ctx, list(named.values()))
    activity = register(ctx.session, ctx.programme_id, ctx.agency, draft, ctx.person.id, ctx.today, ctx.now)
    partners = [named[code] for code in values["partners"]]
    tell_partners(ctx.session, ctx.programme_id, activity, ctx.agency, partners, ctx.now, ctx.programme.reminders.policy())
    saved = ctx.t("register.saved", number=activity.id) + "\n\n" + summary
    return Done([Reply(saved + ("\n\n" + ctx.t("register.partners_told") if partners else ""))])


REGISTER_FORM = Flow(
    name="register",
    first="type",
    steps={
        "type": Step(_type_prompt, _type_accept, back=False),
        "title": Step(_title_prompt, _title_accept, free_text=True),
        "date": Step(_date_prompt, _date_accept, free_text=True),
        "place": Step(_place_prompt, _place_accept, free_text=True),
        "partners": Step(_partners_prompt, _partners_accept),
        "participants": Step(_participants_prompt, _participants_accept, free_text=True),
        "confirm": Step(_confirm_prompt, _confirm_accept),
    },
)

COMMANDS = (
    Command("register", start_register, FOCAL_AND_ADMIN, "help.register", forms=(REGISTER_FORM,)),
)
