"""The dossier's files to the council, end to end through the real Telegram application
and the Zalo adapter against their fake Bot APIs: the drafting agency's focal point sends a
part as a Telegram document and another as a link; the Telegram channel fetches the
document's bytes at once (`models/downloads/kept`); a member on Telegram who accepts gets the
document re-sent by its Telegram file id and the link; a member on Zalo (no files) gets the
link and their own signed, expiring link to the kept bytes, which the web serves. A file
whose bytes do not come yet is sent to no one on Zalo until they do (then the link), and a
file refused for good is a note to ask the LHH office. One outbox sender serves both;
nothing goes twice."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import partial

from sqlmodel import select
from starlette.testclient import TestClient
from telegram import Bot

from bot.channels.keeping import FileKeeper

from bot.sender import OutboxSender
from bot.settings import Settings
from bot.telegram.files import fetch_file
from bot.telegram.outgoing import TelegramSender
from bot.telegram.setup import TELEGRAM
from bot.web.app import WebConfig, build_app
from bot.web.file_links import FileLinks
from bot.zalo.client import ZaloClient
from bot.zalo.outgoing import ZaloSender
from bot.zalo.setup import ZALO
from handlers.engine import ConversationEngine
from models.activities.files import MB
from models.activities.tables import Attachment
from models.db.engine import session_scope
from models.downloads import kept
from models.downloads.tables import KeptFile, WebFile
from models.outbox.tables import OutboxMessage
from models.people.tables import Person, Role
from models.programme.tables import Agency
from models.tvpb import experts, services
from models.tvpb.tables import Expert, SchemeKind, TvpbPart
from tests.conftest import Chat, local
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_api import User as TelegramUser
from tests.fakes.zalo_api import FakeZalo
from tests.fakes.zalo_api import User as ZaloUser
from tests.support.roster import add_member
from tests.support.telegram_harness import link, running_bot
from tests.support.zalo_harness import link_zalo, running_zalo
from tests.web.conftest import LINK as SIGN_IN, PUBLIC_URL, SECRET_KEY

FOCAL = TelegramUser(3201, "Mai")
EXPERT_ON_TELEGRAM = TelegramUser(3202, "Khoa")
EXPERT_ON_ZALO = ZaloUser("7a6b5c4d3e2f1a0b9c8d", "Hoàng Minh")
LINK = "https://drive.example.vn/du-thao.docx"
HEAD = "Hồ sơ phản biện nhiệm vụ số 1 «Đề án phát triển y tế cơ sở»"
WEB = WebConfig(PUBLIC_URL, SECRET_KEY)
FILE_LINK = re.compile(re.escape(PUBLIC_URL) + r"(/files/\S+)")
PDF = b"%PDF-1.7\n" + b"to trinh de an y te co so\n" * 200
TOTRINH = "BQACAgIAAx-totrinh"


async def deliver(engine, telegram: FakeTelegram, zalo: FakeZalo, now: datetime) -> int:  # type: ignore[no-untyped-def]
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    limits = {"telegram": TELEGRAM.limits(settings), "zalo": ZALO.limits(settings)}
    async with Bot(telegram.token, base_url=telegram.api_url) as bot, ZaloClient(zalo.token, zalo.url) as client:
        channels = {"telegram": TelegramSender(bot), "zalo": ZaloSender(client, FileLinks(engine.db, WEB, lambda: now))}
        return await OutboxSender(engine.db, channels, lambda: now, limits).drain()  # type: ignore[arg-type]


def council(db, loaded, lao_cai, now: datetime) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The task, the sample expert (on Telegram) and one more on Zalo, both invited."""
    with session_scope(db) as session:
        syt = session.exec(select(Agency).where(Agency.code == "SYT")).one()
        lhh = session.exec(select(Agency).where(Agency.code == "LHH")).one()
        task = services.open_task(session, lao_cai, loaded, syt, "Đề án phát triển y tế cơ sở", SchemeKind.DE_AN, ["y-te"], date(2027, 4, 9), None, now).task
        on_zalo = add_member(session, loaded, lhh, Role.EXPERT, "TS. Hoàng Minh", EXPERT_ON_ZALO.id, "zalo", now)
        zalo_expert = experts.join_bank(session, session.get(Person, on_zalo.person_id), now)  # type: ignore[arg-type]
        sample = session.exec(select(Expert).where(Expert.full_name == "Nguyễn Văn Khoa")).one()
        for expert in (sample, zalo_expert):
            experts.invite(session, task, expert, now)
        return task.id, zalo_expert.id


async def _parts_sent_and_accepted(engine, db, clock, loaded, lao_cai, telegram: FakeTelegram, zalo: FakeZalo) -> None:  # type: ignore[no-untyped-def]
    """The task and its council; the focal point sends the tờ trình as a Telegram document and
    the dự thảo as a link; both experts accept (the one on Zalo through the Zalo adapter)."""
    clock.moment = local(2027, 3, 1, 10)
    link(db, "syt-specialist", FOCAL, clock())
    link(db, "lhh-expert", EXPERT_ON_TELEGRAM, clock())
    council(db, loaded, lao_cai, clock())
    async with running_bot(engine, telegram) as on_telegram:
        ask = (await on_telegram.say(FOCAL, "/hoso 1"))[-1]
        prompt = (await on_telegram.press(FOCAL, ask, "Tờ trình"))[-1]
        assert prompt.text.startswith("Gửi tệp «Tờ trình»"), prompt.text
        await on_telegram.deliver(telegram.document_update(FOCAL, TOTRINH, "to-trinh.pdf", "application/pdf", 20_000))
        again = telegram.shown[-1]
        await on_telegram.press(FOCAL, again, "Dự thảo")
        await on_telegram.say(FOCAL, LINK)
        accepted = await on_telegram.say(EXPERT_ON_TELEGRAM, "/chuyengia nhan 1")
        assert "Cảm ơn anh/chị đã nhận lời" in accepted[0].text
    async with running_zalo(engine, zalo) as on_zalo:
        accepted = await on_zalo.say(EXPERT_ON_ZALO, "/chuyengia nhan 1")
        assert "Cảm ơn anh/chị đã nhận lời" in accepted[0].text


def _kept_state(db) -> str:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        number = session.exec(select(Attachment.id).where(Attachment.file_ref == TOTRINH)).one()
        return session.get_one(KeptFile, number).state


async def test_members_get_the_files_on_telegram_and_their_own_link_on_zalo(engine, db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    async with FakeTelegram() as telegram, FakeZalo() as zalo:
        telegram.files[TOTRINH] = PDF
        await _parts_sent_and_accepted(engine, db, clock, loaded, lao_cai, telegram, zalo)
        assert _kept_state(db) == kept.KEPT
        mark_telegram, mark_zalo = len(telegram.sent), len(zalo.sent)
        assert await deliver(engine, telegram, zalo, clock()) > 0
        to_expert = [m for m in telegram.sent[mark_telegram:] if m.chat_id == EXPERT_ON_TELEGRAM.id and m.text.startswith(HEAD)]
        assert [(m.text, m.file_id, m.content) for m in to_expert] == [
            (f"{HEAD} — Tờ trình: to-trinh.pdf", TOTRINH, None),
            (f"{HEAD} — Dự thảo đề án, chương trình, quy hoạch: {LINK}", None, None),
        ]
        to_zalo = [m.text for m in zalo.sent[mark_zalo:] if m.text.startswith(HEAD)]
        assert len(to_zalo) == 2 and to_zalo[1] == f"{HEAD} — Dự thảo đề án, chương trình, quy hoạch: {LINK}"
        assert to_zalo[0].startswith(f"{HEAD} — Tờ trình: to-trinh.pdf\n📄 Tải tệp «to-trinh.pdf»"), to_zalo[0]
        assert "hết hạn sau 24 giờ" in to_zalo[0] and "Văn phòng Liên hiệp hội" not in to_zalo[0]
        assert zalo.photos == [], "Zalo is sent no file"
        assert await deliver(engine, telegram, zalo, clock()) == 0, "nothing goes twice"
        delivered = [(m.chat_id, m.text) for m in [*telegram.sent, *zalo.sent] if m.text.startswith(HEAD)]
        assert len(delivered) == len(set(delivered)) == 4
    found = FILE_LINK.search(to_zalo[0])
    assert found
    web = TestClient(build_app(engine, WEB), base_url=PUBLIC_URL)
    opened = web.get(found.group(1))
    assert opened.status_code == 200 and opened.content == PDF and "to-trinh.pdf" in opened.headers["content-disposition"]
    with session_scope(db) as session:
        zalo_person = session.exec(select(OutboxMessage.person_id).where(OutboxMessage.chat_ref == EXPERT_ON_ZALO.id)).first()
        assert [row.person_id for row in session.exec(select(WebFile))] == [zalo_person], "one link, the member's own"


async def test_a_file_whose_bytes_come_late_goes_to_zalo_only_once_they_are_kept(engine, db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    async with FakeTelegram() as telegram, FakeZalo() as zalo:
        await _parts_sent_and_accepted(engine, db, clock, loaded, lao_cai, telegram, zalo)
        assert _kept_state(db) == kept.WAITING, "Telegram did not give the file yet"
        mark_zalo = len(zalo.sent)
        await deliver(engine, telegram, zalo, clock())
        assert [m.text for m in zalo.sent[mark_zalo:] if m.text.startswith(HEAD)] == [f"{HEAD} — Dự thảo đề án, chương trình, quy hoạch: {LINK}"]
        with session_scope(db) as session:
            assert session.exec(select(WebFile)).first() is None, "no link before the bytes"
        telegram.files[TOTRINH] = PDF
        async with Bot(telegram.token, base_url=telegram.api_url, base_file_url=telegram.file_url) as bot:
            keeper = FileKeeper(db, clock, "telegram", partial(fetch_file, bot), 20 * MB, engine.programme)
            clock.moment += kept.RETRY_AFTER[0]
            assert await keeper.keep_due() == 1
        mark_zalo = len(zalo.sent)
        assert await deliver(engine, telegram, zalo, clock()) == 1
        late = [m.text for m in zalo.sent[mark_zalo:]]
        assert len(late) == 1 and late[0].startswith(f"{HEAD} — Tờ trình: to-trinh.pdf\n📄 Tải tệp") and FILE_LINK.search(late[0])
        assert await deliver(engine, telegram, zalo, clock()) == 0, "nothing goes twice"


async def test_a_file_refused_for_good_is_a_note_on_zalo(engine, db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    async with FakeTelegram() as telegram, FakeZalo() as zalo:
        telegram.files[TOTRINH] = b"MZ\x90\x00 not a dossier"
        await _parts_sent_and_accepted(engine, db, clock, loaded, lao_cai, telegram, zalo)
        assert _kept_state(db) == kept.REFUSED
        mark_zalo = len(zalo.sent)
        await deliver(engine, telegram, zalo, clock())
        to_zalo = [m.text for m in zalo.sent[mark_zalo:] if m.text.startswith(HEAD)]
        assert to_zalo == [
            f"{HEAD} — Tờ trình («to-trinh.pdf») được gửi qua Telegram. Máy chủ không lưu bản tệp nên không gửi được qua kênh "
            "này; anh/chị vui lòng liên hệ Văn phòng Liên hiệp hội để nhận tệp, hoặc mở trên Telegram.",
            f"{HEAD} — Dự thảo đề án, chương trình, quy hoạch: {LINK}",
        ]
        with session_scope(db) as session:
            assert session.exec(select(WebFile)).first() is None


ZALO_FOCAL = ZaloUser("c1b2c3d4e5f6a7b8c9d0", "Lò Văn Minh")
JPEG = b"\xff\xd8\xff\xe0" + b"anh chup to trinh" * 100


async def test_a_photo_sent_on_zalo_is_kept_and_the_web_serves_its_bytes(engine, db, clock, loaded, lao_cai) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 1, 10)
    link_zalo(db, "syt-specialist", ZALO_FOCAL, clock())
    council(db, loaded, lao_cai, clock())
    async with FakeZalo() as zalo, running_zalo(engine, zalo, web=WEB) as on_zalo:
        zalo.pictures["to-trinh.jpg"] = JPEG
        await on_zalo.say(ZALO_FOCAL, "/hoso 1")
        assert (await on_zalo.say(ZALO_FOCAL, "1"))[0].text.startswith("Gửi tệp «Tờ trình» (trên Zalo: gửi ảnh chụp")
        saved = await on_zalo.deliver(zalo.photo_update(ZALO_FOCAL, zalo.picture_url("to-trinh.jpg")))
        assert "1. Tờ trình: đã nhận" in saved[0].text
    with session_scope(db) as session:
        attachment = session.exec(select(Attachment).where(Attachment.file_ref == zalo.picture_url("to-trinh.jpg"))).one()
        held = session.get_one(KeptFile, attachment.id)
        assert (held.state, held.mime, held.content) == (kept.KEPT, "image/jpeg", JPEG)
        part = session.exec(select(TvpbPart).where(TvpbPart.attachment_id == attachment.id)).one()
    web_engine = ConversationEngine(db, clock, "lao-cai-31-2015", web_url=PUBLIC_URL)
    app = build_app(web_engine, WEB)
    assert TestClient(app, base_url=PUBLIC_URL).get(f"/tvpb/1/parts/{part.id}", follow_redirects=False).status_code == 401
    found = SIGN_IN.search(Chat(web_engine, "syt-specialist").send("/web")[0].text)
    assert found
    client = TestClient(app, base_url=PUBLIC_URL, follow_redirects=False)
    assert client.get(f"/signin/{found.group(1)}").status_code == 303
    opened = client.get(f"/tvpb/1/parts/{part.id}")
    assert opened.status_code == 200 and opened.content == JPEG and opened.headers["content-type"] == "image/jpeg", "the kept bytes, not a redirect to Zalo"
