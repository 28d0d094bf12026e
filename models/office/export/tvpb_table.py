"""The consolidated report's TVPB table (issue 17): each social critique task of the
period — the drafting agency, whether its dossier reached the LHH on time and complete,
the council's size, whether the critique was sent and the báo cáo tiếp thu, giải trình
received. A section of its own: `tvpb_rows` reads it, `tvpb_section` writes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from locales.catalogue import t
from models.programme.periods import Window
from models.programme.tables import Agency
from models.tvpb.services import accepted_seats, stage_log
from models.tvpb.tables import Stage, TvpbTask

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

ENDED = (Stage.CLOSED, Stage.CANCELLED)


@dataclass(frozen=True)
class TvpbRow:
    title: str
    agency: str
    dossier: str
    """'on_time', 'late', 'late_incomplete', 'incomplete' or 'waiting'."""
    council: int
    critique_sent: bool
    response_received: bool
    cancelled: bool


def _dossier(task: TvpbTask) -> str:
    if task.dossier_complete_at is None:
        return "waiting"
    flags = [name for name, on in (("late", task.dossier_late), ("incomplete", task.dossier_incomplete)) if on]
    return "_".join(flags) or "on_time"


def tvpb_rows(session: Session, programme_id: int, window: Window, zone: tzinfo) -> list[TvpbRow]:
    """Tasks opened by the window's end that had not ended before its start (local days)."""
    tasks = list(session.exec(select(TvpbTask).where(TvpbTask.programme_id == programme_id).order_by(col(TvpbTask.id))))
    if not tasks:
        return []
    names = {a.id: a.name for a in session.exec(select(Agency).where(col(Agency.id).in_({task.agency_id for task in tasks})))}
    rows = []
    for task in tasks:
        log = stage_log(session, task.id)
        if task.opened_at.astimezone(zone).date() > window.end:
            continue
        ended = [entry.at.astimezone(zone).date() for entry in log if entry.stage in ENDED]
        if ended and ended[0] < window.start:
            continue
        reached = {entry.stage for entry in log}
        rows.append(
            TvpbRow(
                task.title,
                names.get(task.agency_id, "?"),
                _dossier(task),
                len(accepted_seats(session, task.id)),
                Stage.CRITIQUE_SENT in reached,
                Stage.RESPONSE in reached,
                task.stage is Stage.CANCELLED,
            )
        )
    return rows


def tvpb_section(document: WordDocument, rows: list[TvpbRow], language: str, size: float = 11) -> None:
    """The table (or a sentence when there is no task); the caller writes the numbered heading.
    python-docx is imported here: the rows are read by the bot, which never loads it."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Pt

    if not rows:
        document.add_paragraph(t("export.no_tvpb", language))
        return
    columns = ("no", "tvpb_task", "tvpb_agency", "tvpb_dossier", "tvpb_council", "tvpb_critique", "tvpb_response")
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    yes, no = t("export.tvpb_yes", language), t("export.tvpb_no", language)
    lines = [[t(f"export.col_{c}", language) for c in columns]]
    for n, row in enumerate(rows, start=1):
        title = row.title + (f" ({t('export.tvpb_cancelled', language)})" if row.cancelled else "")
        dossier = t(f"export.tvpb_dossier_{row.dossier}", language)
        lines.append(
            [str(n), title, row.agency, dossier, str(row.council), yes if row.critique_sent else no, yes if row.response_received else no]
        )
    for index, values in enumerate(lines):
        cells = table.rows[0].cells if index == 0 else table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            run = cell.paragraphs[0].add_run(text)
            run.font.size, run.bold = Pt(size), index == 0
