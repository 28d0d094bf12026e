"""`/signed/N` answers every role exactly as the chat's `/signedfile N` does: whom the chat
sends the letter gets its bytes (once fetched from the messenger), whom it tells "no such
letter" gets 404, whom it refuses the command gets 403, and who is not signed in 401."""

from __future__ import annotations

import pytest

from models.activities.files import MB
from models.db.engine import session_scope
from models.downloads import kept
from tests.conftest import Chat
from tests.conversations.test_unsent_and_signed import NOW, _signed_letter
from tests.support.command_table import PEOPLE, ROLES, may

PDF = b"%PDF-1.4\n" + b"cong van da ky\n" * 50


@pytest.fixture
def letter(chat, clock, db, loaded, lao_cai) -> int:  # type: ignore[no-untyped-def]
    clock.moment = NOW
    number = _signed_letter(chat, db, lao_cai, loaded)
    with session_scope(db) as session:
        kept.store(session, number, PDF, 20 * MB, NOW)
    return int(number)


def _chat_answer(web_engine, role: str, number: int) -> int:  # type: ignore[no-untyped-def]
    """What the chat does with /signedfile, as the status the page should answer."""
    if role == "stranger":
        return 401
    if not may("signedfile", role):
        return 403
    replies = Chat(web_engine, PEOPLE[role]).send(f"/signedfile {number}")
    return 200 if any(reply.document is not None and reply.document.content == PDF for reply in replies) else 404


@pytest.mark.parametrize("role", ROLES)
def test_the_signed_letter_page_answers_as_the_chat_does(client_as, web_engine, letter, role) -> None:  # type: ignore[no-untyped-def]
    answer = client_as(role).get(f"/signed/{letter}")
    assert answer.status_code == _chat_answer(web_engine, role, letter), (role, answer.text[:200])
    if answer.status_code == 200:
        assert answer.content == PDF and answer.headers["content-type"] == "application/pdf"
        assert answer.headers["cache-control"] == "private, no-store" and "cong-van-45-SYT.pdf" in answer.headers["content-disposition"]


def test_a_letter_not_yet_fetched_says_so(client_as, chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = NOW
    number = _signed_letter(chat, db, lao_cai, loaded)
    admin = client_as("admin")
    waiting = admin.get(f"/signed/{number}")
    assert waiting.status_code == 409 and "đang được tải về" in waiting.text
    with session_scope(db) as session:
        kept.store(session, number, b"GIF89a not a letter", 20 * MB, NOW)
    refused = admin.get(f"/signed/{number}")
    assert refused.status_code == 409 and "không phải PDF hoặc ảnh chụp" in refused.text


def test_who_gets_the_letter(web_engine, letter) -> None:  # type: ignore[no-untyped-def]
    """The table the page follows: the office and SYT's own focal points, no one else."""
    expected = {"stranger": 401, "specialist": 200, "leader": 200, "viewer": 404, "agency_viewer": 403, "admin": 200, "expert": 403}
    assert {role: _chat_answer(web_engine, role, letter) for role in ROLES} == expected
