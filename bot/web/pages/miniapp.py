"""The Telegram Mini App's entry: `/miniapp` reads Telegram's initData in the page and
posts it to `/miniapp/session`, which checks it as Telegram documents
(`models/miniapp/init_data`), maps the Telegram user to the person and signs them in, then
opens the one-page report. Forged, stale or missing initData: 401, nobody signed in."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from sqlmodel import col, select

from bot.telegram import CHANNEL as TELEGRAM
from bot.web.pages.common import engine_of, refusal, render
from bot.web.pages.report import TELEGRAM_WEB
from bot.web.security import SESSION_COOKIE, SESSION_HOURS, new_session
from locales.catalogue import DEFAULT_LANGUAGE
from models.db.engine import session_scope
from models.miniapp.init_data import MAX_AGE, InitDataRefused, validate
from models.people.tables import ChannelIdentity, Person


def bot_token(request: Request) -> str | None:
    """The Telegram bot's token, set on the app by `phoihop run` when Telegram is served."""
    token: str | None = getattr(request.app.state, "telegram_token", None)
    return token


async def entry(request: Request) -> Response:
    request.state.frame_ancestors = TELEGRAM_WEB
    if bot_token(request) is None:
        return refusal(request, "web.not_found", 404)
    return render(request, "miniapp.html", DEFAULT_LANGUAGE)


def _person_of(request: Request, telegram_id: str) -> int | None:
    engine = engine_of(request)
    with session_scope(engine.db) as session:
        query = (
            select(Person.id)
            .join(ChannelIdentity, col(ChannelIdentity.person_id) == Person.id)
            .where(ChannelIdentity.channel == TELEGRAM, ChannelIdentity.user_ref == telegram_id, col(Person.active))
        )
        return session.exec(query).first()


def _sign_in(request: Request, init_data: str) -> Response:
    request.state.frame_ancestors = TELEGRAM_WEB
    token = bot_token(request)
    if token is None:
        return refusal(request, "web.not_found", 404)
    now = engine_of(request).clock()
    try:
        user = validate(init_data, token, now, getattr(request.app.state, "mini_app_max_age", MAX_AGE))
    except InitDataRefused:
        return refusal(request, "webfiles.miniapp_refused", 401)
    person_id = _person_of(request, user.telegram_id)
    if person_id is None:
        return refusal(request, "webfiles.miniapp_unknown", 401)
    response = RedirectResponse("/report", status_code=303)
    secure = request.app.state.config.secure
    response.set_cookie(
        SESSION_COOKIE,
        new_session(request.app.state.signer, person_id, now),
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        secure=secure,
        samesite="none" if secure else "lax",
    )
    return response


async def session(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_sign_in, request, str(form.get("init_data") or ""))


ROUTES: list[BaseRoute] = [
    Route("/miniapp", entry, methods=["GET"]),
    Route("/miniapp/session", session, methods=["POST"]),
]
