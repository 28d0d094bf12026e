"""The office's read-only views: /status, /missing, /targets, /tasks, /agencies.
Admins and viewers (Sở Nội vụ, Sở KH&CN) may use them."""

from __future__ import annotations

from bot.i18n import countdown, format_date, format_number, localised, period_name
from handlers import forms
from handlers.commands import ADMINS, command
from handlers.context import Ctx
from handlers.forms import Flow, Pager, Step
from handlers.types import Document, Reply
from models.errors import RuleError
from models.export.charts import progress_chart, types_chart
from models.office import (
    Board,
    BoardStatus,
    activities_by_type,
    board,
    choose_period,
    focal_points_of,
    roster,
    targets_progress,
    tasks_overview,
)
from models.people import Role
from models.period_book import LivePeriod

OVERSIGHT: frozenset[Role | None] = ADMINS | {Role.VIEWER}
PER_PAGE = 15


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
    replies = forms.begin(ctx, "status", {"page": 0, "period_id": chosen.row.id, "cycle": chosen.cycle.code, "code": chosen.info.code})
    status_board = board(ctx.session, ctx.programme, ctx.programme_id, chosen)
    if len(status_board.rows) > PER_PAGE:
        kinds = {k.code: k.name for k in ctx.programme.agency_kinds}
        progress = progress_chart(status_board, kinds, ctx.lang)
        types = types_chart(activities_by_type(ctx.session, ctx.programme_id, chosen.info.window), ctx.lang)
        replies.append(
            Reply(ctx.t("office.chart_progress"), document=Document("tien-do.png", progress, "image/png", ctx.t("office.chart_progress")))
        )
        replies.append(
            Reply(ctx.t("office.chart_types"), document=Document("hoat-dong.png", types, "image/png", ctx.t("office.chart_types")))
        )
    return replies


def _status_prompt(ctx: Ctx) -> Reply:
    values = forms.data(ctx)
    chosen = choose_period(ctx.session, ctx.programme, ctx.programme_id, f"{values['cycle']}/{values['code']}", ctx.now)
    status_board = board(ctx.session, ctx.programme, ctx.programme_id, chosen)
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
    missing = status_board.missing
    head = ctx.t(
        "office.missing_title",
        name=period_title(ctx, chosen),
        due=format_date(chosen.info.due, ctx.lang),
        count=len(missing),
        total=len(status_board.rows),
    )
    if not missing:
        return [Reply(head + "\n" + ctx.t("office.missing_none"))]
    people = focal_points_of(ctx.session, [row.agency.id for row in missing])  # type: ignore[misc]
    lines = []
    for row in missing:
        names = ", ".join(f"{p.full_name} ({ctx.t(f'role.{p.role}')})" for p in people.get(row.agency.id, [])) or ctx.t(
            "office.no_focal_point"
        )  # type: ignore[arg-type]
        lines.append(f"• {row.agency.code} — {row.agency.name} ({ctx.t(f'office.status_{row.status}')})\n  {names}")
    return [Reply(head + "\n\n" + "\n".join(lines))]


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
    with_any = sum(1 for row in rows if row.people)
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
