"""Files published to one person (what Zalo cannot carry): `/files/<token>` downloads one,
`/images/<token>` shows a chart inline (Zalo's sendPhoto fetches it). No session is needed
(Zalo's in-app browser and Zalo's servers have none): the signed, expiring token is the
key; when someone is signed in, a link issued to another person is refused."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.web.pages.common import current_session, engine_of, refusal
from models.db.engine import session_scope
from models.downloads.files import open_signed
from models.downloads.signing import LinkRefused

REFUSED_STATUS = {"tampered": 404, "unknown": 404, "expired": 410, "another_person": 403}


def _open(request: Request, kind: str) -> Response:
    engine = engine_of(request)
    signed_in = current_session(request)
    with session_scope(engine.db) as session:
        try:
            row = open_signed(
                session, request.app.state.config.secret_key, request.path_params["token"], kind, engine.clock(),
                viewer_id=signed_in.person_id if signed_in else None,
            )
        except LinkRefused as refused:
            return refusal(request, f"webfiles.link_{refused.reason}", REFUSED_STATUS[refused.reason])
        disposition = "inline" if kind == "image" else "attachment"
        headers = {"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(row.filename)}", "Cache-Control": "private, no-store"}
        return Response(row.content, media_type=row.mime, headers=headers)


async def download(request: Request) -> Response:
    return await run_in_threadpool(_open, request, "file")


async def image(request: Request) -> Response:
    return await run_in_threadpool(_open, request, "image")


ROUTES: list[BaseRoute] = [
    Route("/files/{token}", download, methods=["GET"]),
    Route("/images/{token}", image, methods=["GET"]),
]
