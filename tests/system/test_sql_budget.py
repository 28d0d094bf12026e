"""The database work of one update does not grow with the data (no N+1) and stays within
its budget: the statements of a focal point's and the office's scripted day (bench/
sql_per_update.py: registering an activity, a report from a new draft to its submission,
the office's lists, export, chase and broadcasts to every agency), counted on the sample
data and again once the province has twice the agencies, each with focal points, and three
times the activities; and the scheduler's jobs, counted the same way."""

from __future__ import annotations

import math
import random
from datetime import datetime

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine as Database
from sqlmodel import Session, select

import models.programme.served
from bench.dataset import add_activities, add_focal_points, add_groups, add_submissions, programme_with
from bench.sql_per_update import ABOVE_BUDGET, BUDGET, FAN_OUT, FOCAL_AGENCY, NOW, SCRIPT, StatementLog, ceiling
from handlers.engine import ConversationEngine
from models.activities.tables import Activity, ActivityStatus
from models.db.engine import session_scope
from models.office.board import choose_period
from models.outbox import notify as notices
from models.outbox import when
from models.outbox.notify import Addressee, Letter
from models.outbox.tables import OutboxMessage
from models.programme.loader import load_into
from models.programme.schema import Programme
from models.programme.tables import Agency
from models.reporting.period_book import ensure_periods
from models.reporting.submissions import draft_view, linked_ids, new_draft, relink, reportable
from models.reporting.tables import ReportItem, Submission, SubmissionActivity
from models.samples.sample_file import SAMPLE_CHANNEL
from scheduler.jobs import JOBS, run_jobs
from tests.conftest import Chat, Clock

pytestmark = pytest.mark.slow

DAY = SCRIPT + FAN_OUT


def fill(session: Session, programme: Programme, programme_id: int, activities: int, seed: int, now: datetime) -> None:
    """Focal points and groups for every agency, `activities` more activities, and a
    submission for the period the office looks at from each agency that has none."""
    rng = random.Random(seed)
    add_focal_points(session, programme_id, now)
    add_groups(session, programme_id, now, SAMPLE_CHANNEL)
    add_activities(session, programme_id, activities, now.date(), now, rng)
    add_submissions(session, programme, choose_period(session, programme, programme_id, "", now), now, rng)


def forget_reports(db: Database) -> None:
    """No report of the scripted focal point's agency, so that each day opens a new draft."""
    with session_scope(db) as session:
        ours = select(Submission.id).join(Agency, Agency.id == Submission.agency_id).where(Agency.code == FOCAL_AGENCY)
        session.execute(delete(ReportItem).where(ReportItem.submission_id.in_(ours)))  # type: ignore[attr-defined]
        session.execute(delete(SubmissionActivity).where(SubmissionActivity.submission_id.in_(ours)))  # type: ignore[attr-defined]
        session.execute(delete(Submission).where(Submission.id.in_(ours)))  # type: ignore[union-attr]


def count_day(db: Database, clock: Clock) -> dict[str, int]:
    forget_reports(db)
    log = StatementLog(db)
    engine = ConversationEngine(db, clock, "lao-cai-31-2015")
    chats: dict[tuple[str, bool], Chat] = {}
    for who in {line.who for line in DAY}:
        Chat(engine, who).send("/help")
    counts = {}
    for line in DAY:
        chat = chats.setdefault((line.who, line.group), line.chat(engine))
        with log.count() as statements:
            line.play(chat)
        if line.counted:
            counts[line.label] = len(statements)
    return counts


def count_jobs(db: Database, programme: Programme, programme_id: int, clock: Clock) -> dict[str, int]:
    log = StatementLog(db)
    counts = {}
    for name in JOBS:
        with session_scope(db) as session, log.count() as statements:
            run_jobs(session, programme, programme_id, clock(), (name,))
        counts[name] = len(statements)
    return counts


def test_statements_per_update_do_not_grow_with_the_data(db, loaded, lao_cai, clock, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(models.programme.served, "PROGRAMME_RECHECK", math.inf)
    clock.moment = NOW
    with session_scope(db) as session:
        fill(session, lao_cai, loaded, 200, 1, clock())
    small_day, small_jobs = count_day(db, clock), count_jobs(db, lao_cai, loaded, clock)

    grown = programme_with(len(lao_cai.agencies) * 2)
    with session_scope(db) as session:
        load_into(session, grown, clock())
        fill(session, grown, loaded, 500, 2, clock())
    large_day, large_jobs = count_day(db, clock), count_jobs(db, grown, loaded, clock)

    assert large_day == small_day
    assert large_jobs == small_jobs
    assert {label: count for label, count in small_day.items() if count > ceiling(label)} == {}
    assert {label: small_day[label] for label in ABOVE_BUDGET if small_day[label] <= BUDGET} == {}
    assert small_day["/status"] == BUDGET and small_day["/activities"] == 5 and small_day["/due"] <= 5
    assert small_day["report: untick an activity"] == small_day["report: tick an activity"] == 5
    assert small_day["report: resume the draft"] == 5  # reads which items are answered, to resume at the first unanswered


def test_outbox_rows_for_many_recipients_take_one_statement_per_batch(db, loaded, clock, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(notices, "ROWS_PER_INSERT", 2)
    log = StatementLog(db)
    with session_scope(db) as session:
        notices.enqueue(session, "k1", "console", "a", "sent before", clock(), programme_id=loaded)
        wanted = [
            Letter(key, text, [Addressee("console", ref, "vi", None)])
            for key, ref, text in [("k1", "a", "again"), ("k2", "b", "first"), ("k2", "b", "x"), ("k3", "c", "c")]
        ]
        with log.count() as statements:
            written = notices.notify(session, wanted, when.NOW, clock(), loaded)
    assert written == {"k2", "k3"} and len(statements) == 2
    with session_scope(db) as session:
        texts = {row.key: row.text for row in session.exec(select(OutboxMessage))}
    assert texts == {"k1": "sent before", "k2": "first", "k3": "c"}


def test_ticking_reads_nothing_more_and_drops_links_gone_from_the_window(db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    log = StatementLog(db)
    with session_scope(db) as session:
        ensure_periods(session, lao_cai, loaded, clock())
        agency = session.exec(select(Agency).where(Agency.code == FOCAL_AGENCY)).one()
        period = max(reportable(session, lao_cai, loaded, agency, clock().date()), key=lambda p: (p.info.window.end - p.info.window.start, p.info.window.end))
        draft = new_draft(session, period.row.id, agency.id, clock())
        view = draft_view(session, period.row.id, agency.id)
        everything = {a.id for a in view.activities}
        relink(session, draft.id, everything, view)
        first, gone = sorted(everything)[:2]
        session.get(Activity, gone).status = ActivityStatus.CANCELLED
        session.flush()
        view = draft_view(session, period.row.id, agency.id, draft.id)
        assert view.links == len(everything) and view.linked == everything - {gone}
        with log.count() as untick:
            relink(session, draft.id, set(view.linked - {first}), view)
        assert len(untick) == 1 and linked_ids(session, draft.id) == everything - {first, gone}
        view = draft_view(session, period.row.id, agency.id, draft.id)
        with log.count() as tick:
            relink(session, draft.id, set(view.linked | {first}), view)
        assert len(tick) == 1 and linked_ids(session, draft.id) == everything - {gone}


WEB_PAGES = (
    "/", "/?status=submitted", "/?kind=so&status=not_started", "/review", "/reports/{report}", "/exports", "/people", "/people?page=2",
    "/targets",
)  # fmt: skip


def count_pages(db: Database, clock: Clock) -> dict[str, int]:
    """The statements of each office page, for the sample admin signed in by /web."""
    from starlette.testclient import TestClient

    from bot.web.app import WebConfig, build_app
    from tests.web.conftest import LINK

    engine = ConversationEngine(db, clock, "lao-cai-31-2015", web_url="https://phoihop.example.vn")
    client = TestClient(build_app(engine, WebConfig("https://phoihop.example.vn", "k" * 40)), base_url="https://phoihop.example.vn")
    link = LINK.search(Chat(engine, "lhh-admin").send("/web")[0].text)
    assert link and client.get(f"/signin/{link.group(1)}").status_code == 200
    with session_scope(db) as session:
        report = session.exec(select(Submission.id).where(Submission.status == "submitted").order_by(Submission.id)).first()
    log = StatementLog(db)
    counts = {}
    for path in WEB_PAGES:
        with log.count() as statements:
            assert client.get(path.format(report=report)).status_code == 200, path
        counts[path] = len(statements)
    return counts


def test_the_office_pages_read_as_much_at_twice_the_agencies(db, loaded, lao_cai, clock, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(models.programme.served, "PROGRAMME_RECHECK", math.inf)
    clock.moment = NOW
    with session_scope(db) as session:
        fill(session, lao_cai, loaded, 200, 1, clock())
    small = count_pages(db, clock)
    grown = programme_with(len(lao_cai.agencies) * 2)
    with session_scope(db) as session:
        load_into(session, grown, clock())
        fill(session, grown, loaded, 500, 2, clock())
    assert count_pages(db, clock) == small
    assert small["/"] <= 8, small
