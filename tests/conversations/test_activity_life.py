"""An activity's life after /register: opened from /activities or as /activity N, edited,
rescheduled, cancelled with a reason, or marked held with its date, participants and
minutes; partners told of each change (or in their daily digest); the lead asked once
after the day whether it took place; counts use held activities only."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import col, select

from handlers.types import FileRef
from models.activities.tables import Activity, ActivityStatus, Attachment
from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from scheduler.jobs import run_jobs
from models.programme.schema import load_programme
from tests.conftest import PROGRAMMES, ZONE, local
from tests.conversations.test_partner_activities import TITLE, register_with_partner
from tests.conversations.test_office_commands import ha_giang_admin
from tests.conversations.test_report_flow import open_annual


def activity(db, number: int) -> Activity:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        found = session.get(Activity, number)
        assert found is not None
        session.expunge(found)
        return found


def rows(db, prefix: str) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        found = list(session.exec(select(OutboxMessage).where(col(OutboxMessage.key).startswith(prefix))))
        for row in found:
            session.expunge(row)
        return found


def test_open_from_the_list_and_edit_the_title_and_place(chat, db) -> None:  # type: ignore[no-untyped-def]
    lead = chat("syt-specialist")
    number = register_with_partner(lead)
    lead.send("/activities")
    lead.press(f"Mở hoạt động số {number}")
    assert f"Hoạt động số {number}: {TITLE}\nTình trạng: dự kiến\nNgày: 10/12/2026" in lead.text
    assert "Anh/chị muốn làm gì với hoạt động này?" in lead.text
    lead.press("Sửa tên")
    assert f"Hiện tại: {TITLE}" in lead.text
    lead.send("abc")
    assert "Tên hoạt động cần từ 5 đến 300 ký tự." in lead.text
    lead.send("Hội thảo chăn nuôi an toàn sinh học")
    assert lead.text.startswith(f"Đã cập nhật hoạt động số {number}.")
    assert "Đầu mối của các đơn vị phối hợp đã được thông báo" in lead.text
    lead.send(f"/activity {number}")
    lead.press("Sửa địa điểm")
    lead.send("Hội trường UBND tỉnh")
    saved = activity(db, number)
    assert (saved.title, saved.place) == ("Hội thảo chăn nuôi an toàn sinh học", "Hội trường UBND tỉnh")
    told = rows(db, "activity-changed:")
    assert {row.chat_ref for row in told} == {"snnptnt-leader", "snnptnt-specialist"} and len(told) == 4
    assert "Sở Y tế đã cập nhật hoạt động số" in told[-1].text and "tại Hội trường UBND tỉnh" in told[-1].text


def test_reschedule_and_cancel_with_a_reason(chat, db) -> None:  # type: ignore[no-untyped-def]
    lead = chat("syt-specialist")
    number = register_with_partner(lead)
    lead.send(f"/activity {number}")
    lead.press("Dời lịch")
    lead.send("1/11/2026")
    assert "Ngày mới phải từ hôm nay trở đi." in lead.text
    lead.send("20/1/2027")
    assert lead.text.startswith(f"Đã dời lịch hoạt động số {number}.") and "Ngày: 20/01/2027" in lead.text
    assert activity(db, number).planned_date == date(2027, 1, 20)
    lead.send(f"/activity {number}")
    lead.press("Hủy hoạt động")
    lead.send("ab")
    assert "Lý do hủy cần từ 3 đến 300 ký tự." in lead.text
    lead.send("Trùng lịch họp của UBND tỉnh")
    assert lead.text.startswith(f"Đã hủy hoạt động số {number}.") and "Lý do hủy: Trùng lịch họp của UBND tỉnh" in lead.text
    cancelled = activity(db, number)
    assert (cancelled.status, cancelled.cancel_reason) == (ActivityStatus.CANCELLED, "Trùng lịch họp của UBND tỉnh")
    told = rows(db, "activity-cancelled:")
    assert len(told) == 2 and told[0].text.endswith("Lý do: Trùng lịch họp của UBND tỉnh")
    lead.send(f"/activity {number}")
    assert "Tình trạng: đã hủy" in lead.text and not lead.last[-1].buttons
    lead.send("/activities")
    assert f"Mở hoạt động số {number}" not in [b.label for r in lead.last for b in r.choices()]


def test_mark_held_with_its_date_participants_and_minutes(chat, clock, db) -> None:  # type: ignore[no-untyped-def]
    lead = chat("syt-specialist")
    number = register_with_partner(lead)
    lead.send(f"/activity {number}")
    lead.press("Đã tổ chức")
    assert "Đúng ngày dự kiến" not in [b.label for b in lead.last[-1].choices()]
    lead.send("10/12/2026")
    assert "Ngày tổ chức không được sau hôm nay." in lead.text
    clock.moment = local(2026, 12, 12, 10)
    lead.send(f"/activity {number}")
    lead.press("Đã tổ chức")
    lead.press("Đúng ngày dự kiến 10/12/2026")
    assert "Có bao nhiêu người tham dự?" in lead.text
    lead.send("nhiều")
    assert "Số người tham dự phải là một số nguyên" in lead.text
    lead.send("85")
    held, ask_file = lead.last
    assert held.text.startswith(f"Đã ghi nhận hoạt động số {number} đã tổ chức.") and "Tình trạng: đã thực hiện" in held.text
    assert "Số người tham dự: 85" in held.text
    assert f"số {number}" in ask_file.text or f"#{number}" in ask_file.text
    lead.send_file(FileRef("file-minutes", "bien-ban.pdf", "application/pdf", 120_000, "u-minutes"))
    assert "bien-ban.pdf" in lead.text
    done = activity(db, number)
    assert (done.status, done.actual_date, done.participants) == (ActivityStatus.DONE, date(2026, 12, 10), 85)
    with session_scope(db) as session:
        assert session.exec(select(Attachment.name).where(Attachment.activity_id == number)).all() == ["bien-ban.pdf"]
    assert len(rows(db, "activity-held:")) == 2
    lead.send(f"/activity {number}")
    assert "Dời lịch" not in [b.label for b in lead.last[-1].choices()]


def test_only_the_lead_agency_changes_an_activity(chat) -> None:  # type: ignore[no-untyped-def]
    number = register_with_partner(chat("syt-specialist"))
    partner = chat("snnptnt-specialist")
    partner.send(f"/activity {number}")
    assert "do đơn vị khác chủ trì; chỉ đơn vị chủ trì mới sửa được" in partner.text
    partner.send("/activities")
    assert f"#{number} · " in partner.text
    assert f"Mở hoạt động số {number}" not in [b.label for r in partner.last for b in r.choices()]
    viewer = chat("skhcn-viewer")
    viewer.send(f"/activity {number}")
    assert "Đã tổ chức" not in viewer.text
    partner.send("/activity abc")
    assert "abc" in partner.text


def test_the_lead_is_asked_once_after_the_day_never_in_quiet_hours(chat, clock, db, lao_cai, loaded) -> None:  # type: ignore[no-untyped-def]
    number = register_with_partner(chat("syt-specialist"))

    def held_job() -> int:
        with session_scope(db) as session:
            return run_jobs(session, lao_cai, loaded, clock(), ("held",))["held"]

    clock.moment = local(2026, 12, 10, 20)
    held_job()
    assert not rows(db, f"held?:{number}:")
    clock.moment = local(2026, 12, 11, 23, 30)
    assert held_job() >= 1
    asked = rows(db, f"held?:{number}:")
    assert {row.chat_ref for row in asked} == {"syt-specialist"}
    # asked late on Friday night: it goes at the sending hour of the next working day
    assert asked[0].not_before.astimezone(ZONE) == local(2026, 12, 14, 8)
    assert f"Hoạt động số {number} «{TITLE}» dự kiến ngày 10/12/2026: hoạt động đã diễn ra chưa?" in asked[0].text
    clock.moment = local(2026, 12, 12, 9)
    held_job()
    clock.moment = local(2026, 12, 13, 9)
    held_job()
    assert len(rows(db, f"held?:{number}:")) == 1


def test_a_partner_may_choose_the_daily_digest(chat, clock, db, lao_cai, loaded) -> None:  # type: ignore[no-untyped-def]
    partner = chat("snnptnt-specialist")
    partner.send("/notices")
    assert "Hiện tại: Mỗi lần có thay đổi." in partner.text
    partner.press("Tổng hợp một tin mỗi ngày")
    assert "Đã lưu: anh/chị sẽ nhận một tin tổng hợp mỗi sáng." in partner.text
    lead = chat("syt-specialist")
    number = register_with_partner(lead)
    lead.send(f"/activity {number}")
    lead.press("Sửa địa điểm")
    lead.send("Hội trường UBND tỉnh")
    at_once = rows(db, f"partnered:{number}:") + rows(db, "activity-changed:")
    assert {row.chat_ref for row in at_once} == {"snnptnt-leader"}

    def digest_job() -> int:
        with session_scope(db) as session:
            return run_jobs(session, lao_cai, loaded, clock(), ("activity_digest",))["activity_digest"]

    clock.moment = local(2026, 11, 24, 7)
    assert digest_job() == 3 and digest_job() == 0
    digests = rows(db, "activity-digest:")
    (digest,) = [row for row in digests if row.chat_ref == "snnptnt-specialist"]
    office = [row for row in digests if row is not digest]
    assert len(office) == 2 and all(row.text.endswith(f"\n• Mới: số {number} «{TITLE}»") for row in office)  # the LHH, pre-ticked, hears in its digest
    assert digest.text.startswith("Các hoạt động phối hợp nêu đơn vị anh/chị ngày 23/11/2026:\n• Mới: số ")
    assert digest.text.endswith(f"\n• Mới: số {number} «{TITLE}»")  # after the sample's, loaded that day too
    clock.moment = local(2026, 11, 24, 10)
    lead.send(f"/activity {number}")
    lead.press("Hủy hoạt động")
    lead.send("Trùng lịch họp của UBND tỉnh")
    assert {row.chat_ref for row in rows(db, "activity-cancelled:")} == {"snnptnt-leader"}
    clock.moment = local(2026, 11, 25, 7)
    assert digest_job() == 3 and digest_job() == 0
    latest = next(row for row in rows(db, "activity-digest:2026-11-24:") if row.chat_ref == "snnptnt-specialist")
    assert latest.text.endswith(f"ngày 24/11/2026:\n• Đã hủy: số {number} «{TITLE}»")
    clock.moment = local(2026, 11, 26, 7)
    assert digest_job() == 0


def _suggested(text: str) -> int:
    found = re.search(r"Gợi ý từ các hoạt động đã tính: (\d+) cuộc", text)
    assert found is not None, text
    return int(found.group(1))


def test_the_report_suggestion_counts_an_activity_once_it_is_held(chat, clock) -> None:  # type: ignore[no-untyped-def]
    lead = chat("syt-specialist")
    number = register_with_partner(lead)
    clock.moment = local(2026, 12, 16, 9)
    open_annual(lead)
    assert [b.label for b in lead.last[-1].choices() if f"#{number} " in b.label]
    lead.press("Xong")
    planned = _suggested(lead.text)
    lead.press("Hủy")
    lead.send(f"/activity {number}")
    lead.press("Đã tổ chức")
    lead.press("Đúng ngày dự kiến")
    lead.send("40")
    lead.press("Hủy")
    open_annual(lead)
    lead.press("Xong")
    assert _suggested(lead.text) == planned + 1


def test_targets_count_held_activities_and_show_planned_ones(db, clock) -> None:  # type: ignore[no-untyped-def]
    programme = load_programme(PROGRAMMES / "ha-giang-2021-2026.toml")
    clock.moment = local(2024, 1, 1, 9)
    admin = ha_giang_admin(db, clock, programme, (date(2022, 5, 1), date(2023, 9, 1), date(2024, 3, 1), date(2024, 4, 1)))
    with session_scope(db) as session:
        later = select(Activity.id).where(col(Activity.planned_date) >= date(2024, 3, 1))
        march, april = session.exec(later.order_by(col(Activity.planned_date))).all()
    clock.moment = local(2024, 4, 10, 9)
    admin.send("/targets")
    assert "đã thực hiện 2/25 nhiệm vụ (8%), đang dự kiến 2" in admin.text
    admin.send(f"/activity {march}")
    admin.press("Đã tổ chức")
    admin.press("Đúng ngày dự kiến 01/03/2024")
    admin.send("25")
    admin.press("Hủy")
    admin.send(f"/activity {april}")
    admin.press("Hủy hoạt động")
    admin.send("Chuyên gia phản biện vắng mặt")
    admin.send("/targets")
    assert "đã thực hiện 3/25 nhiệm vụ (12%), đang dự kiến 0" in admin.text
