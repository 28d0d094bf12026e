"""The sample programme with what the TVPB and assessment pages show: a task of the Sở Y tế
(a dossier part sent as a link, the expert of the bank invited to its council), a task of
the Sở Nông nghiệp, and the Sở Y tế's annual report with a difficulty the office is offered
as a suggestion. Who is signed in, by role, including the expert and the other agency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import col, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from handlers.engine import ConversationEngine
from models.activities.tables import Attachment
from models.db.engine import session_scope
from models.office.board import choose_period
from models.people.tables import Person
from models.programme.schema import Programme
from models.programme.tables import Agency
from models.reporting.submissions import narrative_code, save_item, submission_for, submit
from models.tvpb import experts, services
from models.tvpb.tables import Expert, SchemeKind
from sqlalchemy.engine import Engine as Database
from tests.conftest import Clock, local
from tests.conversations.test_tvpb_experts import join_as_expert
from tests.web.conftest import PUBLIC_URL, sign_in_path_of

USERS = {
    "admin": "lhh-admin",
    "viewer": "snv-viewer",
    "leader": "syt-leader",
    "specialist": "syt-specialist",
    "other_leader": "snnptnt-leader",
    "other_specialist": "snnptnt-specialist",
    "agency_viewer": "skhcn-viewer",
    "expert": "tg-7001",
    "stranger": "",
}
"""Everyone the pages answer differently: the office, an oversight viewer, the Sở Y tế's
leader and specialist, the Sở Nông nghiệp's (another agency), an agency viewer (Sở KH&CN),
the expert of the bank, and nobody signed in."""
DIFFICULTY = "Kinh phí cho hoạt động phối hợp còn hạn chế."
LINK = "https://drive.example.vn/to-trinh.pdf"


@dataclass(frozen=True)
class World:
    ours: int
    """The Sở Y tế's task, the expert on its council."""
    theirs: int
    """The Sở Nông nghiệp's task."""
    part: int
    """The Sở Y tế's dossier part sent as a link."""
    expert: int


def _agency(session, code: str) -> Agency:  # type: ignore[no-untyped-def]
    return session.exec(select(Agency).where(Agency.code == code)).one()


@pytest.fixture
def world(db: Database, loaded: int, lao_cai: Programme, clock: Clock, chat) -> World:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    join_as_expert(chat, db)
    now = clock()
    with session_scope(db) as session:
        syt, snn = _agency(session, "SYT"), _agency(session, "SNNPTNT")
        annual = choose_period(session, lao_cai, loaded, "dv-nam/2026", now)
        submission = submission_for(session, annual.row.id, syt.id, now)
        area = next(a for a in lao_cai.content_areas if a.difficulties)
        save_item(session, submission, narrative_code(area.code), now, text=DIFFICULTY)
        specialist = session.exec(select(Person).where(Person.agency_id == syt.id, Person.full_name == "Nguyễn Thị Mai")).first()
        submit(session, submission, annual.row, specialist.id if specialist else 1, now)
        ours = services.open_task(session, lao_cai, loaded, syt, "Đề án phát triển y tế cơ sở", SchemeKind.DE_AN, ["y-te"], date(2027, 2, 26), None, now)
        theirs = services.open_task(
            session, lao_cai, loaded, snn, "Quy hoạch vùng chè Bắc Hà", SchemeKind.QUY_HOACH, ["nong-nghiep"], date(2027, 3, 19), None, now
        )
        link = Attachment(programme_id=loaded, channel="zalo", file_ref=LINK, name="to-trinh.pdf", created_at=now)
        session.add(link)
        session.flush()
        part = services.record_part(session, lao_cai, ours.task, lao_cai.tvpb.parts[0].code, link.id, None, now)  # type: ignore[union-attr]
        expert = session.exec(select(Expert).order_by(col(Expert.id).desc())).first()  # the one who just joined, not the sample's
        assert expert is not None
        experts.invite(session, ours.task, expert, now)
        world = World(ours.task.id, theirs.task.id, part.id, expert.id)
    clock.moment = local(2026, 12, 18, 9)
    return world


def open_late_task(db: Database, programme: Programme, programme_id: int, clock: Clock) -> int:
    """A task of the Sở Công Thương opened a month ago whose dossier is now overdue."""
    with session_scope(db) as session:
        sct = _agency(session, "SCT")
        opened = services.open_task(
            session, programme, programme_id, sct, "Chương trình khuyến công tỉnh Lào Cai", SchemeKind.CHUONG_TRINH, ["kinh-te"],
            date(2026, 12, 24), None, local(2026, 11, 20, 9),
        )
        return opened.task.id


def fill_bank(db: Database, programme_id: int, expert_id: int, clock: Clock) -> None:
    """The bank's expert with a profile, and one recorded by the office with consent on paper."""
    with session_scope(db) as session:
        expert = session.get(Expert, expert_id)
        assert expert is not None
        known = {"y-te", "khcn"}
        experts.set_profile(session, expert, ["y-te", "khcn"], known, title="TS. Bác sĩ", affiliation="Bệnh viện Đa khoa tỉnh", contact="0912 345 678")
        experts.record_on_paper(
            session, programme_id, "PGS.TS. Lê Thị Hoa", date(2026, 12, 1), ["nong-nghiep"], clock(), affiliation="Trường Đại học Nông Lâm"
        )


@pytest.fixture
def signed_in(app: Starlette, web_engine: ConversationEngine, world: World) -> Callable[[str], TestClient]:
    """A client signed in as the person playing `role` of USERS (the stranger: nobody)."""

    def make(role: str) -> TestClient:
        client = TestClient(app, base_url=PUBLIC_URL, follow_redirects=False)
        if USERS[role]:
            answer = client.get(sign_in_path_of(web_engine, USERS[role]))
            assert answer.status_code == 303, answer.text
        return client

    return make
