"""Web benchmark: server time of the office's board at 120 and at 1,500 agencies, of a focal
point's one-page report form, and of the page an admin reviews a report on (every item and
narrative), each median and p95 over 200 requests.

The web app is served by uvicorn on 127.0.0.1 (in a thread, as the demo does) over a
database filled by bench/dataset.py (focal points, groups, 2,000 activities, the period's
submissions in every state); real HTTP clients (httpx) signed in by /web links (the LHH's
admin; the sample SYT specialist for the one-page report of the newest period open to
the agency) ask for the pages one after the other. The time is measured by the client,
around each request. Before the requests the heap is settled as `phoihop run` settles it
once started (`bot/heap.settle`). The server's CPU per request (the process's CPU time less
the client thread's, over the requests) is the steadier figure on a busy machine. On
PostgreSQL the new database is analysed first, as autovacuum does a database in service:
freshly bulk-loaded tables have no statistics, and the board's join then ran as a nested
loop over every submission of the period for each agency (250–400 ms at 1,500 agencies,
0.6 ms once analysed).

Run: python bench/web.py [--requests 200] [--db sqlite|postgresql|both]
Last line (one per database): web: board_120_p95_ms=… board_1500_p95_ms=… report_p95_ms=…
review_p95_ms=…, then the server's CPU milliseconds per request of each and db=… (targets:
board p95 ≤ 150 ms at 120 agencies, ≤ 1,000 ms at 1,500)
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from time import perf_counter, process_time, thread_time

import httpx
from sqlalchemy import text
from sqlmodel import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import models.programme.served  # noqa: E402
from bench.dataset import populate  # noqa: E402
from bench.export import NOW, PERIOD  # noqa: E402
from bench.harness import database, database_choices  # noqa: E402
from bot.heap import settle  # noqa: E402
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
REPORT_FORM = re.compile(r'<a href="(/report/\d+)">')
ADMIN, FOCAL_POINT = "lhh-admin", "syt-specialist"
NAMES = {
    "board_120": "board, 120 agencies",
    "board_1500": "board, 1,500 agencies",
    "report": "one-page report",
    "review": "a report's review page",
}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Timing:
    milliseconds: list[float]
    """Each request's time, as the client saw it."""
    server_cpu_ms: float
    """The server's CPU time per request."""


def timed(client: httpx.Client, path: str, requests: int) -> list[float]:
    """Each request's time after one to warm up, as the client saw it."""
    client.get(path).raise_for_status()
    times = []
    for _ in range(requests):
        start = perf_counter()
        answer = client.get(path)
        times.append((perf_counter() - start) * 1000)
        answer.raise_for_status()
    return times


def timed_with_cpu(client: httpx.Client, path: str, requests: int) -> Timing:
    """`timed`, and the server's CPU per request: the process's CPU time less this (the
    client's) thread's, over the warmed-up requests and `timed`'s own warm-up."""
    client.get(path).raise_for_status()
    cpu, client_cpu = process_time(), thread_time()
    times = timed(client, path, requests)
    server_cpu = (process_time() - cpu) - (thread_time() - client_cpu)
    return Timing(times, server_cpu * 1000 / (requests + 1))


def signed_in(engine: ConversationEngine, base: str, who: str) -> httpx.Client:
    """A client signed in by the link /web sends the sample person `who`."""
    found = LINK.search(Chat(engine, who, channel=SAMPLE_CHANNEL).send("/web")[0].text)
    assert found, f"no sign-in link for {who}"
    client = httpx.Client(base_url=base)
    assert client.get(f"/signin/{found.group(1)}").status_code == 303
    return client


def report_form(client: httpx.Client) -> str:
    """The one-page report of the newest period open to the focal point's agency."""
    listing = client.get("/report")
    if listing.status_code == 303:
        return listing.headers["location"]
    forms = REPORT_FORM.findall(listing.text)
    assert forms, "no period open to report"
    return str(forms[-1])


def measure(url: str, agencies: int, requests: int, pages: bool) -> dict[str, Timing]:
    """The board (and with `pages`, a report's review page and the one-page report form)
    timed over `requests` requests each, on a new database of `agencies` agencies."""
    populate(url, agencies, ACTIVITIES, NOW, PERIOD)
    db = make_engine(url)
    if db.dialect.name == "postgresql":
        with db.begin() as connection:
            connection.execute(text("ANALYZE"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    engine = ConversationEngine(db, lambda: NOW, web_url=base)
    with session_scope(db) as session:
        submitted = session.exec(select(Submission.id).where(Submission.status == SubmissionStatus.SUBMITTED)).first()
    times: dict[str, Timing] = {}
    with serving_in_thread(build_app(engine, WebConfig(base, "b" * 40)), "127.0.0.1", port):
        with closing(signed_in(engine, base, ADMIN)) as office, closing(signed_in(engine, base, FOCAL_POINT)) as focal:
            form = report_form(focal)
            settle()
            times["board"] = timed_with_cpu(office, f"/?period={PERIOD}", requests)
            if pages:
                times["review"] = timed_with_cpu(office, f"/reports/{submitted}", requests)
                times["report"] = timed_with_cpu(focal, form, requests)
    db.dispose()
    return times


def run(kind: str, requests: int) -> str:
    with database(kind) as url:
        small = measure(url, 120, requests, pages=True)
    with database(kind) as url:
        large = measure(url, 1_500, requests, pages=False)
    figures = {"board_120": small["board"], "board_1500": large["board"], "report": small["report"], "review": small["review"]}
    for key, timing in figures.items():
        values = timing.milliseconds
        print(
            f"{kind}, {NAMES[key]}: median {median(values):.1f} ms, p95 {p95(values):.1f} ms over {len(values)} requests, "
            f"server CPU {timing.server_cpu_ms:.1f} ms a request"
        )
    p95s = " ".join(f"{key}_p95_ms={p95(timing.milliseconds):.0f}" for key, timing in figures.items())
    cpus = " ".join(f"{key}_cpu_ms={timing.server_cpu_ms:.1f}" for key, timing in figures.items())
    return f"web: {p95s} {cpus} db={kind}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    args = parser.parse_args()
    models.programme.served.PROGRAMME_RECHECK = math.inf
    lines = [run(kind, args.requests) for kind in database_choices(args.db)]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
