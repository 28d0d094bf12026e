"""Web benchmark: server time of the office's board at 120 and at 1,500 agencies, and of a
report's page (the one-page report form is not on this branch: the report page an admin
reviews, with every item and narrative), each median and p95 over 200 requests.

The web app is served by uvicorn on 127.0.0.1 (in a thread, as the demo does) over a SQLite
database filled by bench/dataset.py (focal points, groups, 2,000 activities, the period's
submissions in every state); a real HTTP client (httpx) signed in by a /web link asks
for the pages one after the other. The time is measured by the client, around each request.

Run: python bench/web.py [--requests 200]
Last line: web: board_120_p95_ms=… board_1500_p95_ms=… report_p95_ms=… (targets: board
p95 ≤ 150 ms at 120 agencies, ≤ 1,000 ms at 1,500)
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
from pathlib import Path
from statistics import median
from time import perf_counter

import httpx
from sqlmodel import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import models.programme.served  # noqa: E402
from bench.dataset import populate  # noqa: E402
from bench.export import NOW, PERIOD  # noqa: E402
from bot.web.app import WebConfig, build_app  # noqa: E402
from bot.web.server import serving_in_thread  # noqa: E402
from handlers.engine import ConversationEngine  # noqa: E402
from models.db.engine import make_engine, session_scope  # noqa: E402
from models.reporting.tables import Submission, SubmissionStatus  # noqa: E402
from models.samples.sample_file import SAMPLE_CHANNEL  # noqa: E402
from tests.conftest import Chat  # noqa: E402
from tests.support.harness import free_port  # noqa: E402

ACTIVITIES = 2_000
LINK = re.compile(r"/signin/(\S+)")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(client: httpx.Client, path: str, requests: int) -> list[float]:
    client.get(path).raise_for_status()
    times = []
    for _ in range(requests):
        start = perf_counter()
        answer = client.get(path)
        times.append((perf_counter() - start) * 1000)
        answer.raise_for_status()
    return times


def measure(folder: Path, agencies: int, requests: int, report: bool) -> dict[str, list[float]]:
    url = f"sqlite:///{folder}/web-{agencies}.sqlite3"
    populate(url, agencies, ACTIVITIES, NOW, PERIOD)
    db = make_engine(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    engine = ConversationEngine(db, lambda: NOW, web_url=base)
    with session_scope(db) as session:
        submitted = session.exec(select(Submission.id).where(Submission.status == SubmissionStatus.SUBMITTED)).first()
    found = LINK.search(Chat(engine, "lhh-admin", channel=SAMPLE_CHANNEL).send("/web")[0].text)
    assert found, "no sign-in link"
    times: dict[str, list[float]] = {}
    with serving_in_thread(build_app(engine, WebConfig(base, "b" * 40)), "127.0.0.1", port), httpx.Client(base_url=base) as client:
        client.get(f"/signin/{found.group(1)}", follow_redirects=False)
        times["board"] = timed(client, f"/?period={PERIOD}", requests)
        if report:
            times["report"] = timed(client, f"/reports/{submitted}", requests)
    db.dispose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    models.programme.served.PROGRAMME_RECHECK = math.inf
    with tempfile.TemporaryDirectory() as folder:
        small = measure(Path(folder), 120, args.requests, report=True)
        large = measure(Path(folder), 1_500, args.requests, report=False)
    for name, values in (("board, 120 agencies", small["board"]), ("board, 1,500 agencies", large["board"]), ("report page", small["report"])):
        print(f"{name}: median {median(values):.1f} ms, p95 {p95(values):.1f} ms over {len(values)} requests")
    print(f"web: board_120_p95_ms={p95(small['board']):.0f} board_1500_p95_ms={p95(large['board']):.0f} report_p95_ms={p95(small['report']):.0f}")


if __name__ == "__main__":
    main()
