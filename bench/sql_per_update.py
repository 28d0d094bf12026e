"""SQL statements per handled update: a scripted day of a focal point and of the LHH office
through `ConversationEngine.handle`, on the demo's sample data (`phoihop sample-data` on the
Lào Cai programme's 40 agencies, bound groups, 2,000 more activities) and on ten times as
much (400 agencies, each with its focal points, activities and submissions; 20,000 more
activities). A count that differs between the two is an N+1.

Counted: every statement the engine sends through a DBAPI cursor while the update is
handled (a `before_cursor_execute` listener), reads and writes alike. Not statements, so
not counted: the transaction's implicit BEGIN and its COMMIT (the driver's own calls), and
on PostgreSQL the pool's pre-ping at checkout (counted apart, as `pings`). The programme
row is re-read at most every 10 s (`PROGRAMME_RECHECK`, one SELECT); the bench holds that
check back so that every run counts the same.

Every count is held to BUDGET (6) statements but the few of ABOVE_BUDGET, each with its
reason; tests/system/test_sql_budget.py checks the same script (and the scheduler's jobs).

Run: python bench/sql_per_update.py [--scale 10] [--db sqlite|postgresql] [--show LABEL]
Last line: sql_per_update: max=… mean=… (over the scripted updates on the large dataset)
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event
from sqlalchemy.engine import Engine as Database
from sqlmodel import select

import models.programme.served
from bench.dataset import SAMPLE, ZONE, add_activities, add_groups, programme_with
from handlers.engine import ConversationEngine
from handlers.types import ChatKind
from locales.catalogue import t
from models.db.engine import make_engine, session_scope
from models.db.migrate import upgrade
from models.programme.loader import load_into
from models.programme.tables import ProgrammeRecord
from models.samples.generator import fill_sample
from models.samples.sample_file import SAMPLE_CHANNEL, read_sample
from tests.conftest import Chat

NOW = datetime(2026, 12, 16, 9, tzinfo=ZONE)
AGENCIES = 40
EXTRA_ACTIVITIES = 2_000
GROUP = "-1000"
BUDGET = 6
ABOVE_BUDGET = {
    "report: submit": 8,
    "register: save": 9,
    "/export": 14,
    "/broadcast SYT (agency and its group)": 7,
}
"""Updates allowed more statements than BUDGET, and why. Every update records itself and
reads the speaker (2), and most save or end their form (1). The submission then reads the
draft with its period, drops the agency's reminders still waiting (an UPDATE of the
outbox), writes the submission, reads who in the office can be reached and writes their
notices (one INSERT). Saving an activity with partners reads the type and the partners,
writes the activity and its partners, then reads the partners' reachable focal points and,
when the LHH is named (it is pre-ticked), the office's reachable admins, and writes their
notices (one INSERT). /export reads eleven kinds of facts, one query each: the
period rows, the board, the reports' items, the window's activities with their types (the
by-type table and the reconciled figures are counted from them), their partners (a joint
activity counts once, for its lead), the agencies' names, the missing agencies' focal
points, what the office wrote for the period, the signed copies attached, the term's
activities by type and status for the targets, the TVPB tasks of the window for its table,
and every TVPB task with the day its critique was sent (the reconciled TVPB figure and the
targets count a task once it is sent, and skip the activity linked to it). /broadcast
to one agency also reads the agency's name, to echo whom it reached."""


def ceiling(label: str) -> int:
    return ABOVE_BUDGET.get(label, BUDGET)


class StatementLog:
    """The statements a database engine runs through a cursor, from `count()` on."""

    def __init__(self, db: Database) -> None:
        self.statements: list[str] = []
        self.pings = 0
        event.listen(db, "before_cursor_execute", self._statement)
        event.listen(db, "checkout", self._checkout)
        self.pinging = db.dialect.name != "sqlite" and bool(db.pool._pre_ping)  # type: ignore[attr-defined]

    def _statement(self, _conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        self.statements.append(statement)

    def _checkout(self, *_args: object) -> None:
        self.pings += self.pinging

    @contextmanager
    def count(self) -> Iterator[list[str]]:
        """The statements run inside the block (the list fills as they run)."""
        self.statements = []
        yield self.statements


def press(chat: Chat, payload: str) -> None:
    """Press the button of the last prompt whose payload starts with `payload`."""
    buttons = [b for reply in reversed(chat.last) for b in reply.choices()]
    chosen = next((b for b in buttons if b.data.partition(":")[2].startswith(payload)), None)
    if chosen is None:
        raise LookupError(f"no button {payload!r} after: {chat.text}")
    chat.press_data(chosen.data)


@dataclass(frozen=True)
class Line:
    label: str
    who: str
    act: Callable[[Chat], object]
    group: bool = False
    counted: bool = True
    """False for the moves that only bring the chat to the next counted update."""

    def chat(self, engine: ConversationEngine) -> Chat:
        """The speaker's private chat, or the bound group of all focal points."""
        if self.group:
            return Chat(engine, self.who, SAMPLE_CHANNEL, chat=GROUP, kind=ChatKind.GROUP)
        return Chat(engine, self.who, SAMPLE_CHANNEL)

    def play(self, chat: Chat) -> None:
        """Send or press, and fail loudly if the engine answered with an error."""
        self.act(chat)
        failed = {t("common.internal_error", "vi"), t("common.try_again", "vi")} & {reply.text for reply in chat.last}
        if failed:
            raise RuntimeError(f"{self.label}: the engine answered {failed.pop()!r}")


def send(text: str) -> Callable[[Chat], object]:
    return lambda chat: chat.send(text)


def tap(payload: str) -> Callable[[Chat], object]:
    return lambda chat: press(chat, payload)


@cache
def report_steps() -> tuple[int, int]:
    """How many indicators and content areas the report form walks."""
    programme = programme_with(AGENCIES)
    return len(programme.indicators), len(programme.content_areas)


def skip(payloads: Callable[[], list[str]]) -> Callable[[Chat], object]:
    return lambda chat: [press(chat, payload) for payload in payloads()]


def to_summary(chat: Chat) -> None:
    """Skip what the report still asks (narratives, the other areas at once) up to its summary."""
    for _ in range(sum(report_steps()) + 1):
        offered = {b.data.partition(":")[2] for reply in chat.last for b in reply.choices()}
        if "submit" in offered:
            return
        press(chat, "none" if "none" in offered else "skip")
    raise LookupError(f"no summary after: {chat.text}")


FOCAL = "syt-specialist"
FOCAL_AGENCY = "SYT"
OFFICE = "lhh-admin"
SCRIPT = [
    Line("/help", FOCAL, send("/help")),
    Line("/due", FOCAL, send("/due")),
    Line("/activities", FOCAL, send("/activities")),
    Line("/activities next page", FOCAL, tap("pg:1")),
    Line("/register", FOCAL, send("/register")),
    Line("register: type", FOCAL, tap("t:tap-huan")),
    Line("register: title", FOCAL, send("Tập huấn kỹ thuật nuôi ong lấy mật")),
    Line("register: date", FOCAL, send("5/12")),
    Line("register: place", FOCAL, send("Xã Bản Phố, huyện Bắc Hà")),
    Line("register: tick a partner", FOCAL, tap("p:S")),  # a Sở: the LHH is ticked already
    Line("register: partners next page", FOCAL, tap("pg:1")),
    Line("register: partners done", FOCAL, tap("ok")),
    Line("register: participants", FOCAL, send("40")),
    Line("register: save", FOCAL, tap("save")),
    Line("/report", FOCAL, send("/report")),
    Line("report: choose the period", FOCAL, tap("p:")),
    Line("report: untick an activity", FOCAL, tap("a:")),
    Line("report: activities done", FOCAL, tap("ok")),
    Line("report: an indicator", FOCAL, send("2")),
    Line("report: next indicator", FOCAL, send("1")),
    Line("report: /cancel", FOCAL, send("/cancel")),
    Line("/report again", FOCAL, send("/report")),
    Line("report: resume the draft", FOCAL, tap("p:")),
    Line("report: the other indicators", FOCAL, skip(lambda: ["skip"] * (report_steps()[0] - 2)), counted=False),
    Line("report: a narrative", FOCAL, send("Phối hợp tổ chức hai hội thảo chuyên đề về y tế dự phòng.")),
    Line("report: to the summary", FOCAL, to_summary, counted=False),
    Line("report: «sửa N», to the activities", FOCAL, send(f"sửa {sum(report_steps()) + 1}")),
    Line("report: tick an activity", FOCAL, tap("a:")),
    Line("report: activities done (summary)", FOCAL, tap("ok")),
    Line("report: submit", FOCAL, tap("submit")),
    Line("/lang", FOCAL, send("/lang")),
    Line("lang: English", FOCAL, tap("en")),
    Line("/lang vi", FOCAL, send("/lang vi")),
    Line("/status", OFFICE, send("/status")),
    Line("/status next page", OFFICE, tap("pg:1")),
    Line("/missing", OFFICE, send("/missing")),
    Line("/targets", OFFICE, send("/targets")),
    Line("/tasks", OFFICE, send("/tasks")),
    Line("/agencies", OFFICE, send("/agencies")),
    Line("/export", OFFICE, send("/export")),
    Line("/help in a group", OFFICE, send("/help"), group=True),
    Line("/bind in a group", OFFICE, send("/bind"), group=True),
    Line("/broadcast SYT (agency and its group)", OFFICE, send("/broadcast SYT Mời dự họp giao ban quý IV")),
    Line("broadcast: send", OFFICE, tap("send")),
]
FAN_OUT = [
    Line("/chase all", OFFICE, send("/chase all")),
    Line("/broadcast all", OFFICE, send("/broadcast all Thông báo lịch họp tổng kết năm")),
    Line("broadcast all: send", OFFICE, tap("send")),
]


def build(url: str, agencies: int, extra_activities: int) -> None:
    """The programme with `agencies` agencies, `phoihop sample-data` on it, bound groups,
    and `extra_activities` more activities."""
    db = make_engine(url)
    upgrade(db)
    programme = programme_with(agencies)
    with session_scope(db) as session:
        load_into(session, programme, NOW)
        programme_id = session.exec(select(ProgrammeRecord.id)).one()
        fill_sample(session, programme, programme_id, read_sample(SAMPLE), NOW)
        add_groups(session, programme_id, NOW, SAMPLE_CHANNEL)
        add_activities(session, programme_id, extra_activities, NOW.date(), NOW, random.Random(11))
    db.dispose()


@dataclass
class Run:
    counts: dict[str, int] = field(default_factory=dict)
    statements: dict[str, list[str]] = field(default_factory=dict)
    pings: int = 0


def run_script(url: str, lines: list[Line]) -> Run:
    db = make_engine(url)
    log = StatementLog(db)
    engine = ConversationEngine(db, lambda: NOW, "lao-cai-31-2015")
    chats: dict[tuple[str, bool], Chat] = {}
    found = Run()
    Chat(engine, OFFICE, SAMPLE_CHANNEL).send("/help")
    for line in lines:
        chat = chats.setdefault((line.who, line.group), line.chat(engine))
        pings = log.pings
        with log.count() as statements:
            line.play(chat)
        if line.counted:
            found.pings = max(found.pings, log.pings - pings)
            found.counts[line.label] = len(statements)
            found.statements[line.label] = list(statements)
    db.dispose()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--show", action="append", default=[], help="print the statements of the updates with this label")
    args = parser.parse_args()
    models.programme.served.PROGRAMME_RECHECK = math.inf
    with databases(args.db) as urls:
        small_url, large_url = urls("small"), urls("large")
        build(small_url, AGENCIES, EXTRA_ACTIVITIES)
        build(large_url, AGENCIES * args.scale, EXTRA_ACTIVITIES * args.scale)
        small, large = run_script(small_url, SCRIPT + FAN_OUT), run_script(large_url, SCRIPT + FAN_OUT)
    report(small, large, args.scale, args.db, args.show)


@contextmanager
def databases(backend: str) -> Iterator[Callable[[str], str]]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield lambda name: f"sqlite:///{folder}/{name}.sqlite3"
        return
    from tests.support.postgres import TemporaryPostgres

    server = TemporaryPostgres()
    server.start()
    try:
        yield server.create_database
    finally:
        server.remove()


def report(small: Run, large: Run, scale: int, backend: str, show: list[str]) -> None:
    print(f"statements per update on {backend}: sample data ({AGENCIES} agencies) and ×{scale} ({AGENCIES * scale} agencies)")
    width = max(len(line.label) for line in SCRIPT + FAN_OUT)
    print(f"  {'update':<{width}}  {'sample':>6}  {'×' + str(scale):>6}")
    grown, over = [], []
    for title, lines in (("scripted", SCRIPT), ("fan-out (one outbox row per recipient)", FAN_OUT)):
        print(f"  — {title}")
        for line in (line for line in lines if line.counted):
            a, b = small.counts[line.label], large.counts[line.label]
            flags = ("  grows" if b != a else "") + (f"  over {ceiling(line.label)}" if max(a, b) > ceiling(line.label) else "")
            print(f"  {line.label:<{width}}  {a:>6}  {b:>6}{flags}")
            grown += [line.label] if b != a else []
            over += [line.label] if max(a, b) > ceiling(line.label) else []
    for label in show:
        print(f"\n{label}:")
        for statement in large.statements[label]:
            print("   ", " ".join(statement.split())[:200])
    if large.pings:
        print(f"plus, on {backend}, a pre-ping per pooled connection checkout: {large.pings} per update")
    print("no count grows with the data" if not grown else f"counts that grow with the data (N+1): {', '.join(grown)}")
    print(f"every count within {BUDGET}, or its ceiling in ABOVE_BUDGET" if not over else f"over the budget: {', '.join(over)}")
    counts = [large.counts[line.label] for line in SCRIPT if line.counted]
    print(f"sql_per_update: max={max(counts)} mean={statistics.mean(counts):.1f}")


if __name__ == "__main__":
    main()
