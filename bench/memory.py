"""Memory: the resident size of the real bot (`phoihop run`, in its own process, against a
fake Bot API on 127.0.0.1) serving a province of 15,000 people, after a few hundred updates
that touch the largest views (the admin's /status, /missing, /people, /agencies and /targets; focal
points' /help, /due, /activities and registration forms) and while the scheduler's
catch-up run and the outbox sender do their work.

The data: the Lào Cai programme grown to as many agencies as 15,000 people need at five
leaders and five specialists each (1,499 and the LHH; models/samples/generator.people_at_scale,
every one with a Telegram account), the hand-written sample, and the generated year of
activities and submissions for every agency (models/samples/generator.fill_sample).

Run: python bench/memory.py [--db sqlite|postgresql|both] [--people 15000]
Last line (one per database): memory: people=… rss_mb=… (rss_mb is the peak, VmHWM)
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import func, select

from bench.harness import (
    BENCH_DAY,
    LAO_CAI_SAMPLE,
    PHOIHOP_RUN,
    Driver,
    Script,
    Step,
    WatchedTelegram,
    bot_environment,
    database,
    database_choices,
    lao_cai,
    migrated,
    morning,
    presses,
    proc_status,
    registration,
    says,
    start_process,
    starts,
    stop_process,
)
from models.db.engine import make_engine, session_scope
from models.outbox.tables import OutboxMessage
from models.people.roster import link_identity
from models.people.tables import ChannelIdentity, Person, Role
from models.programme.schema import Programme
from models.programme.tables import Agency
from models.samples.generator import fill_sample, people_at_scale
from models.samples.sample_file import read_sample
from tests.fakes.telegram_api import User

SEATS = {Role.LEADER: 5, Role.SPECIALIST: 5}
FIRST_USER = 3_000_000
ADMIN = User(1001, "Hà", language_code="vi")
LIMIT_MB = 200
SETTLE_SECONDS = 3.0
NEXT = "Trang sau ▶"


def province(agencies: int) -> Programme:
    """The Lào Cai programme with generated agencies up to `agencies` (the LHH aside), and
    room for five leaders and five specialists in each."""
    base = lao_cai().model_dump(mode="json")
    kinds = [kind["code"] for kind in base["agency_kinds"]]
    extra = agencies - len(base["agencies"])
    base["agencies"] += [
        {"code": f"CQ{n:04d}", "name": f"Cơ quan thử nghiệm số {n}", "kind": kinds[n % len(kinds)]} for n in range(1, extra + 1)
    ]
    base["focal_points"] = {"leaders": SEATS[Role.LEADER], "specialists": SEATS[Role.SPECIALIST]}
    return Programme.model_validate(base)


@dataclass(frozen=True)
class Province:
    people: int
    activities: int
    submissions: int
    seconds: float
    talkers: list[tuple[User, str]]


def populate(url: str, people: int, talkers: int, now: datetime) -> Province:
    """The province in the database; `talkers` focal points (user, agency code) and the
    admin (with a Telegram account) who will talk to the bot."""
    started = time.monotonic()
    sample = read_sample(LAO_CAI_SAMPLE)
    programme = province(math.ceil((people - len(sample.people)) / sum(SEATS.values())))
    programme_id = migrated(url, programme, now)
    db = make_engine(url)
    with session_scope(db) as session:
        members = list(
            session.exec(select(Agency).where(Agency.programme_id == programme_id, Agency.is_coordinator == False).order_by(Agency.id))
        )
        people_at_scale(session, programme_id, members, SEATS, people - len(sample.people), now, "telegram", FIRST_USER)
        filled = fill_sample(session, programme, programme_id, sample, now)
        admin = session.exec(select(Person).join(ChannelIdentity).where(ChannelIdentity.user_ref == "lhh-admin")).one()
        link_identity(session, admin, ("telegram", str(ADMIN.id), str(ADMIN.id)), now)
        codes = {agency.id: agency.code for agency in members}
        chosen = random.Random(7).sample(range(FIRST_USER, FIRST_USER + people - len(sample.people)), talkers)
        rows = session.exec(
            select(ChannelIdentity.user_ref, Person.agency_id, Person.full_name)
            .join(Person)
            .where(ChannelIdentity.channel == "telegram", ChannelIdentity.user_ref.in_([str(ref) for ref in chosen]))  # type: ignore[attr-defined]
        ).all()
        total = session.exec(select(func.count()).select_from(Person).where(Person.active == True)).one()
    db.dispose()
    people_talking = [(User(int(ref), name.split()[-1], language_code="vi"), codes[agency_id]) for ref, agency_id, name in rows]
    return Province(total, filled.activities, filled.submissions, time.monotonic() - started, people_talking)


def admin_script() -> list[Step]:
    """The LHH office's heaviest views (the long lists and their second pages), three times over, each known by the first message of
    its answer (the charts /status sends after its list count as other messages)."""
    views: list[Step] = [
        (says("/status"), lambda m: "— trang 1/" in m.text and bool(m.reply_markup)),
        (says("/missing"), lambda m: "cơ quan chưa nộp. Trang 1/" in m.text.split("\n", 1)[0] and bool(m.reply_markup)),
        (presses(lambda m: m.button(NEXT)), lambda m: "cơ quan chưa nộp. Trang 2/" in m.text.split("\n", 1)[0]),
        (says("/people"), lambda m: "người dùng đang hoạt động (trang 1/" in m.text),
        (presses(lambda m: m.button(NEXT)), lambda m: "người dùng đang hoạt động (trang 2/" in m.text),
        (says("/agencies"), lambda m: "cơ quan phối hợp:" in m.text and bool(m.reply_markup)),
        (says("/targets"), lambda m: not m.reply_markup),
        (says("/tasks"), lambda m: not m.reply_markup),
        (says("/help"), starts("Các lệnh")),
    ]
    return views * 3


def focal_script(user: User, agency: str, forms: int, rng: random.Random, today: date) -> list[Step]:
    """/help, /due and /activities, then `forms` registrations."""
    steps: list[Step] = [
        (says("/help"), starts("Các lệnh")),
        (says("/due"), starts("Việc phải làm")),
        (says("/activities"), starts("Hoạt động phối hợp")),
    ]
    for number in range(forms):
        steps += registration(number + 1, agency, today, rng)
    return steps


def megabytes(kilobytes: int) -> float:
    return kilobytes / 1024


def outbox_rows(url: str) -> int:
    db = make_engine(url)
    try:
        with session_scope(db) as session:
            return session.exec(select(func.count()).select_from(OutboxMessage)).one()
    finally:
        db.dispose()


async def settled(url: str, quiet: float = 3.0, empty: float = 30.0, most: float = 180.0) -> int:
    """Wait for the scheduler's catch-up run (each job commits its outbox rows at once): until
    the count has stayed the same for `quiet` seconds, having grown, or stayed at nothing
    for `empty` seconds (a day nothing is owed); how many rows there are."""
    started = since = time.monotonic()
    rows = 0
    while time.monotonic() - started < most:
        await asyncio.sleep(0.5)
        now_rows = await asyncio.to_thread(outbox_rows, url)
        if now_rows != rows:
            rows, since = now_rows, time.monotonic()
        elif time.monotonic() - since >= (quiet if rows else empty):
            break
    return rows


@dataclass
class Phase:
    name: str
    updates: int
    replies: int
    others: int
    seconds: float
    rss: float
    peak: float


async def talk(holder: list[Driver], fake: WatchedTelegram, scripts: list[Script]) -> tuple[int, int, int, float]:
    """Drive `scripts` to the end: (updates, replies, other messages, seconds)."""
    started = time.monotonic()
    driver = Driver(fake, scripts)
    holder[:] = [driver]
    driver.start()
    await driver.finish()
    await asyncio.sleep(SETTLE_SECONDS)
    return driver.updates, driver.replies, driver.others, time.monotonic() - started


async def measure(kind: str, people: int, talkers: int, forms: int, env: dict[str, str], day: date) -> tuple[int, list[Phase]]:
    """The people in the database, and the bot's memory after each phase."""
    with database(kind) as url:
        land = populate(url, people, talkers, morning(day))
        print(
            f"[{kind}] {land.people} people, {land.activities} activities generated, {land.submissions} submissions, "
            f"in {land.seconds:.0f} s",
            flush=True,
        )
        rng = random.Random(2015)
        focal = [Script(user, focal_script(user, code, forms, rng, day)) for user, code in land.talkers]
        holder: list[Driver] = []
        phases: list[Phase] = []
        async with WatchedTelegram(on_sent=lambda message: holder[0].on_sent(message) if holder else None) as fake:
            with tempfile.TemporaryDirectory() as folder:
                process = await start_process([*PHOIHOP_RUN, "--today", day.isoformat()], bot_environment(fake, url, **env), folder)

                def note(name: str, figures: tuple[int, int, int, float]) -> None:
                    status = proc_status(process.pid)
                    phases.append(Phase(name, *figures, megabytes(status["VmRSS"]), megabytes(status["VmHWM"])))
                    print(f"[{kind}] {describe(phases[-1])}", flush=True)

                try:
                    note("started", (0, 0, 0, 0.0))
                    started = time.monotonic()
                    rows = await settled(url)
                    note(f"the scheduler's catch-up run wrote {rows} outbox rows", (0, 0, len(fake.sent), time.monotonic() - started))
                    note(
                        "the admin's views (/status, /missing, /people, /agencies, /targets, /tasks)",
                        await talk(holder, fake, [Script(ADMIN, admin_script())]),
                    )
                    note(f"{len(focal)} focal points: /help, /due, /activities, {forms} form(s) each", await talk(holder, fake, focal))
                finally:
                    err = await stop_process(process)
        if any(phase.replies < phase.updates for phase in phases):
            print(err[-3000:], file=sys.stderr)
        return land.people, phases


def describe(phase: Phase) -> str:
    talked = f"{phase.updates} updates, {phase.replies} answered, " if phase.updates else ""
    return (
        f"{phase.name}: {talked}{phase.others} other messages delivered, {phase.seconds:.1f} s; "
        f"VmRSS {phase.rss:.1f} MB, VmHWM {phase.peak:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--people", type=int, default=15_000)
    parser.add_argument("--talkers", type=int, default=40, help="focal points who talk to the bot (besides the admin)")
    parser.add_argument("--forms", type=int, default=1, help="registration forms each of them fills in (9 updates each)")
    parser.add_argument(
        "--bot-env", action="append", default=[], metavar="KEY=VALUE", help="more environment for the bot (e.g. MALLOC_ARENA_MAX=2)"
    )
    parser.add_argument("--today", type=date.fromisoformat, default=BENCH_DAY, help="the day the bot plays (YYYY-MM-DD)")
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.bot_env)
    lines = []
    for kind in database_choices(args.db):
        people, phases = asyncio.run(measure(kind, args.people, args.talkers, args.forms, env, args.today))
        peak = phases[-1].peak
        lost = sum(phase.updates - phase.replies for phase in phases)
        if peak > LIMIT_MB:
            print(f"[{kind}] the peak {peak:.0f} MB is above the target {LIMIT_MB} MB")
        lines.append(
            f"memory: people={people} rss_mb={peak:.1f} db={kind} after_rss_mb={phases[-1].rss:.1f}" + (f" lost={lost}" if lost else "")
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
