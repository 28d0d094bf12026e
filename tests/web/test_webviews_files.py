"""A dossier part a focal point sent on Telegram, downloaded from the task's page: the web
asks Telegram for it again by the file id the bot kept (getFile, then the file, on the fake
Bot API), only for who may read the task; a file Telegram no longer gives back is said so
(502), and a file of a channel with no way to fetch it (Telegram off) is named, not offered."""

from __future__ import annotations

import httpx
from sqlmodel import select

from bot.telegram.file_download import fetcher
from bot.web.app import WebConfig, build_app
from handlers.engine import ConversationEngine
from models.activities.tables import Attachment
from models.db.engine import session_scope
from models.tvpb import services
from models.tvpb.tables import TvpbTask
from tests.fakes.telegram_api import FakeTelegram
from tests.web.conftest import PUBLIC_URL, SECRET_KEY, sign_in_path_of
from tests.web.webviews_world import USERS, World, world  # noqa: F401  (fixture)

CONTENT = b"%PDF-1.4 du thao de an"


def _attach(db, lao_cai, task_id: int, part: str, channel: str, file_ref: str, clock) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        task = session.get(TvpbTask, task_id)
        attachment = Attachment(
            programme_id=task.programme_id, channel=channel, file_ref=file_ref, name="dự thảo đề án.pdf", mime="application/pdf", created_at=clock()  # type: ignore[union-attr]
        )
        session.add(attachment)
        session.flush()
        return services.record_part(session, lao_cai, task, part, attachment.id, None, clock()).id  # type: ignore[arg-type]


ROLES = ("specialist", "expert", "other_specialist", "stranger")


async def read_as(app, engine, roles, path: str) -> dict[str, httpx.Response]:  # type: ignore[no-untyped-def]
    """`path` as each of `roles` (of `USERS`) reads it, signed in (a stranger is not)."""
    answers = {}
    for role in roles:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
            if USERS[role]:
                assert (await client.get(sign_in_path_of(engine, USERS[role]))).status_code == 303
            answers[role] = await client.get(path)
    return answers


async def test_a_file_sent_on_telegram_downloads_for_who_may_read_the_task(db, lao_cai, clock, world: World) -> None:  # type: ignore[no-untyped-def]
    telegram_part = _attach(db, lao_cai, world.ours, "du-thao", "telegram", "tg-file-7", clock)
    gone_part = _attach(db, lao_cai, world.ours, "thuyet-minh", "telegram", "tg-file-gone", clock)
    engine = ConversationEngine(db, clock, "lao-cai-31-2015", web_url=PUBLIC_URL)
    async with FakeTelegram() as fake:
        fake.files["tg-file-7"] = CONTENT
        app = build_app(engine, WebConfig(PUBLIC_URL, SECRET_KEY))
        app.state.file_fetchers = {"telegram": fetcher(fake.token, fake.url, 20 * 1024 * 1024)}
        answers = await read_as(app, engine, ROLES, f"/tvpb/{world.ours}/parts/{telegram_part}")
        gone = (await read_as(app, engine, ["specialist"], f"/tvpb/{world.ours}/parts/{gone_part}"))["specialist"]
        getfile_calls = [call for call in fake.calls if call.method == "getFile"]
    for role in ("specialist", "expert"):
        answer = answers[role]
        assert answer.status_code == 200 and answer.content == CONTENT, role
        assert answer.headers["content-disposition"] == "attachment; filename*=UTF-8''d%E1%BB%B1%20th%E1%BA%A3o%20%C4%91%E1%BB%81%20%C3%A1n.pdf"
        assert answer.headers["cache-control"] == "private, no-store" and answer.headers["content-type"] == "application/pdf"
    assert answers["other_specialist"].status_code == 404 and answers["stranger"].status_code == 401
    assert gone.status_code == 502 and "Không tải được tệp «dự thảo đề án.pdf»" in gone.text
    assert len(getfile_calls) == 3


async def test_without_a_fetcher_for_its_channel_the_file_is_named_not_offered(db, lao_cai, clock, world: World) -> None:  # type: ignore[no-untyped-def]
    part = _attach(db, lao_cai, world.ours, "du-thao", "telegram", "tg-file-7", clock)
    engine = ConversationEngine(db, clock, "lao-cai-31-2015", web_url=PUBLIC_URL)
    app = build_app(engine, WebConfig(PUBLIC_URL, SECRET_KEY))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
        assert (await client.get(sign_in_path_of(engine, USERS["admin"]))).status_code == 303
        answer = await client.get(f"/tvpb/{world.ours}/parts/{part}")
    assert answer.status_code == 404 and "chỉ lưu mã của tệp" in answer.text
    with session_scope(db) as session:
        assert session.exec(select(Attachment).where(Attachment.file_ref == "tg-file-7")).one().name == "dự thảo đề án.pdf"
