"""The scheduler follows a cycle's own reminder steps, and an event's own notice days."""

from __future__ import annotations

from sqlmodel import select

from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.programme.loader import document_of, load_into
from models.programme.schema import Programme
from scheduler.jobs import run_jobs
from tests.conftest import local


def keys_written(db, programme: Programme, programme_id: int, clock, *jobs: str) -> set[str]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        load_into(session, programme, clock())
        run_jobs(session, programme, programme_id, clock(), jobs)
        return {row.key for row in session.exec(select(OutboxMessage))}


def test_the_scheduler_reminds_on_the_cycle_own_days(db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 10, 9)
    document = document_of(lao_cai)
    next(cycle for cycle in document["cycles"] if cycle["code"] == "dv-nam")["reminders"] = {"before_days": [10, 0]}
    assert not any(":before-10:" in key for key in keys_written(db, lao_cai, loaded, clock, "periods", "reminders"))
    own = keys_written(db, Programme.model_validate(document), loaded, clock, "periods", "reminders")
    assert any(key.startswith("remind:") and ":before-10:" in key for key in own)


def test_an_event_is_announced_on_its_own_days(db, loaded, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]
    # hn-tong-ket: during December; 21 days before the 1st is 10/11/2026.
    clock.moment = local(2026, 11, 10, 9)
    document = document_of(lao_cai)
    next(event for event in document["events"] if event["code"] == "hn-tong-ket")["before_days"] = [21, 0]
    assert not any("hn-tong-ket" in key for key in keys_written(db, lao_cai, loaded, clock, "events"))
    assert any("event:hn-tong-ket:2026-12-01:before-21" in key for key in keys_written(db, Programme.model_validate(document), loaded, clock, "events"))
