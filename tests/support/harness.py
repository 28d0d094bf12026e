"""What the channel harnesses share: a bot serving in a task of the test against a fake Bot
API, driven update by update; each step waits until the bot has handled its update."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from aiohttp import ClientSession
from sqlalchemy.engine import Engine as Database
from sqlmodel import select

from bot.web.app import WebConfig, build_app
from bot.web.server import serve_web
from bot.web.webhooks import Webhooks
from handlers.engine import ConversationEngine
from models.db.engine import session_scope
from models.people.roster import link_identity
from models.people.tables import ChannelIdentity, Person
from tests.fakes.server import FakeBotApi, SentT

STEP_TIMEOUT = 5.0


class Listening(Protocol):
    """What the harness reads of a service's options (TelegramOptions, ZaloOptions)."""

    @property
    def webhook_url(self) -> str | None: ...

    @property
    def webhook_path(self) -> str: ...

    @property
    def listen(self) -> str: ...

    @property
    def port(self) -> int: ...


FakeT = TypeVar("FakeT", bound=FakeBotApi[Any, Any])
OptionsT = TypeVar("OptionsT", bound=Listening)
RefT = TypeVar("RefT")
Start = Callable[[asyncio.Event, Callable[[str], None]], Coroutine[Any, Any, None]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def link_sample(db: Database, sample_key: str, identity: tuple[str, str, str], now: datetime, language: str | None = None) -> int:
    """Give a sample person (known by their console key) an account on a channel; their id."""
    with session_scope(db) as session:
        person = session.exec(
            select(Person).join(ChannelIdentity, ChannelIdentity.person_id == Person.id).where(ChannelIdentity.user_ref == sample_key)
        ).one()
        link_identity(session, person, identity, now)
        if language:
            person.language = language
        return person.id  # type: ignore[return-value]


def only(sent: list[SentT], chat_id: int | str) -> SentT:
    """The one message of a step, which must have gone to `chat_id`."""
    assert [message.chat_id for message in sent] == [chat_id], [m.text for m in sent]
    return sent[0]


@dataclass
class Running(Generic[FakeT, OptionsT, RefT]):
    """The running bot: counts the updates it has handled, by their reference (the
    service's `on_handled`), so that a step can wait for its own."""

    fake: FakeT
    options: OptionsT
    handled: Counter[RefT] = field(default_factory=Counter)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    secret_header: ClassVar[str]
    webhook_secret: ClassVar[str]

    def note(self, ref: RefT) -> None:
        self.handled[ref] += 1
        asyncio.get_running_loop().create_task(self._wake())

    async def _wake(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def handled_times(self, ref: RefT, times: int = 1) -> None:
        async def waiting() -> None:
            async with self.changed:
                await self.changed.wait_for(lambda: self.handled[ref] >= times)

        await asyncio.wait_for(waiting(), STEP_TIMEOUT)

    async def post(self, body: object, secret: str | None) -> int:
        headers = {self.secret_header: secret} if secret is not None else {}
        url = f"http://{self.options.listen}:{self.options.port}/{self.options.webhook_path}"
        async with ClientSession() as client, client.post(url, json=body, headers=headers) as response:
            return response.status

    async def _deliver(self, ref: RefT, body: object, push: Callable[[], object]) -> list[Any]:
        """What the bot sent while handling the update `ref`: POSTed as `body` to the webhook if
        it has one, else handed to getUpdates by `push`."""
        mark = len(self.fake.sent)
        times = self.handled[ref] + 1
        if self.options.webhook_url:
            status = await self.post(body, self.webhook_secret)
            assert status == 200, status
        else:
            push()
        await self.handled_times(ref, times)
        return self.fake.sent[mark:]


@asynccontextmanager
async def serving(start: Start) -> AsyncIterator[None]:
    """Run `start(stop, on_ready)` in a task for the block; fail if it is not ready in time."""
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(start(stop, lambda _name: ready.set()))
    waiting = asyncio.create_task(ready.wait())
    await asyncio.wait({task, waiting}, timeout=STEP_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
    if not ready.is_set():
        waiting.cancel()
        stop.set()
        await task
        raise AssertionError("the bot did not start")
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, STEP_TIMEOUT)


@asynccontextmanager
async def web_serving(engine: ConversationEngine, port: int, hooks: Webhooks | None) -> AsyncIterator[None]:
    """The web app on 127.0.0.1:`port`, serving the channels' webhooks from `hooks` (no
    `hooks`: nothing is started, the channel serves its webhook on that port itself)."""
    if hooks is None:
        yield
        return
    stop, up = asyncio.Event(), asyncio.Event()
    app = build_app(engine, WebConfig("https://bot.example.vn", "k" * 40), hooks)
    task = asyncio.create_task(serve_web(app, "127.0.0.1", port, stop, up))
    await asyncio.wait({task, asyncio.create_task(up.wait())}, return_when=asyncio.FIRST_COMPLETED)
    try:
        yield
    finally:
        stop.set()
        await asyncio.gather(task, return_exceptions=True)
