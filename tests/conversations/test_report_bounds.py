"""An indicator's plausible bound (`plausible_max`) holds for every way a figure arrives:
a suggestion pressed, «Dùng tất cả gợi ý», and the reading picked after an ambiguous
"1,234" was asked back; each is confirmed before it is recorded."""

from __future__ import annotations

import re

from handlers.engine import ConversationEngine
from models.db.engine import session_scope
from models.programme.loader import load_into
from models.programme.schema import load_programme
from tests.conftest import LAO_CAI, Chat, local
from tests.conversations.test_report_figures import to_indicator, value_of
from tests.conversations.test_report_flow import open_annual


def bounded_chat(db, clock, bounds: dict[str, float]) -> Chat:  # type: ignore[no-untyped-def]
    """syt-specialist on the Lào Cai programme with `bounds` set on its indicators."""
    programme = load_programme(LAO_CAI)
    indicators = [i.model_copy(update={"plausible_max": bounds[i.code]}) if i.code in bounds else i for i in programme.indicators]
    with session_scope(db) as session:
        load_into(session, programme.model_copy(update={"indicators": indicators}), clock())
    return Chat(ConversationEngine(db, clock, "lao-cai-31-2015"), "syt-specialist")


def suggestion_in(text: str) -> int:
    found = re.search(r"Gợi ý từ các hoạt động đã tính: (\d+) cuộc", text)
    assert found is not None, text
    return int(found.group(1))


def test_a_suggestion_above_the_bound_is_confirmed_before_it_is_recorded(clock, db, loaded) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = bounded_chat(db, clock, {"hoi-thao": 0.5})
    to_indicator(person, 1)
    suggestion = suggestion_in(person.text)
    assert suggestion >= 1
    person.press(f"Dùng {suggestion}")
    assert f"{suggestion} cuộc cao hơn nhiều so với mức thường gặp (0,5)" in person.text
    assert value_of(db, "hoi-thao") is None
    person.press(f"Đúng, {suggestion} cuộc")
    assert "Chỉ tiêu 2/8" in person.text and value_of(db, "hoi-thao") == suggestion


def test_use_all_suggestions_stops_at_one_above_its_bound(clock, db, loaded) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = bounded_chat(db, clock, {"hoi-thao": 0.5})
    open_annual(person)
    person.press("Xong")
    suggestion = suggestion_in(person.text)
    person.press("Dùng tất cả gợi ý")
    assert f"{suggestion} cuộc cao hơn nhiều so với mức thường gặp (0,5)" in person.text
    assert value_of(db, "hoi-thao") is None
    assert value_of(db, "tap-huan") is not None  # the others within their bounds are recorded
    person.press(f"Đúng, {suggestion} cuộc")
    assert value_of(db, "hoi-thao") == suggestion


def test_the_reading_picked_after_an_ask_back_is_held_to_the_bound(clock, db, loaded) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    person = bounded_chat(db, clock, {"kinh-phi": 1000})
    to_indicator(person, 8)
    person.send("1,234")
    person.press("1.234 triệu đồng")
    assert "1.234 triệu đồng cao hơn nhiều so với mức thường gặp (1.000)" in person.text
    assert value_of(db, "kinh-phi") is None
    person.press("Nhập lại")
    person.send("1,234")
    person.press("1,234 triệu đồng")
    assert "Nội dung " in person.text and value_of(db, "kinh-phi") == 1.234
