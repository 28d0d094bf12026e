"""An agency merged into another (a fictitious merge of SYT into SNV, on the sample data) or
renamed: loading the edited programme moves its people, activities and submissions, keeps
its focal points' seats while the new agency has them (or ends them all for "reinvite"),
ends its reminders and unused invites, deletes nothing, and a second load changes nothing;
an agency dropped without a change is named, made inactive and kept."""

from __future__ import annotations

from copy import deepcopy

import pytest
from sqlmodel import func, select

from locales.catalogue import t
from models.activities.tables import Activity
from models.db.engine import session_scope
from models.errors import RuleError
from models.people.invites import find_usable, issue
from models.people.tables import Person, Role
from models.programme.loader import document_of, load_into
from models.programme.schema import Programme, check_data
from models.programme.tables import Agency
from models.reporting.tables import Submission
from tests.unit.test_programme_files import raw


def merged(lao_cai: Programme, into: str = "SNV") -> Programme:
    document = document_of(lao_cai)
    document["agencies"] = [agency for agency in document["agencies"] if agency["code"] != "SYT"]
    document["agency_changes"] = [{"old": "SYT", "new": into, "on": "2025-07-01", "basis": "thử nghiệm"}]
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


def people_of(session, code: str) -> list[tuple[str, bool]]:  # type: ignore[no-untyped-def]
    agency = session.exec(select(Agency).where(Agency.code == code)).one()
    return sorted((person.role.value, person.active) for person in session.exec(select(Person).where(Person.agency_id == agency.id)))


def renamed(lao_cai: Programme, focal_points: str) -> Programme:
    """SYT renamed SYT-MOI (a new code): the new agency has no focal points yet."""
    document = document_of(lao_cai)
    for agency in document["agencies"]:
        if agency["code"] == "SYT":
            agency["code"] = "SYT-MOI"
    document["agency_changes"] = [{"old": "SYT", "new": "SYT-MOI", "on": "2025-07-01", "focal_points": focal_points}]
    return Programme.model_validate(document)


def test_focal_points_keep_their_seats_while_the_new_agency_has_them(db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        before = people_of(session, "SYT")
        assert ("leader", True) in before and ("specialist", True) in before
        report = load_into(session, renamed(lao_cai, "move"), clock())
        assert report.ended == 0 and report.dropped == []
        assert people_of(session, "SYT-MOI") == before and people_of(session, "SYT") == []


def test_reinvite_ends_every_focal_point_and_keeps_them(db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        before = people_of(session, "SYT")
        report = load_into(session, renamed(lao_cai, "reinvite"), clock())
        assert report.ended == sum(active for _role, active in before)
        assert people_of(session, "SYT-MOI") == [(role, False) for role, _active in before]


def test_merged_into_an_agency_whose_seats_are_taken_ends_the_newcomers(db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        before_new = people_of(session, "SNNPTNT")
        assert ("leader", True) in before_new and ("specialist", True) in before_new
        syt = session.exec(select(Agency).where(Agency.code == "SYT")).one()
        pending = issue(session, syt, Role.SPECIALIST, clock(), 7).invite
        report = load_into(session, merged(lao_cai, "SNNPTNT"), clock())
        after = people_of(session, "SNNPTNT")
        assert report.ended == 2
        assert [entry for entry in after if entry[1]] == [entry for entry in before_new if entry[1]], "its own focal points stay"
        assert after.count(("leader", False)) >= 1 and after.count(("specialist", False)) >= 1
        assert pending.expires_at <= clock(), "the old agency's unused invite ends"
        with pytest.raises(RuleError):
            find_usable(session, syt.programme_id, pending.code, clock())


def test_an_agency_dropped_without_a_change_is_named_not_deleted(db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    document = document_of(lao_cai)
    document["agencies"] = [agency for agency in document["agencies"] if agency["code"] != "HLV"]
    with session_scope(db) as session:
        before = held(session, "HLV")
        report = load_into(session, Programme.model_validate(document), clock())
        assert report.dropped == ["HLV"]
        assert held(session, "HLV") == before
        assert session.exec(select(Agency).where(Agency.code == "HLV")).one().active is False
    assert "HLV" in t("cli.load_dropped", "vi", codes="HLV") and "không xóa gì" in t("cli.load_dropped", "vi", codes="HLV")
