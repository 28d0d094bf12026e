"""Zalo cannot carry a document: with the web on, /export sends an admin their own signed
links to the .docx and .xlsx, and /status's charts arrive as pictures (sendPhoto from a
signed image URL). Each link opens, for its person only; without the web, a summary."""

from __future__ import annotations

import io
import re

import docx
from starlette.testclient import TestClient

from bot.settings import Settings
from bot.web.app import WebConfig, build_app
from bot.zalo.setup import ZALO
from tests.fakes.zalo_api import FakeZalo, User
from tests.support.zalo_harness import link_zalo, running_zalo
from tests.web.conftest import PUBLIC_URL, SECRET_KEY

ADMIN = User("a1b2c3d4e5f6a7b8c9d0", "Trần Thị Thu Hà")
WEB = WebConfig(PUBLIC_URL, SECRET_KEY)
LINK = re.compile(re.escape(PUBLIC_URL) + r"(/files/\S+)")


async def test_export_on_zalo_gives_working_links_to_its_person_only(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "lhh-admin", ADMIN, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake, web=WEB) as bot:
        sent = await bot.say(ADMIN, "/export 2026-H1")
    paths = [found.group(1) for message in sent for found in LINK.finditer(message.text)]
    assert len(paths) == 2, [message.text for message in sent]
    assert all("hết hạn sau 24 giờ" in message.text for message in sent if LINK.search(message.text))
    web = TestClient(build_app(engine, WEB), base_url=PUBLIC_URL)
    opened = {answer.headers["content-disposition"].rsplit(".", 1)[1]: answer for answer in (web.get(path) for path in paths)}
    assert set(opened) == {"docx", "xlsx"}
    assert docx.Document(io.BytesIO(opened["docx"].content)).tables
    assert web.get(paths[0][:-2] + "zz").status_code == 404


async def test_status_on_zalo_sends_its_charts_as_pictures(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "lhh-admin", ADMIN, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake, web=WEB) as bot:
        sent = await bot.say(ADMIN, "/status")
    assert len(fake.photos) == 2 and {photo.chat_id for photo in fake.photos} == {ADMIN.id}
    assert not any("không gửi được qua Zalo" in message.text for message in sent)
    web = TestClient(build_app(engine, WEB), base_url=PUBLIC_URL)
    for photo in fake.photos:
        assert photo.url.startswith(f"{PUBLIC_URL}/images/")
        picture = web.get(photo.url.removeprefix(PUBLIC_URL))
        assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
        assert picture.content.startswith(b"\x89PNG")


async def test_without_the_web_a_document_is_a_summary(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "lhh-admin", ADMIN, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        sent = await bot.say(ADMIN, "/export 2026-H1")
    assert not fake.photos and not any(LINK.search(message.text) for message in sent)
    assert sum("không gửi được qua Zalo" in message.text for message in sent) == 2


def test_the_settings_turn_file_links_on_for_their_hours() -> None:
    settings = Settings(**{"PUBLIC_URL": PUBLIC_URL, "WEB_SECRET_KEY": SECRET_KEY, "WEB_FILE_LINK_HOURS": "2", "ZALO_BOT_TOKEN": "z:1"})  # type: ignore[arg-type]
    options = ZALO.options(settings, None)
    assert options.web == WEB and options.file_link_hours == 2
    assert SECRET_KEY not in repr(options)
    off = ZALO.options(Settings(**{"ZALO_BOT_TOKEN": "z:1"}), None)  # type: ignore[arg-type]
    assert off.web is None and off.file_link_hours == 24
