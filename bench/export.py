"""Export benchmark: the consolidated report (figures, charts, .docx, .xlsx) for a province
of 120 agencies and 20,000 activities, then for ten times that, on SQLite.

Run: python bench/export.py [--agencies 120] [--activities 20000] [--scale 10]
Last line: export: agencies=… activities=… seconds=… scale10_ratio=…
(the ratio is the time at ×10 divided by the time at ×1: 10 or less means linear or better)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.engine import Engine as Database
from sqlmodel import select

from bench.dataset import noon, populate, programme_with
from models.db.engine import make_engine, session_scope
from models.office.board import choose_period
from models.office.export.bundle import ExportBundle, build_bundle
from models.programme.tables import ProgrammeRecord

TODAY = date(2027, 6, 25)
NOW = noon(TODAY)
PERIOD = "2027-H1"


def export_once(db: Database, agencies: int) -> tuple[float, ExportBundle]:
    """Seconds to build the report of PERIOD, and the report."""
    programme = programme_with(agencies)
    started = perf_counter()
    with session_scope(db) as session:
        pid = session.exec(select(ProgrammeRecord.id)).one()
        period = choose_period(session, programme, pid, PERIOD, NOW)  # type: ignore[arg-type]
        bundle = build_bundle(session, programme, pid, period, NOW)  # type: ignore[arg-type]
    return perf_counter() - started, bundle


def time_export(agencies: int, activities: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/export.sqlite3"
        populate(url, agencies, activities, NOW, PERIOD)
        db = make_engine(url)
        elapsed, bundle = export_once(db, agencies)
        db.dispose()
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
