"""The board: every agency × its status for a period, filtered by agency kind and status,
with the period's reporting and on-time rates. Who may read it: who may run /status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.web.pages import periods
from bot.web.pages.common import NavLink, may, page, refusal, render
from handlers.context import Ctx
from models.errors import RuleError
from models.office.board import BoardRow, BoardStatus, board
from models.office.rates import rates
from models.office.standing import Stand
from models.programme.tables import AgencyKind


def _state_words(ctx: Ctx, due: date) -> Callable[[BoardRow], str]:
    """A row's standing in the state's words (`models/office/standing`: đã gửi (đúng hạn),
    quá hạn N ngày…), each distinct standing translated once per page."""
    said: dict[Stand, str] = {}

    def sentence_case(text: str) -> str:
        return text[:1].upper() + text[1:]

    def words(row: BoardRow) -> str:
        standing = row.stand(due, ctx.today)
        if standing not in said:
            said[standing] = sentence_case(standing.words(ctx.lang))
        return said[standing]

    return words


def _board(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    try:
        choice = periods.choose(ctx, request.query_params.get("period", ""))
    except RuleError as error:
        return refusal(request, error.key, 404, ctx.lang)
    status_board = board(ctx.session, ctx.programme, ctx.programme_id, choice.chosen)
    kind, status = request.query_params.get("kind", ""), request.query_params.get("status", "")
    kinds = {k.code: ctx.name_of(k.name, k.name_en) for k in ctx.session.exec(select(AgencyKind).where(AgencyKind.programme_id == ctx.programme_id))}
    words = _state_words(ctx, choice.chosen.info.due)
    lines = [
        (str(r.status), r.agency.code, r.agency.name, kinds.get(r.agency.kind_code or "", ""), words(r))
        for r in status_board.rows
        if (not kind or r.agency.kind_code == kind) and (not status or r.status == status)
    ]
    return render(
        request,
        "board.html",
        ctx.lang,
        title=choice.title,
        period_value=choice.value,
        periods=choice.options,
        lines=lines,
        counts=status_board.counts,
        rates=rates(status_board, ctx.now.tzinfo),  # type: ignore[arg-type]
        statuses=list(BoardStatus),
        kinds=kinds,
        kind=kind,
        status=status,
        can_review=may(ctx, "review"),
        can_export=may(ctx, "export"),
    )


ROUTES: list[BaseRoute] = [Route("/", page("status")(_board), methods=["GET"], name="board")]
NAV = (NavLink("/", "web.nav_board"),)
