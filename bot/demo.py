"""`phoihop demo`: a programme (Lào Cai unless `--programme` or PHOIHOP_PROGRAMME names
another) in a fresh SQLite file, with sample agencies and people, chatted with in the
terminal. No token, no network.

Demo-only commands, handled before the engine: /as KEY (speak as another person, or as a
newcomer: /as new), /clock +7 or /clock 2027-06-10 (move time), /whoami, /demo (this list).

The scheduler runs as in production, on the demo's clock: each move of the clock runs the
day's jobs, and the outbox sender delivers to an in-memory inbox, so a person sees the
reminders and notices addressed to them after their next line.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine as Database
from sqlmodel import col, select

from bot.clock import ShiftedClock
from bot.inbox import Inbox
from bot.sender import Limits, OutboxSender
from handlers.engine import ConversationEngine
from locales.catalogue import DEFAULT_LANGUAGE, localised, t
from locales.formats import format_moment
from models.conversations.tables import Conversation
from models.db.engine import make_engine, session_scope
from models.db.migrate import upgrade
from models.people.tables import ChannelIdentity, Person, Role
from models.programme.loader import load_into
from models.programme.schema import Programme, load_programme
from models.programme.served import ServedProgramme, zone_of
from models.programme.tables import Agency, ProgrammeRecord
from models.samples.sample_file import SAMPLE_CHANNEL, load_sample, sample_for
from models.web.signin import issue_link
from scheduler.service import CycleScheduler

PROGRAMMES = Path(__file__).resolve().parent.parent / "programmes"
DEMO_PROGRAMME = PROGRAMMES / "lao-cai-31-2015.toml"
SAMPLES = PROGRAMMES.parent / "samples"
"""Sample people and activities, one file per programme, named as the programme's file."""
DEMO_SAMPLE = SAMPLES / "lao-cai-31-2015.toml"
NEWCOMER = "new"
_SHIFT = re.compile(r"^\+(\d{1,4})\s*([dw]?)$")


def fresh_database(path: Path) -> Database:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = make_engine(f"sqlite:///{path}")
    upgrade(db)
    return db


def seed_demo(db: Database, now: datetime, programme_file: Path = DEMO_PROGRAMME) -> Programme:
    """The programme and its sample people (and activities, where its sample file has them)."""
    programme = load_programme(programme_file)
    with session_scope(db) as session:
        load_into(session, programme, now)
        record = session.exec(select(ProgrammeRecord).where(ProgrammeRecord.code == programme.code)).one()
        load_sample(session, record.id, sample_for(programme_file, programme, SAMPLES), now)
    return programme


UNPACED = {SAMPLE_CHANNEL: Limits(per_second=10_000, per_chat_per_second=10_000, per_group_per_minute=600_000)}


@dataclass
class Demo:
    db: Database
    clock: ShiftedClock
    engine: ConversationEngine
    zone: ZoneInfo
    who: str
    scheduler: CycleScheduler
    programme: Programme
    inbox: Inbox = field(default_factory=lambda: Inbox(SAMPLE_CHANNEL))
    newcomers: int = 0

    def deliver(self) -> list[str]:
        """Send what the outbox holds, and show what arrived for the current person."""
        sender = OutboxSender(self.db, {SAMPLE_CHANNEL: self.inbox}, self.clock, UNPACED, worker="demo")
        asyncio.run(sender.drain())
        language = self.language(self.who)
        shown = [t("demo.inbox", language, text=text) for text in self.inbox.take(self.who)]
        others = self.inbox.others(self.who)
        if others:
            shown.append(t("demo.inbox_others", language, count=others))
        return shown

    def admin_sign_in_link(self, web_url: str) -> str:
        """A single-use sign-in link to the web for the demo's first admin."""
        with session_scope(self.db) as session:
            admin = session.exec(select(Person).where(Person.role == Role.ADMIN, col(Person.active) == True).order_by(col(Person.id))).first()  # noqa: E712
            assert admin is not None
            return f"{web_url.rstrip('/')}/signin/{issue_link(session, admin.id, self.clock())}"

    def people(self) -> dict[str, str]:
        """Sample key -> 'name · agency'."""
        with session_scope(self.db) as session:
            query = (
                select(ChannelIdentity.user_ref, Person.full_name, Agency.code, Person.active)
                .join(Person, col(Person.id) == ChannelIdentity.person_id)
                .join(Agency, col(Agency.id) == Person.agency_id)
                .where(ChannelIdentity.channel == SAMPLE_CHANNEL)
                .order_by(col(ChannelIdentity.id))
            )
            return {key: f"{name} · {agency}" for key, name, agency, active in session.exec(query) if active}

    def language(self, who: str) -> str:
        with session_scope(self.db) as session:
            person = session.exec(
                select(Person.language)
                .join(ChannelIdentity, col(ChannelIdentity.person_id) == Person.id)
                .where(ChannelIdentity.channel == SAMPLE_CHANNEL, ChannelIdentity.user_ref == who)
            ).first()
            chosen = session.exec(
                select(Conversation.language).where(Conversation.channel == SAMPLE_CHANNEL, Conversation.user_ref == who)
            ).first()
        return person or chosen or DEFAULT_LANGUAGE

    def prompt(self) -> str:
        return f"[{self.people().get(self.who, t('demo.guest', self.language(self.who)))}] > "

    def command(self, text: str) -> str | None:
        """Handle a demo-only command; None for anything the bot itself should see."""
        name, _, rest = text.partition(" ")
        language = self.language(self.who)
        if name == "/as":
            return self.switch(rest.strip(), language)
        if name == "/clock":
            return self.move_clock(rest.strip(), language)
        if name == "/whoami":
            return t("demo.whoami", language, who=self.people().get(self.who, t("demo.guest", language)), now=self.now_text(language))
        if name == "/demo":
            return self.banner(language)
        return None

    def switch(self, key: str, language: str) -> str:
        if key == NEWCOMER:
            self.newcomers += 1
            self.who = f"guest-{self.newcomers}"
            return t("demo.as_newcomer", language)
        people = self.people()
        if key not in people:
            return t("demo.as_unknown", language, key=key, keys=", ".join(people))
        self.who = key
        return t("demo.as", self.language(key), who=people[key])

    def move_clock(self, arg: str, language: str) -> str:
        shift = _SHIFT.match(arg)
        try:
            if shift:
                days = int(shift.group(1)) * (7 if shift.group(2) == "w" else 1)
                self.clock.advance(timedelta(days=days))
            else:
                self.clock.jump_to(datetime.combine(date.fromisoformat(arg), time(9, 0), tzinfo=self.zone))
        except ValueError:
            return t("demo.clock_bad", language, text=arg)
        written = sum(self.scheduler.run_once().values())
        return t("demo.clock", language, now=self.now_text(language), written=written)

    def now_text(self, language: str) -> str:
        return format_moment(self.clock().astimezone(self.zone), language)

    def banner(self, language: str) -> str:
        people = "\n".join(f"  {key}: {label}" for key, label in self.people().items())
        name = localised(self.programme.programme.name, self.programme.programme.name_en, language)
        return t("demo.banner", language, people=people, now=self.now_text(language), programme=name, code=self.programme.code)


def start_demo(
    path: Path,
    clock: ShiftedClock,
    who: str,
    timezone: str | None = None,
    invite_days: int = 7,
    programme_file: Path = DEMO_PROGRAMME,
    web_url: str | None = None,
) -> Demo:
    db = fresh_database(path)
    programme = seed_demo(db, clock(), programme_file)
    served = ServedProgramme(programme.code, timezone)
    engine = ConversationEngine(db, clock, invite_days=invite_days, served=served, web_url=web_url)
    scheduler = CycleScheduler(db, clock, served=served)
    scheduler.run_once()
    demo = Demo(db, clock, engine, zone_of(programme, timezone), who, scheduler, programme)
    if who == NEWCOMER:
        demo.switch(NEWCOMER, DEFAULT_LANGUAGE)
    return demo
