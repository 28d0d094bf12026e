"""The Word layout the consolidated report is written with, after Nghị định 30/2020/NĐ-CP,
Phụ lục I: A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman, the
body at 13 pt; page numbers centred in the top margin, none on page 1; tables whose header
row repeats on every page."""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 11


def style(document: WordDocument) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)


def page_numbers(document: WordDocument) -> None:
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


def text(paragraph: Paragraph, words: str, size: float = BODY_PT, bold: bool = False, italic: bool = False) -> Paragraph:
    run = paragraph.add_run(words)
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    return paragraph


def centred(
    cell: _Cell | WordDocument, words: str, size: float, bold: bool = False, italic: bool = False, first: bool = False
) -> Paragraph:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    return text(paragraph, words, size, bold, italic)


def rule(cell: _Cell, indent_cm: float) -> None:
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


def widths(table: Table, sizes: list[float]) -> None:
    """Column widths that Word and LibreOffice both honour (grid and cells)."""
    table.autofit = False
    for column, width in zip(table.columns, sizes, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def no_cell_margins(table: Table) -> None:
    """Cells without their side padding, so the header block's lines fit their columns."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def body(document: WordDocument, words: str, italic: bool = False) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    paragraph.paragraph_format.space_after = Pt(6)
    return text(paragraph, words, italic=italic)


def heading(document: WordDocument, words: str, size: float = BODY_PT) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    text(paragraph, words, size, bold=True)


def subheading(document: WordDocument, words: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    paragraph.paragraph_format.space_after = Pt(3)
    paragraph.paragraph_format.keep_with_next = True
    text(paragraph, words, bold=True, italic=True)


def _repeat_header(table: Table) -> None:
    """The first row repeats at the top of every page the table runs onto."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def grid(
    document: WordDocument, header: list[str], rows: list[list[str]], sizes: list[float], size: float = TABLE_PT, left: tuple[int, ...] = (1,)
) -> Table:
    """A bordered table, its header row bold and repeated on every page; the `left`
    columns aligned left, the others centred."""
    table: Table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, words in zip(table.rows[0].cells, header, strict=True):
        centred(cell, words, size, bold=True, first=True)
    _repeat_header(table)
    for values in rows:
        cells = table.add_row().cells
        for column, (cell, words) in enumerate(zip(cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if column in left else WD_ALIGN_PARAGRAPH.CENTER
            text(paragraph, words, size)
    widths(table, sizes)
    return table


def caption(document: WordDocument, words: str) -> None:
    """A figure's number and title, centred under it."""
    paragraph = centred(document, words, 12, italic=True)
    paragraph.paragraph_format.space_after = Pt(6)
