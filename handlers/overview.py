"""The office's overview of the programme: /targets (the term's targets and the pace, over
the term and year by year, with a chart), /tasks (assigned tasks and who has done them)
and /agencies (each agency's focal points, a page at a time). Admins and viewers (Sở Nội
vụ, Sở KH&CN) may use them."""

from __future__ import annotations

from handlers import forms
from handlers.commands import Command
from handlers.context import Ctx
from handlers.forms import Flow, Pager, Step
from handlers.office import OVERSIGHT, PER_PAGE
from handlers.types import Document, Reply
from locales.catalogue import localised
from locales.formats import format_date, format_number
from models.office.board import TargetProgress, roster, targets_progress, tasks_overview
from models.office.target_years import TargetYears, targets_by_year
from models.people.tables import Role
from models.programme.wording import countdown, deadline


def target_name(ctx: Ctx, item: TargetProgress) -> str:
    name = localised(item.target.name, item.target.name_en, ctx.lang)
    return name if item.year is None else ctx.t("office.target_of_year", name=name, year=item.year)


def percent_done(item: TargetProgress) -> int:
    return round(100 * item.done / item.target.target)


def _years_line(ctx: Ctx, item: TargetYears, unit: str) -> str:
    """'theo từng năm (mỗi năm cần khoảng 4,2 nhiệm vụ): 2021: 0 · 2022: 1 · …'."""
    years = " · ".join(ctx.t("office.target_year_item", year=year, done=done) for year, done in item.done)
    if item.share is None:
        return ctx.t("office.target_years_no_share", years=years)
    return ctx.t("office.target_years", share=format_number(round(item.share, 1), ctx.lang), unit=unit, years=years)


def show_targets(ctx: Ctx, _args: str) -> list[Reply]:
    progress = targets_progress(ctx.session, ctx.programme, ctx.programme_id, ctx.today)
    by_year = {item.target.code: item for item in targets_by_year(ctx.session, ctx.programme, ctx.programme_id, ctx.today)}
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
            name=target_name(ctx, item),
            done=item.done,
            goal=target.target,
            unit=unit,
            percent=percent_done(item),
            planned=item.planned,
        )
        if item.expected_now is not None:
            pace = "office.target_pace" if item.year is None else "office.target_pace_year"
            line += "\n  " + ctx.t(pace, expected=format_number(round(item.expected_now, 1), ctx.lang), unit=unit)
        if target.code in by_year:
            line += "\n  " + _years_line(ctx, by_year[target.code], unit)
        lines.append(line)
    return [Reply("\n\n".join(lines)), *_pace_chart(ctx, list(by_year.values()))]


def _pace_chart(ctx: Ctx, targets: list[TargetYears]) -> list[Reply]:
    """The year-by-year figures drawn (matplotlib, imported only when a chart is drawn)."""
    if not targets:
        return []
    from models.office.export.charts import pace_chart

    caption = ctx.t("office.chart_pace")
    return [Reply(caption, document=Document("tien-do-chi-tieu.png", pace_chart(targets, ctx.lang), "image/png", caption))]


def show_tasks(ctx: Ctx, _args: str) -> list[Reply]:
    rows = tasks_overview(ctx.session, ctx.programme_id, ctx.programme.live_from)
    if not rows:
        return [ctx.say("office.no_tasks")]
    lines = [ctx.t("office.tasks_title", count=len(rows), today=format_date(ctx.today, ctx.lang))]
    hours = ctx.programme.task_times()
    for row in rows:
        at = hours.get(row.task.code)
        left = countdown(row.task.due_date, ctx.now, ctx.lang, at)
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
            f"• [{row.task.code}] {row.task.title}\n  {ctx.t('office.task_due', due_text=row.task.due_text, due=deadline(row.task.due_date, at, ctx.lang), countdown=left)}\n  {state}"
        )
    return [Reply("\n\n".join(lines))]


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


AGENCIES_FORM = Flow(
    name="agencies", first="page", steps={"page": Step(_agencies_prompt, forms.paging_only, back=False)}, passive=True, cancel=False
)

COMMANDS = (
    Command("targets", show_targets, OVERSIGHT, "help.targets"),
    Command("tasks", show_tasks, OVERSIGHT, "help.tasks"),
    Command("agencies", show_agencies, OVERSIGHT, "help.agencies", forms=(AGENCIES_FORM,)),
)
