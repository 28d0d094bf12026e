"""Update throughput: the real bot (`phoihop run`, i.e. bot.cli's main: engine, Telegram
adapter by long polling, scheduler and outbox sender, in a process of its own) against a fake
Bot API on 127.0.0.1, taking registration forms from the 82 focal points of the Lào Cai
sample at once, compared with a bare python-telegram-bot echo bot (one MessageHandler that
answers with the same text) under the same load in the same run.

Each person talks in a closed loop: their next update (a typed answer, or a press on a
button of the reply, as callback_query) goes to getUpdates as soon as the reply to the last
one arrives, so the bot is never idle. Every reply is checked (the form's next step; the same
text for the echo); an update without its reply is lost. Updates/s run from the bot's first
getUpdates to the last reply; the echo bot then ours, `--rounds` times, the best of each
counts. `cpu_ratio` compares the CPU each bot's process spent per update, a steadier figure
on a busy machine; our bot's includes sending the outbox's notices its updates caused (to
the partner agencies of each activity; paced at Telegram's 30/s, they outlast a fast round,
so the round ends only once they are sent), and it reports the CPU its engine calls took.

Run: python bench/throughput.py [--db sqlite|postgresql|both] [--forms 1] [--rounds 2] [--latency 0.05] [--profile DIR]
Last line (one per database): throughput: ratio=… ours_per_s=… echo_per_s=… db=… cpu_ratio=… api_calls_per_update=…
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import func, select

from bench.harness import (
    BENCH_DAY,
    LAO_CAI_SAMPLE,
    Driver,
    Script,
    Step,
    WatchedTelegram,
    active_people,
    bot_environment,
    cpu_seconds,
    database,
    database_choices,
    give_telegram_accounts,
    lao_cai,
    migrated,
    morning,
    registration,
    says,
    start_process,
    stop_process,
)
from handlers.types import Incoming, Reply
from models.db.engine import make_engine, session_scope
from models.outbox.tables import OutboxMessage, OutboxStatus
from models.people.tables import Role
from models.programme.tables import Agency
from models.samples.generator import fill_sample
from models.samples.sample_file import read_sample
from tests.fakes.telegram_api import FakeTelegram, Sent, User

FIRST_USER = 2_000_000
TARGET = 0.5
ENGINE_CPU = "engine-cpu.txt"


def echoes(user: User, count: int) -> list[Step]:
    steps: list[Step] = []
    for number in range(count):
        text = f"Tin nhắn thử số {number + 1} của {user.id}"
        steps.append((says(text), lambda m, text=text: m.text == text))  # type: ignore[misc]
    return steps


# --- the bots ---------------------------------------------------------------------------------


def prepared(url: str, day: date) -> list[tuple[User, str]]:
    """The Lào Cai programme with its sample year (a leader and a specialist in each of its
    41 agencies); each focal point gets a Telegram account. (user, agency code) of each."""
    now = morning(day)
    programme = lao_cai()
    programme_id = migrated(url, programme, now)
    db = make_engine(url)
    with session_scope(db) as session:
        fill_sample(session, programme, programme_id, read_sample(LAO_CAI_SAMPLE), now)
        people = active_people(session, programme_id, (Role.LEADER, Role.SPECIALIST))
        codes = dict(session.exec(select(Agency.id, Agency.code).where(Agency.programme_id == programme_id)).all())
        accounts = [(user, codes[person.agency_id]) for person, user in give_telegram_accounts(session, people, FIRST_USER, now)]
    db.dispose()
    return accounts


@dataclass
class Figures:
    people: int
    updates: int
    replies: int
    others: int
    seconds: float
    cpu: float
    engine_cpu: float
    engine_calls: int
    requests: Counter[str]
    wrong: list[str]
    fake_cpu: float = 0.0
    """CPU of this process (the fake Bot API and the driver) over the same run."""
    threads: str = ""
    """The bot's CPU seconds by kind of thread, start-up included (`sample_threads`)."""

    @property
    def per_second(self) -> float:
        return self.replies / self.seconds if self.seconds > 0 else 0.0

    @property
    def cpu_ms(self) -> float:
        """CPU the bot's process used per update, from its first getUpdates to the end."""
        return 1000 * self.cpu / max(self.replies, 1)

    @property
    def lost(self) -> int:
        return self.updates - self.replies

    @property
    def engine_ms(self) -> float:
        return 1000 * self.engine_cpu / max(self.engine_calls, 1)


async def drive(
    scripts: list[Script], launch: Launch, first_update_id: int, latency: float, drained: Callable[[], bool] | None = None
) -> Figures:
    """Queue each person's first update, start the bot and drive until every update is
    answered (or nothing moves any more); then, given `drained`, until it holds (the
    outbox's notices sent), so that the bot's CPU includes sending them."""
    holder: list[Driver] = []

    def on_sent(message: Sent) -> None:
        holder[0].on_sent(message)

    async with WatchedTelegram(on_sent, latency, first_update_id=first_update_id) as fake:
        driver = Driver(fake, scripts)
        holder.append(driver)
        began = time.process_time()
        driver.start()
        with tempfile.TemporaryDirectory() as folder:
            stop = await launch(fake, folder)
            try:
                await driver.finish()
                await until(drained)
            finally:
                err, cpu = await stop()
            fake_cpu = time.process_time() - began
            if driver.replies < driver.updates and err:
                print(err[-3000:], file=sys.stderr)
            engine = Path(folder) / ENGINE_CPU
            calls, seconds = engine.read_text().split() if engine.exists() else ("0", "0")
            threads = (Path(folder) / THREADS).read_text() if (Path(folder) / THREADS).exists() else ""
        assert fake.first_poll is not None
        wall = driver.last_reply - fake.first_poll
        requests = Counter(call.method for call in fake.calls)
        return Figures(
            len(scripts), driver.updates, driver.replies, driver.others, wall, cpu, float(seconds), int(calls), requests, driver.wrong, fake_cpu, threads
        )


DRAIN_SECONDS = 60.0


async def until(drained: Callable[[], bool] | None) -> None:
    waited = time.monotonic()
    while drained is not None and not await asyncio.to_thread(drained):
        if time.monotonic() - waited > DRAIN_SECONDS:
            print(f"the outbox was not drained after {DRAIN_SECONDS:.0f} s", file=sys.stderr)
            return
        await asyncio.sleep(0.2)


def outbox_drained(url: str, today: date) -> Callable[[], bool]:
    """True once no Telegram outbox row due within the bot's first hour (the notices to the
    partners of each activity registered) is still waiting."""
    db, cutoff = make_engine(url), morning(today) + timedelta(hours=1)
    query = select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.channel == "telegram", OutboxMessage.not_before <= cutoff
    )

    def drained() -> bool:
        try:
            with session_scope(db) as session:
                return session.exec(query).one() == 0
        finally:
            db.dispose()

    return drained


Stop = Callable[[], Awaitable[tuple[str, float]]]
Launch = Callable[[FakeTelegram, str], Awaitable[Stop]]


def launcher(args: list[str], url: str | None = None) -> Launch:
    """Start `python ARGS` in a folder against the fake (as `phoihop run` on `url`, if
    given); what stops it tells its stderr and the CPU time it used since its first getUpdates."""

    async def launch(fake: FakeTelegram, folder: str) -> Stop:
        env = bot_environment(fake, url) if url else {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.url}
        process = await start_process(args, env, folder, on_spawn=lambda pid: setattr(fake, "pid", pid))

        async def stop() -> tuple[str, float]:
            used = cpu_seconds(process.pid) - fake.cpu_at_first_poll
            return await stop_process(process), used

        return stop

    return launch


# --- profiling ---------------------------------------------------------------------------------


def measured_bot(profiles: str, day: date) -> None:
    """`phoihop run` (bot.cli's main, as the console script calls it), writing the CPU time
    of its engine calls to ENGINE_CPU in its folder; given a folder for `profiles`, under
    cProfile as well: the event loop's thread in `loop.prof`, the engine calls (worker
    threads) in `engine.prof`; the bot plays `day`."""
    from bot.cli import main as phoihop
    from handlers.engine import ConversationEngine

    profile = bool(profiles)
    run = ["run", "--today", day.isoformat()]
    handle, lock, spent = ConversationEngine.handle, threading.Lock(), [0.0, 0]
    profilers: dict[int, cProfile.Profile] = {}
    """One per worker thread, accumulating over its calls (merging one per call took longer
    than the bot's stop allows)."""

    def measured(engine: ConversationEngine, incoming: Incoming) -> list[Reply]:
        began = time.thread_time()
        profiler = profilers.setdefault(threading.get_ident(), cProfile.Profile(time.thread_time)) if profile else None
        try:
            return profiler.runcall(handle, engine, incoming) if profiler else handle(engine, incoming)
        finally:
            with lock:
                spent[0] += time.thread_time() - began
                spent[1] += 1

    ConversationEngine.handle = measured  # type: ignore[method-assign]
    threading.Thread(target=sample_threads, daemon=True).start()
    loop = cProfile.Profile(time.thread_time)
    try:
        if profile:
            loop.runcall(phoihop, run)
        else:
            phoihop(run)
    finally:
        Path(ENGINE_CPU).write_text(f"{spent[1]} {spent[0]}")
        if profile:
            loop.dump_stats(Path(profiles) / "loop.prof")
            if profilers:
                pstats.Stats(*profilers.values()).dump_stats(Path(profiles) / "engine.prof")


THREADS = "threads-cpu.txt"


def sample_threads(every: float = 0.25) -> None:
    """Every `every` seconds, the CPU seconds each thread of this process has used so far,
    summed by the kind of thread (its name without the number), written to THREADS: the
    engine's workers, the event loop's (MainThread), asyncio.to_thread's (the outbox
    sender's and the scheduler's database work)."""
    used: dict[int, tuple[str, float]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    while True:
        names = {thread.native_id: thread.name for thread in threading.enumerate()}
        for task in Path("/proc/self/task").iterdir():
            with contextlib.suppress(OSError, ValueError):
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
                name = names.get(int(task.name), "other").rstrip("0123456789_").split("-")[0] or "other"
                used[int(task.name)] = (name, (int(fields[11]) + int(fields[12])) / tick)
        totals: Counter[str] = Counter()
        for name, seconds in used.values():
            totals[name] += seconds
        Path(THREADS).write_text(" ".join(f"{name}={seconds:.2f}" for name, seconds in totals.most_common()))
        time.sleep(every)


def report_profile(folder: Path) -> None:
    titles = {"loop.prof": "the event loop's thread (PTB, aiohttp, the adapter, the sender)", "engine.prof": "engine.handle (worker threads)"}
    for name, title in titles.items():
        if not (folder / name).exists():
            continue
        out = io.StringIO()
        stats = pstats.Stats(str(folder / name), stream=out)
        stats.sort_stats("cumulative").print_stats(r"/(bot|handlers|models|scheduler)/", 25)
        stats.sort_stats("tottime").print_stats(20)
        print(f"--- profile: {title} ({folder / name}) ---")
        print(out.getvalue())


# --- the run -----------------------------------------------------------------------------------


@dataclass
class Result:
    kind: str
    echo: list[Figures]
    ours: list[Figures]

    @property
    def best_echo(self) -> Figures:
        return max(self.echo, key=lambda figures: figures.per_second)

    @property
    def best_ours(self) -> Figures:
        return max(self.ours, key=lambda figures: figures.per_second)

    @property
    def ratio(self) -> float:
        return self.best_ours.per_second / self.best_echo.per_second if self.best_echo.per_second else 0.0

    @property
    def cpu_ratio(self) -> float:
        """Echo's CPU per update over ours: the ratio an idle machine would show, the bots
        being CPU-bound."""
        return min(f.cpu_ms for f in self.echo) / min(f.cpu_ms for f in self.ours)

    @property
    def lost(self) -> int:
        return sum(figures.lost for figures in self.echo + self.ours)

    def line(self) -> str:
        return (
            f"throughput: ratio={self.ratio:.2f} ours_per_s={self.best_ours.per_second:.1f} "
            f"echo_per_s={self.best_echo.per_second:.1f} db={self.kind} cpu_ratio={self.cpu_ratio:.2f} "
            f"api_calls_per_update={answering_calls(self.best_ours):.2f}"
            + (f" lost={self.lost}" if self.lost else "")
        )


ANSWERING = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "sendPhoto", "sendDocument")


def answering_calls(figures: Figures) -> float:
    """Bot API calls spent answering, per update (polling and start-up left out); the echo bot spends 1."""
    return sum(figures.requests[method] for method in ANSWERING) / max(figures.updates, 1)


async def measure(kind: str, forms: int, rounds: int, latency: float, profiles: Path | None, today: date) -> Result:
    """`rounds` times the echo bot then ours, each under the same load; the best of each counts."""
    result = Result(kind, [], [])
    with database(kind) as url:
        accounts = prepared(url, today)
        rng = random.Random(2015)
        bot = [str(Path(__file__).resolve()), "--measured-bot", str(profiles.resolve()) if profiles else "", "--today", today.isoformat()]
        echo_bot = launcher([str(Path(__file__).resolve()), "--echo-bot"])
        for round_number in range(rounds):
            ours = [
                Script(user, [step for n in range(forms) for step in registration(round_number * forms + n + 1, code, today, rng)])
                for user, code in accounts
            ]
            echo = [Script(user, echoes(user, len(script.steps))) for script, (user, _) in zip(ours, accounts, strict=True)]
            first_update_id = 1 + round_number * 1_000_000
            result.echo.append(await drive(echo, echo_bot, first_update_id, latency))
            print(describe(f"[{kind}] round {round_number + 1}, echo bot", result.echo[-1]), flush=True)
            result.ours.append(await drive(ours, launcher(bot, url), first_update_id, latency, outbox_drained(url, today)))
            print(describe(f"[{kind}] round {round_number + 1}, our bot ", result.ours[-1]), flush=True)
    if profiles:
        report_profile(profiles)
    return result


def describe(name: str, figures: Figures) -> str:
    text = (
        f"{name}: {figures.updates} updates from {figures.people} people, {figures.replies} answered, lost {figures.lost}, "
        f"{figures.others} other messages; {figures.seconds:.2f} s, {figures.per_second:.1f} updates/s, "
        f"{figures.cpu_ms:.2f} ms of the bot's CPU per update"
        + (f" (of which {figures.engine_ms:.2f} ms in the engine, {figures.engine_calls} calls)" if figures.engine_calls else "")
        + f"; the fake Bot API and the driver {1000 * figures.fake_cpu / max(figures.replies, 1):.2f} ms"
    )
    per_update = ", ".join(f"{method} {count / max(figures.updates, 1):.2f}" for method, count in figures.requests.most_common())
    text += f"\n  Bot API calls per update: {per_update}"
    if figures.threads:
        text += f"\n  the bot's CPU seconds by thread, start-up included: {figures.threads}"
    if figures.wrong:
        text += "\n  unexpected: " + " | ".join(figures.wrong)
    return text


# --- the echo bot ------------------------------------------------------------------------------


def echo_bot() -> None:
    """A bare python-telegram-bot echo bot on TELEGRAM_API_BASE_URL: one MessageHandler."""
    from telegram import Update
    from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)

    async def ready(_application: Application) -> None:  # type: ignore[type-arg]
        print("echo bot ready", flush=True)

    base = os.environ["TELEGRAM_API_BASE_URL"].rstrip("/")
    application = ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"]).base_url(f"{base}/bot").post_init(ready).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=["message"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--forms", type=int, default=1, help="registration forms per focal point and round (9 updates each)")
    parser.add_argument("--rounds", type=int, default=2, help="echo bot then ours, this many times; the best of each counts")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the fake waits before each answer (the network to Telegram)")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="run our bot under cProfile, keep the profiles in DIR and print them")
    parser.add_argument("--today", type=date.fromisoformat, default=BENCH_DAY, help="the day the bot plays (YYYY-MM-DD)")
    parser.add_argument("--echo-bot", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measured-bot", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.echo_bot:
        echo_bot()
        return
    if args.measured_bot is not None:
        measured_bot(args.measured_bot, args.today)
        return
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    results = [asyncio.run(measure(kind, args.forms, args.rounds, args.latency, args.profile, args.today)) for kind in database_choices(args.db)]
    for result in results:
        if result.ratio < TARGET:
            print(f"[{result.kind}] ratio {result.ratio:.2f} is below the target {TARGET}: --profile DIR shows where the time goes")
    print("\n".join(result.line() for result in results))


if __name__ == "__main__":
    main()
