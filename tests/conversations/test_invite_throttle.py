"""Guessing invite codes: wrong codes from one account are counted in memory and, past the
limit, no code from that account is even looked up until the lockout ends. Other
accounts are not affected, and nothing about the guesser reaches the database."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import String, Text, cast, or_, select
from sqlmodel import SQLModel

import models.db.all_tables  # noqa: F401  (every table in the metadata)
from bot.runner import invite_limits
from bot.settings import Settings
from handlers.engine import ConversationEngine
from handlers.types import ChatKind, Incoming, Reply
from locales.catalogue import t
from models.people.attempts import AttemptLimits, InviteAttempts
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


def test_the_window_slides_and_the_lockout_ends() -> None:
    attempts, key, start = InviteAttempts(), ("telegram", "42"), local(2026, 11, 23, 9)
    for minute in range(4):
        assert attempts.failed(key, start + timedelta(minutes=minute)) is None
    later = start + timedelta(minutes=15, seconds=1)
    assert attempts.failed(key, later) is None, "the first wrong code has left the window"
    until = attempts.failed(key, later + timedelta(seconds=29))
    assert until == later + timedelta(minutes=15, seconds=29), "five wrong codes within 15 minutes"
    assert attempts.blocked_until(key, until - timedelta(seconds=1)) == until
    assert attempts.blocked_until(("zalo", "42"), later) is None
    assert attempts.blocked_until(key, until) is None
    assert attempts.failed(key, until) is None, "a fresh count after the lockout"


def test_many_accounts_do_not_grow_memory_without_bound() -> None:
    attempts, start = InviteAttempts(AttemptLimits(accounts=50)), local(2026, 11, 23, 9)
    for n in range(200):
        attempts.failed(("telegram", str(n)), start)
    assert len(attempts) == 50
    attempts.failed(("telegram", "late"), start + timedelta(hours=1))
    assert len(attempts) == 1, "accounts whose wrong codes left the window are forgotten"


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
    replies = [say(engine, "880003", f"/start WRONG{n}22", language="en") for n in range(5)]
    assert replies[:4] == [t("invite.unknown", "en")] * 4
    assert replies[4] == t("join.throttled", "en", time="00:05 24 Nov 2026")
