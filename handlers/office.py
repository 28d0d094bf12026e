"""The office's read-only views: /status, /missing, /targets, /tasks, /agencies (the long
lists a page at a time). Admins and viewers (Sở Nội vụ, Sở KH&CN) may use them."""

from __future__ import annotations

from collections import Counter

from handlers import forms
from handlers.commands import ADMINS, command
from handlers.context import Ctx
from handlers.forms import Flow, Pager, Step
from handlers.types import Document, Reply
from locales.catalogue import localised
from locales.formats import format_date, format_number
from models.errors import RuleError
from models.office.board import (
    Board,
    BoardRow,
    BoardStatus,
    activities_by_type,
    board,
    choose_period,
    focal_points_of,
    period_by_id,
    roster,
    targets_progress,
    tasks_overview,
)
from models.people.tables import Role
from models.programme.wording import countdown, period_name
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
    counts = status_board.counts
    parts = [f"{ctx.t(f'office.status_{status}')}: {counts[status]}" for status in BoardStatus if counts[status]]
    return ctx.t("office.counts", total=len(status_board.rows), parts=" · ".join(parts))


@command("status", OVERSIGHT, "help.status")
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
    progress = progress_chart(status_board, kinds, ctx.lang)
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
    lines = [
        f"{row.agency.code} · {ctx.t(f'office.status_{row.status}')}"
        + (f" · {format_date(row.submitted_at.date(), ctx.lang)}" if row.submitted_at else "")
        for row in pager.slice(status_board.rows)
    ]
    head = ctx.t(
        "office.status_title",
        name=period_title(ctx, chosen),
        due=format_date(chosen.info.due, ctx.lang),
        page=pager.page + 1,
        pages=pager.pages,
    )
    return Reply("\n".join([head, _counts_line(ctx, status_board), "", *lines]), (pager.buttons(ctx),))


forms.register_flow(
    Flow(name="status", first="page", steps={"page": Step(_status_prompt, forms.paging_only, back=False)}, passive=True, cancel=False)
)


@command("missing", OVERSIGHT, "help.missing")
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
        due=format_date(chosen.info.due, ctx.lang),
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
        lines.append(f"• {row.agency.code} — {row.agency.name} ({ctx.t(f'office.status_{row.status}')})\n  {names}")
    head += " " + ctx.t("office.missing_page", page=pager.page + 1, pages=pager.pages)
    return Reply("\n".join([head, _by_kind(ctx, missing), "", *lines]), (pager.buttons(ctx),))


forms.register_flow(
    Flow(name="missing", first="page", steps={"page": Step(_missing_prompt, forms.paging_only, back=False)}, passive=True, cancel=False)
)


@command("targets", OVERSIGHT, "help.targets")
def show_targets(ctx: Ctx, _args: str) -> list[Reply]:
    progress = targets_progress(ctx.session, ctx.programme, ctx.programme_id, ctx.today)
    if not progress:
        return [ctx.say("office.no_targets")]
    term = ctx.programme.programme.term
    lines = [
        ctx.t("office.targets_title", start=term.start.year, end=term.end.year if term.end else "…", today=format_date(ctx.today, ctx.lang))
    ]
    for item in progress:
        target = item.target
        unit = localised(target.unit, target.unit_en, ctx.lang)
        line = ctx.t(
            "office.target_line",
            name=localised(target.name, target.name_en, ctx.lang),
            done=item.done,
            goal=target.target,
            unit=unit,
            percent=round(100 * item.done / target.target),
            planned=item.planned,
        )
        if item.expected_now is not None:
            line += "\n  " + ctx.t("office.target_pace", expected=format_number(round(item.expected_now, 1), ctx.lang), unit=unit)
        lines.append(line)
    return [Reply("\n\n".join(lines))]


@command("tasks", OVERSIGHT, "help.tasks")
def show_tasks(ctx: Ctx, _args: str) -> list[Reply]:
    rows = tasks_overview(ctx.session, ctx.programme_id)
    if not rows:
        return [ctx.say("office.no_tasks")]
    lines = [ctx.t("office.tasks_title", count=len(rows), today=format_date(ctx.today, ctx.lang))]
    for row in rows:
        left = countdown(row.task.due_date, ctx.today, ctx.lang)
        state = (
            ctx.t("office.task_done_all")
            if not row.open
            else ctx.t(
                "office.task_open",
                done=len(row.done),
                total=len(row.assigned),
                codes=", ".join(row.open[:12]) + (" …" if len(row.open) > 12 else ""),
            )
        )
        lines.append(
            f"• [{row.task.code}] {row.task.title}\n  {ctx.t('office.task_due', due_text=row.task.due_text, due=format_date(row.task.due_date, ctx.lang), countdown=left)}\n  {state}"
        )
    return [Reply("\n\n".join(lines))]


@command("agencies", OVERSIGHT, "help.agencies")
def show_agencies(ctx: Ctx, _args: str) -> list[Reply]:
    return forms.begin(ctx, "agencies", {"page": 0})


def _agencies_prompt(ctx: Ctx) -> Reply:
    rows = roster(ctx.session, ctx.programme_id)
    pager = Pager(len(rows), PER_PAGE, forms.data(ctx).get("page", 0))
    with_any = sum(1 for row in rows if row.roles)
    no_specialist = sum(1 for row in rows if not row.holds(Role.SPECIALIST))
    head = ctx.t(
        "office.agencies_title", total=len(rows), joined=with_any, no_specialist=no_specialist, page=pager.page + 1, pages=pager.pages
    )
    lines = []
    for row in pager.slice(rows):
        leader = "✓" if row.holds(Role.LEADER) else "✗"
        specialist = "✓" if row.holds(Role.SPECIALIST) else "✗"
        groups = ctx.t("office.agency_groups", count=row.groups) if row.groups else ""
        lines.append(ctx.t("office.agency_line", code=row.agency.code, name=row.agency.name, leader=leader, specialist=specialist) + groups)
    return Reply("\n".join([head, "", *lines]), (pager.buttons(ctx),))


forms.register_flow(
    Flow(name="agencies", first="page", steps={"page": Step(_agencies_prompt, forms.paging_only, back=False)}, passive=True, cancel=False)
)
