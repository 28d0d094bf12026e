"""`phoihop schedule`: the calendar a programme produces, printed and as iCalendar."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models.programme.schema import Programme
from scheduler.calendar_text import render, to_ics
from scheduler.plan import Kind, calendar
from tests.system.test_cli import phoihop


def test_lao_cai_2027_in_words(lao_cai: Programme) -> None:
    entries = calendar(lao_cai, 2027)
    text = render(lao_cai, entries, 2027, "vi")
    assert "Giờ gửi nhắc: 08:00; không gửi từ 21:00 đến 07:00; không gửi vào ngày nghỉ cuối tuần, ngày lễ." in text
    assert "  20/06/2027 CN         Hạn nộp: Báo cáo 6 tháng kết quả thực hiện chương trình phối hợp — 6 tháng đầu năm 2027" in text
    assert (
        "  18/06/2027 T6  08:00  Nhắc đúng hạn → đầu mối: Báo cáo 6 tháng kết quả thực hiện chương trình phối hợp — 6 tháng đầu năm 2027"
        in text
    )
    assert (
        "  28/06/2027 T2  08:00  Nhắc quá hạn 7 ngày, báo cáo lên → đầu mối, lãnh đạo phụ trách, Văn phòng Liên hiệp hội: "
        "Báo cáo 6 tháng kết quả thực hiện chương trình phối hợp — 6 tháng đầu năm 2027"
    ) in text
    assert "  15/12/2027 T4         Mở kỳ: Báo cáo 6 tháng kết quả thực hiện chương trình phối hợp — 6 tháng đầu năm 2028" in text
    assert "  01/12/2027 T4         Sự kiện trong tháng: Hội nghị tổng kết công tác phối hợp hằng năm" in text
    assert all(entry.day.year == 2027 for entry in entries)
    assert not any(entry.at and entry.day.weekday() >= 5 for entry in entries if entry.kind is not Kind.EVENT)


def test_ics_is_valid_icalendar(lao_cai: Programme) -> None:
    entries = calendar(lao_cai, 2027)
    ics = to_ics(lao_cai, entries, "en", datetime(2026, 11, 23, tzinfo=UTC))
    lines = ics.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert ics.count("BEGIN:VEVENT") == len(entries) == ics.count("END:VEVENT")
    assert all(len(line.encode()) <= 75 for line in lines)
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == len(uids)
    assert "DTSTART:20270618T010000Z" in lines
    assert "DTSTART;VALUE=DATE:20270620" in lines
    unfolded = ics.replace("\r\n ", "")
    assert "SUMMARY:Deadline: Six-month report on the coordination programme — first six months of 2027" in unfolded


@pytest.mark.slow
def test_schedule_command_prints_and_writes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "lich.ics"
    result = phoihop("schedule", "ha-giang-2021-2026", "--year", "2025", "--ics", str(target), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Lịch năm 2025" in result.stdout
    assert "  20/01/2025 T2         Hạn nộp: Báo cáo hàng tháng kết quả thực hiện gửi Ủy ban nhân dân tỉnh — tháng 1/2025" in result.stdout
    assert target.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    missing = phoihop("schedule", "khong-co", "--year", "2025", cwd=tmp_path)
    assert missing.returncode == 2 and "Không tìm thấy tệp chương trình «khong-co»" in missing.stderr
