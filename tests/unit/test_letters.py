"""Unit tests for the letters of models/outbox/notify.py: the rows one message becomes, a
key each (`<subject>:<tag><id>`), the text in each reader's own language."""

from __future__ import annotations

from datetime import date
from functools import partial

from locales.catalogue import t
from locales.formats import format_date
from models.outbox.notify import Account, Addressee, Letter, Reader, message, to_groups, to_people
from models.outbox.tables import GroupChat
from models.people.tables import Role

DUE = date(2027, 6, 20)


def reader(person_id: int, language: str) -> tuple[Reader, Account]:
    return Reader(person_id, 1, 7, Role.SPECIALIST, language, f"Người {person_id}"), Account("telegram", f"chat-{person_id}")


def test_each_reader_gets_the_text_in_their_language_under_their_own_key() -> None:
    text = message("tasks.office_notice", agency="Sở Y tế", code="NV-1", title="Tổng hợp", note=partial(t, "register.none"))
    rows = list(Letter("task-done:3:7", text, to_people([reader(11, "vi"), reader(12, "en")], "admin")).notices())
    assert [(row.key, row.channel, row.chat_ref, row.person_id, row.group_id) for row in rows] == [
        ("task-done:3:7:admin11", "telegram", "chat-11", 11, None),
        ("task-done:3:7:admin12", "telegram", "chat-12", 12, None),
    ]
    assert rows[0].text == t("tasks.office_notice", "vi", agency="Sở Y tế", code="NV-1", title="Tổng hợp", note=t("register.none", "vi"))
    assert rows[1].text == t("tasks.office_notice", "en", agency="Sở Y tế", code="NV-1", title="Tổng hợp", note=t("register.none", "en"))


def test_groups_read_the_language_given_and_are_keyed_by_group() -> None:
    group = GroupChat(id=5, programme_id=1, channel="zalo", chat_ref="g-5", bound_at=None)  # type: ignore[arg-type]
    text = message("announce.cutoff", name="Báo cáo năm 2027", end=partial(format_date, DUE), due=partial(format_date, DUE))
    (row,) = Letter("announce.cutoff:9", text, to_groups([group], "en")).notices()
    assert (row.key, row.chat_ref, row.group_id, row.person_id) == ("announce.cutoff:9:g5", "g-5", 5, None)
    assert row.text == t("announce.cutoff", "en", name="Báo cáo năm 2027", end=format_date(DUE, "en"), due=format_date(DUE, "en"))


def test_a_written_text_goes_as_it_is_and_a_one_off_account_is_keyed_by_the_subject_alone() -> None:
    (row,) = Letter("link:ABC123", "Đã nối tài khoản", [Addressee("zalo", "z-1", "en", None, 4)]).notices()
    assert (row.key, row.text, row.person_id) == ("link:ABC123", "Đã nối tài khoản", 4)
