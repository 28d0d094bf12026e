"""The office's read-only views of a period: /status and /missing (the long lists a page at
a time); /targets, /tasks and /agencies are in `handlers/overview`. Admins and viewers
of the coordinator and of the oversight bodies (Sở Nội vụ, `Coordinator.oversight`) may use
them; a viewer of another agency acts as an agency viewer and may not."""

from __future__ import annotations

from collections import Counter

from handlers import forms
from handlers.commands import ADMINS, Command
from handlers.context import Ctx
from handlers.forms import Flow, Pager, Step
from handlers.types import Document, Reply
from locales.catalogue import localised
from locales.formats import format_date
from models.errors import RuleError
from models.office.board import (
    Board,
    BoardRow,
    activities_by_type,
    board,
    choose_period,
    focal_points_of,
    period_by_id,
)
from models.office.standing import Standing, group_words
from models.people.tables import Role
from models.programme.wording import deadline, period_name
from models.reporting.period_book import LivePeriod

OVERSIGHT: frozenset[Role | None] = ADMINS | {Role.VIEWER}
PER_PAGE = 15
MISSING_PER_PAGE = 8
"""Each agency takes two lines and, at five leaders and five specialists an agency, some 500
characters: eight stay within one Telegram message (4,096)."""


def period_title(ctx: Ctx, period: LivePeriod) -> str:
    return period_name(period.cycle, period.info.key, ctx.lang)


def _period(ctx: Ctx, args: str) -> LivePeriod | Reply:
    try:
        return choose_period(ctx.session, ctx.programme, ctx.programme_id, args, ctx.now)
    except RuleError as error:
        return Reply(ctx.error(error))


def _counts_line(ctx: Ctx, status_board: Board) -> str:
    counts = status_board.stand_counts(ctx.today)
    parts = [f"{group_words(standing, ctx.lang)}: {counts[standing]}" for standing in Standing if counts[standing]]
    return ctx.t("office.counts", total=len(status_board.rows), parts=" · ".join(parts))


def show_status(ctx: Ctx, args: str) -> list[Reply]:
    chosen = _period(ctx, args)
    if isinstance(chosen, Reply):
        return [chosen]
    status_board = board(ctx.session, ctx.programme, ctx.programme_id, chosen)
    ctx.memo[_board_key(chosen.row.id)] = status_board
    charts = _charts(ctx, status_board) if len(status_board.rows) > PER_PAGE else []
    values = {"page": 0, "period_id": chosen.row.id, "cycle": chosen.cycle.code, "code": chosen.info.code}
    return forms.begin(ctx, "status", values) + charts


def _charts(ctx: Ctx, status_board: Board) -> list[Reply]:
    """Drawn with matplotlib, imported here so the bot loads it only when charts are asked for."""
    from models.office.export.charts import progress_chart, types_chart

    kinds = {k.code: k.name for k in ctx.programme.agency_kinds}
    progress = progress_chart(status_board, kinds, ctx.lang, ctx.today)
    types = types_chart(activities_by_type(ctx.session, ctx.programme_id, status_board.period.info.window), ctx.lang)
    return [
        Reply(ctx.t("office.chart_progress"), document=Document("tien-do.png", progress, "image/png", ctx.t("office.chart_progress"))),
        Reply(ctx.t("office.chart_types"), document=Document("hoat-dong.png", types, "image/png", ctx.t("office.chart_types"))),
    ]


def _board_key(period_id: int | None) -> str:
    return f"office.board:{period_id}"


def _listed_board(ctx: Ctx) -> Board:
    """The board the list stands on: the one /status just read, or, on a page turn, the
    remembered period's, read again."""
    values = forms.data(ctx)
    found: Board | None = ctx.memo.get(_board_key(values["period_id"]))
    if found is not None:
        return found
    chosen = period_by_id(ctx.session, ctx.programme, values["period_id"]) or choose_period(
        ctx.session, ctx.programme, ctx.programme_id, f"{values['cycle']}/{values['code']}", ctx.now
    )
    return board(ctx.session, ctx.programme, ctx.programme_id, chosen)


def _status_prompt(ctx: Ctx) -> Reply:
    values = forms.data(ctx)
    status_board = _listed_board(ctx)
    chosen = status_board.period
    pager = Pager(len(status_board.rows), PER_PAGE, values.get("page", 0))
    due = chosen.info.due
    lines = [
        f"{row.agency.name} · {row.stand(due, ctx.today).words(ctx.lang)}"
        + (f" · {format_date(row.submitted_at.date(), ctx.lang)}" if row.submitted_at else "")
        for row in pager.slice(status_board.rows)
    ]
    head = ctx.t(
        "office.status_title",
        name=period_title(ctx, chosen),
        due=deadline(chosen.info.due, chosen.cycle.due_time, ctx.lang),
        page=pager.page + 1,
        pages=pager.pages,
    )
    return Reply("\n".join([head, _counts_line(ctx, status_board), "", *lines]), (pager.buttons(ctx),))


STATUS_FORM = Flow(
    name="status", first="page", steps={"page": Step(_status_prompt, forms.paging_only, back=False)}, passive=True, cancel=False
)


def show_missing(ctx: Ctx, args: str) -> list[Reply]:
    chosen = _period(ctx, args)
    if isinstance(chosen, Reply):
        return [chosen]
    status_board = board(ctx.session, ctx.programme, ctx.programme_id, chosen)
    ctx.memo[_board_key(chosen.row.id)] = status_board
    values = {"page": 0, "period_id": chosen.row.id, "cycle": chosen.cycle.code, "code": chosen.info.code}
    return forms.begin(ctx, "missing", values)


def _by_kind(ctx: Ctx, missing: list[BoardRow]) -> str:
    counts = Counter(row.agency.kind_code for row in missing)
    parts = [
        f"{localised(kind.name, kind.name_en, ctx.lang)}: {counts[kind.code]}" for kind in ctx.programme.agency_kinds if counts[kind.code]
    ]
    return ctx.t("office.missing_by_kind", parts=" · ".join(parts))


def _missing_prompt(ctx: Ctx) -> Reply:
    """The agencies yet to submit, a page at a time (at 1,500 agencies the whole list would
    run to a hundred messages), with the focal points of the page's agencies."""
    status_board = _listed_board(ctx)
    chosen = status_board.period
    missing = status_board.missing
    head = ctx.t(
        "office.missing_title",
        name=period_title(ctx, chosen),
        due=deadline(chosen.info.due, chosen.cycle.due_time, ctx.lang),
        count=len(missing),
        total=len(status_board.rows),
    )
    if not missing:
        return Reply(head + "\n" + ctx.t("office.missing_none"))
    pager = Pager(len(missing), MISSING_PER_PAGE, forms.data(ctx).get("page", 0))
    shown = pager.slice(missing)
    people = focal_points_of(ctx.session, [row.agency.id for row in shown])
    lines = []
    for row in shown:
        names = ", ".join(f"{p.full_name} ({ctx.t(f'role.{p.role}')})" for p in people.get(row.agency.id, [])) or ctx.t(
            "office.no_focal_point"
        )
        words = row.stand(chosen.info.due, ctx.today).words(ctx.lang)
        lines.append(f"• {row.agency.code} — {row.agency.name} ({words})\n  {names}")
    head += " " + ctx.t("office.missing_page", page=pager.page + 1, pages=pager.pages)
    overdue = [line for line in [_overdue_line(ctx, status_board)] if line]
    return Reply("\n".join([head, *overdue, _by_kind(ctx, missing), "", *lines]), (pager.buttons(ctx),))


def _overdue_line(ctx: Ctx, status_board: Board) -> str:
    """'Quá hạn 5 ngày: 12 cơ quan chưa gửi.' once the deadline is past, else nothing."""
    stands = [item for item in status_board.stands(ctx.today) if item.standing is Standing.OVERDUE]
    if not stands:
        return ""
    return ctx.t("office.missing_overdue", days=stands[0].days_overdue, count=len(stands))


MISSING_FORM = Flow(
    name="missing", first="page", steps={"page": Step(_missing_prompt, forms.paging_only, back=False)}, passive=True, cancel=False
)

COMMANDS = (
    Command("status", show_status, OVERSIGHT, "help.status", forms=(STATUS_FORM,)),
    Command("missing", show_missing, OVERSIGHT, "help.missing", forms=(MISSING_FORM,)),
)
