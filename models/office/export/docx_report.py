"""The consolidated report as a Word document in the state format for administrative
documents, Nghị định 30/2020/NĐ-CP, Phụ lục I: A4; margins top and bottom 20 mm, left
30 mm, right 15 mm; Times New Roman; the issuing body top left with its number and symbol,
Quốc hiệu (12–13 pt, bold, capitals) and tiêu ngữ (13–14 pt, bold) top right with the
place and date (italic) under them; the title; the body at 13 pt; 'Nơi nhận' and the
signer; page numbers centred in the top margin, none on page 1.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from locales.catalogue import localised, t
from locales.formats import format_number
from models.office.board import ARRIVED, BoardStatus
from models.office.export.data import ReportData
from models.office.export.tvpb_table import tvpb_section
from models.programme.wording import period_label

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 11
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def place_and_date(place: str, day: date) -> str:
    """'Lào Cai, ngày 05 tháng 01 năm 2027': a leading 0 for days below 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _style(document: WordDocument) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)


def _page_numbers(document: WordDocument) -> None:
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(BODY_PT)


def _text(paragraph: Paragraph, text: str, size: float = BODY_PT, bold: bool = False, italic: bool = False) -> Paragraph:
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    return paragraph


def _centred(
    cell: _Cell | WordDocument, text: str, size: float, bold: bool = False, italic: bool = False, first: bool = False
) -> Paragraph:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    return _text(paragraph, text, size, bold, italic)


def _rule(cell: _Cell, indent_cm: float) -> None:
    """The short solid line under the issuing body and the tiêu ngữ."""
    paragraph = cell.add_paragraph()
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Cm(indent_cm)
    paragraph.paragraph_format.space_after = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    paragraph.paragraph_format.line_spacing = Pt(2)


def _widths(table: Table, widths: list[float]) -> None:
    """Column widths that Word and LibreOffice both honour (grid and cells)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _header_block(document: WordDocument, data: ReportData) -> None:
    report = data.programme.report_format()
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [6.3, 10.2])
    left, right = table.rows[0].cells
    first = True
    if report.parent_body:
        _centred(left, report.parent_body.upper(), 12, first=True)
        first = False
    _centred(left, report.issuer.upper(), 12, bold=True, first=first)
    _rule(left, 1.8)
    _centred(left, f"Số:        /{report.symbol}", 13)
    _centred(right, QUOC_HIEU, 12, bold=True, first=True)
    _centred(right, TIEU_NGU, 13, bold=True)
    _rule(right, 2.2)
    _centred(right, place_and_date(report.place, data.issued_on), 13, italic=True)


def _title(document: WordDocument, data: ReportData, language: str) -> None:
    document.add_paragraph()
    _centred(document, t("export.kind", language), 14, bold=True)
    cycle = data.period.cycle
    name = localised(cycle.name, cycle.name_en, language)
    subject = t("export.subject", language, name=name[:1].lower() + name[1:], period=period_label(data.period.info.key, language))
    _centred(document, subject, 14, bold=True)
    document.add_paragraph()


def _body(document: WordDocument, text: str) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    paragraph.paragraph_format.space_after = Pt(6)
    return _text(paragraph, text)


def _heading(document: WordDocument, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(6)
    _text(paragraph, text, bold=True)


def _table(document: WordDocument, header: list[str], rows: list[list[str]], widths: list[float], size: float = TABLE_PT) -> Table:
    table: Table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _centred(cell, text, size, bold=True, first=True)
    for values in rows:
        cells = table.add_row().cells
        for column, (cell, text) in enumerate(zip(cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if column == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _text(paragraph, text, size)
    _widths(table, widths)
    return table


def _number(value: float | None) -> str:
    return "" if value is None else format_number(value, "vi")


def _status_section(document: WordDocument, data: ReportData, language: str, chart: bytes | None) -> None:
    counts = data.board.counts
    arrived = sum(counts[s] for s in ARRIVED)
    _heading(document, t("export.section_status", language))
    _body(
        document,
        t(
            "export.status_summary",
            language,
            total=len(data.board.rows),
            arrived=arrived,
            late=counts[BoardStatus.LATE],
            accepted=counts[BoardStatus.ACCEPTED],
            missing=len(data.board.rows) - arrived,
        ),
    )
    rows = [
        [
            str(n),
            row.agency.name,
            data.kinds.get(row.agency.kind_code or "", ""),
            t(f"office.status_{row.status}", language),
            row.submitted_at.strftime("%d/%m/%Y") if row.submitted_at else "",
        ]
        for n, row in enumerate(data.board.rows, start=1)
    ]
    header = [t(f"export.col_{c}", language) for c in ("no", "agency", "kind", "status", "submitted")]
    _table(document, header, rows, [1.0, 6.5, 3.2, 2.8, 2.5])
    if chart:
        document.add_picture(io.BytesIO(chart), width=Cm(15))


def _indicator_section(document: WordDocument, data: ReportData, language: str) -> None:
    _heading(document, t("export.section_indicators", language))
    totals = data.totals
    rows = [
        [
            str(n),
            localised(i.name, i.name_en, language),
            localised(i.unit, i.unit_en, language),
            _number(totals[i.code]),
            str(sum(1 for f in data.figures if f.values.get(i.code) is not None)),
        ]
        for n, i in enumerate(data.indicators, start=1)
    ]
    header = [t(f"export.col_{c}", language) for c in ("no", "indicator", "unit", "total", "reporting")]
    _table(document, header, rows, [1.0, 7.5, 2.5, 2.5, 2.5])
    if not data.figures or not data.indicators:
        return
    _body(document, t("export.per_agency_intro", language))
    numbered = [f"({n})" for n in range(1, len(data.indicators) + 1)]
    header = [t("export.col_no", language), t("export.col_agency", language), *numbered]
    rows = [[str(n), f.agency.name, *(_number(f.values.get(i.code)) for i in data.indicators)] for n, f in enumerate(data.figures, start=1)]
    rows.append(["", t("export.total", language), *(_number(totals[i.code]) for i in data.indicators)])
    share = max(1.2, 9.5 / len(data.indicators))
    _table(document, header, rows, [0.9, 5.6, *([share] * len(data.indicators))], size=10)


def _types_section(document: WordDocument, data: ReportData, language: str, chart: bytes | None) -> None:
    _heading(document, t("export.section_types", language))
    rows = [
        [str(n), localised(c.type.name, c.type.name_en, language), str(c.activities), _number(c.participants)]
        for n, c in enumerate(data.by_type, start=1)
    ]
    rows.append(
        ["", t("export.total", language), str(sum(c.activities for c in data.by_type)), _number(sum(c.participants for c in data.by_type))]
    )
    header = [t(f"export.col_{c}", language) for c in ("no", "type", "activities", "participants")]
    _table(document, header, rows, [1.0, 9.0, 3.0, 3.0])
    if chart:
        document.add_picture(io.BytesIO(chart), width=Cm(15))


def _targets_section(document: WordDocument, data: ReportData, language: str) -> None:
    _heading(document, t("export.section_targets", language))
    if not data.targets:
        _body(document, t("export.no_targets", language))
        return
    rows = [
        [
            str(n),
            localised(p.target.name, p.target.name_en, language),
            f"{p.target.target} {localised(p.target.unit, p.target.unit_en, language)}",
            str(p.done),
            str(p.planned),
            f"{round(100 * p.done / p.target.target)}%",
        ]
        for n, p in enumerate(data.targets, start=1)
    ]
    header = [t(f"export.col_{c}", language) for c in ("no", "target", "goal", "done", "planned", "rate")]
    _table(document, header, rows, [1.0, 6.5, 2.7, 2.0, 2.0, 1.8])


def _difficulties_section(document: WordDocument, data: ReportData, language: str) -> None:
    _heading(document, t("export.section_difficulties", language))
    if not data.difficulties:
        _body(document, t("export.no_difficulties", language))
    for item in data.difficulties:
        _body(document, f"- {item.agency}: {item.text}")


def _closing(document: WordDocument, data: ReportData, language: str) -> None:
    report = data.programme.report_format()
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [8.0, 8.5])
    left, right = table.rows[0].cells
    _text(left.paragraphs[0], t("export.recipients", language), 12, bold=True, italic=True)
    for index, name in enumerate(report.recipients):
        ending = "." if index == len(report.recipients) - 1 else ";"
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _text(paragraph, f"- {name}{ending}", 11)
    for index, line in enumerate(report.signer):
        _centred(right, line.upper(), 13, bold=True, first=index == 0)


def build_docx(data: ReportData, charts: dict[str, bytes], language: str = "vi") -> bytes:
    """The .docx file's bytes; `charts` may hold 'progress' and 'types' PNGs."""
    document = Document()
    _style(document)
    _page_numbers(document)
    _header_block(document, data)
    _title(document, data, language)
    span = data.period.info.window
    basis = data.programme.programme.legal_basis
    _body(
        document,
        t(
            "export.opening",
            language,
            number=basis.number,
            date=basis.date.strftime("%d/%m/%Y"),
            body=basis.issuer,
            issuer=data.programme.coordinator.name,
            start=span.start.strftime("%d/%m/%Y"),
            end=span.end.strftime("%d/%m/%Y"),
        ),
    )
    _status_section(document, data, language, charts.get("progress"))
    _indicator_section(document, data, language)
    _types_section(document, data, language, charts.get("types"))
    _targets_section(document, data, language)
    _difficulties_section(document, data, language)
    if data.programme.tvpb is not None:
        tvpb_section(document, data.tvpb, language)
    _closing(document, data, language)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
