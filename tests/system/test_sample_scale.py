"""People at a province's scale for the benchmarks: seats filled in turn up to a count, each
person with an account on the channel asked for."""

from __future__ import annotations

from sqlmodel import func, select

from models.db.engine import session_scope
from models.people.tables import ChannelIdentity, Person, ProcessingLog, Role
from models.programme.tables import Agency
from models.samples.generator import people_at_scale

SEATS = {Role.LEADER: 2, Role.SPECIALIST: 2}


def test_seats_are_filled_in_turn_until_the_count_and_no_further(db, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        seated = set(session.exec(select(Person.agency_id)))
        empty = [a for a in session.exec(select(Agency).where(Agency.programme_id == loaded).order_by(Agency.id)) if a.id not in seated][:2]
        before = session.exec(select(func.count()).select_from(Person)).one()
        assert people_at_scale(session, loaded, empty, SEATS, before + 6, clock(), "telegram", 900_000) == 6
        assert people_at_scale(session, loaded, empty, SEATS, before + 6, clock(), "telegram", 900_000) == 0
        rows = session.exec(
            select(Person, ChannelIdentity).join(ChannelIdentity).where(ChannelIdentity.channel == "telegram").order_by(Person.id)
        ).all()
        logged = session.exec(select(func.count()).select_from(ProcessingLog).where(ProcessingLog.action == "sample_data")).one()

    assert [(p.agency_id, p.role) for p, _ in rows] == [
        (empty[0].id, Role.LEADER),
        (empty[0].id, Role.SPECIALIST),
        (empty[0].id, Role.LEADER),
        (empty[0].id, Role.SPECIALIST),
        (empty[1].id, Role.LEADER),
        (empty[1].id, Role.SPECIALIST),
    ]
    assert [(i.user_ref, i.chat_ref) for _, i in rows] == [(str(n), str(n)) for n in range(900_000, 900_006)]
    assert all(p.active and p.consent_at and len(p.full_name.split()) == 3 for p, _ in rows)
    assert logged >= 6
