"""The report as one page for focal points (`handlers/report_page`): the periods open to
the agency, then one form per period; save the draft or submit. Framed by Telegram Web
when it is opened as a Mini App."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.web.pages.common import NavLink, page, refusal, render
from handlers import report_page
from handlers.context import Ctx
from handlers.report import period_name
from locales.formats import format_date
from models.reporting.submissions import NARRATIVE_LENGTH

TELEGRAM_WEB = "https://web.telegram.org"
"""Where Telegram Web frames a Mini App; the report pages may be framed there only."""


def _periods(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    request.state.frame_ancestors = TELEGRAM_WEB
    periods = report_page.open_periods(ctx)
    if len(periods) == 1:
        return RedirectResponse(f"/report/{periods[0].row.id}", status_code=303)
    assert ctx.agency is not None
    listed = [(p.row.id, period_name(ctx, p.row), format_date(p.info.due, ctx.lang)) for p in periods]
    return render(request, "report_periods.html", ctx.lang, periods=listed, none=ctx.t("report.none", agency=ctx.agency.name))


def _form(request: Request, ctx: Ctx, form: FormData | None) -> Response:
    request.state.frame_ancestors = TELEGRAM_WEB
    live = report_page.live_period(ctx, request.path_params["period_id"])
    if live is None:
        return refusal(request, "webfiles.report_not_open", 404, ctx.lang)
    if form is None:
        shown = report_page.show(ctx, live)
    else:
        typed = {key: str(value) for key, value in form.items() if key != report_page.ACTIVITY_FIELD}
        ticked = {int(str(v)) for v in form.getlist(report_page.ACTIVITY_FIELD) if str(v).isdigit()}
        shown, _ = report_page.save(ctx, live, typed, ticked, form.get("action") == "submit")
    still_open = report_page.live_period(ctx, shown.period_id) is not None
    status = 422 if shown.errors else 200
    return render(request, "report_form.html", ctx.lang, status_code=status, page=shown, open=still_open, most=NARRATIVE_LENGTH[1])


ROUTES: list[BaseRoute] = [
    Route("/report", page("report")(_periods), methods=["GET"]),
    Route("/report/{period_id:int}", page("report")(_form), methods=["GET", "POST"]),
]
NAV = (NavLink("/report", "web.nav_report"),)
