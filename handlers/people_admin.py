"""/people: who is on the roster, with their channels; admins can deactivate a person or
issue a fresh invite for the same seat. Viewers see the list only."""

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
    Stay,
    Step,
    choice_rows,
    step_arg,
)
from handlers.office import OVERSIGHT
from handlers.types import Button, Reply
from locales.formats import format_moment
from models.errors import RuleError
from models.office.board import PersonRow, people_page
from models.people.invites import issue
from models.people.roster import deactivate
from models.people.tables import Person, Role
from models.programme.tables import Agency

PER_PAGE = 10


def show_people(ctx: Ctx, _args: str) -> list[Reply]:
    return forms.begin(ctx, "people", {"page": 0})


def _people_page(ctx: Ctx) -> tuple[list[PersonRow], Pager]:
    """The page of the roster the list stands on (clamped to the last page)."""
    wanted = forms.data(ctx).get("page", 0)
    rows, total = people_page(ctx.session, ctx.programme_id, wanted, PER_PAGE)
    pager = Pager(total, PER_PAGE, wanted)
    if pager.page != wanted:
        rows, _ = people_page(ctx.session, ctx.programme_id, pager.page, PER_PAGE)
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
                agency=row.agency.code,
                channels=channels,
                seen=seen,
            )
        )
        choices.append(Choice(f"{row.person.full_name} · {row.agency.code}", f"p:{row.person.id}"))
    head = ctx.t("people.title", total=pager.total, page=pager.page + 1, pages=pager.pages)
    buttons = choice_rows(choices, per_row=2) if ctx.role is Role.ADMIN else ()
    text = "\n\n".join([head, "\n".join(lines)]) if lines else head
    return Reply(text, buttons + (pager.buttons(ctx),))


def _list_accept(ctx: Ctx, answer: Answer) -> Outcome:
    choice = answer.choice or ""
    if turned := forms.turn_page(ctx, answer):
        return turned
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
    buttons = (Button(ctx.t("people.deactivate"), "deactivate"), Button(ctx.t("people.reinvite"), "reinvite"))
    return Reply(text, (buttons,))


def _person_accept(ctx: Ctx, answer: Answer) -> Outcome:
    person, agency = _person(ctx)
    assert ctx.person is not None
    if answer.choice == "deactivate":
        if person.id == ctx.person.id:
            return Stay(ctx.t("people.not_yourself"))
        if not person.active:
            return Done([ctx.say("people.already_inactive", name=person.full_name)])
        deactivate(ctx.session, person, ctx.now, "deactivated_by_admin", ctx.person.id)
        return Done([ctx.say("people.deactivated", name=person.full_name, agency=agency.code)])
    if answer.choice == "reinvite":
        try:
            issued = issue(ctx.session, agency, person.role, ctx.now, ctx.policy.invite_days, ctx.person)
        except RuleError as error:
            return Done([Reply(ctx.error(error))])
        expires = format_moment(issued.invite.expires_at.astimezone(ctx.now.tzinfo), ctx.lang)
        text = ctx.t("invite.made", code=issued.invite.code, agency=agency.name, role=ctx.t(f"role.{person.role}"), expires=expires)
        return Done([Reply(text, invite_code=issued.invite.code, language=ctx.lang)])
    return Stay(ctx.t("form.pick_a_button"))


PEOPLE_FORM = Flow(
    name="people",
    first="list",
    steps={"list": Step(_list_prompt, _list_accept, back=False), "person": Step(_person_prompt, _person_accept)},
    passive=True,
)

COMMANDS = (
    Command("people", show_people, OVERSIGHT, "help.people", forms=(PEOPLE_FORM,)),
)
