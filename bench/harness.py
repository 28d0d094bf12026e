"""What the throughput and memory benchmarks share: a database on SQLite or on a throwaway
PostgreSQL, focal points with Telegram accounts, a fake Bot API that tells a driver about
every message the bot sends, and `phoihop run` started as a real process against it.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time as clock_time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.db.engine import make_engine, session_scope
from models.db.migrate import upgrade
from models.people.roster import link_identity
from models.people.tables import Person, Role
from models.programme.loader import load_into
from models.programme.schema import Programme, load_programme
from models.programme.tables import ProgrammeRecord
from tests.fakes.telegram_api import FakeTelegram, Json, Sent, User
from tests.support.postgres import TemporaryPostgres

DATABASES = ("sqlite", "postgresql")
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
BENCH_DAY = date(2027, 6, 20)
"""The day the benchmarks that start `phoihop run` play (its `--today`), so that their
figures do not depend on the machine's date: the six-monthly deadline of Lào Cai's
programme, when every agency that has not reported is owed a reminder."""


def morning(day: date) -> datetime:
    """09:00 local on `day`: where `phoihop run --today` starts its clock."""
    return datetime.combine(day, clock_time(9), tzinfo=ZONE)
LAO_CAI = ROOT / "programmes" / "lao-cai-31-2015.toml"
LAO_CAI_SAMPLE = ROOT / "samples" / "lao-cai-31-2015.toml"
STARTUP_SECONDS = 60.0
STALL_SECONDS = 30.0
STOP_SECONDS = 30.0
PHOIHOP_RUN = ["-m", "bot.cli", "run"]
"""`phoihop run`: the engine, the Telegram adapter by long polling, the scheduler and the
outbox sender, as the console script starts them."""


def database_choices(choice: str) -> tuple[str, ...]:
    """`--db sqlite|postgresql|both` as the backends to run on."""
    return DATABASES if choice == "both" else (choice,)


@contextmanager
def database(kind: str) -> Iterator[str]:
    """The URL of an empty database on `kind`, removed (server and all) afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="phoihop-bench-") as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    server = TemporaryPostgres()
    server.start()
    try:
        yield server.create_database("bench")
    finally:
        server.remove()


def migrated(url: str, programme: Programme, now: datetime) -> int:
    """Migrate the database and load `programme`; its id."""
    db = make_engine(url)
    upgrade(db)
    with session_scope(db) as session:
        load_into(session, programme, now)
        record = session.exec(select(ProgrammeRecord).where(ProgrammeRecord.code == programme.code)).one()
    db.dispose()
    return record.id  # type: ignore[return-value]


def lao_cai() -> Programme:
    return load_programme(LAO_CAI)


def give_telegram_accounts(session: Session, people: list[Person], first_id: int, now: datetime) -> list[tuple[Person, User]]:
    """A Telegram account (user id from `first_id` on, private chat = user id) for each person."""
    accounts = []
    for number, person in enumerate(people):
        user = User(first_id + number, person.full_name.split()[-1], language_code=person.language)
        link_identity(session, person, ("telegram", str(user.id), str(user.id)), now)
        accounts.append((person, user))
    return accounts


def active_people(session: Session, programme_id: int, roles: tuple[Role, ...]) -> list[Person]:
    query = select(Person).where(Person.programme_id == programme_id, Person.active == True, Person.role.in_(roles))  # type: ignore[attr-defined]
    return list(session.exec(query.order_by(Person.id)))


class WatchedTelegram(FakeTelegram):
    """The fake Bot API, telling `on_sent` about every message delivered and keeping the
    moment of the first getUpdates (when a bot starts taking updates) and the CPU time the
    bot's process (`pid`, once known) had used by then; `latency` seconds before each answer
    stand for the network between the bot and Telegram."""

    def __init__(self, on_sent: Callable[[Sent], None] | None = None, latency: float = 0.0, **options: Any) -> None:
        super().__init__(**options)
        self.on_sent = on_sent
        self.latency = latency
        self.pid: int | None = None
        self.first_poll: float | None = None
        self.cpu_at_first_poll = 0.0

    async def _answer(self, method: str, params: Json) -> web.Response:
        if self.latency:
            await asyncio.sleep(self.latency)
        return await super()._answer(method, params)

    async def _m_getUpdates(self, params: Json) -> list[Json]:
        if self.first_poll is None:
            self.first_poll = time.monotonic()
            self.cpu_at_first_poll = cpu_seconds(self.pid) if self.pid else 0.0
        return await super()._m_getUpdates(params)

    async def _m_sendMessage(self, params: Json) -> Json:
        message = await super()._m_sendMessage(params)
        if self.on_sent is not None:
            self.on_sent(self.sent[-1])
        return message

    async def _m_editMessageText(self, params: Json) -> Json:
        """A press is answered by editing the message pressed: the edit is the reply."""
        message = await super()._m_editMessageText(params)
        if self.on_sent is not None:
            self.on_sent(self.edited[-1])
        return message


def bot_environment(fake: FakeTelegram, url: str, **values: str) -> dict[str, str]:
    """The environment of `phoihop run` against `fake` on database `url`, nothing else inherited
    that could point it elsewhere."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "WEBHOOK_", "ZALO_", "DATABASE_URL", "PHOIHOP_"))
    }
    return {
        **env,
        "PYTHONPATH": str(ROOT),
        "PHOIHOP_LANGUAGE": "vi",
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.url,
        "DATABASE_URL": url,
        **values,
    }


async def start_process(
    args: list[str], env: dict[str, str], folder: str, on_spawn: Callable[[int], None] | None = None
) -> asyncio.subprocess.Process:
    """A Python process (`python ARGS`) in `folder`, once it has printed its first line;
    `on_spawn(pid)` as soon as it exists."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, cwd=folder, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    if on_spawn is not None:
        on_spawn(process.pid)
    assert process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), STARTUP_SECONDS)
    except TimeoutError:
        await stop_process(process)
        raise
    if not line:
        _, err = await process.communicate()
        raise RuntimeError(f"{' '.join(args)} did not start:\n{err.decode()[-2000:]}")
    return process


async def stop_process(process: asyncio.subprocess.Process) -> str:
    """SIGINT, then wait; what the process wrote to stderr."""
    if process.returncode is None:
        process.send_signal(signal.SIGINT)
    try:
        _, err = await asyncio.wait_for(process.communicate(), STOP_SECONDS)
    except TimeoutError:
        process.kill()
        _, err = await process.communicate()
    return err.decode(errors="replace")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS, VmHWM (peak resident) and the like from /proc/PID/status, in kB."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key.startswith("Vm") and value.strip().endswith("kB"):
            figures[key] = int(value.split()[0])
    return figures


# --- people talking to the bot ----------------------------------------------------------------


Build = Callable[[FakeTelegram, User, Sent | None], Json]
Expect = Callable[[Sent], bool]
Step = tuple[Build, Expect]


@dataclass
class Script:
    """What one person sends, each update with the reply it must get."""

    user: User
    steps: list[Step]
    answered: int = 0


@dataclass
class Driver:
    """Hands each person's next update to the fake as soon as their last one is answered."""

    fake: FakeTelegram
    scripts: list[Script]
    replies: int = 0
    others: int = 0
    last_reply: float = 0.0
    wrong: list[str] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.by_chat = {script.user.id: script for script in self.scripts}
        self.progress = time.monotonic()

    @property
    def updates(self) -> int:
        return sum(len(script.steps) for script in self.scripts)

    def start(self) -> None:
        for script in self.scripts:
            self._push(script, None)

    def _push(self, script: Script, reply: Sent | None) -> None:
        build, _ = script.steps[script.answered]
        self.fake.push(build(self.fake, script.user, reply))

    def on_sent(self, message: Sent) -> None:
        script = self.by_chat.get(message.chat_id)
        if script is None or script.answered == len(script.steps):
            self.others += 1
            return
        _, expect = script.steps[script.answered]
        if not expect(message):
            self.others += 1
            if len(self.wrong) < 5:
                self.wrong.append(message.text[:120])
            return
        script.answered += 1
        self.replies += 1
        self.last_reply = self.progress = time.monotonic()
        if script.answered < len(script.steps):
            self._push(script, message)
        elif self.replies == self.updates:
            self.done.set()

    async def finish(self) -> None:
        """Until every update is answered, or nothing moved for STALL_SECONDS."""
        while not self.done.is_set() and time.monotonic() - self.progress < STALL_SECONDS:
            try:
                await asyncio.wait_for(self.done.wait(), 1.0)
            except TimeoutError:
                pass


# --- the scripts ------------------------------------------------------------------------------


def says(text: str) -> Build:
    return lambda fake, user, _reply: fake.message_update(user, text)


def presses(pick: Callable[[Sent], str]) -> Build:
    def build(fake: FakeTelegram, user: User, reply: Sent | None) -> Json:
        assert reply is not None
        return fake.press_update(user, reply, pick(reply))

    return build


def starts(prefix: str) -> Expect:
    return lambda message: message.text.startswith(prefix)


def one_of(rows: slice, rng: random.Random) -> Callable[[Sent], str]:
    """The data of a random button among the keyboard's `rows` (the choices, not the controls)."""

    def pick(message: Sent) -> str:
        labels = [label for row in message.labels()[rows] for label in row]
        return message.button(rng.choice(labels))

    return pick


def registration(number: int, agency: str, today: date, rng: random.Random) -> list[Step]:
    """/register answered step by step with valid answers: a type (button), a title, a day,
    a place, one partner besides the pre-ticked LHH (button), done, the number of
    participants, save."""
    day = today + timedelta(days=rng.randint(-60, 120))
    return [
        (says("/register"), lambda m: "(bước 1/7)" in m.text and bool(m.reply_markup)),
        (presses(one_of(slice(0, -1), rng)), starts("Bước 2/7")),
        (says(f"Hội thảo chuyên đề số {number} của {agency}"), starts("Bước 3/7")),
        (says(day.strftime("%d/%m/%Y")), starts("Bước 4/7")),
        (says(rng.choice(["Hội trường UBND tỉnh", "Nhà văn hóa thôn Cốc Lếu", "Trung tâm Hội nghị tỉnh"])), starts("Bước 5/7")),
        (presses(one_of(slice(1, -3), rng)), lambda m: m.text.startswith("Bước 5/7") and "Đã chọn" in m.text),
        (presses(lambda m: m.button("Xong")), starts("Bước 6/7")),
        (says(str(rng.choice([25, 40, 80, 120]))), starts("Bước 7/7")),
        (presses(lambda m: m.button("Lưu")), starts("Đã lưu hoạt động số")),
    ]
