"""/due: what my agency owes, and when."""

from __future__ import annotations

from handlers.commands import AGENCY_READERS, Command
from handlers.context import Ctx
from handlers.types import Reply
from locales.formats import format_date
from models.office.standing import Standing, group_words, stand
from models.programme.wording import countdown, deadline, period_label
from models.reporting.obligations import events_due, reports_due, tasks_due


def _report_lines(ctx: Ctx) -> list[str]:
    assert ctx.agency is not None and ctx.agency.id is not None
    lines = []
    for item in reports_due(ctx.session, ctx.programme, ctx.programme_id, ctx.agency.code, ctx.agency.id, ctx.today):
        standing = stand(item.status, item.late, item.period.due, ctx.today)
        # the countdown already says "quá hạn N ngày"
        status = group_words(Standing.NOT_SENT if standing.standing is Standing.OVERDUE else standing.standing, ctx.lang)
        lines.append(
            ctx.t(
                "due.report",
                name=ctx.name_of(item.cycle.name, item.cycle.name_en),
                period=period_label(item.period.key, ctx.lang),
                start=format_date(item.period.window.start, ctx.lang),
                end=format_date(item.period.window.end, ctx.lang),
                recipient=item.cycle.recipient,
                due=deadline(item.period.due, item.cycle.due_time, ctx.lang),
                countdown=countdown(item.period.due, ctx.now, ctx.lang, item.cycle.due_time),
                status=status,
            )
        )
    return lines


def _task_lines(ctx: Ctx) -> list[str]:
    assert ctx.agency is not None and ctx.agency.id is not None
    lines, hours = [], ctx.programme.task_times()
    for task in tasks_due(ctx.session, ctx.agency.id, ctx.programme.live_from):
        at = hours.get(task.code)
        lines.append(
            ctx.t(
                "due.task",
                code=task.code,
                title=task.title,
                due_text=task.due_text,
                due=deadline(task.due_date, at, ctx.lang),
                countdown=countdown(task.due_date, ctx.now, ctx.lang, at),
            )
        )
    return lines


def _event_lines(ctx: Ctx) -> list[str]:
    assert ctx.agency is not None
    lines = []
    for item in events_due(ctx.programme, ctx.agency.code, ctx.today):
        day = item.occurrence.day
        when = ctx.t("due.event_month", month=day.month, year=day.year) if item.occurrence.whole_month else format_date(day, ctx.lang)
        lines.append(ctx.t("due.event", name=ctx.name_of(item.event.name, item.event.name_en), when=when))
    return lines


def show_due(ctx: Ctx, _args: str) -> list[Reply]:
    assert ctx.agency is not None
    sections = [
        (ctx.t("due.reports_title"), _report_lines(ctx)),
        (ctx.t("due.tasks_title"), _task_lines(ctx)),
        (ctx.t("due.events_title"), _event_lines(ctx)),
    ]
    parts = [ctx.t("due.title", agency=ctx.agency.name, today=format_date(ctx.today, ctx.lang))]
    parts += [title + "\n" + "\n\n".join(lines) for title, lines in sections if lines]
    if len(parts) == 1:
        parts.append(ctx.t("due.nothing"))
    return [Reply("\n\n".join(parts))]

COMMANDS = (
    Command("due", show_due, AGENCY_READERS, "help.due"),
)
