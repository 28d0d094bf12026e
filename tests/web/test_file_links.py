"""The signed file and image routes over HTTP: a valid link opens its file (logged); a
tampered, expired, wrong-kind or another person's link gets a refusal page and no bytes."""

from __future__ import annotations

from collections.abc import Callable
import pytest
from sqlmodel import func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from models.db.engine import session_scope
from models.downloads import files
from models.downloads.tables import WebFileUse
from models.people.tables import ChannelIdentity
from tests.conftest import Clock
from tests.support.command_table import PEOPLE
from tests.web.conftest import PUBLIC_URL, SECRET_KEY

CONTENT = b"PK\x03\x04 the consolidated report"


def person_of(db, role: str) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(ChannelIdentity.person_id).where(ChannelIdentity.user_ref == PEOPLE[role])).one()


def links_for(db, person_id: int, now, mime: str = "application/octet-stream") -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        row = files.publish(session, person_id, "Báo cáo tổng hợp.docx", mime, CONTENT, now)
        return f"/files/{files.token(SECRET_KEY, row, 'file')}", f"/images/{files.token(SECRET_KEY, row, 'image')}"


def uses(db) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(func.count()).select_from(WebFileUse)).one()


def test_a_valid_link_downloads_without_a_session_and_is_logged(app: Starlette, db, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    download, image = links_for(db, person_of(db, "specialist"), clock())
    client = TestClient(app, base_url=PUBLIC_URL)
    answer = client.get(download)
    assert answer.status_code == 200 and answer.content == CONTENT
    assert answer.headers["content-disposition"].startswith("attachment; filename*=UTF-8''B%C3%A1o")
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    shown = client.get(image)
    assert shown.status_code == 200 and shown.headers["content-disposition"].startswith("inline")
    assert uses(db) == 2


@pytest.mark.parametrize(
    ("change", "status"),
    [
        (lambda link: link[:-3] + "abc", 404),
        (lambda link: link.replace(".", ".9", 1), 404),
        (lambda link: link.replace("/files/file.", "/files/image.", 1), 404),
        (lambda link: link.replace("/files/", "/images/", 1), 404),
    ],
)
def test_a_tampered_link_is_refused(app: Starlette, db, clock: Clock, change, status: int) -> None:  # type: ignore[no-untyped-def]
    download, _ = links_for(db, person_of(db, "specialist"), clock())
    answer = TestClient(app, base_url=PUBLIC_URL).get(change(download))
    assert answer.status_code == status and CONTENT not in answer.content
    assert "Liên kết không đúng" in answer.text
    assert uses(db) == 0


def test_an_expired_link_is_refused(app: Starlette, db, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    download, _ = links_for(db, person_of(db, "specialist"), clock())
    clock.advance(hours=24)
    answer = TestClient(app, base_url=PUBLIC_URL).get(download)
    assert answer.status_code == 410 and "hết hạn" in answer.text
    assert uses(db) == 0


def test_another_persons_link_is_refused_to_whoever_is_signed_in(app: Starlette, db, clock: Clock, client_as: Callable[[str], TestClient]) -> None:  # type: ignore[no-untyped-def]
    download, _ = links_for(db, person_of(db, "specialist"), clock())
    answer = client_as("leader").get(download)
    assert answer.status_code == 403 and CONTENT not in answer.content
    assert client_as("specialist").get(download).content == CONTENT
    assert uses(db) == 1


def test_a_link_lasts_the_hours_it_was_published_for(app: Starlette, db, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        row = files.publish(session, person_of(db, "admin"), "a.png", "image/png", b"\x89PNG", clock(), hours=2)
        image = f"/images/{files.token(SECRET_KEY, row, 'image')}"
    clock.advance(hours=1, minutes=59)
    assert TestClient(app, base_url=PUBLIC_URL).get(image).status_code == 200
    clock.advance(minutes=1)
    assert TestClient(app, base_url=PUBLIC_URL).get(image).status_code == 410
