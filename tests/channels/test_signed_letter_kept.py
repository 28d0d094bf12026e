"""The signed công văn reaches the office whatever its messenger: the channel that received it
fetches its bytes (Telegram: getFile and the download; Zalo: the photo's URL), so /signedfile
on Zalo answers with the person's own signed link and the web serves it to whom the chat
would send it. A failed fetch loses nothing: the file id stays, and it is tried again."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from functools import partial

import httpx
from sqlalchemy.engine import Engine as Database
from sqlmodel import select
from starlette.testclient import TestClient

from bot.channels.keeping import FileKeeper
from bot.web.app import WebConfig, build_app
from bot.zalo.files import fetch_photo
from models.activities.files import MB
from models.activities.tables import Attachment
from models.db.engine import session_scope
from models.downloads import kept
from models.downloads.tables import KeptFile
from handlers.engine import ConversationEngine
from tests.conftest import Chat, local
from tests.conversations.test_consolidated_report import _period
from tests.fakes.telegram_api import FakeTelegram, User
from tests.fakes.zalo_api import FakeZalo, User as ZaloUser
from tests.support.telegram_harness import link, running_bot
from tests.support.zalo_harness import link_zalo, running_zalo
from tests.web.conftest import LINK as SIGN_IN, PUBLIC_URL, SECRET_KEY

FOCAL = User(3201, "Mai", language_code="vi")
OFFICE_TG = User(3202, "An", language_code="vi")
OFFICE = ZaloUser("b1b2c3d4e5f6a7b8c9d0", "Trần Thị Thu Hà")
ZALO_FOCAL = ZaloUser("c1b2c3d4e5f6a7b8c9d0", "Lò Văn Minh")
WEB = WebConfig(PUBLIC_URL, SECRET_KEY)
FILE_LINK = re.compile(re.escape(PUBLIC_URL) + r"(/files/\S+)")
PDF = b"%PDF-1.7\n" + b"cong van 45/SYT ky dong dau\n" * 200
JPEG = b"\xff\xd8\xff\xe0" + b"anh chup cong van" * 100


def _kept(db: Database, file_ref: str) -> tuple[int, KeptFile]:
    with session_scope(db) as session:
        number = session.exec(select(Attachment.id).where(Attachment.file_ref == file_ref)).one()
        row = session.get_one(KeptFile, number)
        session.expunge(row)
        return number, row


async def _tried(db: Database, file_ref: str) -> tuple[int, KeptFile]:
    """`_kept` once the channel has tried to fetch the file: it does so beside the chat, after
    the answer, so that a download never holds up the person's next message."""
    for _ in range(100):
        number, row = _kept(db, file_ref)
        if row.attempts or row.state != kept.WAITING:
            return number, row
        await asyncio.sleep(0.05)
    raise AssertionError(f"the file {file_ref} was never tried")


async def _sent_on_telegram(engine, fake: FakeTelegram, file_id: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """The letter sent, and the bot kept running until it has tried to fetch it."""
    async with running_bot(engine, fake) as bot:
        assert (await bot.say(FOCAL, "/signed 2027-H1"))[0].text.startswith("Gửi công văn báo cáo đã ký")
        letter = fake.document_update(FOCAL, file_id, name, "application/pdf", len(fake.files.get(file_id, b"")) or 1000)
        assert (await bot.deliver(letter))[0].text.startswith(f"Đã đính kèm «{name}»")
        await _tried(engine.db, file_id)


async def _letter_from_telegram(engine, db, clock, loaded, lao_cai, file_id: str, name: str, content: bytes) -> tuple[int, KeptFile]:  # type: ignore[no-untyped-def]
    """Issue 14's period; SYT's focal point on Telegram sends `content` with /signed, the
    office is on Zalo. The letter's number and what is kept of it."""
    clock.moment = local(2027, 6, 25, 9)
    _period(db, lao_cai, loaded)
    link(db, "syt-specialist", FOCAL, clock())
    link_zalo(db, "lhh-admin", OFFICE, clock())
    async with FakeTelegram() as telegram:
        telegram.files[file_id] = content
        await _sent_on_telegram(engine, telegram, file_id, name)
        assert [call.params["file_id"] for call in telegram.calls if call.method == "getFile"] == [file_id]
    return _kept(db, file_id)


async def test_a_letter_sent_on_telegram_reaches_the_office_on_zalo_as_its_own_link(engine, db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    number, row = await _letter_from_telegram(engine, db, clock, loaded, lao_cai, "BQAC-cv45", "cong-van-45-SYT.pdf", PDF)
    assert (row.state, row.mime, row.size, row.content) == (kept.KEPT, "application/pdf", len(PDF), PDF)
    async with FakeZalo() as zalo, running_zalo(engine, zalo, web=WEB) as bot:
        sent = await bot.say(OFFICE, f"/signedfile {number}")
    found = FILE_LINK.search(sent[0].text)
    assert found and "cong-van-45-SYT.pdf" in sent[0].text and "hết hạn sau 24 giờ" in sent[0].text, sent[0].text
    web = TestClient(build_app(engine, WEB), base_url=PUBLIC_URL)
    opened = web.get(found.group(1))
    assert opened.status_code == 200 and opened.content == PDF and "cong-van-45-SYT.pdf" in opened.headers["content-disposition"]
    clock.moment += timedelta(hours=24)
    assert web.get(found.group(1)).status_code == 410


async def test_a_photo_sent_on_zalo_is_kept_uploaded_on_telegram_and_served_on_the_web(engine, db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 6, 25, 9)
    _period(db, lao_cai, loaded)
    link_zalo(db, "syt-specialist", ZALO_FOCAL, clock())
    async with FakeZalo() as zalo, running_zalo(engine, zalo, web=WEB) as bot:
        zalo.pictures["cv45.jpg"] = JPEG
        await bot.say(ZALO_FOCAL, "/signed 2027-H1")
        saved = await bot.deliver(zalo.photo_update(ZALO_FOCAL, zalo.picture_url("cv45.jpg")))
        assert saved[0].text.startswith("Đã đính kèm «cv45.jpg»")
        number, row = await _tried(db, zalo.picture_url("cv45.jpg"))
    assert (row.state, row.mime, row.content) == (kept.KEPT, "image/jpeg", JPEG)
    link(db, "lhh-admin", OFFICE_TG, clock())
    async with FakeTelegram() as telegram, running_bot(engine, telegram) as bot:
        await bot.say(OFFICE_TG, f"/signedfile {number}")
    uploaded = telegram.sent[-1]
    assert (uploaded.chat_id, uploaded.filename, uploaded.content) == (OFFICE_TG.id, "cv45.jpg", JPEG)
    web_engine = ConversationEngine(db, clock, "lao-cai-31-2015", web_url=PUBLIC_URL)
    app = build_app(web_engine, WEB)
    assert TestClient(app, base_url=PUBLIC_URL).get(f"/signed/{number}").status_code == 401
    admin, other = _signed_in(app, web_engine, "lhh-admin"), _signed_in(app, web_engine, "snnptnt-specialist")
    assert f'href="/signed/{number}"' in admin.get("/agencies/SYT").text
    submission = re.search(r'href="/reports/(\d+)"', admin.get("/agencies/SYT").text)
    assert submission and f'href="/signed/{number}"' in admin.get(f"/reports/{submission.group(1)}").text
    download = admin.get(f"/signed/{number}")
    assert download.status_code == 200 and download.content == JPEG and download.headers["content-type"] == "image/jpeg"
    assert other.get(f"/signed/{number}").status_code == 404
    assert _signed_in(app, web_engine, "syt-specialist").get(f"/signed/{number}").status_code == 200


def _signed_in(app, engine, key: str) -> TestClient:  # type: ignore[no-untyped-def]
    """A client signed in by the link /web gives the sample person `key`."""
    found = SIGN_IN.search(Chat(engine, key).send("/web")[0].text)
    assert found
    client = TestClient(app, base_url=PUBLIC_URL, follow_redirects=False)
    assert client.get(f"/signin/{found.group(1)}").status_code == 303
    return client


async def test_a_failed_fetch_loses_nothing_and_is_tried_again(engine, db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 6, 25, 9)
    _period(db, lao_cai, loaded)
    link(db, "syt-specialist", FOCAL, clock())
    link(db, "lhh-admin", OFFICE_TG, clock())
    link_zalo(db, "lhh-admin", OFFICE, clock())
    async with FakeTelegram() as telegram:
        await _sent_on_telegram(engine, telegram, "BQAC-gone", "cong-van-46.pdf")
        number, row = _kept(db, "BQAC-gone")
        assert (row.state, row.attempts, row.content) == (kept.WAITING, 1, None)
        assert row.next_try_at == clock() + kept.RETRY_AFTER[0]
        async with running_bot(engine, telegram) as bot:
            await bot.say(OFFICE_TG, f"/signedfile {number}")
        assert telegram.sent[-1].file_id == "BQAC-gone" and telegram.sent[-1].chat_id == OFFICE_TG.id
    async with FakeZalo() as zalo, running_zalo(engine, zalo, web=WEB) as bot:
        told = await bot.say(OFFICE, f"/signedfile {number}")
        assert "đang được tải về" in told[0].text and not FILE_LINK.search(told[0].text)
    await _zalo_photo_retried(engine, db, clock)


async def _zalo_photo_retried(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    """A Zalo photo whose download answers 503 once: waiting, then kept on the retry."""
    link_zalo(db, "syt-specialist", ZALO_FOCAL, clock())
    async with FakeZalo() as zalo, running_zalo(engine, zalo, web=WEB) as bot:
        zalo.pictures["late.jpg"] = JPEG
        zalo.picture_failures = 1
        await bot.say(ZALO_FOCAL, "/signed 2027-H1")
        await bot.deliver(zalo.photo_update(ZALO_FOCAL, zalo.picture_url("late.jpg")))
        number, row = await _tried(db, zalo.picture_url("late.jpg"))
        assert (row.state, row.attempts, row.reason) == (kept.WAITING, 1, "http_503")
        async with httpx.AsyncClient() as http:
            keeper = FileKeeper(db, clock, "zalo", partial(fetch_photo, http), 20 * MB)
            assert await keeper.keep_due() == 0
            clock.moment += kept.RETRY_AFTER[0]
            assert await keeper.keep_due() == 1
    assert _kept(db, zalo.picture_url("late.jpg"))[1].content == JPEG


async def test_a_file_that_is_no_pdf_nor_photo_is_refused_and_the_office_is_told(engine, db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    number, row = await _letter_from_telegram(engine, db, clock, loaded, lao_cai, "BQAC-exe", "cong-van.pdf", b"MZ\x90\x00 not a letter")
    assert (row.state, row.reason, row.content) == (kept.REFUSED, "not_pdf_or_photo", None)
    async with FakeZalo() as zalo, running_zalo(engine, zalo, web=WEB) as bot:
        told = await bot.say(OFFICE, f"/signedfile {number}")
    assert "không phải PDF hoặc ảnh chụp" in told[0].text and not FILE_LINK.search(told[0].text)
