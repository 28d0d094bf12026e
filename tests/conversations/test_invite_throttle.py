"""Guessing invite and link codes: wrong codes from one account are counted together, in
the database under a hash of the account, and, past the limit, no code from that account
is even looked up until the lockout ends. The count survives a restart and is shared by
every worker; other accounts are not affected; nothing but the hash and the times is
stored about the guesser, and only while it counts."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import String, Text, cast, or_, select
from sqlmodel import SQLModel
from sqlmodel import select as select_rows

import models.db.all_tables  # noqa: F401  (every table in the metadata)
from bot.runner import invite_limits
from bot.settings import Settings
from handlers.engine import ConversationEngine
from handlers.types import ChatKind, Incoming, Reply
from locales.catalogue import t
from models.db.engine import session_scope
from models.people.attempts import AttemptLimits, CodeAttempts, account_hash
from models.people.tables import CodeAttempt
from tests.conftest import Clock, local
from tests.conversations.test_join_flow import invite_code

UPDATES = itertools.count(700_000)
WRONG = t("invite.unknown", "vi")


def say(engine: ConversationEngine, user: str, text: str, language: str | None = None) -> str:
    """A Telegram-like private message: numeric update id, the user's id as the chat."""
    incoming = Incoming(
        channel="telegram",
        user_ref=user,
        chat_ref=user,
        chat_kind=ChatKind.PRIVATE,
        text=text,
        language_code=language,
        update_ref=str(next(UPDATES)),
    )
    replies: list[Reply] = engine.handle(incoming)
    return "\n".join(reply.text for reply in replies)


def rows_mentioning(db, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Every table whose rows hold `text` in any column."""
    found = []
    with db.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            columns = [cast(column, Text) if not isinstance(column.type, String) else column for column in table.columns]
            query = select(table).where(or_(*(column.contains(text) for column in columns)))
            if connection.execute(query).first() is not None:
                found.append(table.name)
    return found


def test_the_limits_are_settings_with_defaults() -> None:
    assert invite_limits(Settings()) == AttemptLimits(5, timedelta(minutes=15), timedelta(minutes=15))  # type: ignore[call-arg]
    chosen = Settings(PHOIHOP_INVITE_ATTEMPTS=3, PHOIHOP_INVITE_ATTEMPTS_MINUTES=10, PHOIHOP_INVITE_LOCKOUT_MINUTES=60)  # type: ignore[call-arg]
    assert invite_limits(chosen) == AttemptLimits(3, timedelta(minutes=10), timedelta(minutes=60))


def test_the_window_slides_and_the_lockout_ends(db) -> None:  # type: ignore[no-untyped-def]
    attempts, key, start = CodeAttempts(), ("telegram", "42"), local(2026, 11, 23, 9)

    def failed(at):  # type: ignore[no-untyped-def]
        with session_scope(db) as session:
            return attempts.failed(session, key, at)

    def blocked_until(account, at):  # type: ignore[no-untyped-def]
        with session_scope(db) as session:
            return attempts.blocked_until(session, account, at)

    for minute in range(4):
        assert failed(start + timedelta(minutes=minute)) is None
    later = start + timedelta(minutes=15, seconds=1)
    assert failed(later) is None, "the first wrong code has left the window"
    until = failed(later + timedelta(seconds=29))
    assert until == later + timedelta(minutes=15, seconds=29), "five wrong codes within 15 minutes"
    assert blocked_until(key, until - timedelta(seconds=1)) == until
    assert blocked_until(("zalo", "42"), later) is None
    assert blocked_until(key, until) is None
    assert failed(until) is None, "a fresh count after the lockout"


def test_only_a_hash_and_times_are_stored_and_only_while_they_count(db) -> None:  # type: ignore[no-untyped-def]
    attempts, start = CodeAttempts(AttemptLimits(most=2)), local(2026, 11, 23, 9)
    with session_scope(db) as session:
        for n in range(50):
            attempts.failed(session, ("telegram", f"88{n:04d}"), start)
        attempts.failed(session, ("telegram", "880000"), start)
    with session_scope(db) as session:
        rows = session.exec(select_rows(CodeAttempt)).all()
        assert len(rows) == 50 and sum(1 for r in rows if r.blocked_until is not None) == 1
        assert {r.account_hash for r in rows} == {account_hash(("telegram", f"88{n:04d}")) for n in range(50)}
    assert rows_mentioning(db, "880000") == []
    with session_scope(db) as session:
        attempts.failed(session, ("telegram", "late"), start + timedelta(minutes=31))
    with session_scope(db) as session:
        assert [r.account_hash for r in session.exec(select_rows(CodeAttempt))] == [account_hash(("telegram", "late"))]


def test_wrong_codes_are_throttled_per_account(db, loaded, clock: Clock, chat) -> None:  # type: ignore[no-untyped-def]
    limits = invite_limits(Settings(PHOIHOP_INVITE_ATTEMPTS=3, PHOIHOP_INVITE_LOCKOUT_MINUTES=30))  # type: ignore[call-arg]
    engine = ConversationEngine(db, clock, "lao-cai-31-2015", invite_limits=limits)
    code = invite_code(chat("lhh-admin"))
    guesser = "880001"

    assert say(engine, guesser, "/start AAAA2222") == WRONG
    clock.advance(minutes=1)
    assert say(engine, guesser, "/start BBBB3333") == WRONG
    clock.advance(minutes=1)
    refused = t("join.throttled", "vi", time="09:32")
    assert say(engine, guesser, "/start CCCC4444") == refused
    assert say(engine, guesser, f"/start {code}") == refused, "a right code is not even looked up"
    assert say(engine, guesser, "/start") == t("join.need_invite", "vi")
    assert rows_mentioning(db, guesser) == []

    assert "THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN" in say(engine, "880002", f"/start {code}"), "another account is not throttled"
    assert say(engine, guesser, "/start used-or-not") == refused

    clock.advance(minutes=29, seconds=59)
    assert say(engine, guesser, f"/start {code}") == refused
    clock.advance(seconds=1)
    assert "THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN" in say(engine, guesser, f"/start {code}")


def test_the_lockout_is_told_in_the_reader_language_with_the_date_past_midnight(db, loaded, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 11, 23, 23, 50)
    engine = ConversationEngine(db, clock, "lao-cai-31-2015")
    say(engine, "880003", "/lang en", language="en")
    replies = [say(engine, "880003", f"/start WRONG{n}22", language="en") for n in range(5)]
    assert replies[:4] == [t("invite.unknown", "en")] * 4
    assert replies[4] == t("join.throttled", "en", time="00:05 on 24 November 2026")


def test_the_count_survives_a_restart_and_is_shared_by_workers(db, loaded, clock: Clock, chat) -> None:  # type: ignore[no-untyped-def]
    limits = invite_limits(Settings(PHOIHOP_INVITE_ATTEMPTS=3))  # type: ignore[call-arg]
    first, second = (ConversationEngine(db, clock, "lao-cai-31-2015", invite_limits=limits) for _ in range(2))
    code = invite_code(chat("lhh-admin"))
    guesser = "880010"
    assert say(first, guesser, "/start AAAA2222") == WRONG
    assert say(second, guesser, "/start BBBB3333") == WRONG
    refused = t("join.throttled", "vi", time="09:15")
    assert say(first, guesser, "/start CCCC4444") == refused
    restarted = ConversationEngine(db, clock, "lao-cai-31-2015", invite_limits=limits)
    assert say(restarted, guesser, f"/start {code}") == refused
    assert say(second, guesser, f"/link {code}") == refused, "a link code is not looked up either"
    assert rows_mentioning(db, guesser) == []


def test_wrong_link_codes_share_the_count_and_a_stranger_gets_one_answer(db, loaded, clock: Clock, chat) -> None:  # type: ignore[no-untyped-def]
    limits = invite_limits(Settings(PHOIHOP_INVITE_ATTEMPTS=3))  # type: ignore[call-arg]
    engine = ConversationEngine(db, clock, "lao-cai-31-2015", invite_limits=limits)
    specialist = chat("syt-specialist")
    used = specialist.send("/link")[0].text.split("/link ")[1].split()[0]
    chat("zl-7001", channel="zalo").send(f"/link {used}")
    expired = specialist.send("/link")[0].text.split("/link ")[1].split()[0]
    clock.advance(minutes=11)
    guesser = "880020"
    not_usable = t("link.not_usable", "vi")
    assert say(engine, guesser, f"/link {used}") == not_usable
    assert say(engine, guesser, f"/link {expired}") == not_usable
    assert say(engine, guesser, "/link ZZZZ9999") == not_usable
    assert say(engine, guesser, "/start AAAA2222") == WRONG
    assert say(engine, guesser, "/link YYYY8888") == t("join.throttled", "vi", time="09:26")
    assert rows_mentioning(db, guesser) == []
