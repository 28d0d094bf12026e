"""Two people doing one thing at the same moment, in two engines on one database (as two
bot workers would), many times: one invite joins one person, a one-person seat ends with
one holder, one of two reviews of a report is recorded and one of two submissions; the
other person is told who was first, and the outbox holds the winner's notices only.

On PostgreSQL the two units of work really overlap (READ COMMITTED, a barrier before the
decisive update); on SQLite the first write of an update takes the one write lock, so the
same tests check the outcome holds there too."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

import pytest
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine as Database
from sqlmodel import col, func, select

from handlers.engine import ConversationEngine
from handlers.types import Reply
from locales.catalogue import t
from models.db.engine import make_engine, session_scope
from models.db.migrate import upgrade
from models.outbox.tables import OutboxMessage
from models.people.invites import issue
from models.people.tables import Person, Role
from models.programme.loader import load_into
from models.programme.schema import Programme, load_programme
from models.programme.tables import Agency, ProgrammeRecord
from models.reporting.tables import Submission, SubmissionActivity, SubmissionStatus, TaskAssignment
from tests.conftest import PROGRAMMES, START, Chat, Clock, load_lao_cai, local
from tests.conversations.test_report_flow import fill_to_confirm, open_annual
from tests.support.roster import add_member

pytestmark = pytest.mark.slow

ROUNDS = 20
TIMEOUT = 30.0


@pytest.fixture(params=["postgresql", "sqlite"])
def race_db(request: pytest.FixtureRequest, tmp_path: Path, lao_cai: Programme) -> Iterator[Database]:
    """The sample programme on a PostgreSQL database, or on a SQLite file."""
    if request.param == "postgresql":
        database: Database = request.getfixturevalue("pg_db")
    else:
        database = make_engine(f"sqlite:///{tmp_path / 'races.sqlite3'}")
        upgrade(database)
    load_lao_cai(database, lao_cai, START)
    yield database
    database.dispose()


@pytest.fixture
def two(race_db: Database) -> Callable[[str], Chat]:
    """People talking to one of two engines on the same database, in turn."""
    clock = Clock(local(2026, 12, 16, 9))
    engines = [ConversationEngine(race_db, clock, "lao-cai-31-2015") for _ in range(2)]
    made: list[Chat] = []

    def person(user: str) -> Chat:
        made.append(Chat(engines[len(made) % 2], user))
        return made[-1]

    return person


def at_once(*calls: Callable[[], list[Reply]]) -> list[str]:
    """Run the calls in threads released together by a barrier; their replies' texts."""
    barrier = Barrier(len(calls))

    def released(call: Callable[[], list[Reply]]) -> str:
        barrier.wait(TIMEOUT)
        return "\n".join(reply.text for reply in call())

    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(released, call) for call in calls]
        return [future.result(TIMEOUT) for future in futures]


def new_invite(db: Database, agency: str, role: Role) -> str:
    with session_scope(db) as session:
        row = session.exec(select(Agency).where(Agency.code == agency)).one()
        return issue(session, row, role, START, 30).invite.code


def at_name_step(person: Chat, code: str) -> None:
    person.send(f"/start {code}")
    person.press("Tôi đồng ý")
    assert "họ và tên đầy đủ" in person.text


def welcomed(text: str) -> bool:
    return text.startswith("Chào mừng")


def test_one_invite_joins_one_person(race_db, two) -> None:  # type: ignore[no-untyped-def]
    taken = t("invite.just_used", "vi")
    for n in range(ROUNDS):
        code = new_invite(race_db, "LHH", Role.ADMIN)
        first, second = two(f"a-{n}"), two(f"b-{n}")
        at_name_step(first, code)
        at_name_step(second, code)
        answers = at_once(lambda: first.send("Ngô Văn An"), lambda: second.send("Lý Thị Bình"))
        assert sorted(map(welcomed, answers)) == [False, True], answers
        loser = next(text for text in answers if not welcomed(text))
        assert loser == taken, loser
        with session_scope(race_db) as session:
            joined = session.exec(select(Person).where(col(Person.full_name).in_(["Ngô Văn An", "Lý Thị Bình"]))).all()
            assert len(joined) == n + 1


def test_a_one_person_seat_ends_with_one_holder(race_db, two) -> None:  # type: ignore[no-untyped-def]
    for n in range(ROUNDS):
        first, second = two(f"c-{n}"), two(f"d-{n}")
        at_name_step(first, new_invite(race_db, "SYT", Role.SPECIALIST))
        at_name_step(second, new_invite(race_db, "SYT", Role.SPECIALIST))
        answers = at_once(lambda: first.send("Đinh Văn Cường"), lambda: second.send("Mai Thị Dung"))
        assert all(map(welcomed, answers)), answers
        with session_scope(race_db) as session:
            syt = session.exec(select(Agency.id).where(Agency.code == "SYT")).one()
            holders = session.exec(
                select(func.count()).where(Person.agency_id == syt, Person.role == Role.SPECIALIST, Person.active == True)  # noqa: E712
            ).one()
            assert holders == 1, f"round {n}: {holders} specialists"


def submitted_report(race_db: Database, two: Callable[[str], Chat]) -> Submission:
    person = two("syt-specialist")
    open_annual(person)
    fill_to_confirm(person)
    person.press("Nộp báo cáo")
    return report_of(race_db)


def report_of(db: Database) -> Submission:
    with session_scope(db) as session:
        syt = session.exec(select(Agency.id).where(Agency.code == "SYT")).one()
        return session.exec(select(Submission).where(Submission.agency_id == syt, Submission.status != SubmissionStatus.DRAFT)).one()


def test_one_of_two_reviews_is_recorded(race_db, two) -> None:  # type: ignore[no-untyped-def]
    report = submitted_report(race_db, two)
    accepting, returning = two("lhh-admin"), two("lhh-admin2")
    outcomes: Counter[str] = Counter()
    for n in range(ROUNDS):
        for admin in (accepting, returning):
            admin.send("/review")
            admin.press("SYT · Báo cáo năm")
        returning.press("Trả lại")
        answers = at_once(lambda: accepting.press("Tiếp nhận"), lambda: returning.send("Thiếu số liệu kinh phí."))
        decided = report_of(race_db)
        won_accept, won_return = answers[0].startswith("Đã tiếp nhận"), answers[1].startswith("Đã trả lại")
        assert won_accept != won_return, answers
        status = SubmissionStatus.ACCEPTED if won_accept else SubmissionStatus.RETURNED
        assert decided.status is status and decided.round == n + 1
        who = "Trần Thị Thu Hà" if won_accept else "Lê Quang Vinh"
        assert answers[1 if won_accept else 0] == t(f"review.just_{status.value}", "vi", person=who)
        with session_scope(race_db) as session:
            told = session.exec(select(OutboxMessage.text).where(col(OutboxMessage.key).startswith(f"review:{report.id}:r{n + 1}:"))).all()
        assert len(told) == 2 and all(("đã tiếp nhận" if won_accept else "đã trả lại") in text for text in told), told
        outcomes[status.value] += 1
        with session_scope(race_db) as session:
            values = {"status": SubmissionStatus.SUBMITTED, "round": n + 2}
            session.execute(update(Submission).where(col(Submission.id) == report.id).values(values))
    with session_scope(race_db) as session:
        assert session.exec(select(func.count()).where(col(OutboxMessage.key).startswith(f"review:{report.id}:"))).one() == 2 * ROUNDS


def test_one_of_two_submissions_is_recorded(race_db, two) -> None:  # type: ignore[no-untyped-def]
    leader, specialist = two("syt-leader"), two("syt-specialist")
    for n in range(ROUNDS):
        for person in (leader, specialist):
            open_annual(person)
            fill_to_confirm(person)
        answers = at_once(lambda: leader.press("Nộp báo cáo"), lambda: specialist.press("Nộp báo cáo"))
        won = [text.startswith("Đã nộp") for text in answers]
        assert sorted(won) == [False, True], answers
        winner = ("Đỗ Văn Hùng", "Nguyễn Thị Mai")[won.index(True)]
        assert answers[won.index(False)] == t("report.just_submitted", "vi", person=winner)
        report = report_of(race_db)
        assert report.status is SubmissionStatus.SUBMITTED and report.round == n + 1
        with session_scope(race_db) as session:
            told = session.exec(select(OutboxMessage.key).where(col(OutboxMessage.key).startswith(f"submitted:{report.id}:"))).all()
            assert len(told) == 2 * (n + 1), told
            session.execute(update(Submission).where(col(Submission.id) == report.id).values(status=SubmissionStatus.RETURNED))


def test_one_of_two_done_reports_of_a_task_is_recorded(race_db) -> None:  # type: ignore[no-untyped-def]
    """Hà Giang's assigned tasks (seed 001), reported done by two focal points of one agency."""
    clock = Clock(local(2013, 3, 20, 9))
    with session_scope(race_db) as session:
        load_into(session, load_programme(PROGRAMMES / "ha-giang-2021-2026.toml"), clock())
        record = session.exec(select(ProgrammeRecord).where(ProgrammeRecord.code == "ha-giang-2021-2026")).one()
        snv = session.exec(select(Agency).where(Agency.programme_id == record.id, Agency.code == "SNV")).one()
        for role, name, user in ((Role.LEADER, "Hà Văn Lâm", "snv-leader"), (Role.SPECIALIST, "Lý Thị Dung", "snv-specialist")):
            add_member(session, record.id, snv, role, name, user, "console", clock())  # type: ignore[arg-type]
        shares = session.exec(select(TaskAssignment.task_id).where(TaskAssignment.agency_id == snv.id)).all()
        snv_id = snv.id
    engines = [ConversationEngine(race_db, clock, "ha-giang-2021-2026") for _ in range(2)]
    leader, specialist = Chat(engines[0], "snv-leader"), Chat(engines[1], "snv-specialist")
    for n in range(ROUNDS):
        task_id = shares[n % len(shares)]
        with session_scope(race_db) as session:
            session.execute(
                update(TaskAssignment)
                .where(col(TaskAssignment.task_id) == task_id, col(TaskAssignment.agency_id) == snv_id)
                .values(done_at=None, done_by_person_id=None, done_note=None)
            )
        for person in (leader, specialist):
            person.send("/done")
            person.press_data(next(b.data for b in person.last[-1].choices() if b.data.endswith(f"t:{task_id}")))
        answers = at_once(lambda: leader.send("Đã ban hành kế hoạch số 12."), lambda: specialist.send("Đã ban hành kế hoạch số 13."))
        won = [text.startswith("Đã ghi nhận hoàn thành") for text in answers]
        assert sorted(won) == [False, True], answers
        winner = ("Hà Văn Lâm", "Lý Thị Dung")[won.index(True)]
        assert answers[won.index(False)] in (t("tasks.just_done", "vi", person=winner), t("tasks.already_done", "vi"))
        with session_scope(race_db) as session:
            share = session.exec(select(TaskAssignment).where(TaskAssignment.task_id == task_id, TaskAssignment.agency_id == snv_id)).one()
            assert share.done_note == ("Đã ban hành kế hoạch số 12." if won[0] else "Đã ban hành kế hoạch số 13.")


def test_two_focal_points_opening_a_new_report_share_one_draft(race_db, two) -> None:  # type: ignore[no-untyped-def]
    leader, specialist = two("syt-leader"), two("syt-specialist")
    for n in range(ROUNDS):
        for person in (leader, specialist):
            person.send("/report")
            assert "Có nhiều kỳ báo cáo cần làm" in person.text
        answers = at_once(lambda: leader.press("Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026"), lambda: specialist.press("Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026"))
        assert all("đã tính 5/6 hoạt động" in text for text in answers), answers
        with session_scope(race_db) as session:
            syt = session.exec(select(Agency.id).where(Agency.code == "SYT")).one()
            drafts = session.exec(select(Submission).where(Submission.agency_id == syt)).all()
            assert len(drafts) == 1, f"round {n}: {len(drafts)} drafts"
            for table in (SubmissionActivity, Submission):
                session.execute(delete(table).where(col(table.submission_id if table is SubmissionActivity else table.id) == drafts[0].id))
