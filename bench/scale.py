"""Scale benchmark: /status (through the engine, with its two charts) and the consolidated
export, on a province of 120 agencies and 20,000 activities, then on ten times that.

Each is timed a few times on each database and the best time kept (the machine's noise
only ever adds); the ratios compare CPU seconds of this process, which other work on the
machine does not inflate (wall seconds are printed too). The data: bench/dataset.py (focal
points, groups, activities with partners and files, the period's submissions in every
state), on SQLite.

Run: python bench/scale.py [--agencies 120] [--activities 20000] [--scale 10] [--repeat 3]
Last line: scale: status_ratio=… export_ratio=… (time at ×scale / time at ×1; at most the
scale means time grows at most linearly)
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter, process_time

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import models.programme.served
from bench.dataset import populate
from bench.export import NOW, PERIOD, export_once
from handlers.engine import ConversationEngine
from models.db.engine import make_engine
from models.samples.sample_file import SAMPLE_CHANNEL
from tests.conftest import Chat


@dataclass(frozen=True)
class Timing:
    cpu: float
    wall: float

    def __str__(self) -> str:
        return f"{self.cpu:.3f} s CPU ({self.wall:.3f} s wall)"


def best(repeat: int, run: Callable[[], object]) -> Timing:
    """The least CPU and the least wall time of `repeat` runs."""
    timings = []
    for _ in range(repeat):
        cpu, wall = process_time(), perf_counter()
        run()
        timings.append(Timing(process_time() - cpu, perf_counter() - wall))
    return Timing(min(t.cpu for t in timings), min(t.wall for t in timings))


def measure(agencies: int, activities: int, repeat: int) -> tuple[Timing, Timing]:
    """The best times of /status and of the export, on a new database of that size."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/scale.sqlite3"
        started = perf_counter()
        populate(url, agencies, activities, NOW, PERIOD)
        filled = perf_counter() - started
        db = make_engine(url)
        office = Chat(ConversationEngine(db, lambda: NOW, "lao-cai-31-2015"), "lhh-admin", SAMPLE_CHANNEL)
        office.send("/help")

        def status() -> None:
            replies = office.send(f"/status {PERIOD}")
            assert len(replies) == 3 and all(r.document for r in replies[1:]), office.text

        status_time = best(repeat, status)
        export_time = best(repeat, lambda: export_once(db, agencies))
        db.dispose()
    print(f"  {agencies} agencies, {activities} activities (filled in {filled:.0f} s): /status {status_time}, export {export_time}")
    return status_time, export_time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=120)
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    models.programme.served.PROGRAMME_RECHECK = math.inf
    status, export = measure(args.agencies, args.activities, args.repeat)
    status_scaled, export_scaled = measure(args.agencies * args.scale, args.activities * args.scale, args.repeat)
    print(f"scale: status_ratio={status_scaled.cpu / status.cpu:.2f} export_ratio={export_scaled.cpu / export.cpu:.2f}")


if __name__ == "__main__":
    main()
