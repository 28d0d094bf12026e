"""/activity N edits the type and the partners too: a partner added is told it is named, the
ones kept are told of the change once, a partner removed is told the activity no longer
names it (at once, since its digest lists only the activities that still name it); the
LHH is the first, pre-ticked partner of a new activity and its office reads the digest
unless it chooses otherwise."""

from __future__ import annotations

from sqlmodel import col, select

from models.activities.tables import Activity, ActivityPartner
from models.db.engine import session_scope
from models.programme.tables import ActivityType, Agency
from scheduler.jobs import run_jobs
from tests.conftest import local
from tests.conversations.test_activity_life import rows
from tests.conversations.test_partner_activities import TITLE, register_with_partner


def partner_codes(db, number: int) -> set[str]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        query = select(Agency.code).join(ActivityPartner, col(ActivityPartner.agency_id) == Agency.id)
        return set(session.exec(query.where(ActivityPartner.activity_id == number)))


def type_code(db, number: int) -> str:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        activity = session.get(Activity, number)
        assert activity is not None
        kind = session.get(ActivityType, activity.type_id)
        assert kind is not None
        return kind.code


def test_the_type_is_changed_from_the_card_and_partners_told_once(chat, db) -> None:  # type: ignore[no-untyped-def]
    lead = chat("syt-specialist")
    number = register_with_partner(lead)
    lead.send(f"/activity {number}")
    assert "Loại hoạt động: Hội thảo khoa học" in lead.text
    assert "Đơn vị phối hợp: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai, Sở Nông nghiệp và Phát triển nông thôn" in lead.text
    lead.press("Sửa loại hoạt động")
    assert lead.text == "Chọn loại mới của hoạt động:"
    lead.send("Tập huấn kỹ thuật")
    assert lead.text.startswith(f"Đã cập nhật hoạt động số {number}.") and "Loại hoạt động: Tập huấn kỹ thuật" in lead.text
    assert type_code(db, number) == "tap-huan"
    told = rows(db, "activity-changed:")
    assert {row.chat_ref for row in told} == {"snnptnt-leader", "snnptnt-specialist"}  # the office reads its digest


def test_partners_added_kept_and_removed_each_hear_their_own_news(chat, db) -> None:  # type: ignore[no-untyped-def]
    lead = chat("syt-specialist")
    number = register_with_partner(lead)
    lead.send(f"/activity {number}")
    lead.press("Sửa đơn vị phối hợp")
    assert lead.text.startswith("Chọn các đơn vị phối hợp của hoạt động")
    assert any(b.label == "✓ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai (LHH)" for b in lead.last[0].choices())
    lead.press("✓ Sở Nông nghiệp")
    lead.send("HYH, KHONGCO")
    assert "Không tìm thấy cơ quan có mã KHONGCO; các mã còn lại đã được thêm." in lead.text
    assert lead.text.endswith("Đã chọn: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai, Hội Y học tỉnh")
    lead.press("Xong")
    assert lead.text.startswith(f"Đã cập nhật hoạt động số {number}.")
    assert "Đơn vị phối hợp: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai, Hội Y học tỉnh" in lead.text
    assert partner_codes(db, number) == {"LHH", "HYH"}

    removed = rows(db, "activity-removed:")
    assert {row.chat_ref for row in removed} == {"snnptnt-leader", "snnptnt-specialist"}
    assert removed[0].text == (
        f"Sở Y tế không còn nêu Sở Nông nghiệp và Phát triển nông thôn là đơn vị phối hợp trong hoạt động số {number} «{TITLE}»; "
        "hoạt động không còn trong /activities của Sở Nông nghiệp và Phát triển nông thôn."
    )
    added = rows(db, "activity-added:")
    assert {row.chat_ref for row in added} == {"hyh-specialist"}
    assert added[0].text.startswith(f"Sở Y tế đã nêu Hội Y học tỉnh là đơn vị phối hợp trong hoạt động số {number} «{TITLE}» ngày 10/12/2026")
    assert rows(db, "activity-changed:") == []  # the LHH, kept, hears in its digest

    partner = chat("snnptnt-specialist")
    partner.send("/activities")
    assert f"#{number} · " not in partner.text

    lead.send(f"/activity {number}")
    lead.press("Sửa đơn vị phối hợp")
    lead.press("Xong")
    assert lead.text.startswith(f"Các đơn vị phối hợp của hoạt động số {number} không thay đổi.")
    assert len(rows(db, "activity-")) == len(removed) + len(added)


def test_a_removed_partner_that_reads_the_digest_is_told_at_once(chat, db) -> None:  # type: ignore[no-untyped-def]
    partner = chat("snnptnt-specialist")
    partner.send("/notices")
    partner.press("Tổng hợp một tin mỗi ngày")
    lead = chat("syt-specialist")
    number = register_with_partner(lead)
    lead.send(f"/activity {number}")
    lead.press("Sửa đơn vị phối hợp")
    lead.press("✓ Sở Nông nghiệp")
    lead.press("Xong")
    assert {row.chat_ref for row in rows(db, "activity-removed:")} == {"snnptnt-leader", "snnptnt-specialist"}


def test_the_office_reads_the_digest_by_default_and_may_choose_each_notice(chat, clock, db, lao_cai, loaded) -> None:  # type: ignore[no-untyped-def]
    admin = chat("lhh-admin")
    admin.send("/notices")
    assert "Hiện tại: Tổng hợp một tin mỗi ngày." in admin.text
    lead = chat("syt-specialist")
    number = register_with_partner(lead)
    assert [row.chat_ref for row in rows(db, f"partnered:{number}:") if row.chat_ref.startswith("lhh")] == []
    clock.moment = local(2026, 11, 24, 7)
    with session_scope(db) as session:
        run_jobs(session, lao_cai, loaded, clock(), ("activity_digest",))
    digests = [row for row in rows(db, "activity-digest:2026-11-23:") if row.chat_ref == "lhh-admin"]
    assert len(digests) == 1 and digests[0].text.endswith(f"• Mới: số {number} «{TITLE}»")

    admin.send("/notices")
    admin.press("Mỗi lần có thay đổi")
    lead.send(f"/activity {number}")
    lead.press("Sửa địa điểm")
    lead.send("Hội trường UBND tỉnh")
    assert "lhh-admin" in {row.chat_ref for row in rows(db, "activity-changed:")}
