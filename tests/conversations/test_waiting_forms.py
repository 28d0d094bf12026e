"""A form left for days is still there: the scheduler reminds its person once, through
the outbox at the sending hour (out of quiet hours), and the form carries on where it was."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from scheduler.jobs import run_jobs
from tests.conftest import local


def waiting(db, lao_cai, programme_id: int, clock) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        run_jobs(session, lao_cai, programme_id, clock(), ("forms",))
        rows = list(session.exec(select(OutboxMessage).where(col(OutboxMessage.key).startswith("form-waiting:"))))
        session.expunge_all()
        return rows


def test_a_form_left_for_days_is_reminded_once_and_still_there(chat, db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 14, 9)
    person = chat("syt-specialist")
    person.send("/register")
    person.press("Tập huấn kỹ thuật")
    person.send("Tập huấn kỹ thuật nuôi ong lấy mật")
    chat("lhh-admin").send("/activities")
    clock.moment = local(2026, 12, 15, 9)
    assert waiting(db, lao_cai, loaded, clock) == []
    clock.moment = local(2026, 12, 16, 23, 30)
    rows = waiting(db, lao_cai, loaded, clock)
    assert [row.text for row in rows] == [
        "Anh/chị còn một biểu mẫu làm dở từ ngày 14/12/2026; các câu trả lời vẫn được giữ. "
        "Trả lời câu hỏi cuối cùng của biểu mẫu để tiếp tục, hoặc gõ /cancel để hủy."
    ]
    assert rows[0].not_before.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).hour >= 7 and rows[0].not_before - clock() < timedelta(days=1)
    clock.moment = local(2026, 12, 18, 10)
    assert len(waiting(db, lao_cai, loaded, clock)) == 1
    person.send("1/12/2026")
    assert "Bước 4/7" in person.text
