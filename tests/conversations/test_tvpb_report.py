"""TVPB tasks in the office's figures: /targets counts those whose critique was sent as done and the open
ones as planned (seed 002, II.2.c: 25 in the term), and the consolidated report's TVPB
table (its own section builder) says, for each task, whether the dossier came on time and
complete, the council's size, the critique sent and the response received."""

from __future__ import annotations

import io
from datetime import date, datetime

from docx import Document
from sqlmodel import Session, select

from models.db.engine import session_scope
from models.office.export.tvpb_table import TvpbRow, tvpb_rows, tvpb_section
from models.programme.periods import Window
from models.programme.schema import Programme, load_programme
from models.programme.tables import Agency, ProgrammeRecord
from models.tvpb import experts, services
from models.tvpb.tables import SchemeKind, Stage, TvpbTask
from tests.conftest import PROGRAMMES, local
from tests.conversations.test_office_commands import ha_giang_admin


def run_through(session: Session, programme: Programme, task: TvpbTask, now: datetime) -> None:
    """Every stage, on time but each part marked missing (so: incomplete)."""
    for part in programme.tvpb.parts:  # type: ignore[union-attr]
        services.record_part(session, programme, task, part.code, None, None, now)
    expert = experts.record_on_paper(session, task.programme_id, "TS. Vũ Minh Khoa", date(2023, 1, 2), ["kinh-te"], now)
    seat = experts.invite(session, task, expert, now)
    experts.answer(session, seat, True, now)
    services.council_formed(session, task, now.date(), None, now)
    for stage in (Stage.WORKSHOP, Stage.CRITIQUE_SENT, Stage.RESPONSE, Stage.CLOSED):
        services.advance(session, programme, task, stage, None, now)


def test_targets_count_tvpb_tasks_and_the_report_shows_them(db, clock) -> None:  # type: ignore[no-untyped-def]
    programme = load_programme(PROGRAMMES / "ha-giang-2021-2026.toml")
    clock.moment = local(2023, 3, 1, 9)
    admin = ha_giang_admin(db, clock, programme, (date(2022, 5, 1), date(2023, 9, 1)))
    with session_scope(db) as session:
        record = session.exec(select(ProgrammeRecord).where(ProgrammeRecord.code == programme.code)).one()
        skhdt = session.exec(select(Agency).where(Agency.programme_id == record.id, Agency.code == "SKHDT")).one()
        done = services.open_task(
            session,
            programme,
            record.id,
            skhdt,
            "Quy hoạch tỉnh thời kỳ 2021-2030",
            SchemeKind.QUY_HOACH,
            ["kinh-te"],
            date(2023, 4, 3),
            None,
            clock(),
        ).task
        run_through(session, programme, done, local(2023, 3, 10, 10))
        waiting = services.open_task(
            session, programme, record.id, skhdt, "Đề án chuyển đổi số", SchemeKind.DE_AN, ["khcn"], date(2023, 6, 1), None, clock()
        ).task
        cancelled = services.open_task(
            session,
            programme,
            record.id,
            skhdt,
            "Chương trình du lịch",
            SchemeKind.CHUONG_TRINH,
            ["kinh-te"],
            date(2023, 6, 5),
            None,
            clock(),
        ).task
        services.cancel(session, cancelled, "UBND tỉnh dừng xây dựng", None, local(2023, 3, 11))
        assert done.dossier_late is False and done.dossier_incomplete is True
        rows = tvpb_rows(session, record.id, Window(date(2023, 1, 1), date(2023, 6, 30)), programme.zone)
        assert rows == [
            TvpbRow("Quy hoạch tỉnh thời kỳ 2021-2030", skhdt.name, "incomplete", 1, True, True, False),
            TvpbRow("Đề án chuyển đổi số", skhdt.name, "waiting", 0, False, False, False),
            TvpbRow("Chương trình du lịch", skhdt.name, "waiting", 0, False, False, True),
        ]
        assert tvpb_rows(session, record.id, Window(date(2023, 7, 1), date(2023, 12, 31)), programme.zone)[0].title == "Đề án chuyển đổi số"
        assert waiting.stage is Stage.REQUESTED

    clock.moment = local(2023, 3, 20, 9)
    admin.send("/targets")
    assert "• Đề tài, nhiệm vụ tư vấn, phản biện cấp tỉnh: đã thực hiện 2/25 nhiệm vụ (8%), đang dự kiến 2" in admin.text

    document = Document()
    tvpb_section(document, rows, "vi")
    buffer = io.BytesIO()
    document.save(buffer)
    read = Document(io.BytesIO(buffer.getvalue()))
    table = [[cell.text for cell in row.cells] for row in read.tables[0].rows]
    assert table[0][3] == "Hồ sơ gửi Liên hiệp hội"
    assert table[1] == ["1", "Quy hoạch tỉnh thời kỳ 2021-2030", skhdt.name, "Chưa đầy đủ", "1", "Có", "Có"]
    assert table[3][1] == "Chương trình du lịch (đã hủy)"
    empty = Document()
    tvpb_section(empty, [], "en")
    assert empty.paragraphs[0].text == "No social critique task in the period."
