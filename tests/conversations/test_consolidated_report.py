"""Issue 14's period, end to end: narratives in every area, joint activities, a late and
a returned-then-accepted report, missing agencies, the office's texts typed in /assess and
the LHH's report to Sở Nội vụ marked sent with /sent; the .docx read back section by
section (python-docx), the reconciled figures, and the .xlsx narratives sheet. Also /status
and /missing past the deadline ("quá hạn")."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from openpyxl import load_workbook
from sqlmodel import select

from handlers.types import FileRef
from models.activities.register import Draft, register
from models.db.engine import session_scope
from models.office.board import choose_period
from models.office.export.bundle import ExportBundle, build_bundle
from models.office.export.reconcile import Counted, by_agency, counted_figure
from models.office.standing import Standing, stand
from models.people.tables import Person
from models.programme.tables import ActivityType, Agency
from models.reporting.submissions import narrative_code, review, save_item, submission_for, submit
from models.reporting.tables import Period, SubmissionStatus
from models.programme.schema import load_programme
from tests.conftest import LAO_CAI, local

NOW = local(2027, 6, 25, 9)
AREAS = ("tap-hop", "pbkt", "nghien-cuu", "tvpb", "sang-tao", "hop-tac-qt", "kho-khan")


def _agency(session, code: str) -> Agency:  # type: ignore[no-untyped-def]
    return session.exec(select(Agency).where(Agency.code == code)).one()


def _send(session, period: Period, code: str, workshops: float, areas: tuple[str, ...], when) -> int:  # type: ignore[no-untyped-def]
    agency = _agency(session, code)
    submission = submission_for(session, period.id, agency.id, when)  # type: ignore[arg-type]
    save_item(session, submission, "hoi-thao", when, value=workshops)
    for area in areas:
        save_item(session, submission, narrative_code(area), when, text=f"{code} viết về {area}.")
    person = session.exec(select(Person).where(Person.agency_id == agency.id)).first()
    submit(session, submission, period, person.id if person else 1, when)
    return submission.id


def _bundle(db, lao_cai, loaded, code: str = "dv-6-thang/2027-H1") -> ExportBundle:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return build_bundle(session, lao_cai, loaded, choose_period(session, lao_cai, loaded, code, NOW), NOW)


def _period(db, lao_cai, loaded) -> None:  # type: ignore[no-untyped-def]
    """SYT on time with a narrative in every area; HYH late (23/6) in two areas; SCT
    returned, then resubmitted and accepted; the rest missing. One joint workshop led by
    SYT with HYH and SNV as partners."""
    with session_scope(db) as session:
        chosen = choose_period(session, lao_cai, loaded, "2027-H1", NOW)
        period = session.get(Period, chosen.row.id)
        _send(session, period, "SYT", 2, AREAS, local(2027, 6, 18, 10))
        _send(session, period, "HYH", 1, ("pbkt", "kho-khan"), local(2027, 6, 23, 10))
        sct = submission_for(session, period.id, _agency(session, "SCT").id, NOW)  # type: ignore[arg-type]
        _send(session, period, "SCT", 1, ("tvpb",), local(2027, 6, 19, 10))
        review(session, sct, 1, False, "Thiếu số liệu", local(2027, 6, 20, 9))
        submit(session, sct, period, 1, local(2027, 6, 21, 9))
        review(session, sct, 1, True, None, local(2027, 6, 22, 9))
        workshop = session.exec(select(ActivityType).where(ActivityType.code == "hoi-thao")).one()
        partners = (_agency(session, "HYH").id, _agency(session, "SNV").id)
        draft = Draft(workshop.id, "Hội thảo phối hợp về y học cổ truyền", date(2027, 3, 10), "Lào Cai", partners, 70)
        register(session, loaded, _agency(session, "SYT"), draft, None, NOW.date(), NOW)


def test_the_period_section_by_section(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    before = _bundle(db, lao_cai, loaded).data
    _period(db, lao_cai, loaded)
    clock.moment = NOW
    admin = chat("lhh-admin")
    admin.send("/assess dv-6-thang/2027-H1")
    assert "Mục 1/6" in admin.text or "mục 1/6" in admin.text
    for text in ("Các cơ quan phối hợp chặt chẽ.", "Một số đơn vị gửi chậm.", "Kinh phí hạn chế.", "Duy trì giao ban.\nĐăng ký hoạt động kịp thời."):
        admin.send(text)
    assert "Gợi ý từ báo cáo của các cơ quan" in admin.text and "- SYT viết về kho-khan." in admin.text
    admin.send("Đề nghị bố trí kinh phí.")
    admin.send("Nguyễn Văn An")
    assert admin.text.startswith("Đã lưu nội dung của Văn phòng") and "/export dv-6-thang/2027-H1" in admin.text
    data = _bundle(db, lao_cai, loaded).data
    document = Document(io.BytesIO(_bundle(db, lao_cai, loaded).docx))
    texts = [p.text for p in document.paragraphs if p.text]
    headings = [t for t in texts if t.split(". ")[0] in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")]
    assert headings == [
        "I. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ",
        "II. CÁC CƠ QUAN, ĐƠN VỊ CHƯA GỬI BÁO CÁO",
        "III. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG PHỐI HỢP",
        "IV. KẾT QUẢ CÁC CHỈ TIÊU",
        "V. HOẠT ĐỘNG PHỐI HỢP THEO LOẠI",
        "VI. TƯ VẤN, PHẢN BIỆN VÀ GIÁM ĐỊNH XÃ HỘI",
        "VII. ĐÁNH GIÁ CHUNG",
        "VIII. KHÓ KHĂN, VƯỚNG MẮC CỦA CÁC CƠ QUAN, ĐƠN VỊ",
        "IX. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI VÀ KIẾN NGHỊ",
    ]

    def section(title: str) -> list[str]:
        start = texts.index(title)
        following = [i for i, t in enumerate(texts) if t in headings and i > start]
        return texts[start + 1 : following[0] if following else len(texts)]

    assert section(headings[0])[0] == (
        "Tổng số 41 cơ quan, đơn vị phải báo cáo; đã gửi 3 báo cáo, trong đó 1 báo cáo gửi muộn và 1 báo cáo đã được tiếp nhận;"
        " còn 38 cơ quan, đơn vị chưa gửi (quá hạn 5 ngày)."
    )
    assert "Hình 1. Tiến độ gửi báo cáo theo loại cơ quan, đơn vị" in section(headings[0])
    narratives = section(headings[2])
    assert narratives[:3] == [
        "1. Tập hợp, đoàn kết trí thức; phối hợp hoạt động các hội thành viên",
        "- Sở Y tế: SYT viết về tap-hop.",
        "2. Thông tin, tuyên truyền, đào tạo và phổ biến kiến thức",
    ]
    assert narratives[3:5] == ["- Sở Y tế: SYT viết về pbkt.", "- Hội Y học tỉnh: HYH viết về pbkt."]
    assert "- Sở Công Thương: SCT viết về tvpb." in narratives and "kho-khan" not in " ".join(narratives)
    assert section(headings[5]) == ["Trong kỳ không có nhiệm vụ tư vấn, phản biện và giám định xã hội."]
    assert section(headings[6]) == [
        "1. Đánh giá chung",
        "Các cơ quan phối hợp chặt chẽ.",
        "2. Tồn tại, hạn chế",
        "Một số đơn vị gửi chậm.",
        "3. Nguyên nhân",
        "Kinh phí hạn chế.",
    ]
    assert section(headings[7]) == ["- Sở Y tế: SYT viết về kho-khan.", "- Hội Y học tỉnh: HYH viết về kho-khan."]
    assert section(headings[8]) == [
        "1. Phương hướng, nhiệm vụ",
        "Duy trì giao ban.",
        "Đăng ký hoạt động kịp thời.",
        "2. Kiến nghị, đề xuất",
        "Đề nghị bố trí kinh phí.",
    ]
    assert not any("0 báo cáo" in t for t in texts)
    closing = [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs if p.text]  # no annex: nothing signed
    assert closing == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Nguyễn Văn An"]
    assert document.core_properties.author == "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai"
    assert document.core_properties.created.date() == date(2027, 6, 25)
    assert all('w:tblHeader w:val="true"' in table.rows[0]._tr.xml for table in document.tables[1:-1])
    missing = next(t for t in document.tables if "Đầu mối phối hợp" in [c.text for c in t.rows[0].cells])
    rows = {r.cells[1].text: r.cells for r in missing.rows[1:]}
    assert len(rows) == 38 and "Sở Y tế" not in rows and "Sở Công Thương" not in rows
    assert rows["Sở Khoa học và Công nghệ"][2].text == "quá hạn 5 ngày"
    per_agency = next(t for t in document.tables if "Số hội thảo khoa học" in [c.text for c in t.rows[0].cells])
    assert [c.text for c in per_agency.rows[0].cells][2] == "Số hội thảo khoa học"

    workshops = next(r for r in data.reconciled if r.indicator.code == "hoi-thao")
    earlier = next(r for r in before.reconciled if r.indicator.code == "hoi-thao")
    assert workshops.reported == 4 and workshops.reporting == 3
    assert workshops.counted == (earlier.counted or 0) + 1 and workshops.difference == 4 - workshops.counted
    funding = next(r for r in data.reconciled if r.indicator.code == "kinh-phi")
    assert funding.counted is None and funding.difference is None
    led = {name: (row.led, row.joined) for name, row in data.agency_activities}
    old = {name: (row.led, row.joined) for name, row in before.agency_activities}
    assert led["Sở Y tế"] == (old.get("Sở Y tế", (0, 0))[0] + 1, old.get("Sở Y tế", (0, 0))[1])
    assert led["Hội Y học tỉnh"][1] == old.get("Hội Y học tỉnh", (0, 0))[1] + 1
    assert data.joint == before.joint + 1

    book = load_workbook(io.BytesIO(_bundle(db, lao_cai, loaded).xlsx))
    sheet = [row for row in book["Nội dung báo cáo"].iter_rows(min_row=2, values_only=True)]
    assert len(sheet) == 7 + 2 + 1
    assert sheet[0] == ("Sở Y tế", "Tập hợp, đoàn kết trí thức; phối hợp hoạt động các hội thành viên", "SYT viết về tap-hop.")
    reconciled = {row[0]: row[2:] for row in book["Đối chiếu chỉ tiêu"].iter_rows(min_row=2, values_only=True)}
    assert reconciled["Số hội thảo khoa học"] == (4, workshops.counted, 4 - workshops.counted)


def test_the_report_to_so_noi_vu_is_the_consolidation(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    _period(db, lao_cai, loaded)
    clock.moment = NOW
    admin = chat("lhh-admin")
    admin.send("/sent dv-6-thang/2027-H1 45/BC-LHH")
    assert "không phải báo cáo gửi cơ quan cấp trên" in admin.text
    admin.send("/sent lhh-6-thang/2027-H1 45/bc-lhh 31/06/2027")
    assert "không đúng dạng" in admin.text
    admin.send("/sent lhh-6-thang/2027-H1 45/bc-lhh 24/06/2027")
    assert admin.text == (
        "Đã ghi nhận Báo cáo 6 tháng của Liên hiệp hội gửi Sở Nội vụ — 6 tháng đầu năm 2027 đã gửi Sở Nội vụ: văn bản số 45/BC-LHH"
        " ngày 24/06/2027. Số và ngày này được in trên báo cáo khi xuất lại (/export)."
    )
    bundle = _bundle(db, lao_cai, loaded, "lhh-6-thang/2027-H1")
    assert bundle.data.period.cycle.code == "dv-6-thang" and bundle.data.recipient_period is not None
    assert len(bundle.data.figures) == 3
    document = Document(io.BytesIO(bundle.docx))
    left = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left[-1] == "Số: 45/BC-LHH"
    assert document.tables[0].rows[0].cells[1].paragraphs[-1].text == "Lào Cai, ngày 24 tháng 6 năm 2027"
    with session_scope(db) as session:
        lhh = _agency(session, "LHH")
        chosen = choose_period(session, lao_cai, loaded, "lhh-6-thang/2027-H1", NOW)
        own = submission_for(session, chosen.row.id, lhh.id, NOW)
        assert own.status is SubmissionStatus.ACCEPTED


def test_status_and_missing_say_overdue(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 6, 25, 9)
    admin = chat("lhh-admin")
    admin.send("/status 2027-H1")
    first = admin.last[0].text
    assert "41 cơ quan · quá hạn: 41" in first and "Sở Y tế · quá hạn 5 ngày" in first
    admin.send("/missing 2027-H1")
    assert "Đã quá hạn 5 ngày: 41 cơ quan chưa gửi báo cáo." in admin.text
    assert "• SKHDT — Sở Kế hoạch và Đầu tư (quá hạn 5 ngày)" in admin.text
    clock.moment = local(2027, 6, 19, 9)
    admin.send("/status 2027-H1")
    assert "Sở Y tế · chưa gửi" in admin.last[0].text


def test_standings_and_counts() -> None:
    due = date(2027, 6, 20)
    assert stand(None, False, due, date(2027, 6, 20)).standing is Standing.NOT_SENT
    assert stand(SubmissionStatus.DRAFT, False, due, date(2027, 6, 21)).words("vi") == "quá hạn 1 ngày"
    assert stand(SubmissionStatus.SUBMITTED, True, due, date(2027, 6, 21)).words("vi") == "gửi muộn"
    assert stand(SubmissionStatus.SUBMITTED, False, due, date(2028, 6, 21)).words("vi") == "đã gửi (đúng hạn)"
    assert stand(SubmissionStatus.RETURNED, False, due, date(2028, 6, 21)).words("en") == "returned"
    assert stand(None, False, due, date(2028, 1, 1)).words("vi") == "quá hạn 195 ngày"
    joint = Counted("hoi-thao", 70, lead_id=1, partner_ids=(2, 3))
    alone = Counted("tap-huan", 30, lead_id=2)
    indicators = {i.code: i for i in load_programme(LAO_CAI).indicators}
    assert counted_figure(indicators["hoi-thao"], [joint, alone]) == 1
    assert counted_figure(indicators["hoc-vien"], [joint, alone]) == 30
    assert counted_figure(indicators["kinh-phi"], [joint, alone]) is None
    assert [(a.agency_id, a.led, a.joined) for a in by_agency([joint, alone])] == [(1, 1, 0), (2, 1, 1), (3, 0, 1)]


def test_the_signed_letter_is_attached_and_listed_in_the_annex(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = NOW
    person = chat("syt-specialist")
    person.send("/signed 2027-H1")
    assert person.text.startswith("Sở Y tế chưa gửi Báo cáo 6 tháng")
    _period(db, lao_cai, loaded)
    person.send("/signed 2027-H1")
    assert person.text.startswith("Gửi công văn báo cáo đã ký, đóng dấu của Báo cáo 6 tháng")
    person.send("chưa có tệp")
    assert "Gửi công văn" in person.text
    person.send_file(FileRef("file-cv", "cong-van-45-SYT.pdf", "application/pdf", 120_000, "u-cv"))
    assert person.text.startswith("Đã đính kèm «cong-van-45-SYT.pdf» vào Báo cáo 6 tháng")
    bundle = _bundle(db, lao_cai, loaded)
    assert [(s.agency, s.name, s.channel) for s in bundle.data.signed] == [("Sở Y tế", "cong-van-45-SYT.pdf", "console")]
    assert next(f for f in bundle.data.figures if f.agency.code == "SYT").values == {"hoi-thao": 2}
    document = Document(io.BytesIO(bundle.docx))
    texts = [p.text for p in document.paragraphs if p.text]
    assert "PHỤ LỤC\nVĂN BẢN ĐÃ KÝ, ĐÓNG DẤU CỦA CÁC CƠ QUAN, ĐƠN VỊ" in texts
    annex = document.tables[-1]
    assert [c.text for c in annex.rows[1].cells] == ["1", "Sở Y tế", "cong-van-45-SYT.pdf", "25/06/2027"]


def test_a_period_overdue_more_than_180_days_stays_in_due(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        choose_period(session, lao_cai, loaded, "dv-6-thang/2027-H1", NOW)
    clock.moment = local(2028, 3, 1, 9)
    person = chat("syt-leader")
    person.send("/due")
    days = (date(2028, 3, 1) - date(2027, 6, 20)).days
    assert days > 180
    assert f"Hạn: 20/06/2027 (quá hạn {days} ngày) · chưa gửi" in person.text
