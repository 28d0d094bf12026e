"""Files published behind signed links: a link opens its person's file and the opening is
logged; a tampered, expired, wrong-kind or another person's link opens nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models.db.engine import session_scope
from models.people.tables import ChannelIdentity, Person
from models.downloads import files
from models.downloads.signing import LinkRefused
from models.downloads.tables import WebFile, WebFileUse
from tests.conftest import Clock

SECRET = "web-secret-for-the-tests"


def two_people(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        first, second = session.exec(select(Person.id).order_by(Person.id).limit(2)).all()
        return first, second


def published(db, person_id: int, now) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        row = files.publish(session, person_id, "bao-cao.docx", "application/octet-stream", b"PK\x03\x04docx", now)
        return row.id, files.token(SECRET, row, "file"), files.token(SECRET, row, "image")


def test_a_link_opens_its_file_and_each_opening_is_logged(db, loaded, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    owner, _ = two_people(db)
    file_id, link, _ = published(db, owner, clock())
    for _ in range(2):
        with session_scope(db) as session:
            row = files.open_signed(session, SECRET, link, "file", clock(), viewer_id=owner)
            assert (row.filename, row.content) == ("bao-cao.docx", b"PK\x03\x04docx")
        clock.advance(hours=1)
    with session_scope(db) as session:
        uses = session.exec(select(WebFileUse).where(WebFileUse.web_file_id == file_id)).all()
        assert [(use.person_id, use.via) for use in uses] == [(owner, "file"), (owner, "file")]


def test_refused_links_open_nothing_and_log_nothing(db, loaded, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    owner, other = two_people(db)
    file_id, link, image_link = published(db, owner, clock())
    cases = [
        (link[:-2] + "xx", "file", None, "tampered"),
        (image_link, "file", None, "tampered"),
        (link, "file", other, "another_person"),
    ]
    with session_scope(db) as session:
        for token, kind, viewer, reason in cases:
            with pytest.raises(LinkRefused) as refused:
                files.open_signed(session, SECRET, token, kind, clock(), viewer_id=viewer)
            assert refused.value.reason == reason
        with pytest.raises(LinkRefused, match="expired"):
            files.open_signed(session, SECRET, link, "file", clock() + timedelta(hours=24))
        assert session.exec(select(WebFileUse)).all() == []


def test_expired_files_lose_their_bytes_at_once_and_their_use_log_after_a_year(db, loaded, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    owner, _ = two_people(db)
    _, link, _ = published(db, owner, clock())
    with session_scope(db) as session:
        files.open_signed(session, SECRET, link, "file", clock())
    _, never_opened, _ = published(db, owner, clock())
    with session_scope(db) as session:
        assert files.purge_expired(session, clock() + timedelta(hours=23)) == files.PurgedFiles(0, 0, 0)
        assert files.purge_expired(session, clock() + timedelta(hours=24)) == files.PurgedFiles(emptied=2, uses=0, rows=1)
        assert [(row.content, len(row.filename) > 0) for row in session.exec(select(WebFile))] == [(b"", True)]
        assert len(session.exec(select(WebFileUse)).all()) == 1
    with session_scope(db) as session:
        assert files.purge_expired(session, clock() + timedelta(days=366)) == files.PurgedFiles(emptied=0, uses=1, rows=1)
        assert session.exec(select(WebFile)).all() == [] and session.exec(select(WebFileUse)).all() == []


def test_the_person_of_a_private_chat(db, loaded) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        identity = session.exec(select(ChannelIdentity)).first()
        assert identity is not None
        assert files.person_of_chat(session, identity.channel, identity.chat_ref) == identity.person_id
        assert files.person_of_chat(session, identity.channel, "no-such-chat") is None
