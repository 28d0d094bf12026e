"""Shared fixtures: a migrated database per test on SQLite or, with PHOIHOP_TEST_DB=postgresql,
on PostgreSQL (copied from one migrated template, or from a second one that also holds the
Lào Cai programme and its sample data for the tests that use `loaded`),
the shipped programmes, an injectable clock, and a chat driver for the engine."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine as Database
from sqlmodel import select

from handlers.engine import ConversationEngine
from handlers.types import ChatKind, FileRef, Incoming, Reply
from models.db.engine import make_engine, session_scope
from models.db.migrate import upgrade
from models.programme.loader import load_into
from models.programme.schema import Programme, load_programme
from models.programme.tables import ProgrammeRecord
from models.samples.sample_file import load_sample, read_sample
from tests.support.databases import BACKEND, MIGRATED, Databases, PostgresDatabases, SqliteDatabases
from tests.support.postgres import TemporaryPostgres

ROOT = Path(__file__).resolve().parent.parent
PROGRAMMES = ROOT / "programmes"
LAO_CAI = PROGRAMMES / "lao-cai-31-2015.toml"
LAO_CAI_SAMPLE = PROGRAMMES.parent / "samples" / "lao-cai-31-2015.toml"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
UPDATE_NUMBERS = itertools.count(1)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


START = local(2026, 11, 23)
"""Where the `clock` fixture starts, and when the sample template's data was loaded."""
SAMPLE = "sample"


@pytest.fixture(scope="session")
def postgres() -> Iterator[TemporaryPostgres]:
    """One PostgreSQL server for the session (see tests/support/postgres.py)."""
    server = TemporaryPostgres()
    server.start()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def databases(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Databases:
    """Where the suite's databases live: PHOIHOP_TEST_DB=postgresql runs it on PostgreSQL."""
    if BACKEND == "postgresql":
        server: TemporaryPostgres = request.getfixturevalue("postgres")
        return PostgresDatabases(server)
    return SqliteDatabases(tmp_path_factory.mktemp("databases"))


@pytest.fixture
def new_database(databases: Databases) -> Iterator[Callable[..., str]]:
    """Makes fresh databases on the suite's backend: `new_database()` is migrated to head,
    `new_database(migrated=False)` is empty, `new_database(template=SAMPLE)` holds the sample
    programme. Each is removed when the test ends."""
    made: list[str] = []

    def make(migrated: bool = True, template: str = MIGRATED) -> str:
        made.append(databases.create(migrated, template))
        return made[-1]

    yield make
    for url in made:
        databases.drop(url)


@pytest.fixture
def db(request: pytest.FixtureRequest, new_database: Callable[..., str]) -> Iterator[Database]:
    """A fresh migrated database; for a test that uses `loaded` (itself or through another
    fixture), a copy of the sample template, so that `loaded` has nothing left to write."""
    template = MIGRATED
    if "loaded" in request.fixturenames:
        request.getfixturevalue("sample_template")
        template = SAMPLE
    engine = make_engine(new_database(template=template))
    yield engine
    engine.dispose()


@pytest.fixture
def pg_db(postgres: TemporaryPostgres, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A fresh, migrated PostgreSQL database for one test, whatever the suite's backend."""
    name = "t_" + "".join(ch if ch.isalnum() else "_" for ch in request.node.name.lower())[:50]
    engine = make_engine(postgres.create_database(name))
    upgrade(engine)
    yield engine
    engine.dispose()
    postgres.drop_database(name)


@pytest.fixture(scope="session")
def lao_cai() -> Programme:
    return load_programme(LAO_CAI)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


def load_lao_cai(db: Database, programme: Programme, now: datetime) -> int:
    """Load the Lào Cai programme with the sample people and activities; its id."""
    with session_scope(db) as session:
        load_into(session, programme, now)
        record = session.exec(select(ProgrammeRecord)).one()
        load_sample(session, record.id, read_sample(LAO_CAI_SAMPLE), now)  # type: ignore[arg-type]
        return record.id  # type: ignore[return-value]


@pytest.fixture(scope="session")
def sample_template(databases: Databases, lao_cai: Programme) -> int:
    """The template SAMPLE: migrated, then the Lào Cai programme and its sample data loaded
    once for the session, at START (where `clock` starts); the programme's id."""
    programme_ids: list[int] = []
    databases.add_template(SAMPLE, lambda template: programme_ids.append(load_lao_cai(template, lao_cai, START)))
    return programme_ids[0]


@pytest.fixture
def loaded(db: Database, sample_template: int) -> int:
    """The Lào Cai programme loaded, with the sample people and activities; its id (`db` is
    a copy of the sample template, which already holds them)."""
    return sample_template


@pytest.fixture
def engine(db: Database, loaded: int, clock: Clock) -> ConversationEngine:
    return ConversationEngine(db, clock, "lao-cai-31-2015")


@dataclass
class Chat:
    """One person talking to the engine, as a channel adapter would."""

    engine: ConversationEngine
    user: str
    channel: str = "console"
    chat: str | None = None
    kind: ChatKind = ChatKind.PRIVATE
    language_code: str | None = None
    last: list[Reply] = field(default_factory=list)
    updates: int = 0

    def send(self, text: str) -> list[Reply]:
        return self._deliver(text=text)

    def send_file(self, file: FileRef, caption: str | None = None) -> list[Reply]:
        return self._deliver(file=file, text=caption)

    def press(self, label: str, reply: Reply | None = None) -> list[Reply]:
        """Press the button whose label contains `label` on the last reply with buttons."""
        source = reply or next(r for r in reversed(self.last) if r.buttons)
        button = next(b for row in source.buttons for b in row if label in b.label)
        return self._deliver(button=button.data)

    def press_data(self, data: str) -> list[Reply]:
        return self._deliver(button=data)

    def _deliver(self, **what: object) -> list[Reply]:
        self.updates += 1
        incoming = Incoming(
            channel=self.channel,
            user_ref=self.user,
            chat_ref=self.chat or self.user,
            chat_kind=self.kind,
            language_code=self.language_code,
            update_ref=self.next_update_ref(),
            **what,  # type: ignore[arg-type]
        )
        self.last = self.engine.handle(incoming)
        return self.last

    def next_update_ref(self) -> str:
        return f"{self.user}-{next(UPDATE_NUMBERS)}"

    @property
    def text(self) -> str:
        return "\n---\n".join(reply.text for reply in self.last)


@pytest.fixture
def chat(engine: ConversationEngine):  # type: ignore[no-untyped-def]
    def make(user: str, **options: object) -> Chat:
        return Chat(engine, user, **options)  # type: ignore[arg-type]

    return make


__all__ = ["UTC", "Chat", "Clock", "local"]
