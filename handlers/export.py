"""/export PERIOD: the consolidated report as a Word document and an Excel workbook (with
the charts inside the document), for the office and the oversight viewers."""

from __future__ import annotations

from handlers.commands import Command
from handlers.context import Ctx
from handlers.office import OVERSIGHT, period_title
from handlers.types import Document, Reply
from models.errors import RuleError
from models.office.board import choose_period
from models.programme.wording import deadline

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(ctx: Ctx, args: str) -> list[Reply]:
    from models.office.export.bundle import build_bundle  # matplotlib, python-docx, openpyxl: loaded on the first /export
    from models.office.export.docx_report import status_sentence

    try:
        chosen = choose_period(ctx.session, ctx.programme, ctx.programme_id, args, ctx.now)
    except RuleError as error:
        return [Reply(ctx.error(error))]
    bundle = build_bundle(ctx.session, ctx.programme, ctx.programme_id, chosen, ctx.now, ctx.programme.programme.language)
    name = period_title(ctx, chosen)
    data = bundle.data
    parts = [status_sentence(data, ctx.lang)] if data.agencies_report else []
    if data.recipient_period is not None:
        parts.insert(0, ctx.t("export.prepared_from", source=period_title(ctx, data.period)))
    parts.append(ctx.t("export.activities_count", count=len(data.activities)))
    if data.office is None:
        parts.append(ctx.t("export.assess_hint", period=f"{chosen.cycle.code}/{chosen.info.code}"))
    summary = ctx.t("export.ready", name=name, due=deadline(chosen.info.due, chosen.cycle.due_time, ctx.lang)) + "\n" + "\n".join(parts)
    return [
        Reply(summary, document=Document(f"{bundle.stem}.docx", bundle.docx, DOCX, ctx.t("export.caption_docx", name=name))),
        Reply(
            ctx.t("export.caption_xlsx", name=name),
            document=Document(f"{bundle.stem}.xlsx", bundle.xlsx, XLSX, ctx.t("export.caption_xlsx", name=name)),
        ),
    ]

COMMANDS = (
    Command("export", export, OVERSIGHT, "help.export", uploads=True),
)
