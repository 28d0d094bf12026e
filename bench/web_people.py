"""Web benchmark of the people page: server time of the roster's first page, a page deep
in it and one agency kind's first page, at 1,500 agencies (each with its focal points and
groups, bench/dataset.py), median and p95 over 200 requests each.

Served by uvicorn on 127.0.0.1 in a thread over SQLite; an httpx client signed in by a /web
link asks for the pages one after the other and times each request (as bench/web.py).

Run: python bench/web_people.py [--requests 200]
Last line: web_people: people_1500_p95_ms=… people_1500_deep_p95_ms=… people_1500_kind_p95_ms=…
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path
from statistics import median

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import models.programme.served  # noqa: E402
from bench.dataset import populate  # noqa: E402
from bench.export import NOW, PERIOD  # noqa: E402
from bench.web import ACTIVITIES, LINK, p95, timed  # noqa: E402
from bot.web.app import WebConfig, build_app  # noqa: E402
from bot.web.server import serving_in_thread  # noqa: E402
from handlers.engine import ConversationEngine  # noqa: E402
from models.db.engine import make_engine  # noqa: E402
from models.samples.sample_file import SAMPLE_CHANNEL  # noqa: E402
from tests.conftest import Chat  # noqa: E402
from tests.support.harness import free_port  # noqa: E402

AGENCIES = 1_500
PAGES = {"people_1500": "/people", "people_1500_deep": "/people?page=50", "people_1500_kind": "/people?kind=huyen"}


def measure(folder: Path, requests: int) -> dict[str, list[float]]:
    url = f"sqlite:///{folder}/people-{AGENCIES}.sqlite3"
    populate(url, AGENCIES, ACTIVITIES, NOW, PERIOD)
    db = make_engine(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    engine = ConversationEngine(db, lambda: NOW, web_url=base)
    found = LINK.search(Chat(engine, "lhh-admin", channel=SAMPLE_CHANNEL).send("/web")[0].text)
    assert found, "no sign-in link"
    with serving_in_thread(build_app(engine, WebConfig(base, "b" * 40)), "127.0.0.1", port), httpx.Client(base_url=base) as client:
        client.get(f"/signin/{found.group(1)}", follow_redirects=False)
        times = {name: timed(client, path, requests) for name, path in PAGES.items()}
    db.dispose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    models.programme.served.PROGRAMME_RECHECK = math.inf
    with tempfile.TemporaryDirectory() as folder:
        times = measure(Path(folder), args.requests)
    for name, values in times.items():
        print(f"{PAGES[name]} at {AGENCIES:,} agencies: median {median(values):.1f} ms, p95 {p95(values):.1f} ms over {len(values)} requests")
    print("web_people: " + " ".join(f"{name}_p95_ms={p95(values):.0f}" for name, values in times.items()))


if __name__ == "__main__":
    main()
