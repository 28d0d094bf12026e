"""One agency: its focal points, its activities with their attachments, its submissions
with every item and narrative; for whom /status serves (an agency viewer is refused, as
the chat refuses them the office's views)."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import col, select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.web.pages.common import page, refusal, render
from handlers.context import Ctx
from handlers.report import period_name, summary
from models.activities.tables import Activity, Attachment
from models.downloads.kept import signed_files
from models.office.board import focal_points_of
from models.programme.tables import Agency
from models.reporting.tables import Period, Submission


def _agency(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    agency = ctx.session.exec(select(Agency).where(Agency.programme_id == ctx.programme_id, Agency.code == request.path_params["code"])).first()
    if agency is None:
        return refusal(request, "web.not_found", 404, ctx.lang)
    activities = list(ctx.session.exec(select(Activity).where(Activity.lead_agency_id == agency.id).order_by(col(Activity.planned_date).desc())))
    files: dict[int, list[Attachment]] = defaultdict(list)
    ids = [a.id for a in activities]
    for attachment in ctx.session.exec(select(Attachment).where(col(Attachment.activity_id).in_(ids))):
        if attachment.activity_id is not None:
            files[attachment.activity_id].append(attachment)
    submissions = [
        (submission, period_name(ctx, period), summary(ctx, submission.id))
        for submission, period in ctx.session.exec(
            select(Submission, Period).join(Period, col(Period.id) == Submission.period_id).where(Submission.agency_id == agency.id).order_by(col(Period.id))
        )
    ]
    return render(
        request,
        "agency.html",
        ctx.lang,
        agency=agency,
        focal_points=focal_points_of(ctx.session, [agency.id]).get(agency.id, []),
        activities=activities,
        files=files,
        submissions=submissions,
        signed=signed_files(ctx.session, [submission.id for submission, _name, _text in submissions]),
    )


ROUTES: list[BaseRoute] = [Route("/agencies/{code}", page("status")(_agency), methods=["GET"])]
