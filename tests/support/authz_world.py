"""Two agencies side by side for the authorisation tests, and table snapshots to prove
that an action changed nothing it should not have.

Agency A is the Sở Y tế (SYT: syt-specialist, syt-leader), agency B the Sở Nông nghiệp
(SNNPTNT: snnptnt-specialist, snnptnt-leader). Everything private to B carries the marker
`MARK_B`, so a reply that leaks any of it is caught by a plain substring test; A's own
rows carry `MARK_A`, so the same lists are seen to work for A.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine as Database
from sqlmodel import SQLModel, select

import models.db.all_tables  # noqa: F401  (every table in the metadata)
from models.activities.files import StoredFile, attach
from models.activities.register import Draft, register
from models.db.engine import session_scope
from models.outbox.groups import bind_group
from models.people.tables import ChannelIdentity, Person
from models.programme.schema import Programme
from models.programme.tables import ActivityType, Agency
from models.reporting.period_book import ensure_periods
from models.reporting.submissions import narrative_code, save_item, set_links, submission_for, submit
from models.reporting.tables import AssignedTask, Period, TaskAssignment

MARK_A = "A-4410"
MARK_B = "B-7731"
A, B = "SYT", "SNNPTNT"
GROUP_A, GROUP_B, GROUP_FREE = "group-syt", "group-snnptnt", "group-unbound"

BOOKKEEPING_TABLES = {
    "processed_update": "which updates were handled (de-duplication)",
    "code_attempt": "wrong invite and link codes, under a hash of the account (the throttle)",
    "conversation": "the speaker's own place in a form, keyed by chat and user",
    "period": "the reporting calendar, derived from the programme file and opened by whoever reads it first",
}
BOOKKEEPING_COLUMNS = {"channel_identity": {"last_seen_at"}}

Snapshot = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


@dataclass(frozen=True)
class Change:
    table: str
    key: tuple[Any, ...]
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _plain(value: Any) -> Any:
    return json.dumps(value, sort_keys=True, default=str) if isinstance(value, dict | list) else value


def snapshot(db: Database) -> Snapshot:
    """Every row of every table but the bookkeeping ones, by primary key."""
    taken: Snapshot = {}
    with db.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in BOOKKEEPING_TABLES:
                continue
            skipped = BOOKKEEPING_COLUMNS.get(table.name, set())
            keys = [column.name for column in table.primary_key.columns]
            rows = {}
            for row in connection.execute(sa_select(table)).mappings():
                values = {name: _plain(value) for name, value in row.items() if name not in skipped}
                rows[tuple(values[name] for name in keys)] = values
            taken[table.name] = rows
    return taken


def changes(before: Snapshot, after: Snapshot) -> list[Change]:
    found = []
    for table, old_rows in before.items():
        new_rows = after[table]
        for key in sorted(old_rows.keys() | new_rows.keys(), key=repr):
            old, new = old_rows.get(key), new_rows.get(key)
            if old != new:
                found.append(Change(table, key, old, new))
    return found


@dataclass(frozen=True)
class World:
    agency: dict[str, int]
    person: dict[str, int]
    a_activity: int
    b_activity: int
    a_task: int
    b_task: int
    b_submitted: int
    b_draft: int


def _people(session: Any) -> dict[str, int]:
    query = select(ChannelIdentity.user_ref, Person.id).join(Person, Person.id == ChannelIdentity.person_id)
    return {user: person_id for user, person_id in session.exec(query)}


def _task(session: Any, programme_id: int, code: str, title: str, agencies: list[int]) -> int:
    task = AssignedTask(
        programme_id=programme_id, code=code, title=title, due_text="tháng 12/2026", due_date=date(2026, 12, 15), source="test"
    )
    session.add(task)
    session.flush()
    session.add_all(TaskAssignment(task_id=task.id, agency_id=agency_id) for agency_id in agencies)  # type: ignore[arg-type]
    return task.id  # type: ignore[return-value]


def _period(session: Any, programme_id: int, cycle: str, day: date) -> Period:
    query = select(Period).where(Period.programme_id == programme_id, Period.cycle_code == cycle)
    return next(p for p in session.exec(query) if p.window_start <= day <= p.window_end)


def build_world(db: Database, programme: Programme, programme_id: int, now: datetime) -> World:
    """On top of the Lào Cai sample: one activity each for A and B (B's with a file), a task
    for A (and the LHH office) and one for B only, B's annual report submitted and its
    six-month report in draft, and groups bound to A, to B, and one not bound."""
    with session_scope(db) as session:
        agencies = {a.code: a for a in session.exec(select(Agency).where(Agency.programme_id == programme_id))}
        people = _people(session)
        kind = session.exec(select(ActivityType).where(ActivityType.programme_id == programme_id)).first()
        assert kind is not None and kind.id is not None
        a_draft = Draft(kind.id, f"Hội thảo chuyên đề y tế cơ sở {MARK_A}", date(2026, 10, 5), "Sở Y tế", (), 30)
        a_activity = register(session, programme_id, agencies[A], a_draft, people["syt-specialist"], now.date(), now)
        b_draft = Draft(
            kind.id, f"Khảo sát nội bộ giống lúa Séng Cù {MARK_B}", date(2026, 10, 6), f"Trại giống {MARK_B}", (agencies["HLV"].id,), 40
        )  # type: ignore[arg-type]
        b_activity = register(session, programme_id, agencies[B], b_draft, people["snnptnt-specialist"], now.date(), now)
        assert a_activity.id is not None and b_activity.id is not None
        b_file = StoredFile(f"file-{MARK_B}", f"unique-{MARK_B}", f"bien-ban-{MARK_B}.pdf", "application/pdf", 1000)
        attach(session, programme_id, people["snnptnt-specialist"], "console", b_file, now, activity_id=b_activity.id)
        a_task = _task(session, programme_id, "NV-A1", f"Tổng hợp số liệu y tế cơ sở {MARK_A}", [agencies[A].id, agencies["LHH"].id])  # type: ignore[list-item]
        b_task = _task(session, programme_id, "NV-B1", f"Rà soát hồ sơ giống cây trồng {MARK_B}", [agencies[B].id])  # type: ignore[list-item]
        ensure_periods(session, programme, programme_id, now)
        area = programme.content_areas[0]
        annual = _period(session, programme_id, "dv-nam", b_activity.planned_date)
        submitted = submission_for(session, annual.id, agencies[B].id, now)  # type: ignore[arg-type]
        save_item(session, submitted, narrative_code(area.code), now, text=f"Tường thuật nội bộ năm của Sở Nông nghiệp {MARK_B}")
        save_item(session, submitted, programme.indicators[0].code, now, value=7731)
        set_links(session, submitted.id, [b_activity.id])  # type: ignore[arg-type]
        submit(session, submitted, annual, people["snnptnt-specialist"], now)
        half = _period(session, programme_id, "dv-6-thang", date(2026, 1, 15))
        draft = submission_for(session, half.id, agencies[B].id, now)  # type: ignore[arg-type]
        save_item(session, draft, narrative_code(area.code), now, text=f"Bản nháp 6 tháng của Sở Nông nghiệp {MARK_B}")
        admin = session.get(Person, people["lhh-admin"])
        assert admin is not None
        for chat_ref, agency in ((GROUP_A, agencies[A]), (GROUP_B, agencies[B])):
            bind_group(session, programme_id, ("console", chat_ref, chat_ref), agency, admin, now)
        return World(
            agency={code: agency.id for code, agency in agencies.items()},  # type: ignore[misc]
            person=people,
            a_activity=a_activity.id,
            b_activity=b_activity.id,
            a_task=a_task,
            b_task=b_task,
            b_submitted=submitted.id,  # type: ignore[arg-type]
            b_draft=draft.id,  # type: ignore[arg-type]
        )


def rows_of(taken: Snapshot, world: World, code: str) -> Snapshot:
    """The rows that belong to one agency: its people, their accounts, codes and log lines;
    its activities with their partners and files (and anyone's file on them); its invites,
    task shares, groups and submissions with their items and links (and anyone's link to
    its activities); what the outbox holds for its people and groups."""
    agency = world.agency[code]

    def ids(table: str, column: str) -> set[Any]:
        return {key[0] for key, row in taken[table].items() if row[column] == agency}

    people, activities = ids("person", "agency_id"), ids("activity", "lead_agency_id")
    submissions, groups = ids("submission", "agency_id"), ids("group_chat", "agency_id")
    belongs = {
        "person": lambda r: r["agency_id"] == agency,
        "channel_identity": lambda r: r["person_id"] in people,
        "link_code": lambda r: r["person_id"] in people,
        "processing_log": lambda r: r["person_id"] in people,
        "invite": lambda r: r["agency_id"] == agency,
        "activity": lambda r: r["lead_agency_id"] == agency,
        "activity_partner": lambda r: r["agency_id"] == agency or r["activity_id"] in activities,
        "attachment": lambda r: r["activity_id"] in activities,
        "task_assignment": lambda r: r["agency_id"] == agency,
        "group_chat": lambda r: r["agency_id"] == agency,
        "submission": lambda r: r["agency_id"] == agency,
        "report_item": lambda r: r["submission_id"] in submissions,
        "submission_activity": lambda r: r["submission_id"] in submissions or r["activity_id"] in activities,
        "outbox": lambda r: r["person_id"] in people or r["group_id"] in groups,
    }
    return {table: {key: row for key, row in taken[table].items() if test(row)} for table, test in belongs.items()}


def described(found: list[Change]) -> list[str]:
    """Changes in a line each, for an assertion's message."""
    lines = []
    for change in found:
        verb = "added" if change.before is None else "removed" if change.after is None else "changed"
        row = change.after or change.before or {}
        shown = {k: v for k, v in row.items() if change.before is None or change.after is None or change.before.get(k) != v}
        lines.append(f"{change.table} {change.key} {verb}: {str(shown)[:160]}")
    return lines
