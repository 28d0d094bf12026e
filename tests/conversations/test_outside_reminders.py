"""The LHH's own report to an outside body (Sở Nội vụ) is a consolidation: its reminders
name /assess, /export and /sent for that period, never "Gõ /report"; the agencies'
reminders still say /report."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from scheduler.jobs import run_jobs
from tests.conftest import local


def test_the_lhh_is_reminded_of_its_report_to_the_so_noi_vu_in_the_consolidation_s_words(db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 1, 9)
    found: list[OutboxMessage] = []
    for _ in range(70):
        with session_scope(db) as session:
            run_jobs(session, lao_cai, loaded, clock(), ("periods", "reminders"))
            rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.key).startswith("remind:"))).all()
            found = [row for row in rows if row.chat_ref.startswith("lhh-")]
            agencies = [row for row in rows if not row.chat_ref.startswith("lhh-")]
            for row in rows:
                session.expunge(row)
        if found:
            break
        clock.moment += timedelta(days=1)
    assert found, "no reminder of the LHH's own report in 70 days"
    text = found[0].text
    assert text.startswith("🔔 Nhắc hạn: Báo cáo năm của Liên hiệp hội gửi Sở Nội vụ — năm 2026 — hạn nộp 25/12/2026 (còn 14 ngày).")
    code = text.split("/export ")[1].split(";")[0].split(",")[0]
    assert code.startswith("lhh-")
    assert f"bằng lệnh /assess {code}, lập báo cáo bằng lệnh /export {code}; sau khi gửi Sở Nội vụ" in text
    assert f"/sent {code} SỐ NGÀY." in text and "/report" not in text
    assert {row.chat_ref for row in found} == {"lhh-admin", "lhh-admin2"}
    assert all("Gõ /report" in row.text for row in agencies)
