"""The rules of a kept file (`models/downloads/kept`): the type read from the bytes, the
size limit, one claim per try, the retry schedule and giving up; /signedfile says which."""

from __future__ import annotations

from models.activities.files import MB
from models.activities.tables import Attachment
from models.db.engine import session_scope
from models.downloads import kept
from models.downloads.tables import KeptFile
from tests.conversations.test_unsent_and_signed import NOW, _signed_letter


def test_the_type_is_read_from_the_bytes_not_the_name() -> None:
    assert kept.sniffed_type(b"%PDF-1.7\n...") == "application/pdf"
    assert kept.sniffed_type(b"\xff\xd8\xff\xe1exif") == "image/jpeg"
    assert kept.sniffed_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert kept.sniffed_type(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "image/webp"
    for other in (b"", b"MZ\x90", b"PK\x03\x04word", b"RIFF\x10\x00\x00\x00WAVE", b" %PDF-"):
        assert kept.sniffed_type(other) is None
    assert kept.refusal(b"%PDF-" + b"x" * 10, 15) is None
    assert kept.refusal(b"%PDF-" + b"x" * 11, 15) == "too_big"
    assert kept.refusal(b"<html>", 15) == "not_pdf_or_photo"


def test_a_try_is_claimed_once_then_retried_on_its_schedule_then_given_up(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = NOW
    number = _signed_letter(chat, db, lao_cai, loaded)
    now = NOW
    with session_scope(db) as session:
        assert [item.attachment_id for item in kept.due(session, "console", now)] == [number]
        assert kept.due(session, "telegram", now) == []
        assert kept.claim(session, number, now) and not kept.claim(session, number, now)
        assert kept.due(session, "console", now) == []
    for wait in kept.RETRY_AFTER:
        with session_scope(db) as session:
            row = kept.failed(session, number, "http_503", now)
            assert (row.state, row.next_try_at) == (kept.WAITING, now + wait)
        now += wait
        with session_scope(db) as session:
            assert kept.claim(session, number, now)
    with session_scope(db) as session:
        row = kept.failed(session, number, "http_503", now)
        assert (row.state, row.attempts) == (kept.GIVEN_UP, len(kept.RETRY_AFTER) + 1)
        assert kept.due(session, "console", now + kept.RETRY_AFTER[-1]) == []
    admin = chat("lhh-admin")
    admin.send(f"/signedfile {number}")
    reply = admin.last[-1]
    assert reply.document is not None and reply.document.file_ref == "file-cv" and reply.document.content == b""


def test_a_letter_kept_on_another_channel_says_where_the_fetch_stands(chat, clock, db, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = NOW
    number = _signed_letter(chat, db, lao_cai, loaded)
    with session_scope(db) as session:
        session.get_one(KeptFile, number).state = kept.GIVEN_UP
        session.get_one(Attachment, number).channel = "zalo"
    admin = chat("lhh-admin")
    admin.send(f"/signedfile {number}")
    assert "Chưa tải được tệp từ ứng dụng nhắn tin sau nhiều lần thử" in admin.text and admin.last[-1].document is None
    with session_scope(db) as session:
        kept.store(session, number, b"%PDF-1.4 signed", 20 * MB, NOW)
    admin.send(f"/signedfile {number}")
    reply = admin.last[-1]
    assert reply.document is not None and reply.document.content == b"%PDF-1.4 signed" and reply.document.file_ref is None
