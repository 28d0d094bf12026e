"""What strangers leave behind before they consent is forgotten: when they learn the invite
they looked at was used by someone else, and every night once it has been still for a week."""

from __future__ import annotations

from sqlmodel import select

from models.conversations.tables import Conversation, ProcessedUpdate
from models.db.engine import session_scope
from models.people.housekeeping import Purged, purge
from scheduler.service import CycleScheduler
from tests.conversations.test_join_flow import invite_code


def rows(db) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return [(row.user_ref, row.flow) for row in session.exec(select(Conversation).order_by(Conversation.id))]


def test_notices_left_open_on_a_used_invite_end_when_answered(chat, db) -> None:  # type: ignore[no-untyped-def]
    """The other stranger's form is theirs: the joiner does not end it under them (two
    transactions racing on one row), it ends, and is forgotten, when they next answer."""
    code = invite_code(chat("lhh-admin"))
    walked_away, joiner = chat("walked-away"), chat("joiner")
    walked_away.send(f"/start {code}")
    joiner.send(f"/start {code}")
    assert ("walked-away", "join") in rows(db)
    joiner.press("Tôi đồng ý")
    joiner.send("Trần Văn Bình")
    assert [user for user, _flow in rows(db)] == ["walked-away"]
    walked_away.press("Tôi đồng ý")
    assert walked_away.text.startswith("Mã mời vừa được người khác sử dụng.")
    assert rows(db) == []
    walked_away.send(f"/start {code}")
    assert "Mã mời này đã được sử dụng" in walked_away.text


def test_every_night_strangers_rows_and_old_update_references_go(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    stranger = chat("stranger-lang")
    stranger.send("/lang")
    stranger.press("English")
    member = chat("syt-specialist")
    member.send("/register")
    assert {user for user, _flow in rows(db)} == {"stranger-lang", "syt-specialist"}

    clock.advance(days=6)
    assert purge_now(db, clock) == (0, 0)
    clock.advance(days=2)
    assert purge_now(db, clock) == (1, 3)
    assert [user for user, _flow in rows(db)] == ["syt-specialist"]
    with session_scope(db) as session:
        assert session.exec(select(ProcessedUpdate)).all() == []


def purge_now(db, clock) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        purged = purge(session, clock())
    return purged.conversations, purged.updates


def test_the_scheduler_tidies_every_night(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    chat("stranger-lang").send("/lang")
    clock.advance(days=8)
    assert CycleScheduler(db, clock, "lao-cai-31-2015").tidy() == Purged(conversations=1, updates=1)
    assert rows(db) == []
