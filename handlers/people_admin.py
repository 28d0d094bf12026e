"""/people: who is on the roster, with their channels; admins can correct a person's name,
deactivate them (once confirmed, and undone from the same message, or later from the
list of those deactivated, while their seat is free) or issue a fresh invite for the same
seat. Viewers see the lists only."""

from __future__ import annotations

from handlers import forms
from handlers.commands import Command
from handlers.context import Ctx
from handlers.forms import (
    Answer,
    Choice,
    Done,
    Flow,
    Go,
    Outcome,
    Pager,
    Redo,
    Stay,
    Step,
    choice_rows,
    step_arg,
)
from handlers.office import OVERSIGHT
from handlers.types import Button, Reply
from handlers.invite import invite_reply
from locales.formats import format_moment
from models.errors import RuleError
from models.office.board import PersonRow, people_page
from models.people.invites import IssuedInvite, issue
from models.people.roster import deactivate, validate_full_name
from models.people.seats import reactivate, rename
from models.people.tables import Person, Role
from models.programme.tables import Agency

PER_PAGE = 10


def show_people(ctx: Ctx, _args: str) -> list[Reply]:
    return forms.begin(ctx, "people", {"page": 0})


def _people_page(ctx: Ctx) -> tuple[list[PersonRow], Pager]:
    """The page of the roster the list stands on (clamped to the last page)."""
    wanted = forms.data(ctx).get("page", 0)
    active = not forms.data(ctx).get("inactive", False)
    rows, total = people_page(ctx.session, ctx.programme_id, wanted, PER_PAGE, active)
    pager = Pager(total, PER_PAGE, wanted)
    if pager.page != wanted:
        rows, _ = people_page(ctx.session, ctx.programme_id, pager.page, PER_PAGE, active)
    return rows, pager


def _list_prompt(ctx: Ctx) -> Reply:
    rows, pager = _people_page(ctx)
    lines = []
    choices = []
    for row in rows:
        seen = format_moment(row.last_seen.astimezone(ctx.now.tzinfo), ctx.lang) if row.last_seen else "—"
        channels = ", ".join(row.channels) or ctx.t("people.no_channel")
        lines.append(
            ctx.t(
                "people.line",
                name=row.person.full_name,
                role=ctx.t(f"role.{row.person.role}"),
                agency=row.agency.name,
                channels=channels,
                seen=seen,
            )
        )
        choices.append(Choice(f"{row.person.full_name} · {row.agency.code}", f"p:{row.person.id}"))
    inactive = forms.data(ctx).get("inactive", False)
    head = ctx.t("conv.inactive_title" if inactive else "people.title", total=pager.total, page=pager.page + 1, pages=pager.pages)
    buttons = choice_rows(choices, per_row=2) if ctx.role is Role.ADMIN else ()
    switch = Button(ctx.t("conv.show_active" if inactive else "conv.show_inactive"), "active" if inactive else "inactive")
    text = "\n\n".join([head, "\n".join(lines)]) if lines else head
    return Reply(text, buttons + (pager.buttons(ctx), (switch,) if ctx.role is Role.ADMIN else ()))


def _list_accept(ctx: Ctx, answer: Answer) -> Outcome:
    choice = answer.choice or ""
    if turned := forms.turn_page(ctx, answer):
        return turned
    if choice in ("active", "inactive") and ctx.role is Role.ADMIN:
        forms.remember(ctx, inactive=choice == "inactive", page=0)
        return Redo()
    if choice.startswith("p:") and ctx.role is Role.ADMIN:
        return Go(f"person:{choice[2:]}")
    return Stay(ctx.t("form.pick_a_button"))


def _person(ctx: Ctx) -> tuple[Person, Agency]:
    person = ctx.session.get(Person, int(step_arg(ctx)))
    assert person is not None and person.programme_id == ctx.programme_id
    agency = ctx.session.get(Agency, person.agency_id)
    assert agency is not None
    return person, agency


def _person_prompt(ctx: Ctx) -> Reply:
    person, agency = _person(ctx)
    text = ctx.t(
        "people.detail",
        name=person.full_name,
        role=ctx.t(f"role.{person.role}"),
        agency=agency.name,
        active=ctx.t("people.active" if person.active else "people.inactive"),
    )
    if not person.active:
        text += "\n\n" + ctx.t("people.undo_hint")
    status = Button(ctx.t("people.deactivate"), "deactivate") if person.active else Button(ctx.t("people.reactivate"), "reactivate")
    return Reply(text, ((status, Button(ctx.t("people.rename"), "rename")), (Button(ctx.t("people.reinvite"), "reinvite"),)))


def _person_accept(ctx: Ctx, answer: Answer) -> Outcome:
    person, agency = _person(ctx)
    assert ctx.person is not None
    if answer.choice == "deactivate":
        if person.id == ctx.person.id:
            return Stay(ctx.t("people.not_yourself"))
        if not person.active:
            return Done([ctx.say("people.already_inactive", name=person.full_name)])
        return Go(f"deactivate:{person.id}")
    if answer.choice == "reactivate":
        try:
            put_back(ctx, person)
        except RuleError as error:
            return Stay(ctx.error(error))
        return Done([ctx.say("people.reactivated", name=person.full_name, agency=agency.name)])
    if answer.choice == "rename":
        return Go(f"rename:{person.id}")
    if answer.choice == "reinvite":
        try:
            issued = reinvite(ctx, agency, person.role)
        except RuleError as error:
            return Done([Reply(ctx.error(error))])
        return Done([invite_reply(ctx, issued)])
    return Stay(ctx.t("form.pick_a_button"))


def _deactivate_prompt(ctx: Ctx) -> Reply:
    person, agency = _person(ctx)
    text = ctx.t("people.deactivate_confirm", name=person.full_name, role=ctx.t(f"role.{person.role}"), agency=agency.name)
    return Reply(text, ((Button(ctx.t("people.deactivate_yes"), "yes"),),))


def _deactivate_accept(ctx: Ctx, answer: Answer) -> Outcome:
    """Deactivated, then the person's card again: it says so and offers to undo it."""
    person, _agency = _person(ctx)
    if answer.choice != "yes":
        return Stay(ctx.t("form.pick_a_button"))
    try:
        stop(ctx, person)
    except RuleError as error:
        return Done([Reply(ctx.error(error))])
    return Go(f"person:{person.id}")


def stop(ctx: Ctx, person: Person) -> None:
    """The admin speaking stops `person`, once confirmed (the chat's and the web's one way);
    RuleError `people.not_yourself` for their own account."""
    assert ctx.person is not None
    if person.id == ctx.person.id:
        raise RuleError("people.not_yourself")
    if person.active:
        deactivate(ctx.session, person, ctx.now, "deactivated_by_admin", ctx.person.id)


def put_back(ctx: Ctx, person: Person) -> None:
    """Undo a deactivation; RuleError `people.seat_taken` when the seat was filled since."""
    assert ctx.person is not None
    reactivate(ctx.session, person, ctx.now, ctx.programme.focal_points, ctx.person.id)


def reinvite(ctx: Ctx, agency: Agency, role: Role) -> IssuedInvite:
    """A fresh invite for the seat (`agency`, `role`), made by the admin speaking."""
    return issue(ctx.session, agency, role, ctx.now, ctx.policy.invite_days, ctx.person)


def _rename_prompt(ctx: Ctx) -> Reply:
    person, _agency = _person(ctx)
    return Reply(ctx.t("people.ask_name", name=person.full_name), expects_text=True)


def _rename_accept(ctx: Ctx, answer: Answer) -> Outcome:
    person, agency = _person(ctx)
    try:
        name = validate_full_name(answer.text or "")
    except RuleError as error:
        return Stay(ctx.error(error))
    old = rename(ctx.session, person, name, ctx.now, ctx.person.id if ctx.person else None)
    return Done([ctx.say("people.renamed", old=old, name=name, agency=agency.name)])


PEOPLE_FORM = Flow(
    name="people",
    first="list",
    steps={
        "list": Step(_list_prompt, _list_accept, back=False),
        "person": Step(_person_prompt, _person_accept),
        "deactivate": Step(_deactivate_prompt, _deactivate_accept),
        "rename": Step(_rename_prompt, _rename_accept, free_text=True),
    },
    passive=True,
)

COMMANDS = (
    Command("people", show_people, OVERSIGHT, "help.people", forms=(PEOPLE_FORM,)),
)
