"""A dossier part whose bytes are kept (`models/downloads/kept`) is served from them by the
task's file route, to who may read the task, without asking Telegram again; a part whose
fetch is still waiting falls back to the fetch."""

from __future__ import annotations

from bot.telegram.file_download import fetcher
from bot.web.app import WebConfig, build_app
from handlers.engine import ConversationEngine
from models.db.engine import session_scope
from models.downloads import kept
from models.tvpb.tables import TvpbPart
from tests.fakes.telegram_api import FakeTelegram
from tests.web.conftest import PUBLIC_URL, SECRET_KEY
from tests.web.test_webviews_files import ROLES, _attach, read_as
from tests.web.webviews_world import World, world  # noqa: F401  (fixture)

KEPT = b"%PDF-1.7 du thao de an, ban da luu"
ON_TELEGRAM = b"%PDF-1.4 du thao de an, tai lai tu Telegram"


def _keep(db, part_id: int, content: bytes | None, clock) -> None:  # type: ignore[no-untyped-def]
    """Asked to be kept, as the dossier form does; stored if `content`."""
    with session_scope(db) as session:
        attachment_id = session.get_one(TvpbPart, part_id).attachment_id
        assert attachment_id is not None
        kept.want(session, attachment_id, clock())
        if content is not None:
            kept.store(session, attachment_id, content, 20 * 1024 * 1024, clock())


async def test_the_kept_bytes_are_served_first_and_the_fetch_only_without_them(db, lao_cai, clock, world: World) -> None:  # type: ignore[no-untyped-def]
    held = _attach(db, lao_cai, world.ours, "du-thao", "telegram", "tg-kept", clock)
    waiting = _attach(db, lao_cai, world.ours, "thuyet-minh", "telegram", "tg-waiting", clock)
    _keep(db, held, KEPT, clock)
    _keep(db, waiting, None, clock)
    engine = ConversationEngine(db, clock, "lao-cai-31-2015", web_url=PUBLIC_URL)
    async with FakeTelegram() as fake:
        fake.files["tg-kept"] = ON_TELEGRAM
        fake.files["tg-waiting"] = ON_TELEGRAM
        app = build_app(engine, WebConfig(PUBLIC_URL, SECRET_KEY))
        app.state.file_fetchers = {"telegram": fetcher(fake.token, fake.url, 20 * 1024 * 1024)}
        answers = await read_as(app, engine, ROLES, f"/tvpb/{world.ours}/parts/{held}")
        fetched = (await read_as(app, engine, ["specialist"], f"/tvpb/{world.ours}/parts/{waiting}"))["specialist"]
        asked = [call.params["file_id"] for call in fake.calls if call.method == "getFile"]
    for role in ("specialist", "expert"):
        answer = answers[role]
        assert answer.status_code == 200 and answer.content == KEPT, role
        assert answer.headers["content-type"] == "application/pdf" and answer.headers["cache-control"] == "private, no-store"
        assert answer.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    assert answers["other_specialist"].status_code == 404 and answers["stranger"].status_code == 401
    assert fetched.status_code == 200 and fetched.content == ON_TELEGRAM
    assert asked == ["tg-waiting"], "Telegram is asked only for the file not kept"
