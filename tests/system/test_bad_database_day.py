"""A bad database day: PostgreSQL stops while two focal points are half-way through a form,
one on Telegram and one on Zalo, and an English-speaking officer asks for help. Every
message gets an answer at once, in the person's language: it is kept and will be handled
when the system is back. The outbox sender and the scheduler keep running. PostgreSQL
starts again and, without restarting the bot, the kept messages are handled in order (on
Telegram by the background retry, on Zalo when the person writes again), the forms go on
where they were and the activities are stored with everything typed during the outage.

The test starts a PostgreSQL server of its own: the session's is shared by other tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Iterator
from datetime import UTC, date, datetime
from typing import TypeVar

import pytest
from sqlalchemy.engine import Engine as Database
from sqlmodel import select

from bot.holding import Holding
from bot.sender import OutboxSender
from handlers.engine import ConversationEngine
from handlers.types import Incoming, Reply
from handlers.unavailable import Unavailable, unavailable
from models.activities.tables import Activity
from models.db.engine import make_engine, session_scope
from models.db.migrate import upgrade
from models.outbox.notify import enqueue
from models.programme.loader import load_into
from models.programme.schema import Programme
from models.programme.tables import ProgrammeRecord
from models.samples.sample_file import load_sample, read_sample
from scheduler.service import CycleScheduler
from tests.conftest import LAO_CAI_SAMPLE, Clock
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_api import User as TelegramUser
from tests.fakes.zalo_api import FakeZalo
from tests.fakes.zalo_api import User as ZaloUser
from tests.support.harness import only
from tests.support.postgres import TemporaryPostgres
from tests.support.telegram_harness import RunningBot, link, running_bot
from tests.support.zalo_harness import RunningZalo, link_zalo, running_zalo

pytestmark = pytest.mark.slow

FOCAL = TelegramUser(8201, "Mai")
OFFICER = TelegramUser(8202, "Vinh", language_code="vi")
ON_ZALO = ZaloUser("6b2c3d4e5f60718293a4", "Bình")
HELD_VI = (
    "Hệ thống đang tạm gián đoạn. Tin nhắn của anh/chị đã được giữ lại và sẽ được xử lý ngay khi hệ thống "
    "hoạt động trở lại, anh/chị không cần gửi lại."
)
HELD_EN = (
    "The system is briefly unavailable. Your message has been kept and will be handled as soon as the system is back; "
    "there is no need to send it again."
)
QUICK = 3.0
T = TypeVar("T")


@pytest.fixture(scope="module")
def server() -> Iterator[TemporaryPostgres]:
    server = TemporaryPostgres()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def pg(server: TemporaryPostgres, lao_cai: Programme, clock: Clock) -> Iterator[Database]:
    db = make_engine(server.create_database("bad_day"))
    upgrade(db)
    with session_scope(db) as session:
        load_into(session, lao_cai, clock())
        record = session.exec(select(ProgrammeRecord)).one()
        load_sample(session, record.id, read_sample(LAO_CAI_SAMPLE), clock())  # type: ignore[arg-type]
    yield db
    db.dispose()


class Recording:
    channel = "fake"

    def __init__(self) -> None:
        self.texts: list[str] = []

    def split(self, text: str) -> list[str]:
        return [text]

    async def send_text(self, chat_ref: str, text: str) -> str:
        self.texts.append(text)
        return str(len(self.texts))


async def quickly(step: Awaitable[T]) -> T:
    """The step's answer, which must come within QUICK seconds."""
    started = time.monotonic()
    sent = await step
    assert time.monotonic() - started < QUICK
    return sent


async def until(condition, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def to_the_date_step(telegram: RunningBot, zalo: RunningZalo) -> None:
    types = only(await telegram.say(FOCAL, "/register"), FOCAL.id)
    await telegram.press(FOCAL, types, "Hội thảo khoa học")
    asks_date = only(await telegram.say(FOCAL, "Hội thảo chuyển đổi số trong ngành y tế"), FOCAL.id)
    assert asks_date.text.startswith("Bước 3/7")
    await zalo.say(ON_ZALO, "/register")
    await zalo.say(ON_ZALO, "Tập huấn kỹ thuật")
    assert only(await zalo.say(ON_ZALO, "Tập huấn kỹ thuật nuôi ong lấy mật"), ON_ZALO.id).text.startswith("Bước 3/7")


async def test_a_bad_database_day(server, pg, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    link(pg, "syt-specialist", FOCAL, clock())
    link(pg, "lhh-admin2", OFFICER, clock(), language="en")
    link_zalo(pg, "snnptnt-specialist", ON_ZALO, clock())
    engine = ConversationEngine(pg, clock, "lao-cai-31-2015")
    channel, stop = Recording(), asyncio.Event()
    with session_scope(pg) as session:
        enqueue(session, "bad-day:before", "fake", "chat-1", "before the outage", clock())
    sender = asyncio.create_task(OutboxSender(pg, {"fake": channel}, clock).run(stop, idle=0.2))
    scheduler = CycleScheduler(pg, clock, "lao-cai-31-2015", retry_every=0.2)
    assert "periods" in await scheduler.fire(("periods",))

    monkeypatch.setattr("bot.holding.RETRY_EVERY", 0.3)
    async with FakeTelegram() as fake_telegram, running_bot(engine, fake_telegram) as telegram:
        monkeypatch.setattr("bot.holding.RETRY_EVERY", 600.0)
        async with FakeZalo() as fake_zalo, running_zalo(engine, fake_zalo) as zalo:
            await to_the_date_step(telegram, zalo)
            assert only(await telegram.say(OFFICER, "/help"), OFFICER.id).text.startswith("Commands you can use:")
            await until(lambda: channel.texts == ["before the outage"])

            server.stop("immediate")
            for text in ("10/12/2026", "Phòng họp Sở Y tế"):
                assert only(await quickly(telegram.say(FOCAL, text)), FOCAL.id).text == HELD_VI
            assert only(await quickly(zalo.say(ON_ZALO, "5/12/2026")), ON_ZALO.id).text == HELD_VI
            assert only(await quickly(telegram.say(OFFICER, "/help")), OFFICER.id).text == HELD_EN
            refire = asyncio.create_task(scheduler.fire(("reminders",)))
            await asyncio.sleep(0.5)
            assert not sender.done() and not refire.done()

            server.restart()
            with session_scope(pg) as session:
                enqueue(session, "bad-day:after", "fake", "chat-1", "after the outage", clock())
            focal, officer = len(fake_telegram.sent_to(FOCAL.id)), len(fake_telegram.sent_to(OFFICER.id))
            await until(lambda: (len(fake_telegram.sent_to(FOCAL.id)), len(fake_telegram.sent_to(OFFICER.id))) == (focal + 2, officer + 1))
            asks_place, partners = fake_telegram.sent_to(FOCAL.id)[-2:]
            assert asks_place.text.startswith("Bước 4/7") and partners.text.startswith("Bước 5/7. Chọn các cơ quan phối hợp")
            assert fake_telegram.sent_to(OFFICER.id)[-1].text.startswith("Commands you can use:")
            await telegram.press(FOCAL, partners, "Xong")
            confirm = only(await telegram.say(FOCAL, "80"), FOCAL.id)
            assert "Ngày: 10/12/2026\nĐịa điểm: Phòng họp Sở Y tế" in confirm.text
            assert only(await telegram.press(FOCAL, confirm, "Lưu"), FOCAL.id).text.startswith("Đã lưu hoạt động số ")

            replayed, asks_partners = await zalo.say(ON_ZALO, "Xã Bản Phố, huyện Bắc Hà")
            assert replayed.text.startswith("Bước 4/7") and asks_partners.text.startswith("Bước 5/7")
            await zalo.say(ON_ZALO, "xong")
            confirm_on_zalo = only(await zalo.say(ON_ZALO, "35"), ON_ZALO.id)
            assert "Ngày: 05/12/2026\nĐịa điểm: Xã Bản Phố, huyện Bắc Hà" in confirm_on_zalo.text
            assert only(await zalo.say(ON_ZALO, "1"), ON_ZALO.id).text.startswith("Đã lưu hoạt động số ")

    assert "reminders" in await asyncio.wait_for(refire, 10)
    await until(lambda: channel.texts == ["before the outage", "after the outage"])
    stop.set()
    await sender
    titles = {"Hội thảo chuyển đổi số trong ngành y tế", "Tập huấn kỹ thuật nuôi ong lấy mật"}
    with session_scope(pg) as session:
        query = select(Activity).where(Activity.title.in_(titles))  # type: ignore[attr-defined]
        stored = [(activity.title, activity.planned_date, activity.place) for activity in session.exec(query)]
    assert sorted(stored) == [
        ("Hội thảo chuyển đổi số trong ngành y tế", date(2026, 12, 10), "Phòng họp Sở Y tế"),
        ("Tập huấn kỹ thuật nuôi ong lấy mật", date(2026, 12, 5), "Xã Bản Phố, huyện Bắc Hà"),
    ]


class Engine:
    """An engine whose database is up or down."""

    def __init__(self) -> None:
        self.down = False
        self.handled: list[str] = []
        self.received: dict[str, datetime | None] = {}

    async def handle(self, incoming: Incoming) -> list[Reply]:
        if self.down:
            return [Unavailable("try again", language="vi")]
        self.handled.append(str(incoming.text))
        self.received[str(incoming.text)] = incoming.received_at
        return [Reply(f"re: {incoming.text}", language="en")]


def said(chat: str, text: str) -> Incoming:
    return Incoming(channel="fake", user_ref=chat, chat_ref=chat, text=text, update_ref=f"{chat}:{text}")


async def test_kept_updates_are_bounded_and_handled_in_order() -> None:
    engine, ticks = Engine(), asyncio.Queue[None]()
    delivered: list[tuple[str, str]] = []

    async def deliver(incoming: Incoming, replies: list[Reply]) -> None:
        delivered.extend((incoming.chat_ref, reply.text) for reply in replies)

    async def sleep(_seconds: float) -> None:
        await ticks.get()

    kept_at = datetime(2026, 12, 14, 23, 59, tzinfo=UTC)
    holding = Holding(engine.handle, deliver, per_chat=3, in_all=5, sleep=sleep, clock=lambda: kept_at)
    assert [r.text for r in await holding.handle(said("a", "hi"))] == ["re: hi"]
    engine.down = True
    answers = [await holding.handle(said("a", f"a{n}")) for n in range(1, 5)]
    assert [r.text for r in answers[0]] == [HELD_EN] and answers[1:3] == [answers[0]] * 2
    assert unavailable(answers[3]) and answers[3][0].text == "The system is briefly unavailable. Please try again in a few minutes."
    assert [r.text for r in await holding.handle(said("b", "b1"))] == [HELD_VI]
    await holding.handle(said("b", "b2"))
    assert await holding.handle(said("c", "c1")) == [Unavailable("try again", language="vi")]
    assert holding.held == 5

    ticks.put_nowait(None)
    await until(lambda: ticks.empty())
    assert delivered == [] and holding.held == 5
    engine.down = False
    assert [r.text for r in await holding.handle(said("b", "b3"))] == ["re: b3"]
    assert delivered == [("b", "re: b1"), ("b", "re: b2")]
    ticks.put_nowait(None)
    await until(lambda: holding.held == 0)
    assert delivered[2:] == [("a", "re: a1"), ("a", "re: a2"), ("a", "re: a3")]
    assert engine.handled == ["hi", "b1", "b2", "b3", "a1", "a2", "a3"]
    assert engine.received == {"hi": None, "b3": None} | {kept: kept_at for kept in ("b1", "b2", "a1", "a2", "a3")}
    assert holding.backlogs == {}
