"""/mydata and /forgetme (Law on Personal Data Protection 91/2025/QH15): a focal point with
a real record sees all of it, erases it after a confirmation, and the agency keeps its
report, activity, file and task, attributed to the role; no row anywhere keeps her name or
her account ids, the office is told once, and the account is a stranger's again."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path

from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, col, select

from handlers.types import ChatKind
from locales.catalogue import t
from models.activities.files import StoredFile, attach
from models.activities.register import Draft, register
from models.db.engine import session_scope
from models.office.board import choose_period
from models.office.export.data import assemble
from models.outbox.notify import enqueue
from models.outbox.tables import OutboxMessage, OutboxStatus
from models.people.links import issue_link_code
from models.people.roster import deactivate, link_identity
from models.people.tables import ChannelIdentity, Person, ProcessingLog
from models.programme.tables import ActivityType, Agency
from models.reporting.period_book import ensure_periods
from models.reporting.submissions import save_item, submission_for, submit
from models.reporting.tables import AssignedTask, Period, Submission, TaskAssignment
from models.reporting.tasks import report_done
from tests.conftest import Chat, local
from tests.conversations.test_invite_throttle import rows_mentioning

NAME, USER, ZALO_USER = "Nguyễn Thị Mai", "syt-specialist", "zl-55501"
LABEL = "Chuyên viên đầu mối – Sở Y tế"
NUMBERS = itertools.count(900_000)


class Numbered(Chat):
    """A chat whose update ids are plain numbers, as on Telegram, so that only the
    person's own rows hold their account id."""

    def next_update_ref(self) -> str:
        return str(next(NUMBERS))


def outbox_keys(db) -> list[str]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return sorted(session.exec(select(OutboxMessage.key)).all())


def chat_of(engine, user: str, **options: object) -> Numbered:  # type: ignore[no-untyped-def]
    return Numbered(engine, user, **options)  # type: ignore[arg-type]


def her_record(db, lao_cai, programme_id: int, clock) -> int:  # type: ignore[no-untyped-def]
    """On 16/12/2026 the SYT specialist has registered an activity with a file, reported a
    task done and submitted the annual report; she has a Zalo account too, a link code,
    a reminder waiting and one sent; the leader was told about her by name."""
    clock.moment = now = local(2026, 12, 16, 9)
    with session_scope(db) as session:
        person, identity = session.exec(select(Person, ChannelIdentity).join(ChannelIdentity).where(ChannelIdentity.user_ref == USER)).one()
        agency = session.get(Agency, person.agency_id)
        kind = session.exec(select(ActivityType)).first()
        assert agency is not None and kind is not None and kind.id is not None and person.id is not None
        draft = Draft(kind.id, "Tập huấn phòng chống dịch cho y tế cơ sở", date(2026, 12, 1), "Sở Y tế", (), 40)
        activity = register(session, programme_id, agency, draft, person.id, now.date(), now)
        file = StoredFile("tg-file-1", "tg-unique-1", "bien-ban-tap-huan.pdf", "application/pdf", 2000)
        attach(session, programme_id, person.id, "console", file, now, activity_id=activity.id)
        task = AssignedTask(
            programme_id=programme_id, code="NV-1", title="Tổng hợp số liệu", due_text="tháng 12/2026", due_date=now.date(), source="test"
        )
        session.add(task)
        session.flush()
        session.add(TaskAssignment(task_id=task.id, agency_id=agency.id))  # type: ignore[arg-type]
        session.flush()
        report_done(session, task.id, agency.id, person.id, "Đã gửi", now)  # type: ignore[arg-type]
        ensure_periods(session, lao_cai, programme_id, now)
        period = session.exec(
            select(Period).where(Period.cycle_code == "dv-nam", Period.due_date >= now.date()).order_by(col(Period.due_date))
        ).first()
        assert period is not None and period.id is not None
        submission = submission_for(session, period.id, agency.id, now)  # type: ignore[arg-type]
        save_item(session, submission, lao_cai.indicators[0].code, now, value=3)
        submit(session, submission, period, person.id, now)
        zalo = link_identity(session, person, ("zalo", ZALO_USER, ZALO_USER), now)
        issue_link_code(session, person, identity, now)
        waiting = f"Nhắc {NAME}: hạn nộp báo cáo"
        enqueue(session, "test:waiting", zalo.channel, zalo.chat_ref, waiting, now, person_id=person.id, programme_id=programme_id)
        enqueue(session, "test:sent", identity.channel, identity.chat_ref, "Đã nhắc", now, person_id=person.id, programme_id=programme_id)
        session.exec(select(OutboxMessage).where(OutboxMessage.key == "test:sent")).one().status = OutboxStatus.SENT
        leader, leader_chat = session.exec(
            select(Person, ChannelIdentity).join(ChannelIdentity).where(ChannelIdentity.user_ref == "syt-leader")
        ).one()
        text = f"Chuyên viên {NAME} (SYT) chưa nộp báo cáo."
        enqueue(session, "test:leader", "console", leader_chat.chat_ref, text, now, person_id=leader.id, programme_id=programme_id)
        return person.id


def test_mydata_shows_everything_stored_and_forgetme_erases_it(db, loaded, lao_cai, clock, engine) -> None:  # type: ignore[no-untyped-def]
    person_id = her_record(db, lao_cai, loaded, clock)
    her = chat_of(engine, USER)
    chat_of(engine, ZALO_USER, channel="zalo").send("/register")

    her.send("/mydata")
    shown = her.text
    for line in (
        f"• Họ và tên: {NAME}",
        "• Cơ quan: Sở Y tế",
        "• Vai trò: chuyên viên đầu mối",
        "• Trạng thái: đang hoạt động",
        "• Ngôn ngữ: Tiếng Việt",
        "• Đồng ý xử lý dữ liệu cá nhân: 09:00 ngày 23/11/2026",
        "• Kênh nhận tin nhắn của bot: tự động (kênh anh/chị dùng gần nhất)",
        "• Lần cuối dùng bot: 09:00 ngày 16/12/2026",
        f"  – Console: mã tài khoản {USER} · đang dùng · từ 09:00 ngày 23/11/2026",
        f"  – Zalo: mã tài khoản {ZALO_USER} · đang dùng · từ 09:00 ngày 16/12/2026",
        "• Hoạt động phối hợp đã đăng ký: 1",
        "• Báo cáo đã nộp: 1",
        "• Nhiệm vụ đã báo cáo hoàn thành: 1",
        "• Tệp đính kèm đã tải lên: 1",
        "• Tin nhắn đang chờ gửi cho anh/chị: 1",
        f"ghi theo vai trò «{LABEL}»",
    ):
        assert line in shown, line

    her.send("/forgetme")
    assert her.text.startswith("XÓA DỮ LIỆU CÁ NHÂN")
    assert [b.label for b in her.last[0].choices()] == ["🗑 Xóa dữ liệu", "✖ Hủy"]
    her.press("Hủy")
    assert her.text == "Đã hủy. Dữ liệu của anh/chị không thay đổi."
    her.send("/forgetme")
    older = her.last[0]
    her.send("/forgetme")
    confirm = her.last[-1]
    her.press("Xóa dữ liệu", older)
    assert her.text == t("common.stale_button", "vi"), "only the newest confirmation counts"
    her.press("Xóa dữ liệu", confirm)
    assert her.text.startswith("Đã xóa dữ liệu cá nhân của anh/chị.")
    before = outbox_keys(db)
    for _ in range(2):
        her.press("Xóa dữ liệu", confirm)
        assert her.text == t("common.stale_button", "vi")
    assert outbox_keys(db) == before

    for needle in (NAME, USER, ZALO_USER):
        assert rows_mentioning(db, needle) == [], needle
    with session_scope(db) as session:
        person = session.get(Person, person_id)
        assert person is not None and person.full_name == LABEL and not person.active and person.erased_at is not None
        assert session.exec(select(ChannelIdentity).where(ChannelIdentity.person_id == person_id)).first() is None
        actions = session.exec(select(ProcessingLog.action).where(ProcessingLog.person_id == person_id)).all()
        assert actions.count("erased") == 1
        leader_row = session.exec(select(OutboxMessage).where(OutboxMessage.key == "test:leader")).one()
        assert leader_row.text == f"Chuyên viên {LABEL} (SYT) chưa nộp báo cáo."
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith(f"erased:{person_id}:"))).all()  # type: ignore[attr-defined]
        submission = session.exec(select(Submission).where(Submission.submitted_by_person_id == person_id)).one()
        assert submission.submitted_at is not None
        export = assemble(session, lao_cai, loaded, choose_period(session, lao_cai, loaded, "dv-nam/2026", clock()), clock())
        assert [f.agency.code for f in export.figures] == ["SYT"] and NAME not in repr(export)
    assert len(notices) == 2, "one notice to each of the two admins, once"
    assert all(LABEL in n.text and "/invite SYT specialist" in n.text for n in notices)

    her.send("/mydata")
    assert her.text == "Hệ thống không lưu thông tin nào về anh/chị."
    her.send("/help")
    assert her.text.startswith(t("help.title_stranger", "vi"))

    admin = chat_of(engine, "lhh-admin")
    admin.send("/status dv-nam/2026")
    assert "Sở Y tế · đã gửi (đúng hạn) · 16/12/2026" in admin.last[0].text
    admin.send("/review")
    admin.press("SYT")
    assert f"Nộp lúc 09:00 ngày 16/12/2026, người nộp: {LABEL}" in admin.text


def test_strangers_and_groups(engine) -> None:  # type: ignore[no-untyped-def]
    stranger = chat_of(engine, "tg-31337")
    for command in ("/mydata", "/forgetme"):
        stranger.send(command)
        assert stranger.text == "Hệ thống không lưu thông tin nào về anh/chị."
    english = chat_of(engine, "tg-31338", language_code="en")
    english.send("/mydata")
    assert english.text == "Hệ thống không lưu thông tin nào về anh/chị.", "the app's English is not followed"
    english.send("/lang en")
    english.send("/mydata")
    assert english.text == "Nothing is stored about you."
    in_group = chat_of(engine, "syt-leader", chat="group-syt", kind=ChatKind.GROUP)
    for command in ("mydata", "forgetme"):
        in_group.send(f"/{command}")
        assert in_group.text == t("command.private_only", "vi", command=command)


def test_a_former_member_and_the_last_admin_may_erase_too(db, loaded, engine, clock) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        people = {i.user_ref: session.get(Person, i.person_id) for i in session.exec(select(ChannelIdentity))}
        deactivate(session, people["syt-leader"], clock(), "replaced_by_invite")  # type: ignore[arg-type]
        deactivate(session, people["lhh-admin2"], clock(), "deactivated_by_admin")  # type: ignore[arg-type]
    former = chat_of(engine, "syt-leader", language_code="en")
    former.send("/lang en")
    former.send("/mydata")
    assert "• Status: no longer active" in former.text and "• Full name: Đỗ Văn Hùng" in former.text
    former.send("/forgetme")
    former.press("Erase my data")
    assert former.text.startswith("Your personal data has been erased.")

    admin = chat_of(engine, "lhh-admin")
    admin.send("/forgetme")
    assert "anh/chị là quản trị viên duy nhất còn hoạt động" in admin.text and "phoihop invite LHH admin" in admin.text
    admin.press("Xóa dữ liệu")
    assert admin.text.startswith("Đã xóa dữ liệu cá nhân của anh/chị.")
    assert [key for key in outbox_keys(db) if key.startswith("erased:")] == [], "no one left to tell, and a former member's seat is filled"
    with session_scope(db) as session:
        names = set(session.exec(select(Person.full_name).where(Person.erased_at != None)))
    assert names == {
        "Lãnh đạo phụ trách (đầu mối) – Sở Y tế",
        "Quản trị (Văn phòng Liên hiệp hội) – Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai",
    }


def every_value_holding(db, needle: str) -> list[str]:  # type: ignore[no-untyped-def]
    """`table.column` of every value, JSON decoded, that holds `needle`."""
    found = []
    with db.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(sa_select(table)).mappings():
                for column, value in row.items():
                    shown = json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, dict | list) else str(value)
                    if needle in shown:
                        found.append(f"{table.name}.{column}")
    return found


def file_bytes_holding(db, needle: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The SQLite files (database, -wal, -journal) whose bytes hold `needle`, plain or as JSON."""
    forms = {needle.encode(), json.dumps(needle).strip('"').encode()}
    base = Path(db.url.database)
    files = [base, *(base.with_name(base.name + suffix) for suffix in ("-wal", "-journal"))]
    return [f.name for f in files if f.exists() and any(form in f.read_bytes() for form in forms)]


def test_forgetme_leaves_no_trace_in_other_peoples_forms_or_the_files(db, loaded, lao_cai, clock, engine) -> None:  # type: ignore[no-untyped-def]
    her_record(db, lao_cai, loaded, clock)
    chat_of(engine, ZALO_USER, channel="zalo").send("/register")
    admin = chat_of(engine, "lhh-admin")
    admin.send("/people")
    while f"{NAME} · SYT" not in [b.label for b in admin.last[0].choices()]:
        admin.press(t("form.next_page", "vi"))
    assert "conversation.data" in every_value_holding(db, NAME), "the admin's open list holds her name"
    her = chat_of(engine, USER)
    her.send("/forgetme")
    her.press("Xóa dữ liệu")
    assert her.text.startswith("Đã xóa dữ liệu cá nhân của anh/chị.")
    for needle in (NAME, USER, ZALO_USER):
        assert every_value_holding(db, needle) == [], needle
        if db.dialect.name == "sqlite":
            assert file_bytes_holding(db, needle) == [], needle
    if db.dialect.name == "sqlite":
        with db.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    admin.press(NAME, admin.last[0])
    assert LABEL in admin.text and NAME not in admin.text, "the admin's list goes on, with the role for the name"
