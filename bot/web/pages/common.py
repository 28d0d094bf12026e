"""What every page uses: who is signed in, a `Ctx` for them (the same the chat builds, so
the same role rules and services apply), the refusal pages, CSRF, rendering."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.security import CSRF_FIELD, SESSION_COOKIE, WebSession, csrf_ok, csrf_token, read_session
from handlers.context import Ctx, Speaker
from handlers.engine import ConversationEngine
from handlers.types import Incoming
from locales.catalogue import DEFAULT_LANGUAGE, t
from models.db.engine import session_scope
from models.people.tables import Person, Role
from models.programme.tables import Agency

WEB_CHANNEL = "web"
PageHandler = Callable[[Request, Ctx, FormData | None], Response]
Endpoint = Callable[[Request], Any]
_COMMAND_OF: dict[Endpoint, str | None] = {}
"""The chat command each `page(command)` endpoint answers as."""


@dataclass(frozen=True)
class NavLink:
    """A page the navigation offers (a module's `NAV`); whom it shows to is not said here
    but read from the `page(command)` of the module's GET route at `path` (`nav_links`)."""

    path: str
    label_key: str
    hidden_from: frozenset[Role] = frozenset()
    """Roles the page itself refuses although its command serves them."""


@dataclass(frozen=True)
class NavEntry:
    path: str
    label_key: str
    command: str | None
    hidden_from: frozenset[Role] = frozenset()


def nav_links(modules: Sequence[ModuleType]) -> list[NavEntry]:
    """Each module's `NAV`, with the command its route is refused as: the navigation shows a
    link exactly to whom the page itself would answer."""
    found = []
    for module in modules:
        for link in getattr(module, "NAV", ()):
            endpoint = _get_endpoint(module.ROUTES, link.path)
            found.append(NavEntry(link.path, link.label_key, _COMMAND_OF[endpoint], link.hidden_from))
    return found


def _get_endpoint(routes: Iterable[object], path: str) -> Endpoint:
    for route in routes:
        if isinstance(route, Route) and route.path == path and "GET" in (route.methods or ()) and route.endpoint in _COMMAND_OF:
            return route.endpoint
    raise LookupError(f"NAV names {path}, which is no page(...) GET route of its module")


def visible_nav(request: Request, ctx: Ctx) -> list[NavEntry]:
    entries: list[NavEntry] = getattr(request.app.state, "nav", [])
    return [entry for entry in entries if ctx.role not in entry.hidden_from and (entry.command is None or may(ctx, entry.command))]


def engine_of(request: Request) -> ConversationEngine:
    engine: ConversationEngine = request.app.state.engine
    return engine


def current_session(request: Request) -> WebSession | None:
    """The signed-in session, if the cookie is signed right and not older than 8 hours."""
    engine = engine_of(request)
    return read_session(request.app.state.signer, request.cookies.get(SESSION_COOKIE), engine.clock())


def person_ctx(session: Session, engine: ConversationEngine, person: Person) -> Ctx:
    """The Ctx of `person` as if they wrote in a private chat: the same role (`Ctx.role`),
    programme, zone and language the chat gives them."""
    served = engine.served(session)
    agency = session.get(Agency, person.agency_id)
    incoming = Incoming(channel=WEB_CHANNEL, user_ref=f"person:{person.id}", chat_ref=WEB_CHANNEL)
    return Ctx(
        session=session,
        incoming=incoming,
        now=engine.clock().astimezone(served.zone),
        served=served,
        policy=engine.policy,
        wiring=engine.wiring,
        lang=person.language,
        speaker=Speaker(person=person, agency=agency),
    )


def may(ctx: Ctx, command: str) -> bool:
    """Whether the chat would let this person run `command`."""
    cmd = ctx.wiring.command(command)
    return cmd is not None and ctx.role in cmd.roles


def render(request: Request, template: str, lang: str, status_code: int = 200, **values: Any) -> Response:
    def tr(key: str, **params: Any) -> str:
        return t(key, lang, **params)

    session = current_session(request)
    csrf = csrf_token(request.app.state.signer, session) if session else ""
    nav = getattr(request.state, "nav", [])
    context = {"t": tr, "lang": lang, "csrf": csrf, "csrf_field": CSRF_FIELD, "signed_in": session is not None, "nav": nav, **values}
    response: Response = request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)
    return response


def refusal(request: Request, key: str, status: int, lang: str = DEFAULT_LANGUAGE) -> Response:
    return render(request, "message.html", lang, status_code=status, message_key=key)


def page(command: str | None) -> Callable[[PageHandler], Callable[[Request], Any]]:
    """A route run for the signed-in person with their Ctx, in one unit of work, if the chat
    would let them run `command` (None: any member); POSTs must carry the CSRF token."""

    def wrap(handler: PageHandler) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            form = await request.form() if request.method == "POST" else None
            return await run_in_threadpool(_serve, request, command, handler, form)

        _COMMAND_OF[endpoint] = command
        return endpoint

    return wrap


def _serve(request: Request, command: str | None, handler: PageHandler, form: FormData | None) -> Response:
    web_session = current_session(request)
    if web_session is None:
        return refusal(request, "web.sign_in_first", 401)
    if form is not None and not csrf_ok(request.app.state.signer, web_session, form.get(CSRF_FIELD)):
        return refusal(request, "web.csrf", 403)
    engine = engine_of(request)
    with session_scope(engine.db) as session:
        person = session.get(Person, web_session.person_id)
        if person is None or not person.active:
            return refusal(request, "web.sign_in_first", 401)
        ctx = person_ctx(session, engine, person)
        request.state.nav = visible_nav(request, ctx)
        if command is not None and not may(ctx, command):
            return refusal(request, "web.not_allowed", 403, ctx.lang)
        return handler(request, ctx, form)
