"""Export benchmark: the consolidated report (figures, charts, .docx, .xlsx) for a province
of 120 agencies and 20,000 activities, then for ten times that, on SQLite.

Run: python bench/export.py [--agencies 120] [--activities 20000] [--scale 10]
Last line: export: agencies=… activities=… seconds=… scale10_ratio=…
(the ratio is the time at ×10 divided by the time at ×1: 10 or less means linear or better)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import select  # noqa: E402

from models.activities import Activity, ActivityStatus  # noqa: E402
from models.catalogue import ActivityType, Agency, ProgrammeRecord  # noqa: E402
from models.db import make_engine, session_scope  # noqa: E402
from models.export.bundle import build_bundle  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.office import choose_period  # noqa: E402
from models.programme_loader import load_into  # noqa: E402
from models.programme_schema import Programme, load_programme  # noqa: E402
from models.reporting import ReportItem, Submission, SubmissionStatus  # noqa: E402
from models.submissions import narrative_code  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "programmes" / "lao-cai-31-2015.toml"
TODAY = date(2027, 6, 25)
NOW = datetime.combine(TODAY, time(12), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def programme_with(agencies: int) -> Programme:
    """The Lào Cai programme with `agencies` agencies instead of its 41."""
    base = load_programme(BASE).model_dump(mode="json")
    kinds = [kind["code"] for kind in base["agency_kinds"]]
    base["agencies"] = [
        {"code": f"CQ{n:04d}", "name": f"Cơ quan thử nghiệm số {n}", "kind": kinds[n % len(kinds)]} for n in range(1, agencies + 1)
    ]
    return Programme.model_validate(base)


def populate(url: str, agencies: int, activities: int) -> None:
    db = make_engine(url)
    upgrade(db)
    programme = programme_with(agencies)
    now = NOW
    rng = random.Random(7)
    with session_scope(db) as session:
        load_into(session, programme, now)
        pid = session.exec(select(ProgrammeRecord.id)).one()
        agency_ids = list(session.exec(select(Agency.id).where(Agency.is_coordinator == False)))  # noqa: E712
        type_ids = list(session.exec(select(ActivityType.id)))
        rows = []
        for number in range(activities):
            day = TODAY - timedelta(days=rng.randint(0, 540))
            rows.append(
                {
                    "programme_id": pid,
                    "lead_agency_id": rng.choice(agency_ids),
                    "type_id": rng.choice(type_ids),
                    "title": f"Hoạt động phối hợp số {number}",
                    "planned_date": day,
                    "actual_date": day,
                    "place": "Lào Cai",
                    "participants": rng.randint(10, 200),
                    "status": ActivityStatus.DONE.value,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        session.execute(insert(Activity), rows)
        period = choose_period(session, programme, pid, "2027-H1", now)  # type: ignore[arg-type]
        submissions = [
            {
                "period_id": period.row.id,
                "agency_id": agency_id,
                "status": SubmissionStatus.SUBMITTED.value,
                "late": False,
                "submitted_at": now,
                "updated_at": now,
            }
            for agency_id in agency_ids
        ]
        session.execute(insert(Submission), submissions)
        ids = session.exec(select(Submission.id).where(Submission.period_id == period.row.id)).all()
        items = [
            {"submission_id": sid, "code": i.code, "value": float(rng.randint(0, 40)), "text": None}
            for sid in ids
            for i in programme.indicators
        ]
        items += [{"submission_id": sid, "code": narrative_code("kho-khan"), "value": None, "text": "Kinh phí còn hạn chế."} for sid in ids]
        session.execute(insert(ReportItem), items)


def time_export(agencies: int, activities: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/export.sqlite3"
        populate(url, agencies, activities)
        db = make_engine(url)
        programme = programme_with(agencies)
        now = NOW
        started = perf_counter()
        with session_scope(db) as session:
            pid = session.exec(select(ProgrammeRecord.id)).one()
            period = choose_period(session, programme, pid, "2027-H1", now)  # type: ignore[arg-type]
            bundle = build_bundle(session, programme, pid, period, now)  # type: ignore[arg-type]
        elapsed = perf_counter() - started
        print(
            f"  {agencies} agencies, {activities} activities: {elapsed:.2f} s "
            f"(docx {len(bundle.docx) // 1024} KiB, xlsx {len(bundle.xlsx) // 1024} KiB, {len(bundle.data.activities)} activities in the window)"
        )
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=120)
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    base = time_export(args.agencies, args.activities)
    scaled = time_export(args.agencies * args.scale, args.activities * args.scale)
    print(f"export: agencies={args.agencies} activities={args.activities} seconds={base:.2f} scale{args.scale}_ratio={scaled / base:.2f}")


if __name__ == "__main__":
    main()
