"""Synthetic provinces for the benchmarks (and the statement-budget test): the Lào Cai
programme with more agencies, the sample people, a leader and a specialist for every
agency, groups, years of activities with partners and files, and the submissions of one
period in every state. Rows are written in bulk, and the same seed draws the same data.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import Session, func, select

from models.activities.tables import Activity, ActivityPartner, ActivityStatus, Attachment
from models.db.engine import make_engine, session_scope
from models.db.migrate import upgrade
from models.office.board import choose_period
from models.outbox.tables import GroupChat
from models.people.tables import ChannelIdentity, Person, Role
from models.programme.loader import load_into
from models.programme.schema import Programme, load_programme
from models.programme.tables import ActivityType, Agency, ProgrammeRecord
from models.reporting.period_book import LivePeriod
from models.reporting.submissions import narrative_code
from models.reporting.tables import ReportItem, Submission, SubmissionStatus
from models.samples.sample_file import SAMPLE_CHANNEL, load_sample, read_sample

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "programmes" / "lao-cai-31-2015.toml"
SAMPLE = ROOT / "samples" / "lao-cai-31-2015.toml"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = 7
STATES = ["submitted"] * 10 + ["accepted"] * 3 + ["late"] * 2 + ["returned", "draft", "none"]


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=ZONE)


def programme_with(agencies: int) -> Programme:
    """The Lào Cai programme with `agencies` agencies: its own 40 (so the sample people
    keep theirs), then numbered ones of every kind."""
    base = load_programme(BASE).model_dump(mode="json")
    kinds = [kind["code"] for kind in base["agency_kinds"]]
    own = base["agencies"]
    extra = [
        {"code": f"CQ{n:04d}", "name": f"Cơ quan thử nghiệm số {n}", "kind": kinds[n % len(kinds)]}
        for n in range(len(own) + 1, agencies + 1)
    ]
    base["agencies"] = own + extra
    return Programme.model_validate(base)


def member_ids(session: Session, programme_id: int) -> list[int]:
    query = select(Agency.id).where(Agency.programme_id == programme_id, Agency.is_coordinator == False)
    return list(session.exec(query.order_by(Agency.id)))  # type: ignore[arg-type]


def add_focal_points(session: Session, programme_id: int, now: datetime) -> int:
    """A leader and a specialist, each with a console account, for every agency lacking them."""
    seated = {
        (agency_id, role)
        for agency_id, role in session.exec(select(Person.agency_id, Person.role).where(Person.programme_id == programme_id))
    }
    codes = {agency_id: code for agency_id, code in session.exec(select(Agency.id, Agency.code).where(Agency.programme_id == programme_id))}
    wanted = [(a, role) for a in member_ids(session, programme_id) for role in (Role.LEADER, Role.SPECIALIST) if (a, role) not in seated]
    if not wanted:
        return 0
    people = [
        {
            "programme_id": programme_id,
            "agency_id": agency_id,
            "role": role.value,
            "full_name": f"Đầu mối {codes[agency_id]} ({role.value})",
            "language": "vi",
            "consent_at": now,
            "consent_version": "bench",
            "active": True,
            "created_at": now,
        }
        for agency_id, role in wanted
    ]
    before = session.exec(select(func.max(Person.id))).one() or 0
    session.execute(insert(Person), people)
    added = session.exec(select(Person.id, Person.agency_id, Person.role).where(Person.id > before)).all()
    accounts = [
        {
            "person_id": person_id,
            "channel": SAMPLE_CHANNEL,
            "user_ref": f"{codes[agency_id].lower()}-{role}-{person_id}",
            "chat_ref": f"{codes[agency_id].lower()}-{role}-{person_id}",
            "active": True,
            "created_at": now,
            "last_seen_at": now - timedelta(days=30),
        }
        for person_id, agency_id, role in added
    ]
    session.execute(insert(ChannelIdentity), accounts)
    return len(people)


def add_groups(session: Session, programme_id: int, now: datetime, channel: str = "telegram") -> int:
    """A bound group for every third agency, and one for all focal points (those missing)."""
    ids = member_ids(session, programme_id)
    rows = [{"agency_id": agency_id, "chat_ref": f"-100{agency_id:06d}"} for agency_id in ids[::3]] + [
        {"agency_id": None, "chat_ref": "-1000"}
    ]
    held = set(session.exec(select(GroupChat.chat_ref).where(GroupChat.channel == channel)))
    groups = [
        {"programme_id": programme_id, "channel": channel, "title": f"Nhóm {row['chat_ref']}", "bound_at": now, "active": True, **row}
        for row in rows
        if row["chat_ref"] not in held
    ]
    session.execute(insert(GroupChat), groups)
    return len(groups)


def add_activities(session: Session, programme_id: int, count: int, today: date, now: datetime, rng: random.Random) -> int:
    """`count` activities over the past 18 months and the coming month, led by any agency;
    about a third with one or two partners, one in twenty with a file."""
    agency_ids = member_ids(session, programme_id)
    type_ids = list(session.exec(select(ActivityType.id).where(ActivityType.programme_id == programme_id)))
    before = session.exec(select(func.max(Activity.id))).one() or 0
    rows, partners, files = [], [], []
    for number in range(before + 1, before + count + 1):
        day = today - timedelta(days=rng.randint(-30, 540))
        done = day <= today
        lead = rng.choice(agency_ids)
        title = f"Hoạt động phối hợp số {number}"
        rows.append(
            {
                "programme_id": programme_id,
                "lead_agency_id": lead,
                "type_id": rng.choice(type_ids),
                "title": title,
                "planned_date": day,
                "actual_date": day if done else None,
                "place": "Lào Cai",
                "participants": rng.randint(10, 200),
                "status": (ActivityStatus.DONE if done else ActivityStatus.PLANNED).value,
                "created_at": now,
                "updated_at": now,
            }
        )
        if rng.random() < 0.33:
            partners += [(title, agency_id) for agency_id in {rng.choice(agency_ids) for _ in range(rng.randint(1, 2))} - {lead}]
        if rng.random() < 0.05:
            files.append(title)
    session.execute(insert(Activity), rows)
    ids = {title: activity_id for activity_id, title in session.exec(select(Activity.id, Activity.title).where(Activity.id > before))}
    if partners:
        session.execute(insert(ActivityPartner), [{"activity_id": ids[title], "agency_id": agency_id} for title, agency_id in partners])
    if files:
        session.execute(
            insert(Attachment),
            [
                {
                    "programme_id": programme_id,
                    "channel": "telegram",
                    "file_ref": f"file-{ids[title]}",
                    "name": "bien-ban.pdf",
                    "activity_id": ids[title],
                    "created_at": now,
                }
                for title in files
            ],
        )
    return count


def add_submissions(session: Session, programme: Programme, period: LivePeriod, now: datetime, rng: random.Random) -> int:
    """A submission in a drawn state (most submitted, some accepted, late, returned, a few
    drafts, some silent) for each reporting agency without one, with every figure and
    narrative."""
    codes = programme.agencies_for(period.cycle.reporters)
    held = select(Submission.agency_id).where(Submission.period_id == period.row.id)
    query = select(Agency.id).where(
        Agency.programme_id == period.row.programme_id,
        Agency.code.in_(codes),  # type: ignore[attr-defined]
        Agency.is_coordinator == False,
        Agency.id.not_in(held),  # type: ignore[union-attr]
    )
    rows = []
    for agency_id in session.exec(query):
        state = rng.choice(STATES)
        if state == "none":
            continue
        arrived = state not in ("draft",)
        status = SubmissionStatus.SUBMITTED if state == "late" else SubmissionStatus(state)
        rows.append(
            {
                "period_id": period.row.id,
                "agency_id": agency_id,
                "status": status.value,
                "late": state == "late",
                "submitted_at": now if arrived else None,
                "updated_at": now,
            }
        )
    if not rows:
        return 0
    before = session.exec(select(func.max(Submission.id))).one() or 0
    session.execute(insert(Submission), rows)
    ids = session.exec(select(Submission.id).where(Submission.period_id == period.row.id, Submission.id > before)).all()
    items = [
        {"submission_id": sid, "code": i.code, "value": float(rng.randint(0, 40)), "text": None}
        for sid in ids
        for i in programme.indicators
    ]
    items += [
        {"submission_id": sid, "code": narrative_code(area.code), "value": None, "text": "Kinh phí còn hạn chế."}
        for sid in ids
        for area in programme.content_areas
    ]
    session.execute(insert(ReportItem), items)
    return len(rows)


def grow(session: Session, programme: Programme, programme_id: int, activities: int, now: datetime, period_code: str = "") -> LivePeriod:
    """Focal points, groups, `activities` activities and the submissions of the period
    `period_code` (default: the one the office would look at); that period."""
    rng = random.Random(SEED)
    add_focal_points(session, programme_id, now)
    add_groups(session, programme_id, now)
    add_activities(session, programme_id, activities, now.date(), now, rng)
    period = choose_period(session, programme, programme_id, period_code, now)
    add_submissions(session, programme, period, now, rng)
    return period


def populate(url: str, agencies: int, activities: int, now: datetime, period_code: str = "") -> None:
    """A new database at `url`: the programme with `agencies` agencies, the sample, and `grow`."""
    db = make_engine(url)
    upgrade(db)
    programme = programme_with(agencies)
    with session_scope(db) as session:
        load_into(session, programme, now)
        programme_id = session.exec(select(ProgrammeRecord.id)).one()
        load_sample(session, programme_id, read_sample(SAMPLE), now)
        grow(session, programme, programme_id, activities, now, period_code)
    db.dispose()
