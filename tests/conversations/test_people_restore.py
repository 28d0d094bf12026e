"""A person deactivated in /people can be restored later, from the list of those
deactivated (not only from the card shown right after): the list says who they are, the
card offers «Khôi phục», and an erased person (/forgetme) is never listed."""

from __future__ import annotations

from sqlmodel import select

from models.db.engine import session_scope
from models.people.tables import Person


def test_a_deactivated_person_is_restored_later_from_the_list(chat, db) -> None:  # type: ignore[no-untyped-def]
    admin = chat("lhh-admin")
    admin.send("/people")
    admin.press("Đỗ Văn Hùng")
    admin.press("Ngừng hoạt động")
    admin.press("Xác nhận")
    admin.send("/due")
    admin.send("/people")
    assert not any("Đỗ Văn Hùng" in b.label for b in admin.last[-1].choices())
    admin.press("Người đã ngừng hoạt động")
    assert admin.text.startswith("1 người dùng đã ngừng hoạt động (trang 1/1); chọn một người để khôi phục:")
    assert "• Đỗ Văn Hùng — " in admin.text
    admin.press("Đỗ Văn Hùng")
    assert "Tình trạng: ngừng hoạt động" in admin.text
    admin.press("Khôi phục")
    assert admin.text.startswith("Đã khôi phục tài khoản Đỗ Văn Hùng")
    with session_scope(db) as session:
        assert session.exec(select(Person).where(Person.full_name == "Đỗ Văn Hùng")).one().active
    admin.send("/people")
    admin.press("Người đã ngừng hoạt động")
    assert admin.text.startswith("0 người dùng đã ngừng hoạt động")
    admin.press("Người đang hoạt động")
    assert "người dùng đang hoạt động" in admin.text


def test_an_erased_person_is_not_offered_for_restoring(chat, db) -> None:  # type: ignore[no-untyped-def]
    leaving = chat("hyh-specialist")
    leaving.send("/forgetme")
    leaving.press("Xóa")
    with session_scope(db) as session:
        assert session.exec(select(Person).where(Person.erased_at != None)).all()  # noqa: E711
    admin = chat("lhh-admin")
    admin.send("/people")
    admin.press("Người đã ngừng hoạt động")
    assert "Bùi Thanh Tùng" not in admin.text
