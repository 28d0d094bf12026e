"""The partner agencies of an activity, ticked on a paged list or typed as codes: shared by
/register and by /activity N's "Sửa đơn vị phối hợp". The ticked codes live in the form's
`partners`, the page in `partner_page`."""

from __future__ import annotations

import re
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_
from sqlmodel import col, select

from handlers import forms
from handlers.context import Ctx
from handlers.forms import Answer, Choice, Outcome, Pager, Redo, Stay, choice_rows
from handlers.types import Button, Reply
from models.programme.tables import Agency

PARTNERS_PER_PAGE = 8


class Partner(NamedTuple):
    code: str
    name: str
    is_coordinator: bool


def _may_partner(ctx: Ctx) -> ColumnElement[bool]:
    assert ctx.person is not None
    return and_(col(Agency.programme_id) == ctx.programme_id, col(Agency.active) == True, col(Agency.id) != ctx.person.agency_id)  # noqa: E712


ORDER = (col(Agency.is_coordinator).desc(), col(Agency.id))
"""The LHH first, then the file's order."""


def partner_agencies(ctx: Ctx) -> list[Agency]:
    """Agencies an activity may name as partners, as rows to link."""
    return list(ctx.session.exec(select(Agency).where(_may_partner(ctx)).order_by(*ORDER)))


def partner_choices(ctx: Ctx) -> list[Partner]:
    """The same agencies as codes and names, not ORM objects: the form's steps read the
    forty-odd agencies on every press."""
    query = select(Agency.code, Agency.name, Agency.is_coordinator).where(_may_partner(ctx)).order_by(*ORDER)
    return [Partner(code, name, coordinator) for code, name, coordinator in ctx.session.exec(query)]


def first_suggestions(ctx: Ctx) -> list[str]:
    """What a new activity starts with ticked: the LHH (seed 000 Điều 9: the LHH hears of
    the coordination it is to sum up), unless the LHH registers it itself."""
    return [agency.code for agency in partner_choices(ctx) if agency.is_coordinator][:1]


def picker_prompt(ctx: Ctx, head: str) -> Reply:
    values = forms.data(ctx)
    agencies = partner_choices(ctx)
    pager = Pager(len(agencies), PARTNERS_PER_PAGE, values.get("partner_page", 0))
    chosen = set(values["partners"])
    choices = [Choice(("✓ " if a.code in chosen else "") + f"{a.name} ({a.code})", f"p:{a.code}") for a in pager.slice(agencies)]
    rows = choice_rows(choices) + (pager.buttons(ctx), (Button(ctx.t("register.partners_done"), "ok"),))
    names = [a.name for a in agencies if a.code in chosen]
    picked = ctx.t("register.partners_chosen", names=", ".join(names)) if names else ctx.t("register.partners_none")
    return Reply(ctx.t(head, page=pager.page + 1, pages=pager.pages) + "\n" + picked, rows)


def picker_accept(ctx: Ctx, answer: Answer) -> Outcome | None:
    """A tick, a page turned or codes typed; None when the person chose «Xong»."""
    values = forms.data(ctx)
    choice = answer.choice or ""
    if choice == "ok":
        return None
    if turned := forms.turn_page(ctx, answer, "partner_page"):
        return turned
    if choice.startswith("p:"):
        code = choice[2:]
        partners = [chosen for chosen in values["partners"] if chosen != code]
        if len(partners) == len(values["partners"]):
            partners.append(code)
        forms.remember(ctx, partners=partners)
        return Redo()
    return _typed_partners(ctx, answer.text or "")


def _typed_partners(ctx: Ctx, text: str) -> Outcome | None:
    """Codes typed as a list ('SYT, SNV') add to those ticked; an unknown code is named and
    the known ones are kept."""
    known = {agency.code for agency in partner_choices(ctx)}
    codes = [part.strip().upper() for part in re.split(r"[,;\s]+", text) if part.strip()]
    unknown = [code for code in codes if code not in known]
    if not codes or len(unknown) == len(codes):
        return Stay(ctx.t("register.partners_unknown", codes=", ".join(unknown) or text))
    forms.remember(ctx, partners=list(dict.fromkeys([*forms.data(ctx)["partners"], *(c for c in codes if c in known)])))
    if unknown:
        return Stay(ctx.t("forms.partners_some_unknown", codes=", ".join(unknown)))
    return None
