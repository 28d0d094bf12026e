"""`/signed/<attachment>`: a signed công văn downloaded by whom /signedfile sends it to (the
office's admins and viewers, the submitting agency's focal points), once its bytes are
fetched from the messenger (`models/downloads/kept`); before that, where the fetch stands."""

from __future__ import annotations

from urllib.parse import quote

from sqlmodel import col, select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.web.pages.common import page, refusal, render
from handlers.context import Ctx
from handlers.signed_file import fetch_state, may_get
from models.activities.tables import Attachment
from models.downloads import kept
from models.downloads.tables import KeptFile
from models.office.export.data import SIGNED_ITEM
from models.reporting.tables import ReportItem, Submission


def _download(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    query = (
        select(Attachment, Submission)
        .join(ReportItem, col(ReportItem.id) == Attachment.report_item_id)
        .join(Submission, col(Submission.id) == ReportItem.submission_id)
        .where(Attachment.id == request.path_params["id"], Attachment.programme_id == ctx.programme_id, ReportItem.code == SIGNED_ITEM)
    )
    found = ctx.session.exec(query).first()
    if found is None or not may_get(ctx, found[1]):
        return refusal(request, "web.not_found", 404, ctx.lang)
    attachment = found[0]
    held = ctx.session.get(KeptFile, attachment.id)
    if held is None or held.state != kept.KEPT or not held.content:
        return render(request, "message.html", ctx.lang, status_code=409, message=fetch_state(ctx, held), back=f"/reports/{found[1].id}")
    name = attachment.name or ctx.t("attach.unnamed")
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}", "Cache-Control": "private, no-store"}
    return Response(held.content, media_type=held.mime or "application/octet-stream", headers=headers)


ROUTES: list[BaseRoute] = [Route("/signed/{id:int}", page("signedfile")(_download), methods=["GET"])]
