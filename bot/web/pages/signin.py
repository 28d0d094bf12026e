"""Sign in by the link /web sends (single use, 10 minutes), and sign out."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.web.pages.common import current_session, engine_of, refusal, render
from bot.web.security import CSRF_FIELD, SESSION_COOKIE, SESSION_HOURS, csrf_ok, new_session
from locales.catalogue import DEFAULT_LANGUAGE
from models.db.engine import session_scope
from models.web.signin import Refused, language_of_link, redeem


NEXT_PAGES = frozenset({"/report"})
"""Where a sign-in link may lead after signing in (`?next=`), besides the board."""


def _redeem(request: Request, token: str) -> Response:
    engine = engine_of(request)
    now = engine.clock()
    with session_scope(engine.db) as session:
        found = redeem(session, token, now)
        if isinstance(found, Refused):
            lang = language_of_link(session, token) or DEFAULT_LANGUAGE
            return refusal(request, f"web.link_{found.value}", 410 if found is not Refused.UNKNOWN else 404, lang)
        person_id = found.id
    following = request.query_params.get("next", "/")
    response = RedirectResponse(following if following in NEXT_PAGES else "/", status_code=303)
    config = request.app.state.config
    response.set_cookie(
        SESSION_COOKIE,
        new_session(request.app.state.signer, person_id, now),
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        secure=config.secure,
        samesite="lax",
    )
    return response


async def sign_in(request: Request) -> Response:
    return await run_in_threadpool(_redeem, request, request.path_params["token"])


async def sign_out(request: Request) -> Response:
    form = await request.form()
    if not csrf_ok(request.app.state.signer, current_session(request), form.get(CSRF_FIELD)):
        return refusal(request, "web.csrf", 403)
    response = render(request, "message.html", DEFAULT_LANGUAGE, message_key="web.signed_out")
    response.delete_cookie(SESSION_COOKIE)
    return response


ROUTES: list[BaseRoute] = [
    Route("/signin/{token}", sign_in, methods=["GET"]),
    Route("/signout", sign_out, methods=["POST"]),
]
