"""An agency merged into another (a fictitious merge of SYT into SNV, on the sample data):
loading the edited programme moves its people, activities and submissions, ends its
reminders, deletes nothing, and a second load changes nothing."""

from __future__ import annotations

from copy import deepcopy

from sqlmodel import func, select

from locales.catalogue import t
from models.activities.tables import Activity
from models.db.engine import session_scope
from models.people.tables import Person
from models.programme.loader import document_of, load_into
from models.programme.schema import Programme, check_data
from models.programme.tables import Agency
from models.reporting.tables import Submission
from tests.unit.test_programme_files import raw


def merged(lao_cai: Programme) -> Programme:
    document = document_of(lao_cai)
    document["agencies"] = [agency for agency in document["agencies"] if agency["code"] != "SYT"]
    document["agency_changes"] = [{"old": "SYT", "new": "SNV", "on": "2025-07-01", "basis": "thử nghiệm"}]
    return Programme.model_validate(document)


def held(session, code: str) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    agency = session.exec(select(Agency).where(Agency.code == code)).one()
    return (
        session.exec(select(func.count()).select_from(Person).where(Person.agency_id == agency.id)).one(),
        session.exec(select(func.count()).select_from(Activity).where(Activity.lead_agency_id == agency.id)).one(),
        session.exec(select(func.count()).select_from(Submission).where(Submission.agency_id == agency.id)).one(),
    )


def test_a_merged_agency_moves_to_the_one_it_became(db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        before_old, before_new = held(session, "SYT"), held(session, "SNV")
        assert before_old[0] > 0 and before_old[1] > 0
        report = load_into(session, merged(lao_cai), clock())
        assert report.moved >= before_old[0] + before_old[1]
        assert held(session, "SYT")[:2] == (0, 0)
        after = held(session, "SNV")
        assert after[:2] == (before_old[0] + before_new[0], before_old[1] + before_new[1])
        assert after[2] + held(session, "SYT")[2] == before_old[2] + before_new[2]
        syt = session.exec(select(Agency).where(Agency.code == "SYT")).one()
        assert syt.active is False
    with session_scope(db) as session:
        again = load_into(session, merged(lao_cai), clock())
        assert again.moved == 0 and not again.changed


def test_a_change_must_name_an_agency_of_the_file() -> None:
    data = deepcopy(raw())
    data["agency_changes"] = [{"old": "SNV", "new": "SKHCNX", "on": "2025-07-01"}]
    found = {problem.path: problem for problem in check_data(data).problems}
    assert t(found["agency_changes[0].old"].key, "vi", **found["agency_changes[0].old"].params).startswith("cơ quan «SNV» đã hợp nhất")
    assert "«SKHCNX» (cơ quan mà «SNV» trở thành)" in t(found["agency_changes[0].new"].key, "vi", **found["agency_changes[0].new"].params)
