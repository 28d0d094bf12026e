"""People: the roster by agency and seat, a page of agencies at a time (of one kind, or
all), and a person's card. Whom /people serves reads them; whom /invite serves (the admins,
to whom the chat's /people offers its buttons) deactivates a person once confirmed, undoes
it while the seat is free, and issues a fresh invite for a seat, shown with its code and
join link to copy. Every action is the chat's (`handlers.people_admin`, `handlers.invite`):
the same rules, the same log, the same outbox rows."""

from __future__ import annotations

from sqlmodel import col, select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.telegram import CHANNEL as TELEGRAM
from bot.telegram import start_link
from bot.web.pages.common import NavLink, may, page, refusal, render
from handlers.context import Ctx
from handlers.invite import expiry, invite_notes
from handlers.people_admin import put_back, reinvite, stop
from locales.catalogue import localised
from locales.formats import format_date, format_moment
from models.errors import RuleError
from models.people.agency_seats import agency_seats_page
from models.people.invites import IssuedInvite, holders_of
from models.people.tables import Invite, Person, Role
from models.programme.tables import Agency, AgencyKind

ACT = "invite"
"""The chat command whose roles may act on the roster (the admins)."""
PER_PAGE = 20
INVITABLE = (Role.LEADER, Role.SPECIALIST, Role.ADMIN, Role.VIEWER)
DONE = {"deactivated": ("people.deactivated", False), "reactivated": ("people.reactivated", True)}
"""What the card says after an action (`?done=`), while the person is still as it left them."""


def _kinds(ctx: Ctx) -> dict[str, str]:
    query = select(AgencyKind).where(AgencyKind.programme_id == ctx.programme_id, AgencyKind.active == True)  # noqa: E712
    return {kind.code: localised(kind.name, kind.name_en, ctx.lang) for kind in ctx.session.exec(query.order_by(col(AgencyKind.id)))}


def _page_number(request: Request) -> int:
    wanted = request.query_params.get("page", "1")
    return max(int(wanted), 1) - 1 if wanted.isdigit() and len(wanted) < 6 else 0


def _roster(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    kinds = _kinds(ctx)
    kind = request.query_params.get("kind", "")
    kind = kind if kind in kinds else ""
    wanted = _page_number(request)
    found, total = agency_seats_page(ctx.session, ctx.programme_id, ctx.programme.focal_points, kind or None, wanted, PER_PAGE)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    if wanted >= pages:
        wanted = pages - 1
        found, total = agency_seats_page(ctx.session, ctx.programme_id, ctx.programme.focal_points, kind or None, wanted, PER_PAGE)
    return render(
        request,
        "people_roster.html",
        ctx.lang,
        agencies=found,
        total=total,
        kinds=kinds,
        kind=kind,
        number=wanted + 1,
        pages=pages,
        can_act=may(ctx, ACT),
        can_open_agency=may(ctx, "status"),
        invitable=INVITABLE,
        since=lambda person: format_date(person.created_at.astimezone(ctx.now.tzinfo).date(), ctx.lang),
    )


def _person_of(request: Request, ctx: Ctx) -> tuple[Person, Agency] | None:
    person = ctx.session.get(Person, request.path_params["id"])
    if person is None or person.programme_id != ctx.programme_id:
        return None
    agency = ctx.session.get(Agency, person.agency_id)
    return (person, agency) if agency is not None else None


def _card(request: Request, ctx: Ctx, person: Person, agency: Agency, status_code: int = 200, note: str | None = None) -> Response:
    key, active = DONE.get(request.query_params.get("done", ""), (None, None))
    done = key if active is person.active else None
    return render(
        request,
        "person.html",
        ctx.lang,
        status_code=status_code,
        person=person,
        agency=agency,
        note=note or (ctx.t(done, name=person.full_name, agency=agency.name) if done else None),
        since=format_date(person.created_at.astimezone(ctx.now.tzinfo).date(), ctx.lang),
        stopped=format_moment(person.deactivated_at.astimezone(ctx.now.tzinfo), ctx.lang) if person.deactivated_at else None,
        can_act=may(ctx, ACT) and person.role in INVITABLE,
        yourself=ctx.person is not None and ctx.person.id == person.id,
    )


def _person(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    found = _person_of(request, ctx)
    if found is None:
        return refusal(request, "web.not_found", 404, ctx.lang)
    return _card(request, ctx, *found)


def _confirm(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    """The question the chat asks before deactivating, with its one button."""
    found = _person_of(request, ctx)
    if found is None:
        return refusal(request, "web.not_found", 404, ctx.lang)
    person, agency = found
    if not person.active or (ctx.person is not None and ctx.person.id == person.id):
        return _card(request, ctx, person, agency)
    text = ctx.t("people.deactivate_confirm", name=person.full_name, role=ctx.t(f"role.{person.role}"), agency=agency.name)
    return render(request, "person_confirm.html", ctx.lang, person=person, text=text)


def _deactivate(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    found = _person_of(request, ctx)
    if found is None:
        return refusal(request, "web.not_found", 404, ctx.lang)
    person, agency = found
    try:
        stop(ctx, person)
    except RuleError as error:
        return _card(request, ctx, person, agency, 400, ctx.error(error))
    return RedirectResponse(f"/people/{person.id}?done=deactivated", status_code=303)


def _reactivate(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    found = _person_of(request, ctx)
    if found is None:
        return refusal(request, "web.not_found", 404, ctx.lang)
    person, agency = found
    if person.active:
        return _card(request, ctx, person, agency)
    try:
        put_back(ctx, person)
    except RuleError as error:
        return _card(request, ctx, person, agency, 409, ctx.error(error))
    return RedirectResponse(f"/people/{person.id}?done=reactivated", status_code=303)


def _invite(request: Request, ctx: Ctx, form: FormData | None) -> Response:
    """A fresh invite for the seat the form names; then the invite's page (so a reload
    does not make another)."""
    assert form is not None
    agency = ctx.session.exec(select(Agency).where(Agency.programme_id == ctx.programme_id, Agency.code == str(form.get("agency") or ""))).first()
    role = next((role for role in INVITABLE if role.value == form.get("role")), None)
    if agency is None or role is None:
        return refusal(request, "web.not_found", 404, ctx.lang)
    try:
        issued = reinvite(ctx, agency, role)
    except RuleError as error:
        return render(request, "message.html", ctx.lang, status_code=400, message=ctx.error(error), back="/people")
    return RedirectResponse(f"/people/invites/{issued.invite.id}", status_code=303)


def _shown_invite(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    """An invite's code, its join link and the warnings the chat's /invite gives, to copy."""
    invite = ctx.session.get(Invite, request.path_params["id"])
    agency = ctx.session.get(Agency, invite.agency_id) if invite is not None else None
    if invite is None or agency is None or invite.programme_id != ctx.programme_id:
        return refusal(request, "web.not_found", 404, ctx.lang)
    usable = invite.used_at is None and invite.expires_at > ctx.now
    issued = IssuedInvite(invite, agency, holders_of(ctx.session, agency.id, invite.role))
    username = request.app.state.bot_names.get(TELEGRAM)
    return render(
        request,
        "invite_code.html",
        ctx.lang,
        invite=invite,
        agency=agency,
        usable=usable,
        role=ctx.t(f"web.role_{invite.role}"),
        expires=expiry(ctx, invite),
        link=start_link(username, invite.code) if username and usable else None,
        notes=invite_notes(ctx, issued) if usable else [],
    )


ROUTES: list[BaseRoute] = [
    Route("/people", page("people")(_roster), methods=["GET"]),
    Route("/people/invite", page(ACT)(_invite), methods=["POST"]),
    Route("/people/invites/{id:int}", page(ACT)(_shown_invite), methods=["GET"]),
    Route("/people/{id:int}", page("people")(_person), methods=["GET"]),
    Route("/people/{id:int}/deactivate", page(ACT)(_confirm), methods=["GET"]),
    Route("/people/{id:int}/deactivate", page(ACT)(_deactivate), methods=["POST"]),
    Route("/people/{id:int}/reactivate", page(ACT)(_reactivate), methods=["POST"]),
]
NAV = (NavLink("/people", "web.nav_people"),)
