"""/report reads figures right: whole numbers for counted units, an ambiguous "1,234"
asked back, a figure above the indicator's plausible bound confirmed; a command typed in
the middle of the report is answered and the report waits at the same indicator."""

from __future__ import annotations

from sqlmodel import col, select

from handlers.engine import ConversationEngine
from models.db.engine import session_scope
from models.programme.loader import load_into
from models.programme.schema import load_programme
from models.reporting.tables import ReportItem
from tests.conftest import LAO_CAI, Chat, local
from tests.conversations.test_report_flow import open_annual


def to_indicator(person: Chat, number: int) -> None:
    """From /report to indicator `number` of the annual report, skipping those before it."""
    open_annual(person)
    person.press("Xong")
    for _ in range(number - 1):
        person.press("Bỏ qua")
    assert f"Chỉ tiêu {number}/8" in person.text


def value_of(db, code: str) -> float | None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(ReportItem.value).where(col(ReportItem.code) == code)).first()


def test_a_counted_unit_takes_whole_numbers_and_reads_thousands(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    to_indicator(person, 1)
    person.send("2,5")
    assert "«2,5» không phải là số nguyên" in person.text
    assert "Chỉ tiêu 1/8" in person.text
    person.send("1.234")
    assert "Chỉ tiêu 2/8" in person.text
    assert value_of(db, "hoi-thao") == 1234


def test_an_ambiguous_figure_is_asked_back_and_never_guessed(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    to_indicator(person, 8)
    person.send("1,234")
    assert "«1,234» là 1.234 hay 1,234 triệu đồng?" in person.text
    assert [b.label for b in person.last[-1].choices()][:3] == ["1.234 triệu đồng", "1,234 triệu đồng", "Nhập lại"]
    person.press("Nhập lại")
    assert "Chỉ tiêu 8/8" in person.text
    person.send("1.234")
    person.press("1,234 triệu đồng")
    assert "Nội dung 2/7" in person.text
    assert value_of(db, "kinh-phi") == 1.234


def test_an_ambiguous_figure_is_asked_back_in_english(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    person.send("/lang")
    person.press("English")
    person.send("/report")
    person.press("year 2026")
    person.press("Done")
    for _ in range(7):
        person.press("Skip")
    person.send("1,234")
    assert "Is «1,234» 1,234 or 1.234 million VND?" in person.text
    person.press("1,234 million VND")
    assert value_of(db, "kinh-phi") == 1234


def test_a_figure_above_its_bound_is_confirmed(clock, db, loaded) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    programme = load_programme(LAO_CAI)
    bounded = [i.model_copy(update={"plausible_max": 500}) if i.code == "hoc-vien" else i for i in programme.indicators]
    with session_scope(db) as session:
        load_into(session, programme.model_copy(update={"indicators": bounded}), clock())
    person = Chat(ConversationEngine(db, clock, "lao-cai-31-2015"), "syt-specialist")
    to_indicator(person, 4)
    person.send("8500")
    assert "8.500 đại biểu cao hơn nhiều so với mức thường gặp (500)" in person.text
    assert value_of(db, "hoc-vien") is None
    person.press("Đúng, 8.500 đại biểu")
    assert "Chỉ tiêu 5/8" in person.text
    assert value_of(db, "hoc-vien") == 8500


def test_a_command_during_the_report_is_answered_and_the_report_waits(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    to_indicator(person, 3)
    person.send("/due")
    assert "Việc phải làm của Sở Y tế" in person.last[0].text
    assert "vẫn được giữ" in person.last[-1].text
    assert "Chỉ tiêu 3/8" in person.last[-1].text
    person.send("/cancel")
    assert "vẫn được giữ trong bản nháp" in person.text
