"""The channel-neutral /bind and /attach conversations, through the engine: who may bind a
group and where, rebinding, a file for an activity of one's own agency, the size limit,
and the form's Back and Cancel."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from handlers.engine import ConversationEngine
from handlers.types import ChatKind, FileRef
from models.activities.files import MB, StoredFile, attach
from models.activities.register import Draft, register
from models.activities.tables import Attachment
from models.db.engine import session_scope
from models.outbox.groups import move_group
from models.outbox.tables import GroupChat
from models.programme.tables import ActivityType, Agency
from tests.conftest import Chat

MINUTES = FileRef(ref="file-1", name="bien-ban.pdf", mime="application/pdf", size=300_000, unique_ref="u-1")


def group_row(db, chat_ref: str = "group-1") -> GroupChat | None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(GroupChat).where(GroupChat.chat_ref == chat_ref)).first()


def agency_id(db, code: str) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(Agency.id).where(Agency.code == code)).one()  # type: ignore[return-value]


def new_activity(db, lead: str, partners: tuple[str, ...] = ()) -> int:  # type: ignore[no-untyped-def]
    """A fresh activity, the newest of its agencies, so it heads their /activities."""
    with session_scope(db) as session:
        agencies = {a.code: a for a in session.exec(select(Agency))}
        kind = session.exec(select(ActivityType)).first()
        assert kind is not None and kind.id is not None
        draft = Draft(
            kind.id, "Hội thảo thử nghiệm tệp đính kèm", date(2027, 3, 1), "Lào Cai", tuple(agencies[c].id for c in partners), None
        )  # type: ignore[misc]
        now = datetime(2026, 11, 23, tzinfo=UTC)
        return register(session, agencies[lead].programme_id, agencies[lead], draft, None, now.date(), now).id  # type: ignore[return-value]


def test_an_admin_binds_a_group_to_an_agency_then_to_all(chat, db) -> None:  # type: ignore[no-untyped-def]
    admin = chat("lhh-admin", chat="group-1", kind=ChatKind.GROUP)
    admin.send("/bind")
    assert admin.text.startswith("Nhóm này chưa được gắn với cơ quan nào.\n\nCách dùng: /bind MÃ_CƠ_QUAN")
    admin.send("/bind syt")
    assert admin.text == "Đã gắn nhóm này với Sở Y tế. Nhóm sẽ nhận thông báo, nhắc hạn và tin tổng hợp của cơ quan."
    row = group_row(db)
    assert row is not None and row.agency_id == agency_id(db, "SYT") and row.active and row.channel == "console"
    admin.send("/bind all")
    assert admin.text.startswith("Đã gắn nhóm này làm nhóm chung của tất cả đầu mối.")
    assert admin.text.endswith("(Trước đây nhóm gắn với: Sở Y tế.)")
    admin.send("/bind")
    assert admin.text.startswith("Nhóm này đang gắn với: tất cả đầu mối (nhóm chung).")
    row = group_row(db)
    assert row is not None and row.agency_id is None
    admin.send("/bind KHONGCO")
    assert admin.text == "Không có cơ quan mã «KHONGCO» trong chương trình phối hợp."


def test_bind_is_refused_politely_and_only_works_in_groups(chat, db) -> None:  # type: ignore[no-untyped-def]
    focal = chat("syt-leader", chat="group-2", kind=ChatKind.GROUP)
    focal.send("/bind SYT")
    assert focal.text == "Xin lỗi, lệnh /bind chỉ dành cho Thường trực, Văn phòng Liên hiệp hội."
    stranger = chat("stranger-9", chat="group-2", kind=ChatKind.GROUP)
    stranger.send("/bind SYT")
    assert "Anh/chị chưa tham gia hệ thống" in stranger.text
    assert group_row(db, "group-2") is None
    private = chat("lhh-admin")
    private.send("/bind SYT")
    assert private.text.startswith("Lệnh /bind dùng trong nhóm")


def test_a_group_that_gets_a_new_id_keeps_its_binding(chat, db) -> None:  # type: ignore[no-untyped-def]
    chat("lhh-admin", chat="-100", kind=ChatKind.GROUP).send("/bind SYT")
    with session_scope(db) as session:
        assert move_group(session, "console", "-100", "-100200")
        assert not move_group(session, "console", "-100", "-100300")
    assert group_row(db, "-100") is None
    assert group_row(db, "-100200").agency_id == agency_id(db, "SYT")  # type: ignore[union-attr]


def test_attach_minutes_to_an_activity_by_number(chat, db) -> None:  # type: ignore[no-untyped-def]
    number = new_activity(db, "SYT")
    person = chat("syt-specialist")
    person.send(f"/attach {number}")
    assert person.text.startswith(f"Gửi tệp cho hoạt động #{number} «")
    assert "tối đa 20 MB" in person.text
    assert [b.label for b in person.last[0].choices()] == ["◀ Quay lại", "✖ Hủy"]
    person.send("đây là biên bản")
    assert person.text.startswith("Chưa nhận được tệp.")
    person.send_file(MINUTES)
    assert person.text.startswith(f"Đã lưu tệp «bien-ban.pdf» vào hoạt động #{number} «")
    assert person.text.endswith("Hoạt động này có 1 tệp đính kèm.")
    with session_scope(db) as session:
        stored = session.exec(select(Attachment)).one()
    assert (stored.activity_id, stored.file_ref, stored.file_unique_ref, stored.size, stored.channel) == (
        number,
        "file-1",
        "u-1",
        300_000,
        "console",
    )
    person.send("/activities")
    assert "Tệp đính kèm: 1" in person.text


def test_attach_picks_from_the_list_and_back_returns_to_it(chat, db) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    person.send("/attach")
    assert person.text.startswith("Đính kèm tệp (biên bản, ảnh…) vào hoạt động nào?")
    first = person.last[0].choices()[0]
    assert first.label.startswith("#")
    person.press(first.label)
    assert person.text.startswith("Gửi tệp cho hoạt động " + first.label.split(" · ")[0])
    person.press("Quay lại")
    assert person.text.startswith("Đính kèm tệp (biên bản, ảnh…) vào hoạt động nào?")
    person.send("abc")
    assert person.text.startswith("«abc» không phải số hoạt động.")
    person.press("Hủy")
    assert person.text == "Đã hủy. Không có gì được lưu."


def test_attach_refuses_another_agencys_activity_and_big_files(chat, db) -> None:  # type: ignore[no-untyped-def]
    foreign = new_activity(db, "SNNPTNT", ("HLV",))
    person = chat("syt-specialist")
    person.send(f"/attach {foreign}")
    assert (
        person.text
        == f"Hoạt động số {foreign} không do cơ quan của anh/chị chủ trì hoặc phối hợp, nên anh/chị không thể đính kèm tệp vào hoạt động này."
    )
    person.send("/attach 99999")
    assert person.text == "Không có hoạt động số 99999. Xem số hoạt động trong /activities."
    person.send(f"/attach {new_activity(db, 'SYT')}")
    person.send_file(FileRef(ref="big", name="video.mp4", mime="video/mp4", size=25 * MB))
    assert person.text.startswith("Tệp «video.mp4» có dung lượng 25 MB, vượt giới hạn 20 MB nên không được lưu.")
    with session_scope(db) as session:
        assert session.exec(select(Attachment)).first() is None


def test_a_partner_agency_may_attach_and_the_limit_is_a_setting(db, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    shared = new_activity(db, "SNNPTNT", ("SYT",))
    engine = ConversationEngine(db, clock, "lao-cai-31-2015", file_limit=1 * MB)
    person = Chat(engine, "syt-specialist")
    person.send(f"/attach {shared}")
    assert "tối đa 1 MB" in person.text
    person.send_file(FileRef(ref="photo-1", size=1_500_000))
    assert "ảnh/tệp không tên" in person.text and "vượt giới hạn 1 MB" in person.text
    person.send_file(FileRef(ref="photo-2", size=800_000))
    assert person.text.startswith(f"Đã lưu tệp «ảnh/tệp không tên» vào hoạt động #{shared}")


def test_a_file_sent_outside_a_form_gets_a_hint(chat) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    person.send_file(MINUTES)
    assert person.text.startswith("Đã nhận tệp, nhưng chưa rõ tệp thuộc hoạt động nào.")


def test_an_attachment_belongs_to_exactly_one_thing(db, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session, pytest.raises(ValueError):
        attach(session, loaded, None, "telegram", StoredFile("x"), clock(), activity_id=None, report_item_id=None)


def test_attach_refuses_hidden_characters_in_a_file_name_and_a_false_size(chat, db) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")
    person.send(f"/attach {new_activity(db, 'SYT')}")
    for name in ("bien-ban\u202efdp.exe", "bien\u200bban.pdf", "\ufeffbien-ban.pdf", "bien\u2028ban.pdf", "bien\x85ban.pdf"):
        person.send_file(FileRef(ref="f-1", name=name, mime="application/pdf", size=1000))
        assert person.text.startswith("Tên tệp có ký tự ẩn"), repr(name)
        assert name not in person.text
    for size in (-1, -25 * MB, "1000", 1.5, True):
        person.send_file(FileRef(ref="f-2", name="bien-ban.pdf", mime="application/pdf", size=size))  # type: ignore[arg-type]
        assert person.text.startswith("Dung lượng tệp mà ứng dụng nhắn tin báo không hợp lệ"), repr(size)
    with session_scope(db) as session:
        assert session.exec(select(Attachment)).first() is None
    person.send_file(FileRef(ref="f-3", name="bien-ban.pdf", mime="application/pdf", size=1000))
    assert person.text.startswith("Đã lưu tệp «bien-ban.pdf»")
