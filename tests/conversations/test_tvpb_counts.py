"""TVPB tasks in the figures that count them (`models/tvpb/counts`): a task counts for the
LHH once its critique report is sent (seed 004 line 291, seed 002 II.2.c), in /targets, in
the export's counted figure and in the LHH's report suggestions, never for the drafting
agency; an activity the office links to the task (`/tvpb N hoatdong A`) counts once, through
the task; a task cancelled after its critique counts nothing, and its activity counts again."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from models.activities.register import Draft, register
from models.db.engine import session_scope
from models.office.board import choose_period, targets_progress
from models.office.export.data import assemble
from models.programme.schema import load_programme
from models.programme.tables import ActivityType, Agency, ProgrammeRecord
from models.reporting.submissions import WindowActivity, suggested
from models.tvpb import experts, services
from models.tvpb.counts import share_for
from models.tvpb.tables import SchemeKind, Stage, TvpbTask
from tests.conftest import PROGRAMMES, local
from tests.conversations.test_office_commands import ha_giang_admin

TARGET = "• Đề tài, nhiệm vụ tư vấn, phản biện cấp tỉnh: đã thực hiện {done}/25 nhiệm vụ"


def critique_sent(session, programme, task: TvpbTask, moment) -> None:  # type: ignore[no-untyped-def]
    """Through the stages up to the critique report sent, on `moment`."""
    for part in programme.tvpb.parts:
        services.record_part(session, programme, task, part.code, None, None, moment)
    expert = experts.record_on_paper(session, task.programme_id, "TS. Vũ Minh Khoa", moment.date(), [task.fields[0]], moment)
    experts.answer(session, experts.invite(session, task, expert, moment), True, moment)
    services.council_formed(session, task, moment.date(), None, moment)
    services.advance(session, programme, task, Stage.WORKSHOP, None, moment)
    services.advance(session, programme, task, Stage.CRITIQUE_SENT, None, moment)


def test_targets_count_a_task_once_its_critique_is_sent_and_a_linked_activity_once(db, clock) -> None:  # type: ignore[no-untyped-def]
    programme = load_programme(PROGRAMMES / "ha-giang-2021-2026.toml")
    clock.moment = local(2023, 3, 1, 9)
    admin = ha_giang_admin(db, clock, programme, (date(2022, 5, 1),))
    with session_scope(db) as session:
        record = session.exec(select(ProgrammeRecord).where(ProgrammeRecord.code == programme.code)).one()
        skhdt = session.exec(select(Agency).where(Agency.programme_id == record.id, Agency.code == "SKHDT")).one()
        open_task = services.open_task
        task = open_task(session, programme, record.id, skhdt, "Quy hoạch tỉnh", SchemeKind.QUY_HOACH, ["kinh-te"], date(2023, 4, 3), None, clock()).task
        other = open_task(session, programme, record.id, skhdt, "Đề án chuyển đổi số", SchemeKind.DE_AN, ["khcn"], date(2023, 6, 1), None, clock()).task
        kinds = {k.code: k for k in session.exec(select(ActivityType).where(ActivityType.programme_id == record.id))}
        lhh = session.exec(select(Agency).where(Agency.programme_id == record.id, Agency.code == "LHH")).one()
        today = clock().date()
        linked = register(session, record.id, lhh, Draft(kinds["tvpb"].id, "Phản biện Quy hoạch tỉnh", date(2023, 2, 20), "Hà Giang", (), None), None, today, clock())
        workshop = register(session, record.id, lhh, Draft(kinds["hoi-thao"].id, "Hội thảo", date(2023, 3, 5), "Hà Giang", (), None), None, today, clock())
        ids, record_id = (task.id, other.id, linked.id, workshop.id), record.id
    clock.moment = local(2023, 3, 20, 9)
    admin.send("/targets")
    assert TARGET.format(done=2) + " (8%), đang dự kiến 2" in admin.text, "the two activities done; the two tasks planned"


    def progress() -> tuple[int, int]:
        with session_scope(db) as session:
            found = next(p for p in targets_progress(session, programme, record_id, clock().date()) if p.target.code == "tvpb")
            return found.done, found.planned

    with session_scope(db) as session:
        critique_sent(session, programme, session.get(TvpbTask, ids[0]), local(2023, 3, 15, 10))  # type: ignore[arg-type]
    assert progress() == (3, 1), "the critique sent counts the task as done"

    assert admin.send(f"/tvpb {ids[0]} hoatdong 99999")[0].text == "Không có hoạt động số «99999»."
    assert admin.send(f"/tvpb {ids[0]} hoatdong {ids[3]}")[0].text.startswith(f"Hoạt động số {ids[3]} không thuộc loại")
    assert admin.send(f"/tvpb {ids[0]} hoatdong {ids[2]}")[0].text.startswith(f"Đã ghi hoạt động số {ids[2]} «Phản biện Quy hoạch tỉnh»")
    assert admin.send(f"/tvpb {ids[1]} hoatdong {ids[2]}")[0].text == f"Hoạt động số {ids[2]} đã gắn với nhiệm vụ số {ids[0]}."
    assert progress() == (2, 1), "the task and its activity count once"
    admin.send(f"/tvpb {ids[0]} huy UBND tỉnh dừng xây dựng quy hoạch")
    assert progress() == (2, 1), "a cancelled task counts nothing; its activity counts again"


def test_the_export_and_the_lhh_suggestions_count_the_task_once(db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 1, 9)
    with session_scope(db) as session:
        agencies = {a.code: a for a in session.exec(select(Agency).where(Agency.programme_id == loaded))}
        task = services.open_task(
            session, lao_cai, loaded, agencies["SYT"], "Đề án y tế cơ sở", SchemeKind.DE_AN, ["y-te"], date(2027, 4, 9), None, clock()
        ).task
        critique_sent(session, lao_cai, task, local(2027, 3, 10, 10))
        kind = session.exec(select(ActivityType).where(ActivityType.programme_id == loaded, ActivityType.code == "tvpb")).one()
        draft = Draft(kind.id, "Phản biện đề án y tế cơ sở", date(2027, 3, 10), "Lào Cai", (), None)  # type: ignore[arg-type]
        activity = register(session, loaded, agencies["SYT"], draft, None, clock().date(), clock())

        def counted() -> float | None:
            report = assemble(session, lao_cai, loaded, choose_period(session, lao_cai, loaded, "2027-H1", clock()), clock())
            return next(r.counted for r in report.reconciled if r.indicator.code == "tvpb")

        assert counted() == 2, "the activity and the task, before they are linked"
        services.link_activity(session, lao_cai, task, activity.id)
        assert counted() == 1
        indicator = next(i for i in lao_cai.indicators if i.code == "tvpb")
        window = (date(2026, 12, 15), date(2027, 6, 14))
        held = [WindowActivity(activity.id, "tvpb", activity.title, date(2027, 3, 10), None)]
        for_lhh = share_for(session, lao_cai, loaded, agencies["LHH"], *window)
        for_syt = share_for(session, lao_cai, loaded, agencies["SYT"], *window)
        assert (for_lhh.tasks, for_syt.tasks) == (1, 0), "the task is the LHH's to report"
        assert suggested(indicator, [], for_lhh) == 1.0
        assert suggested(indicator, held, for_syt) == 0.0, "the drafting agency's linked activity is counted through the task"
        assert suggested(indicator, held) == 1.0
