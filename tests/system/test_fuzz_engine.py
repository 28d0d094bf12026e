"""10,000 hostile and careless updates through the conversation engine (hypothesis).

Random text with emoji, right-to-left scripts, zero-width and control characters;
10,000-character messages; SQL-looking strings; HTML and Markdown; every command with
random arguments, in any state; numbered choices; real, stale, another person's and forged
button data; files; invite and link codes, real and not; redelivered updates. Spoken by
members (some in English), by two deactivated people and by strangers (whose clients
announce various languages), in private chats and in groups.

After every update: no exception reached the caller and none was logged, no reply is the
'internal error' one, every reply to the speaker is written from the catalogue of their
language and labelled with it, button data fits Telegram's 64 bytes. After every example:
nobody who has not consented left a trace in any table beyond `tolerated_trace`, SQL-looking
input changed no catalogue table, and nothing stored is longer than its column (PostgreSQL
would refuse it) or holds NUL. Each example starts from the same database.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.engine import Engine as Database

from bot.telegram.adapter import TelegramAdapter
from bot.telegram.outgoing import CALLBACK_LIMIT, send_reply
from bot.telegram.service import TelegramOptions, build_application
from bot.zalo.outgoing import render as zalo_render
from handlers.basics import LANGUAGE_NAMES
from handlers.engine import ConversationEngine
from handlers.types import Button, ChatKind, Incoming, Reply
from locales.catalogue import LANGUAGES, catalogue, t
from models.conversations.tables import Conversation
from models.db.engine import session_scope
from models.people.invites import issue
from models.people.roster import deactivate, link_identity
from models.people.tables import ChannelIdentity, Invite, LinkCode, Person, Role
from models.programme.schema import Programme
from models.programme.tables import Agency
from tests.conftest import LAO_CAI, LAO_CAI_SAMPLE, Clock
from tests.support.fuzz_updates import (
    ENGLISH_KEYS,
    FORMER_KEYS,
    GROUPS,
    HOSTILE,
    NAVIGATION,
    PLAUSIBLE,
    SEATS,
    STARTERS,
    STEP_ANSWERS,
    STRANGERS,
    ZALO_MEMBER,
    CatalogueLanguage,
    DatabaseImage,
    Move,
    Script,
    Speaker,
    Step,
    answer_for,
    cast,
    forged,
    mangled_code,
    normalised,
    person_columns,
    read_all,
    scripts,
    string_limits,
    tables,
)

pytestmark = pytest.mark.slow

EXAMPLES = 100
UPDATES_PER_EXAMPLE = 100
TOTAL = 10_000
PROGRAMME = "lao-cai-31-2015"
CATALOGUE_TABLES = ("programme", "agency_kind", "agency", "activity_type", "indicator", "assigned_task", "task_assignment")
INVITES = (("SXD", Role.LEADER, 0), ("SYT", Role.SPECIALIST, 0), ("SNV", Role.VIEWER, 0), ("SAPA", Role.LEADER, -30))
QUIET_TEXT_LENGTH = 10
FORM_DATA = frozenset({"_trail", "_choices", "_shortcuts", "_free", "_waits"})
JOIN_DATA = FORM_DATA | {"code", "agency", "role"}
ALARMS = frozenset(t(key, lang) for key in ("common.internal_error", "common.try_again") for lang in LANGUAGES)


def _look() -> Select[Any]:
    """The account's person (language, active), the chat's chosen language and the step
    its form stands on, in one row."""
    account = (ChannelIdentity.channel == bindparam("channel")) & (ChannelIdentity.user_ref == bindparam("user_ref"))
    person = select(Person.language).join(ChannelIdentity, ChannelIdentity.person_id == Person.id).where(account).limit(1)
    chat = (Conversation.channel == bindparam("channel")) & (Conversation.user_ref == bindparam("user_ref"))
    chosen = select(Conversation.language).where(chat & (Conversation.chat_ref == bindparam("chat_ref")))
    active = person.with_only_columns(Person.active)
    step = chosen.with_only_columns(Conversation.step)
    return select(person.scalar_subquery(), active.scalar_subquery(), chosen.scalar_subquery(), step.scalar_subquery())


LOOK = _look()


@dataclass
class World:
    """The database every example starts from, and what the checks compare with."""

    db: Database
    image: DatabaseImage
    start: datetime
    default_language: str
    judge: CatalogueLanguage
    former_ids: dict[str, int]
    known_text: str


@pytest.fixture
def world(db: Database, loaded: int, lao_cai: Programme, clock: Clock) -> World:
    """Lào Cai with its sample people (five read English, two are deactivated, one also
    writes from Zalo) and four invites, the last one expired."""
    with session_scope(db) as session:
        people = {
            identity.user_ref: person
            for identity, person in session.exec(select(ChannelIdentity, Person).join(Person, Person.id == ChannelIdentity.person_id))
        }
        for key in ENGLISH_KEYS:
            people[key].language = "en"
        for key in FORMER_KEYS:
            deactivate(session, people[key], clock(), "fuzz")
        key, channel, ref = ZALO_MEMBER
        link_identity(session, people[key], (channel, ref, ref), clock())
        agencies = {agency.code: agency for agency in session.scalars(select(Agency))}
        for code, role, days in INVITES:
            issue(session, agencies[code], role, clock() + timedelta(days=days), 7, people["lhh-admin"])
        former_ids = {key: people[key].id for key in FORMER_KEYS}
    image = DatabaseImage(db)
    stored = (s for rows in image.rows.values() for row in rows for value in row.values() for s in strings(value))
    labels = (text for lang in LANGUAGES for text in catalogue(lang).values())
    known = "\x1f".join(normalised(s) for s in itertools.chain(stored, labels, LANGUAGE_NAMES.values(), SEATS))
    return World(db, image, clock(), lao_cai.programme.default_language, language_check(), former_ids, known)  # type: ignore[arg-type]


@cache
def language_check() -> CatalogueLanguage:
    """Programme and sample texts, the fuzz pools and the language names appear in
    replies of both languages: none of them counts as a sign of either."""
    files = [LAO_CAI.read_text(encoding="utf-8"), LAO_CAI_SAMPLE.read_text(encoding="utf-8")]
    answers = [answer for pool in STEP_ANSWERS.values() for answer in pool]
    return CatalogueLanguage([*files, *HOSTILE, *PLAUSIBLE, *answers, *LANGUAGE_NAMES.values()])


def strings(value: Any) -> Iterator[str]:
    """Every string in a cell, inside JSON too."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Look:
    """Where an account stands, read from the tables: member, former or stranger, and the
    language the engine owes them."""

    status: str
    language: str
    step: str | None = None


@dataclass
class Run:
    world: World
    errors: ErrorLog
    examples: int = 0
    updates: int = 0
    sent: int = 0


class Episode:
    """One example: a fresh copy of the world, and the script's updates sent one by one."""

    def __init__(self, run: Run, script: Script) -> None:
        self.run, self.world, self.script = run, run.world, script
        self.world.image.restore(self.world.db)
        self.clock = Clock(self.world.start)
        self.engine = ConversationEngine(self.world.db, self.clock, PROGRAMME)
        self.cast = cast()
        accounts = sorted({speaker.account for speaker in self.cast})
        self.client_language = dict(zip(accounts, script.clients, strict=True))
        self.display_name = dict(zip(accounts, script.names, strict=True))
        self.chat_title = dict(zip(GROUPS, script.titles, strict=True))
        self.latest: dict[tuple[str, str, str], list[Button]] = {}
        self.seen: dict[tuple[str, str, str], list[str]] = {}
        self.expects: dict[tuple[str, str, str], bool] = {}
        self.all_payloads: list[str] = []
        self.previous: Incoming | None = None
        self.speaker: Speaker | None = None
        self.last_look: tuple[tuple[str, str, str], Look] | None = None
        self.history: deque[str] = deque(maxlen=6)
        self.updates = 0
        self.ever_member: set[tuple[str, str]] = set()
        self.quiet_texts: dict[tuple[str, str], set[str]] = {}
        self.member_texts: set[str] = set()
        watched = [speaker.account for speaker in self.cast if speaker.user_ref in FORMER_KEYS or speaker.account in STRANGERS]
        self.watched = list(dict.fromkeys(watched))
        self.baseline = {account: self.traces(self.world.image.rows, account) for account in self.watched}

    def play(self) -> None:
        with self.world.db.connect().execution_options(isolation_level="AUTOCOMMIT") as self.reader:
            for step in self.script.steps:
                self.step(step)
        self.audit()

    # -- what is sent

    def next_update(self, step: Step, speaker: Speaker, form_step: str | None) -> tuple[str, Incoming]:
        """The step's answer while a prompt of the speaker's waits, its idle move when none
        does. Presses, labels and codes are picked among those that exist now; a press
        picks Back or Cancel only as 'nav'; a plausible answer suits the form's step."""
        offered = self.latest.get(speaker.place, [])
        move = step.answer if offered else step.idle
        kind, content, pick = move.kind, move.content, step.pick
        if kind == "redeliver" and self.previous is not None:
            return kind, self.previous
        if kind == "stale" and not self.seen.get(speaker.place):
            kind, content = "forged", (pick % 14, "")
        if kind in ("other", "forged", "redeliver") and not self.all_payloads:
            kind, content = "starter", STARTERS[pick % len(STARTERS)]
        forward = [b for b in offered if b.data.partition(":")[2] not in NAVIGATION]
        if kind == "button" and (self.expects.get(speaker.place) or not forward):
            kind = "plausible"
        text: str | None = None
        button: str | None = None
        file = None
        if kind == "press":
            wanted = [b for b in offered if b.data.partition(":")[2] == content]
            button = (wanted or forward or offered or [Button("", content)])[0].data
        elif kind in ("button", "nav"):
            choices = forward if kind == "button" else offered
            button = choices[pick % len(choices)].data
        elif kind == "plausible":
            text, file = answer_for(form_step, content, pick)
        elif kind == "label":
            label = offered[pick % len(offered)].label
            text = (label, label.lower(), f" {label.upper()} ", label[2:])[content]
        elif kind == "stale":
            button = self.seen[speaker.place][pick % len(self.seen[speaker.place])]
        elif kind == "other":
            button = self.all_payloads[pick % len(self.all_payloads)]
        elif kind == "forged":
            button = forged(self.all_payloads[pick % len(self.all_payloads)], *content)
        elif kind == "starter":
            text = "/" + content
        elif kind == "code":
            text = self.code_command(*content, pick)
        elif kind == "file":
            file, text = content
        else:
            text = content
        self.updates += 1
        incoming = Incoming(
            channel=speaker.channel,
            user_ref=speaker.user_ref,
            chat_ref=speaker.chat_ref,
            chat_kind=speaker.kind,
            text=text,
            button=button,
            file=file,
            update_ref=str(7_000_000 + self.updates),
            display_name=self.display_name[speaker.account],
            language_code=self.client_language[speaker.account],
            chat_title=self.chat_title.get(speaker.chat_ref),
        )
        return kind, incoming

    def code_command(self, kind: str, typed_as: int, made_up: str, pick: int) -> str:
        """/start or /link with a real code (as a person may type it), a made-up one, or
        /invite, which makes a real one when an admin sends it."""
        if kind == "make":
            return "/invite " + SEATS[pick % len(SEATS)]
        table = LinkCode if kind == "link" else Invite
        with self.world.db.connect() as connection:
            pool = list(connection.execute(select(table.code).order_by(table.id)).scalars())
        code = mangled_code(pool[pick % len(pool)], typed_as) if pool and kind != "made up" else made_up
        return f"/{'link' if kind == 'link' else 'start'} {code}"

    def step(self, step: Step) -> None:
        if self.speaker is None or step.switch:
            self.speaker = self.cast[step.speaker % len(self.cast)]
        speaker = self.speaker
        before = self.last_look[1] if self.last_look and self.last_look[0] == speaker.place else self.look(speaker)
        kind, incoming = self.next_update(step, speaker, before.step)
        self.run.sent += 1
        if kind == "redeliver":
            self.updates += 1
            assert self.engine.handle(incoming) == [], f"a redelivered update was handled twice: {incoming}"
            return
        self.clock.advance(minutes=1)
        self.run.errors.records.clear()
        replies = self.engine.handle(incoming)
        after = self.look(speaker)
        self.last_look = (speaker.place, after)
        self.history.append(f"{kind} {speaker.place} {_short(incoming)} -> {[_short_text(r.text) for r in replies]}")
        self.check(speaker, incoming, replies, before, after)
        self.remember(speaker, incoming, replies, before, after)
        self.previous = incoming

    def look(self, speaker: Speaker) -> Look:
        channel, user_ref = speaker.account
        where = {"channel": channel, "user_ref": user_ref, "chat_ref": speaker.chat_ref}
        language, active, chosen, step = self.reader.execute(LOOK, where).one()
        if active:
            return Look("member", language, step)
        # the app's language is not followed (issue 15): a stranger reads what they chose, else the default
        return Look("former" if active is not None else "stranger", chosen or self.world.default_language, step)

    def check(self, speaker: Speaker, incoming: Incoming, replies: list[Reply], before: Look, after: Look) -> None:
        problems = [f"logged {r.levelname}: {r.getMessage()}\n{_traceback(r)}" for r in self.run.errors.records]
        allowed = {before.language, after.language}
        for reply in replies:
            if reply.text in ALARMS:
                problems.append(f"the engine answered with its error reply {reply.text!r}")
                continue
            if not reply.text.strip() and reply.document is None:
                problems.append("an empty reply")
            long_data = [b.data for b in reply.choices() if len(b.data.encode()) > CALLBACK_LIMIT]
            if long_data:
                problems.append(f"button data longer than {CALLBACK_LIMIT} bytes: {long_data}")
            if reply.chat_ref is not None:
                continue
            if reply.language not in allowed:
                problems.append(f"reply labelled {reply.language!r}, the speaker reads {sorted(allowed)}")
            written = reply.language if reply.language in allowed else after.language
            labels = [b.label for b in reply.choices()]
            problems += [f"not in {written!r}: {why}" for why in self.world.judge.problems(reply.text, labels, written)]
        if problems:
            raise AssertionError(self.report(speaker, incoming, replies, problems))

    def remember(self, speaker: Speaker, incoming: Incoming, replies: list[Reply], before: Look, after: Look) -> None:
        offered = [b for reply in replies if reply.chat_ref is None for b in reply.choices()]
        if replies:
            self.latest[speaker.place] = offered
            self.expects[speaker.place] = any(reply.expects_text for reply in replies if reply.chat_ref is None)
        if offered:
            self.seen.setdefault(speaker.place, []).extend(b.data for b in offered)
            self.all_payloads.extend(b.data for b in offered)
        if "member" in (before.status, after.status):
            self.ever_member.add(speaker.account)
        typed = _typed(incoming)
        if typed is None:
            return
        if before.status == "member":
            self.member_texts.add(typed)
        else:
            self.quiet_texts.setdefault(speaker.account, set()).add(typed)

    def report(self, speaker: Speaker, incoming: Incoming, replies: list[Reply], problems: list[str]) -> str:
        lines = [f"update {self.updates} from {speaker}", f"  in: {incoming!r}"[:2000]]
        lines += [f"  out: {reply!r}"[:1500] for reply in replies]
        lines += ["  problems:", *(f"    - {p}" for p in problems), "  recent updates:", *(f"    {h}" for h in self.history)]
        return "\n".join(lines)

    # -- after the example

    def traces(self, rows: dict[str, list[dict[str, Any]]], account: tuple[str, str]) -> set[tuple[str, str]]:
        """Every row that names the account, or points at the person it belonged to, as text."""
        user_ref = account[1]
        person_id = self.world.former_ids.get(user_ref)
        pointers = person_columns()
        found = set()
        for table, table_rows in rows.items():
            for row in table_rows:
                named = any(user_ref in s for value in row.values() for s in strings(value))
                pointed = person_id is not None and any(row[column] == person_id for column in pointers[table])
                if named or pointed:
                    found.add((table, repr(sorted(row.items()))))
        return found

    def audit(self) -> None:
        with self.world.db.connect() as connection:
            rows = read_all(connection)
            names = set(inspect(connection).get_table_names())
        problems = []
        if names - {"alembic_version"} != {table.name for table in tables()}:
            problems.append(f"tables changed: {sorted(names)}")
        for table in CATALOGUE_TABLES:
            # as sets: PostgreSQL returns rows in the order autovacuum leaves them after a restore
            if sorted(map(repr, rows[table])) != sorted(map(repr, self.world.image.rows[table])):
                problems.append(f"catalogue table {table} changed")
        problems += self.stored_shapes(rows)
        problems += self.non_member_traces(rows)
        problems += self.quiet_text_traces(rows)
        if problems:
            raise AssertionError(
                "after the example:\n" + "\n".join(f"  - {p}" for p in problems) + "\n  recent: " + "\n".join(self.history)
            )

    def stored_shapes(self, rows: dict[str, list[dict[str, Any]]]) -> list[str]:
        """What PostgreSQL would refuse and SQLite takes: text over its column's length, NUL
        in a text column (a JSON column may hold it)."""
        problems = []
        for table, limits in string_limits().items():
            for row in rows[table]:
                for column, value in row.items():
                    if isinstance(value, str) and column in limits and len(value) > limits[column]:
                        problems.append(f"{table}.{column} holds {len(value)} characters, more than {limits[column]}")
                    if isinstance(value, str) and "\x00" in value:
                        problems.append(f"{table}.{column} holds NUL, which PostgreSQL refuses: {value!r}"[:300])
        return problems

    def non_member_traces(self, rows: dict[str, list[dict[str, Any]]]) -> list[str]:
        now = self.clock()
        invites = {row["code"]: row for row in rows["invite"]}
        problems = []
        for account in self.watched:
            if account in self.ever_member:
                continue
            for table, row_text in sorted(self.traces(rows, account) - self.baseline[account]):
                row = next(r for r in rows[table] if repr(sorted(r.items())) == row_text)
                if not tolerated_trace(table, row, account, self.world.former_ids.get(account[1]), invites, now):
                    problems.append(f"{account} never consented, yet {table} holds {row_text}"[:600])
        return problems

    def quiet_text_traces(self, rows: dict[str, list[dict[str, Any]]]) -> list[str]:
        cells = [
            (table, column, normalised(text))
            for table, table_rows in rows.items()
            for row in table_rows
            for column, value in row.items()
            for text in strings(value)
        ]
        stored = "\x1f".join(text for _, _, text in cells)
        problems = []
        for account, texts in self.quiet_texts.items():
            if account in self.ever_member:
                continue
            for text in sorted(texts - self.member_texts):
                if len(text) >= QUIET_TEXT_LENGTH and text not in self.world.known_text and text in stored:
                    where = sorted({f"{table}.{column}" for table, column, cell in cells if text in cell})
                    problems.append(f"{account} never consented, yet what they typed is stored in {where}: {text[:80]!r}")
        return problems


def tolerated_trace(
    table: str, row: dict[str, Any], account: tuple[str, str], former_id: int | None, invites: dict[str, Any], now: datetime
) -> bool:
    """What may be kept, keyed by the account, for someone who has not consented:
    - the join form while the notice of a still valid invite waits for an answer
      (handlers/join.py: only the code, the agency and the role, keyed by chat), or of
      one used meanwhile by someone else: the form is its owner's, ended when they next
      answer (and told), not by the other joiner's transaction; the nightly purge takes
      it after a week otherwise;
    - the language they chose themselves with /lang, and that choice's own prompt:
      kept on purpose (handlers/forms.py `finish`, tests/conversations/test_commands.py
      `test_language_choice`), so a stranger on a channel that announces no language can
      read the consent notice in English;
    - for a former member, their erasure (/forgetme): its confirmation prompt, then the
      person row with `erased_at` set and the log entry that records it.
    Anything else is a trace: a row of another table, or the account's last-seen time."""
    if former_id is not None and table == "person" and row["id"] == former_id:
        return row["erased_at"] is not None
    if former_id is not None and table == "processing_log" and row["person_id"] == former_id:
        return row["action"] == "erased"
    if table != "conversation" or (row["channel"], row["user_ref"]) != account:
        return False
    data = set(row["data"])
    if row["flow"] == "join":
        invite = invites.get(row["data"].get("code"))
        valid = invite is not None and (invite["used_at"] is not None or invite["expires_at"] > now)
        return data <= JOIN_DATA and valid
    if row["flow"] == "forgetme":
        return former_id is not None and data <= FORM_DATA
    return row["flow"] in (None, "lang") and data <= FORM_DATA and (row["language"] in LANGUAGES or row["flow"] == "lang")


def _typed(incoming: Incoming) -> str | None:
    """What the person typed that a handler might keep: the text, or a command's arguments
    (not /start and /link, whose argument is a code the database already holds)."""
    text = normalised(incoming.text or "")
    if text.startswith("/"):
        head, _, args = text.partition(" ")
        return None if head.lower().split("@")[0] in ("/start", "/link") else args or None
    return text or None


def _short(incoming: Incoming) -> str:
    what = incoming.button if incoming.button is not None else incoming.text
    return f"{'button' if incoming.button is not None else 'file' if incoming.file else 'text'} {what!r}"[:120]


def _short_text(text: str) -> str:
    return text[:50].replace("\n", " ")


def _traceback(record: logging.LogRecord) -> str:
    if not record.exc_info:
        return ""
    return logging.Formatter().formatException(record.exc_info)[-3000:]


def said(speaker: str, kind: str, content: Any = None, pick: int = 0) -> Step:
    """A scripted update by `speaker`: a sample key or stranger, '@group' for their group
    chat, '@zalo' for the member's Zalo account."""
    key, _, where = speaker.partition("@")
    index = next(
        i
        for i, s in enumerate(cast())
        if s.key == key and (s.kind is ChatKind.GROUP) == (where == "group") and (where != "zalo" or s.channel == "zalo")
    )
    return Step(True, index, Move(kind, content), Move(kind, content), pick)


def scenario() -> Script:
    """One example written by hand, run before the drawn ones, so that the deep paths are
    walked every time: a notice declined, one abandoned (its invite then used by someone
    else), two accepted; numbers in other scripts at a choice step; NUL and markup in a
    broadcast and in an activity's title; a language changed in the middle of a form;
    former members choosing a language, reading their data, erasing it, coming back."""
    sxd, syt, snv, expired = 0, 1, 2, 3
    steps = [
        said("stranger-03", "starter", "lang en"),
        said("stranger-03", "code", ("start", 0, ""), pick=sxd),
        said("stranger-03", "number", "①"),
        said("stranger-03", "number", "9" * 5000),
        said("stranger-03", "press", "no"),
        said("stranger-04", "code", ("start", 1, ""), pick=sxd),
        said("stranger-01", "code", ("start", 2, ""), pick=snv),
        said("stranger-01", "text", "<b>đồng ý</b>"),
        said("stranger-01", "press", "yes"),
        said("stranger-01", "text", "Trần\u202e Thị Hoa"),
        said("stranger-02", "code", ("start", 0, ""), pick=expired),
        said("stranger-02", "other", pick=0),
        said("stranger-02", "command", "/forgetme"),
        said("stranger-02@group", "command", "/bind all"),
        said("stranger-02", "code", ("start", 3, ""), pick=sxd),
        said("stranger-02", "press", "yes"),
        said("stranger-02", "text", "John Nguyen"),
        said("lhh-admin", "command", "/broadcast all Họp\x00 giao ban <b>quý IV</b>"),
        said("lhh-admin", "press", "send"),
        said("lhh-admin@group", "starter", "bind all"),
        said("syt-specialist", "starter", "register"),
        said("syt-specialist", "button", pick=0),
        said("syt-specialist", "text", "Hội thảo\x00 <i>khoa học</i>"),
        said("syt-specialist", "text", "15/12/2026"),
        said("syt-specialist", "text", "Lào Cai"),
        said("syt-specialist", "press", "ok"),
        said("syt-specialist", "press", "skip"),
        said("syt-specialist", "press", "save"),
        said("syt-specialist", "command", "/attach ²"),
        said("syt-specialist", "command", "/attach " + "9" * 5000),
        said("syt-specialist", "command", "/activity ²"),
        said("syt-specialist", "command", "/activity " + "9" * 5000),
        said("syt-specialist", "starter", "lang"),
        said("syt-specialist", "number", "²"),
        said("syt-specialist", "press", "en"),
        said("syt-specialist", "starter", "register"),
        said("syt-specialist", "starter", "lang vi"),
        said("syt-specialist@zalo", "starter", "channel"),
        said("syt-specialist@zalo", "number", "𝟙"),
        said("lhh-admin2", "starter", "mydata"),
        said("lhh-admin2", "starter", "lang vi"),
        said("lhh-admin2", "text", "Xin chào"),
        said("hlv-leader", "starter", "forgetme"),
        said("hlv-leader", "press", "erase"),
        said("hlv-leader", "starter", "mydata"),
        said("hlv-leader", "starter", "lang en"),
        said("hlv-leader", "code", ("start", 0, ""), pick=syt),
    ]
    strangers = ("stranger-01@group", "stranger-02", "stranger-03", "stranger-02@group", "lhh-admin2")
    steps += [said(strangers[i % len(strangers)], "text", HOSTILE[i % len(HOSTILE)]) for i in range(UPDATES_PER_EXAMPLE - len(steps))]
    languages = {"stranger-02": "en-US", "stranger-04": "fr"}
    accounts = sorted({speaker.account for speaker in cast()})
    clients = tuple(languages.get(user_ref) for _, user_ref in accounts)
    return Script(clients, tuple("<b>Hoa</b>\u202e" for _ in accounts), ("<i>Nhóm</i> \u202eLào Cai", None), tuple(steps))


def test_ten_thousand_hostile_updates(world: World) -> None:
    errors = ErrorLog()
    root = logging.getLogger()
    root.addHandler(errors)
    run = Run(world, errors)

    @settings(
        max_examples=EXAMPLES - 1,
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @example(scenario())
    @given(scripts(UPDATES_PER_EXAMPLE))
    def play(script: Script) -> None:
        episode = Episode(run, script)
        episode.play()
        run.examples += 1
        run.updates += episode.updates

    try:
        play()
    finally:
        root.removeHandler(errors)
    assert EXAMPLES * UPDATES_PER_EXAMPLE == TOTAL
    assert (run.examples, run.updates, run.sent) == (EXAMPLES, TOTAL, TOTAL)


def test_the_language_check_tells_the_catalogues_apart() -> None:
    """The check used above can fail: a template of one language, its placeholders filled,
    never passes for the other, and nearly every template shows a sign of its own."""
    judge = language_check()
    signed = 0
    for key in catalogue("vi"):
        for lang, other in (("vi", "en"), ("en", "vi")):
            text = re.sub(r"\{[^{}]*\}", "7", catalogue(lang)[key])
            assert not judge.signs_in(text, other), (key, lang, judge.signs_in(text, other))
            signed += bool(judge.signs_in(text, lang))
            if text != re.sub(r"\{[^{}]*\}", "7", catalogue(other)[key]) and judge.signs_in(text, lang):
                assert judge.problems(text, [], other), (key, lang)
    assert signed >= 0.85 * 2 * len(catalogue("vi")), signed
    assert judge.problems(t("common.not_understood", "vi"), [], "en")
    assert judge.problems(t("command.unknown", "en", command="x"), [t("register.skip", "vi")], "en")
    assert judge.problems("help.title_member", [], "vi")


class RecordingBot:
    """Stands for python-telegram-bot's Bot: keeps what would be sent."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def _post(self, endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        """The library's raw request, as `bot.telegram.outgoing.call` makes it."""
        assert endpoint == "sendMessage"
        self.sent.append(data)
        return {"message_id": len(self.sent)}


def test_markup_from_people_reaches_the_channels_as_plain_text(chat, engine: ConversationEngine) -> None:  # type: ignore[no-untyped-def]
    """Both channels send plain text (no parse mode), so markup a person typed is shown as
    typed and never rendered: nothing to escape, and nothing that could be injected."""
    admin = chat("lhh-admin")
    echoed = [*admin.send("/nosuch<b>x</b>"), *admin.send("/broadcast all <a href='javascript:alert(1)'>x</a> [y](javascript:1) *_`")]
    assert "/nosuch<b>x</b>" in echoed[0].text
    assert "<a href='javascript:alert(1)'>x</a> [y](javascript:1) *_`" in echoed[-1].text
    bot = RecordingBot()
    for reply in echoed:
        asyncio.run(send_reply(bot, "1001", reply))  # type: ignore[arg-type]
        assert reply.text in zalo_render(reply, "vi")
    assert [message["text"] for message in bot.sent] == [reply.text for reply in echoed]
    assert all("parse_mode" not in message for message in bot.sent)
    application = build_application(TelegramOptions(token="123456:TEST"), TelegramAdapter(engine))
    assert application.bot.defaults is None or application.bot.defaults.parse_mode is None
