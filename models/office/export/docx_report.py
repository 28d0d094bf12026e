"""The consolidated report as a Word document in the state format for administrative
documents (Nghị định 30/2020/NĐ-CP, Phụ lục I; the layout in `docx_layout`): the issuing
body top left on at most two lines with its number and symbol, Quốc hiệu (12 pt, bold,
capitals) and tiêu ngữ (13 pt, bold) top right with the place and date (italic) under
them; the title; the sections, numbered as they are present; 'Nơi nhận' and the signer."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime, time

from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from locales.catalogue import localised, t
from locales.formats import format_number
from models.office.export.data import ReportData
from models.office.export.docx_layout import (
    body,
    caption,
    centred,
    grid,
    heading,
    no_borders,
    no_cell_margins,
    page_numbers,
    rule,
    style,
    subheading,
    text,
    widths,
)
from models.office.standing import Standing
from models.office.export.tvpb_table import tvpb_section
from models.programme.wording import period_label

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
KINDS = {"QĐ": "Quyết định", "NQ": "Nghị quyết", "KH": "Kế hoạch", "CT": "Chỉ thị", "CV": "Công văn", "TB": "Thông báo", "HD": "Hướng dẫn"}
ONE_LINE = 30
"""Characters of the issuing body that fit on one line of its column at 12 pt bold."""
SIGNATURE_SPACE = 4


def place_and_date(place: str, day: date) -> str:
    """'Lào Cai, ngày 05 tháng 01 năm 2027': a leading 0 for days below 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def issuer_lines(issuer: str) -> list[str]:
    """The issuing body on one line if it fits, else two, broken before 'VÀ' (or 'TỈNH'),
    which never splits a word pair ('KHOA HỌC', 'KỸ THUẬT')."""
    if len(issuer) <= ONE_LINE:
        return [issuer]
    words = issuer.split()
    for joint in ("VÀ", "TỈNH", "THÀNH"):
        if joint in words[1:]:
            at = words.index(joint, 1)
            return [" ".join(words[:at]), " ".join(words[at:])]
    half = len(words) // 2
    return [" ".join(words[:half]), " ".join(words[half:])]


def document_kind(number: str, kind: str | None) -> str:
    """The cited document's kind: the programme's word, else read from its symbol ('31/2015/QĐ-UBND')."""
    if kind:
        return kind
    symbol = number.rsplit("/", 1)[-1].split("-", 1)[0].upper()
    return KINDS.get(symbol, "văn bản")


class Writer:
    """Writes the sections in order, numbering those present (I, II, …) and the figures."""

    def __init__(self, document: WordDocument, data: ReportData, language: str, charts: dict[str, bytes]) -> None:
        self.document, self.data, self.language, self.charts = document, data, language, charts
        self.sections = 0
        self.figures = 0

    def t(self, key: str, **values: object) -> str:
        return t(key, self.language, **values)

    def heading(self, key: str) -> None:
        heading(self.document, self.t(key, n=ROMAN[self.sections]))
        self.sections += 1

    def chart(self, name: str, key: str) -> None:
        png = self.charts.get(name)
        if png:
            self.document.add_picture(io.BytesIO(png), width=Cm(15))
            self.figures += 1
            caption(self.document, self.t(key, n=self.figures))

    def paragraphs(self, words: str | None, empty_key: str) -> None:
        """What the office typed, a paragraph per line; a line asking for it if empty."""
        lines = [line.strip() for line in (words or "").splitlines() if line.strip()]
        for line in lines:
            body(self.document, line)
        if not lines:
            body(self.document, self.t(empty_key), italic=True)


def _number(value: float | None) -> str:
    return "" if value is None else format_number(value, "vi")


def _name(value: str, english: str, language: str) -> str:
    return localised(value, english, language)


def _header_block(document: WordDocument, data: ReportData) -> None:
    report = data.programme.report_format()
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    no_cell_margins(table)
    widths(table, [6.8, 9.7])
    left, right = table.rows[0].cells
    first = True
    if report.parent_body:
        centred(left, report.parent_body.upper(), 12, first=True)
        first = False
    for line in report.issuer_lines or issuer_lines(report.issuer.upper()):
        centred(left, line, 12, bold=True, first=first)
        first = False
    rule(left, 1.9)
    sent = data.office.sent_number if data.office else None
    centred(left, f"Số: {sent}" if sent else f"Số:        /{report.symbol}", 13)
    centred(right, QUOC_HIEU, 12, bold=True, first=True)
    centred(right, TIEU_NGU, 13, bold=True)
    rule(right, 2.6)
    centred(right, place_and_date(report.place, _issued(data)), 13, italic=True)


def _issued(data: ReportData) -> date:
    return data.office.sent_on if data.office and data.office.sent_on else data.issued_on


def subject(data: ReportData, language: str) -> str:
    shown = data.recipient_period or data.period
    return t("doc.subject", language, period=period_label(shown.info.key, language))


def _title(w: Writer) -> None:
    w.document.add_paragraph()
    centred(w.document, w.t("export.kind"), 14, bold=True)
    centred(w.document, subject(w.data, w.language), 14, bold=True)
    w.document.add_paragraph()


def _opening(w: Writer) -> None:
    data = w.data
    basis = data.programme.programme.legal_basis
    kind = document_kind(basis.number, basis.kind)
    title = basis.title[len(kind) :].strip() if basis.title.lower().startswith(kind.lower()) else "về " + basis.title
    span = data.period.info.window
    body(
        w.document,
        w.t(
            "doc.opening",
            kind=kind,
            number=basis.number,
            date=basis.date.strftime("%d/%m/%Y"),
            body=basis.issuer,
            title=title,
            issuer=data.programme.coordinator.name,
            period=period_label((data.recipient_period or data.period).info.key, w.language),
            start=span.start.strftime("%d/%m/%Y"),
            end=span.end.strftime("%d/%m/%Y"),
        ),
    )


def status_sentence(data: ReportData, language: str) -> str:
    """Section I's summary in words: no '0 báo cáo gửi muộn'."""
    counts = data.board.stand_counts(data.issued_on)
    total = len(data.board.rows)
    arrived = counts[Standing.ON_TIME] + counts[Standing.LATE] + counts[Standing.ACCEPTED]
    if not arrived:
        parts = [t("doc.status_head_none", language, total=total)]
    else:
        parts = [t("doc.status_head", language, total=total, arrived=arrived)]
        of_which = [t(f"doc.status_{s}", language, count=counts[s]) for s in (Standing.LATE, Standing.ACCEPTED) if counts[s]]
        if of_which:
            parts.append(t("doc.status_of_which", language, parts=t("doc.and", language).join(of_which)))
    if counts[Standing.RETURNED]:
        parts.append(t("doc.status_returned", language, count=counts[Standing.RETURNED]))
    missing = counts[Standing.NOT_SENT] + counts[Standing.OVERDUE]
    if missing:
        overdue = [item.days_overdue for item in data.stands if item.standing is Standing.OVERDUE]
        late = t("doc.status_overdue", language, days=overdue[0]) if overdue else ""
        parts.append(t("doc.status_missing", language, count=missing, overdue=late))
    elif arrived == total:
        parts.append(t("doc.status_all_sent", language))
    return "".join(parts) + "."


def _status(w: Writer) -> None:
    data = w.data
    if not data.agencies_report:
        return
    w.heading("doc.section_status")
    body(w.document, status_sentence(data, w.language))
    rows = [
        [
            str(n),
            row.agency.name,
            data.kinds.get(row.agency.kind_code or "", ""),
            item.words(w.language),
            row.submitted_at.strftime("%d/%m/%Y") if row.submitted_at else "",
        ]
        for n, (row, item) in enumerate(zip(data.board.rows, data.stands, strict=True), start=1)
    ]
    header = [w.t(f"export.col_{c}") for c in ("no", "agency", "kind", "status", "submitted")]
    grid(w.document, header, rows, [1.0, 5.6, 3.9, 3.3, 2.5])
    w.chart("progress", "doc.chart_progress")


def _missing(w: Writer) -> None:
    data = w.data
    if not data.agencies_report:
        return
    w.heading("doc.section_missing")
    if not data.missing:
        body(w.document, w.t("doc.missing_none"))
        return
    rows = [
        [
            str(n),
            m.agency.name,
            m.stand.words(w.language),
            "\n".join(f"{p.full_name} – {t(f'role.{p.role}', w.language)}" for p in m.focal_points) or w.t("office.no_focal_point"),
        ]
        for n, m in enumerate(data.missing, start=1)
    ]
    header = [w.t("export.col_no"), w.t("export.col_agency"), w.t("export.col_status"), w.t("doc.col_focal")]
    grid(w.document, header, rows, [1.0, 5.5, 3.0, 6.8], left=(1, 3))


def _narratives(w: Writer) -> None:
    shown = [group for group in w.data.narratives if not group.area.difficulties]
    if not shown or not w.data.agencies_report:
        return
    w.heading("doc.section_narratives")
    for n, group in enumerate(shown, start=1):
        subheading(w.document, f"{n}. {_name(group.area.name, group.area.name_en, w.language)}")
        if not group.entries:
            body(w.document, w.t("doc.area_empty"), italic=True)
        for entry in group.entries:
            body(w.document, f"- {entry.agency}: {entry.text}")


def _difference(value: float | None) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + _number(value)


def _counted_only(w: Writer) -> None:
    """The indicators of a report no agency writes into (the LHH's own to the UBND): only
    what the registered activities count."""
    rows = [
        [str(n), _name(r.indicator.name, r.indicator.name_en, w.language), _name(r.indicator.unit, r.indicator.unit_en, w.language), _number(r.counted)]
        for n, r in enumerate((r for r in w.data.reconciled if r.counted is not None), start=1)
    ]
    header = [w.t(f"export.col_{c}") for c in ("no", "indicator", "unit")] + [w.t("doc.col_counted")]
    grid(w.document, header, rows, [1.0, 9.5, 2.8, 3.2])
    body(w.document, w.t("doc.counted_note"), italic=True)


def _indicators(w: Writer) -> None:
    data = w.data
    if not data.indicators:
        return
    w.heading("doc.section_indicators")
    if not data.agencies_report:
        _counted_only(w)
        return
    rows = [
        [
            str(n),
            _name(r.indicator.name, r.indicator.name_en, w.language),
            _name(r.indicator.unit, r.indicator.unit_en, w.language),
            _number(r.reported),
            _number(r.counted),
            _difference(r.difference),
        ]
        for n, r in enumerate(data.reconciled, start=1)
    ]
    header = [w.t(f"export.col_{c}") for c in ("no", "indicator", "unit")] + [w.t(f"doc.col_{c}") for c in ("reported", "counted", "difference")]
    grid(w.document, header, rows, [0.9, 6.6, 2.2, 2.2, 2.4, 2.2])
    body(w.document, w.t("doc.figures_note", reports=sum(1 for _ in data.figures)), italic=True)
    if not data.figures:
        return
    body(w.document, w.t("doc.per_agency_intro"))
    names = [_name(i.name, i.name_en, w.language) for i in data.indicators]
    header = [w.t("export.col_no"), w.t("export.col_agency"), *names]
    totals = data.totals
    rows = [[str(n), f.agency.name, *(_number(f.values.get(i.code)) for i in data.indicators)] for n, f in enumerate(data.figures, start=1)]
    rows.append(["", w.t("export.total"), *(_number(totals[i.code]) for i in data.indicators)])
    share = round(12.0 / len(data.indicators), 2)
    grid(w.document, header, rows, [0.8, 3.7, *([share] * len(data.indicators))], size=8 if len(data.indicators) > 5 else 10)


def _activities(w: Writer) -> None:
    data = w.data
    w.heading("doc.section_activities")
    count = len(data.activities)
    if not count:
        body(w.document, w.t("doc.activities_none"))
        return
    body(w.document, w.t("doc.activities_joint" if data.joint else "doc.activities_alone", count=count, joint=data.joint))
    rows = [
        [str(n), _name(c.type.name, c.type.name_en, w.language), str(c.activities), _number(c.participants)]
        for n, c in enumerate(data.by_type, start=1)
    ]
    rows.append(["", w.t("export.total"), str(sum(c.activities for c in data.by_type)), _number(sum(c.participants for c in data.by_type))])
    header = [w.t(f"export.col_{c}") for c in ("no", "type", "activities", "participants")]
    grid(w.document, header, rows, [1.0, 9.5, 3.0, 3.0])
    w.chart("types", "doc.chart_types")
    if data.joint:
        body(w.document, w.t("doc.by_agency_intro"))
        rows = [[str(n), name, str(row.led), str(row.joined)] for n, (name, row) in enumerate(data.agency_activities, start=1)]
        header = [w.t("export.col_no"), w.t("export.col_agency"), w.t("doc.col_led"), w.t("doc.col_joined")]
        grid(w.document, header, rows, [1.0, 9.5, 3.0, 3.0])


def _targets(w: Writer) -> None:
    data = w.data
    if not data.targets:
        return
    w.heading("doc.section_targets")
    rows = [
        [
            str(n),
            _name(p.target.name, p.target.name_en, w.language),
            f"{p.target.target} {_name(p.target.unit, p.target.unit_en, w.language)}",
            str(p.done),
            str(p.planned),
            f"{round(100 * p.done / p.target.target)}%",
        ]
        for n, p in enumerate(data.targets, start=1)
    ]
    header = [w.t(f"export.col_{c}") for c in ("no", "target", "goal", "done", "planned", "rate")]
    grid(w.document, header, rows, [1.0, 6.8, 2.7, 2.0, 2.0, 2.0])


def _task_result(w: Writer, due: date, done_on: date | None) -> str:
    if done_on is not None:
        return w.t("doc.task_done", date=done_on.strftime("%d/%m/%Y"))
    if w.data.issued_on > due:
        return w.t("doc.task_overdue")
    return w.t("doc.task_open")


def _tasks(w: Writer) -> None:
    data = w.data
    if not data.programme.tasks:
        return
    w.heading("doc.section_tasks")
    if not data.tasks:
        body(w.document, w.t("doc.tasks_none"))
        return
    rows = [
        [
            str(n),
            f"[{line.code}] {line.title}",
            line.agency,
            f"{line.due_text} ({line.due.strftime('%d/%m/%Y')})",
            _task_result(w, line.due, line.done_on),
            line.note or "",
        ]
        for n, line in enumerate(data.tasks, start=1)
    ]
    header = [w.t("export.col_no"), w.t("doc.col_task"), w.t("doc.col_due"), w.t("export.col_agency"), w.t("doc.col_result"), w.t("doc.col_note")]
    rows = [[number, task, due, agency, result, note] for number, task, agency, due, result, note in rows]
    table = grid(w.document, header, rows, [1.0, 5.0, 2.3, 3.0, 2.6, 2.6], size=10, left=(1, 3, 5))
    _merge_runs(table, [line.code for line in data.tasks], columns=(0, 1, 2))


def _merge_runs(table: Table, keys: list[str], columns: tuple[int, ...]) -> None:
    """Merge the `columns` of consecutive rows with the same key (a task's agencies under
    one cell holding the task), keeping the first row's text; numbers follow the tasks."""
    start = 0
    number = 0
    for index in range(1, len(keys) + 1):
        if index < len(keys) and keys[index] == keys[start]:
            continue
        number += 1
        first = table.rows[start + 1]
        first.cells[0].paragraphs[0].runs[0].text = str(number)
        for column in columns:
            if index - start > 1:
                for row in table.rows[start + 2 : index + 1]:
                    row.cells[column].text = ""
                first.cells[column].merge(table.rows[index].cells[column])
                _drop_empty_paragraphs(first.cells[column])
        start = index


def _drop_empty_paragraphs(cell: _Cell) -> None:
    for paragraph in cell.paragraphs[1:]:
        if not paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)


def _assessment(w: Writer) -> None:
    office = w.data.office
    w.heading("doc.section_assessment")
    for key, value in (("assessment", office and office.assessment), ("shortcomings", office and office.shortcomings), ("causes", office and office.causes)):
        subheading(w.document, w.t(f"doc.{key}"))
        w.paragraphs(value or None, "doc.office_empty")


def _difficulties(w: Writer) -> None:
    if not any(area.difficulties for area in w.data.programme.content_areas) or not w.data.agencies_report:
        return
    w.heading("doc.section_difficulties")
    if not w.data.difficulties:
        body(w.document, w.t("export.no_difficulties"))
    for item in w.data.difficulties:
        body(w.document, f"- {item.agency}: {item.text}")


def _directions(w: Writer) -> None:
    office = w.data.office
    w.heading("doc.section_directions")
    for key, value in (("directions", office and office.directions), ("proposals", office and office.proposals)):
        subheading(w.document, w.t(f"doc.{key}"))
        w.paragraphs(value or None, "doc.office_empty")


def _tvpb(w: Writer) -> None:
    if w.data.programme.tvpb is not None:
        w.heading("export.section_tvpb")
        tvpb_section(w.document, w.data.tvpb, w.language)


def _closing(w: Writer) -> None:
    report = w.data.programme.report_format()
    w.document.add_paragraph()
    table = w.document.add_table(rows=1, cols=2)
    no_borders(table)
    widths(table, [8.0, 8.5])
    left, right = table.rows[0].cells
    text(left.paragraphs[0], w.t("export.recipients"), 12, bold=True, italic=True)
    for index, name in enumerate(report.recipients):
        ending = "." if index == len(report.recipients) - 1 else ";"
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        text(paragraph, f"- {name}{ending}", 11)
    for index, line in enumerate(report.signer):
        centred(right, line.upper(), 13, bold=True, first=index == 0)
    for _ in range(SIGNATURE_SPACE):
        centred(right, "", 13)
    signer = (w.data.office.signer_name if w.data.office else None) or report.signer_name
    if signer:
        centred(right, signer, 13, bold=True)


def _annex(w: Writer) -> None:
    if not w.data.signed:
        return
    w.document.add_page_break()
    centred(w.document, w.t("doc.annex_signed"), 13, bold=True)
    w.document.add_paragraph()
    rows = [[str(n), s.agency, s.name, s.attached_on.strftime("%d/%m/%Y")] for n, s in enumerate(w.data.signed, start=1)]
    header = [w.t("export.col_no"), w.t("export.col_agency"), w.t("doc.col_file"), w.t("doc.col_attached")]
    grid(w.document, header, rows, [1.0, 6.5, 6.0, 3.0], left=(1, 2))


SECTIONS: tuple[Callable[[Writer], None], ...] = (
    _status,
    _missing,
    _narratives,
    _indicators,
    _activities,
    _targets,
    _tasks,
    _tvpb,
    _assessment,
    _difficulties,
    _directions,
)


def build_docx(data: ReportData, charts: dict[str, bytes], language: str = "vi") -> bytes:
    """The .docx file's bytes; `charts` may hold 'progress' and 'types' PNGs (a chart left
    out is not drawn, nor numbered)."""
    document = Document()
    style(document)
    page_numbers(document)
    properties = document.core_properties
    properties.author = properties.last_modified_by = data.programme.coordinator.name
    properties.title = subject(data, language)
    properties.created = properties.modified = datetime.combine(_issued(data), time(0, 0))
    writer = Writer(document, data, language, charts)
    _header_block(document, data)
    _title(writer)
    _opening(writer)
    for section in SECTIONS:
        section(writer)
    _closing(writer)
    _annex(writer)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
