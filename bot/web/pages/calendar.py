"""The programme's calendar for a year, the same plan as `phoihop schedule`, and its .ics;
for whom /status serves."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.web.pages.common import NavLink, page, render
from handlers.context import Ctx
from scheduler.calendar_text import render as calendar_text
from scheduler.calendar_text import to_ics
from scheduler.plan import calendar

YEARS = range(2000, 2101)


def _year(request: Request, ctx: Ctx) -> int:
    wanted = request.query_params.get("year", "")
    return int(wanted) if wanted.isdigit() and int(wanted) in YEARS else ctx.today.year


def _calendar(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    year = _year(request, ctx)
    text = calendar_text(ctx.programme, calendar(ctx.programme, year), year, ctx.lang)
    return render(request, "calendar.html", ctx.lang, year=year, text=text)


def _ics(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    year = _year(request, ctx)
    body = to_ics(ctx.programme, calendar(ctx.programme, year), ctx.lang, ctx.now)
    disposition = f'attachment; filename="{ctx.programme.code}-{year}.ics"'
    return Response(body, media_type="text/calendar; charset=utf-8", headers={"Content-Disposition": disposition})


ROUTES: list[BaseRoute] = [
    Route("/calendar", page("status")(_calendar), methods=["GET"]),
    Route("/calendar.ics", page("status")(_ics), methods=["GET"]),
]
NAV = (NavLink("/calendar", "web.nav_calendar"),)
