"""Every form step as a Zalo reader sees it: each prompt of each flow (and the problem a
wrong answer brings) is rendered for Zalo, as numbered choices and words to type, and none
asks to press a button ("bấm", "tap", "press"): the walk below visits every step of every
flow in the wiring and fails if a step is left out; the catalogue test holds the words of
both languages to the same."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlmodel import select

from bot.zalo.outgoing import render
from handlers import forms
from handlers.context import Ctx
from handlers.conversations import WIRING
from handlers.engine import ConversationEngine
from handlers.types import FileRef, Reply
from locales.catalogue import LANGUAGES, catalogue
from models.activities.tables import Activity, ActivityStatus
from models.db.engine import session_scope
from models.people.tables import Role
from models.programme.loader import load_into
from models.programme.schema import load_programme
from models.programme.tables import Agency, ProgrammeRecord
from tests.conftest import PROGRAMMES, Chat, local
from tests.support.roster import add_member
from tests.fakes.zalo_api import User
from tests.support.zalo_harness import link_zalo

PRESSING = re.compile(r"\b(bấm|nhấn|tap|press|click)\b", re.IGNORECASE)


@dataclass
class Seen:
    steps: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def note(self, flow: str, step: str, text: str) -> None:
        self.steps.setdefault((flow, step), []).append(text)


@pytest.fixture
def seen(monkeypatch) -> Iterator[Seen]:  # type: ignore[no-untyped-def]
    record = Seen()
    original = forms.render

    def rendering(ctx: Ctx, problem: str | None = None) -> Reply:
        convo = ctx.state()
        reply = original(ctx, problem)
        record.note(convo.flow or "", (convo.step or "").split(":")[0], render(reply, ctx.lang))
        return reply

    monkeypatch.setattr(forms, "render", rendering)
    yield record


def walk(person: Chat, *answers: str | FileRef) -> None:
    for answer in answers:
        if isinstance(answer, FileRef):
            person.send_file(answer)
        else:
            person.send(answer)


def fill_report(person: Chat) -> None:
    """From the activities of the annual report to its confirmation, one wrong answer first."""
    person.press("Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026")
    person.press("Phổ biến kiến thức")
    person.press("Xong")
    person.send("mười")
    asked_back = False
    while "Kiểm tra lại báo cáo" not in person.text:
        if "triệu đồng" in person.text and not asked_back:
            person.send("1.250")
            asked_back = True
        labels = [button.label for button in person.last[-1].choices()]
        wanted = ("Giữ nguyên", "Xong", "Bỏ qua", "Nhập lại", "Không có nội dung khác")
        person.press(next(label for label in wanted if any(label in shown for shown in labels)))
    person.press("Nộp báo cáo")


def lao_cai_forms(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 18, 10)
    admin = chat("lhh-admin")
    admin.send("/invite SCT specialist")
    newcomer = chat("newcomer")
    walk(newcomer, f"/start {admin.last[0].invite_code}", "x", "1", "Phan Thị Hằng")
    specialist = chat("syt-specialist")
    link_zalo(db, "syt-specialist", User("0a1b2c3d4e5f6a7b8c9d", "Mai"), clock())
    walk(specialist, "/lang", "1", "/channel", "/cancel")
    walk(specialist, "/register", "xx", "1", "abc", "Tập huấn kỹ thuật nuôi ong lấy mật", "ngày mai", "5/12", "X")
    walk(specialist, "Xã Bản Phố, huyện Bắc Hà", "KHONGCO", "SNV", "99", "abc", "40", "99", "/cancel")
    walk(specialist, "/activities", "/cancel", "/attach", "abc", "1", "no file", "/cancel", "/forgetme", "/cancel")
    with session_scope(db) as session:
        syt = session.exec(select(Agency).where(Agency.code == "SYT")).one()
        planned = select(Activity.id).where(Activity.lead_agency_id == syt.id, Activity.status == ActivityStatus.PLANNED)
        number = session.exec(planned).first()
    assert number is not None
    opened = f"/activity {number}"
    walk(specialist, "/notices", "9", "2", opened, "99", "1", "ab", "/cancel", opened, "3", "abc", "/cancel", opened, "4", "99")
    walk(specialist, "/cancel", opened, "5", "KHONGCO", "/cancel", opened, "6", "1/1/2020", "/cancel")
    walk(specialist, opened, "8", "ab", "/cancel", opened, "7", "1/1/2030", "1/12/2026", "abc", "/cancel")
    specialist.send("/report")
    fill_report(specialist)
    walk(specialist, "/signed dv-nam/2026", "no file", "/cancel")
    walk(admin, "/status", "/cancel", "/missing", "/cancel", "/agencies", "/cancel", "/people", "1", "/cancel")
    walk(admin, "/people", "5", "1", "/cancel", "/people", "5", "2", "/cancel")
    admin.send("/review")
    admin.press("SYT · Báo cáo năm")
    admin.press("Trả lại")
    walk(admin, "ít", "/cancel", "/broadcast SYT Họp giao ban quý III", "/cancel")
    walk(admin, "/assess", "Các cơ quan phối hợp tốt.", "Giữ nguyên", "/cancel")
    walk(admin, "/tvpbmoi", "ab", "Đề án phát triển y tế cơ sở", "9", "1", "XX", "SYT", "hôm kia", "9/4/2027", "99", "5")
    walk(specialist, "/hoso 1", "9", "1", "không có tệp", "/cancel")


def ha_giang_forms(db, clock) -> None:  # type: ignore[no-untyped-def]
    """/done needs assigned tasks: the Hà Giang programme has them."""
    clock.moment = local(2013, 3, 20, 9)
    with session_scope(db) as session:
        programme = load_programme(PROGRAMMES / "ha-giang-2021-2026.toml")
        load_into(session, programme, clock())
        record = session.exec(select(ProgrammeRecord).where(ProgrammeRecord.code == programme.code)).one()
        agency = session.exec(select(Agency).where(Agency.programme_id == record.id, Agency.code == "SNV")).one()
        add_member(session, record.id, agency, Role.SPECIALIST, "Lý Thị Dung", "snv", "console", clock())  # type: ignore[arg-type]
    specialist = Chat(ConversationEngine(db, clock, "ha-giang-2021-2026"), "snv")
    walk(specialist, "/done", "99", "1", "x" * 2000, "/cancel")


def test_every_form_step_tells_a_zalo_reader_what_to_type(chat, db, clock, seen: Seen) -> None:  # type: ignore[no-untyped-def]
    lao_cai_forms(chat, db, clock)
    ha_giang_forms(db, clock)
    wanted = {(name, step) for name, flow in WIRING.flows.items() for step in flow.steps}
    assert sorted(wanted - set(seen.steps)) == []
    for (flow, step), texts in seen.steps.items():
        for text in texts:
            assert not PRESSING.search(text), (flow, step, text)
    assert any("Trả lời" in text for text in seen.steps[("register", "type")])
    assert any("(Gõ câu trả lời" in text for text in seen.steps[("register", "title")])
    for text in seen.steps[("people", "list")]:
        assert "\n\n\n" not in text and text == text.strip(), text


def test_no_message_outside_the_command_line_asks_to_press() -> None:
    """The catalogue in both languages: the words a Telegram reader and a Zalo reader share."""
    for language in LANGUAGES:
        pressing = {key: text for key, text in catalogue(language).items() if not key.startswith("cli.") and PRESSING.search(text)}
        assert pressing == {}, language
