"""The consolidated .docx and .xlsx of any period, downloaded: built by the chat's /export,
for whom /export serves."""

from __future__ import annotations

from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.web.pages.common import NavLink, page, refusal, render
from handlers.context import Ctx
from handlers.export import export
from handlers.office import period_title
from models.office.board import office_periods


def _list(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    periods = [(p.cycle.code, p.info.code, period_title(ctx, p)) for p in office_periods(ctx.session, ctx.programme, ctx.programme_id, ctx.now)]
    return render(request, "exports.html", ctx.lang, periods=periods)


def _download(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    cycle, code, kind = request.path_params["cycle"], request.path_params["code"], request.path_params["kind"]
    documents = [reply.document for reply in export(ctx, f"{cycle}/{code}") if reply.document is not None]
    chosen = next((d for d in documents if d.filename.endswith(f".{kind}")), None)
    if chosen is None:
        return refusal(request, "web.not_found", 404, ctx.lang)
    disposition = f"attachment; filename*=UTF-8''{quote(chosen.filename)}"
    return Response(chosen.content, media_type=chosen.mime, headers={"Content-Disposition": disposition})


ROUTES: list[BaseRoute] = [
    Route("/exports", page("export")(_list), methods=["GET"]),
    Route("/exports/{cycle}/{code}.{kind:str}", page("export")(_download), methods=["GET"]),
]
NAV = (NavLink("/exports", "web.nav_exports"),)
