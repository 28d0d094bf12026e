"""Targets against progress, the same figures as the chat's /targets (`handlers.overview`:
the term or this year, the pace expected by today, year by year), with the pace chart
(`models/office/export/charts.pace_chart`) as a PNG of its own route. For whom /targets serves."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.web.pages.common import NavLink, page, render
from handlers.context import Ctx
from handlers.overview import percent_done, target_name
from locales.catalogue import localised
from locales.formats import format_date, format_number
from models.office.board import TargetProgress, targets_progress
from models.office.target_years import TargetYears, targets_by_year


@dataclass(frozen=True)
class TargetView:
    progress: TargetProgress
    name: str
    unit: str
    percent: int
    pace: str | None
    """The chat's sentence of what the even pace asks by today."""
    years: TargetYears | None
    share: str | None


def _views(ctx: Ctx) -> list[TargetView]:
    by_year = {item.target.code: item for item in targets_by_year(ctx.session, ctx.programme, ctx.programme_id, ctx.today)}
    views = []
    for item in targets_progress(ctx.session, ctx.programme, ctx.programme_id, ctx.today):
        unit = localised(item.target.unit, item.target.unit_en, ctx.lang)
        pace = None
        if item.expected_now is not None:
            key = "office.target_pace" if item.year is None else "office.target_pace_year"
            sentence = ctx.t(key, expected=format_number(round(item.expected_now, 1), ctx.lang), unit=unit)
            pace = sentence[:1].upper() + sentence[1:]
        years = by_year.get(item.target.code)
        share = format_number(round(years.share, 1), ctx.lang) if years is not None and years.share is not None else None
        views.append(TargetView(item, target_name(ctx, item), unit, percent_done(item), pace, years, share))
    return views


def _targets(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    term = ctx.programme.programme.term
    title = ctx.t("office.targets_title", start=term.start.year, end=term.end.year if term.end else "…", today=format_date(ctx.today, ctx.lang))
    views = _views(ctx)
    return render(request, "targets.html", ctx.lang, title=title.rstrip(":"), targets=views, chart=any(v.years for v in views))


def _chart(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    from models.office.export.charts import pace_chart

    years = targets_by_year(ctx.session, ctx.programme, ctx.programme_id, ctx.today)
    if not years:
        return Response(status_code=404)
    return Response(pace_chart(years, ctx.lang), media_type="image/png")


ROUTES: list[BaseRoute] = [
    Route("/targets", page("targets")(_targets), methods=["GET"]),
    Route("/targets/pace.png", page("targets")(_chart), methods=["GET"]),
]
NAV = (NavLink("/targets", "web.nav_targets"),)
