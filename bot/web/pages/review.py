"""Review from the web: the queue, one report with every item and narrative, accept or
return with a reason. The decision is the chat's (`handlers.review.decide`): the same rule,
the same notice to the focal points through the outbox."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.web.pages.common import NavLink, may, page, refusal, render
from handlers.context import Ctx
from handlers.report import item_names, period_name, summary
from handlers.review import REASON_LENGTH, decide
from models.downloads.kept import signed_files
from models.programme.tables import Agency
from models.reporting.report_plan import entries
from models.reporting.submissions import waiting_for_review
from models.reporting.tables import Period, Submission


def _queue(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    waiting = [(s, period_name(ctx, p), a) for s, p, a in waiting_for_review(ctx.session, ctx.programme_id)]
    return render(request, "review_queue.html", ctx.lang, waiting=waiting)


def _loaded(ctx: Ctx, submission_id: int) -> tuple[Submission, Period, Agency] | None:
    submission = ctx.session.get(Submission, submission_id)
    if submission is None:
        return None
    period, agency = ctx.session.get(Period, submission.period_id), ctx.session.get(Agency, submission.agency_id)
    if period is None or agency is None or period.programme_id != ctx.programme_id or agency.is_coordinator:
        return None
    return submission, period, agency


def _report(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    found = _loaded(ctx, request.path_params["id"])
    if found is None:
        return refusal(request, "web.not_found", 404, ctx.lang)
    submission, period, agency = found
    names = item_names(ctx)
    return render(
        request,
        "review_report.html",
        ctx.lang,
        submission=submission,
        agency=agency,
        name=period_name(ctx, period),
        summary=summary(ctx, submission.id),
        signed=signed_files(ctx.session, [submission.id]).get(submission.id, []),
        items=[(entry.code, entry.label(names[entry.code])) for entry in entries(ctx.programme)],
        can_review=may(ctx, "review") and submission.status.value == "submitted",
        least=REASON_LENGTH[0],
        most=REASON_LENGTH[1],
    )


def _decide(request: Request, ctx: Ctx, form: FormData | None) -> Response:
    assert form is not None
    found = _loaded(ctx, request.path_params["id"])
    if found is None:
        return refusal(request, "web.not_found", 404, ctx.lang)
    accept = form.get("decision") == "accept"
    reason = " ".join(str(form.get("reason") or "").split()) or None
    if not accept and not (reason and REASON_LENGTH[0] <= len(reason) <= REASON_LENGTH[1]):
        return render(request, "message.html", ctx.lang, status_code=400, message=ctx.t("review.reason_length", least=REASON_LENGTH[0], most=REASON_LENGTH[1]))
    shown = form.get("round")
    known = {entry.code for entry in entries(ctx.programme)}
    flagged = [str(code) for code in form.getlist("item") if str(code) in known]
    replies = decide(ctx, *found, accept, reason, int(str(shown)) if str(shown or "").isdigit() else None, flagged)
    return render(request, "message.html", ctx.lang, message=" ".join(reply.text for reply in replies), back="/review")


ROUTES: list[BaseRoute] = [
    Route("/review", page("status")(_queue), methods=["GET"]),
    Route("/reports/{id:int}", page("status")(_report), methods=["GET"]),
    Route("/reports/{id:int}/decision", page("review")(_decide), methods=["POST"]),
]
NAV = (NavLink("/review", "web.nav_review"),)
