"""The consolidated report's tables as an Excel workbook: one sheet per table, numbers as
numbers and dates as dates, frozen header rows and autofilters."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from locales.catalogue import localised, t
from models.office.export.cell_text import keep_as_text
from models.office.export.data import ReportData

DATE_FORMAT = "DD/MM/YYYY"


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> Worksheet:
    sheet: Worksheet = book.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for column in sheet.iter_cols(min_row=1):
        for cell in column:
            keep_as_text(cell)
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, title_cell in enumerate(header, start=1):
        longest = max([len(str(title_cell))] + [len(str(r[index - 1])) for r in rows[:200] if r[index - 1] is not None])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, longest + 2))
    return sheet


def build_xlsx(data: ReportData, language: str = "vi") -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    col = lambda name: t(f"export.col_{name}", language)  # noqa: E731
    _sheet(
        book,
        t("export.sheet_status", language),
        [col("no"), col("code"), col("agency"), col("kind"), col("status"), col("submitted")],
        [
            [
                n,
                r.agency.code,
                r.agency.name,
                data.kinds.get(r.agency.kind_code or "", ""),
                stand.words(language),
                r.submitted_at.date() if r.submitted_at else None,
            ]
            for n, (r, stand) in enumerate(zip(data.board.rows, data.stands, strict=True), start=1)
        ],
    )
    _sheet(
        book,
        t("export.sheet_missing", language),
        [col("code"), col("agency"), col("status"), t("doc.col_focal", language)],
        [
            [m.agency.code, m.agency.name, m.stand.words(language), "; ".join(f"{p.full_name} ({t(f'role.{p.role}', language)})" for p in m.focal_points)]
            for m in data.missing
        ],
    )
    _sheet(
        book,
        t("export.sheet_narratives", language),
        [col("agency"), col("area"), col("text")],
        [[entry.agency, localised(g.area.name, g.area.name_en, language), entry.text] for g in data.narratives for entry in g.entries],
    )
    _sheet(
        book,
        t("export.sheet_reconciled", language),
        [col("indicator"), col("unit"), t("doc.col_reported", language), t("doc.col_counted", language), t("doc.col_difference", language)],
        [
            [localised(r.indicator.name, r.indicator.name_en, language), localised(r.indicator.unit, r.indicator.unit_en, language), r.reported, r.counted, r.difference]
            for r in data.reconciled
        ],
    )
    indicator_names = [f"{localised(i.name, i.name_en, language)} ({localised(i.unit, i.unit_en, language)})" for i in data.indicators]
    figures = [[f.agency.code, f.agency.name, *(f.values.get(i.code) for i in data.indicators)] for f in data.figures]
    totals = data.totals
    figures.append(["", t("export.total", language), *(totals[i.code] for i in data.indicators)])
    _sheet(book, t("export.sheet_indicators", language), [col("code"), col("agency"), *indicator_names], figures)
    _sheet(
        book,
        t("export.sheet_types", language),
        [col("type"), col("activities"), col("participants")],
        [[localised(c.type.name, c.type.name_en, language), c.activities, c.participants] for c in data.by_type],
    )
    _sheet(
        book,
        t("export.sheet_activities", language),
        [col("number"), col("date"), col("type"), col("title"), col("lead"), col("place"), col("participants"), col("activity_status")],
        [
            [a.id, a.day, a.type_name, a.title, a.lead, a.place, a.participants, t(f"activity_status.{a.status}", language)]
            for a in data.activities
        ],
    )
    _sheet(
        book,
        t("export.sheet_targets", language),
        [col("target"), col("goal"), col("unit"), col("done"), col("planned"), col("expected")],
        [
            [
                localised(p.target.name, p.target.name_en, language),
                p.target.target,
                localised(p.target.unit, p.target.unit_en, language),
                p.done,
                p.planned,
                round(p.expected_now, 1) if p.expected_now is not None else None,
            ]
            for p in data.targets
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
