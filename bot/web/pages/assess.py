"""What the office writes in a period's consolidated report, on one page: the fields of the
chat's /assess (đánh giá chung, tồn tại hạn chế, nguyên nhân, phương hướng nhiệm vụ, kiến
nghị, the signer), stored with the period (`models.office.period_report`) so /export prints
them. The agencies' difficulties are offered as suggestions, marked as such, and fill an
empty box of the fields /assess offers them for. Who reads it: who may run /export; who
saves it: who may run /assess."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.web.pages import periods
from bot.web.pages.common import NavLink, may, page, refusal, render
from handlers.assess import SUGGESTED, suggestions
from handlers.context import Ctx
from models.errors import RuleError
from models.office.period_report import FIELDS, SIGNER_LENGTH, office_report, save_office_texts
from models.office.tables import OFFICE_TEXT_LENGTH


@dataclass(frozen=True)
class Box:
    field: str
    text: str
    """What the box shows: the stored text, what was typed, or the suggestions."""
    suggested: bool
    """The text is the agencies' suggestions, not yet the office's."""
    most: int


def _boxes(stored: dict[str, str | None], hints: list[str], typed: FormData | None) -> list[Box]:
    boxes = []
    for field in FIELDS:
        most = SIGNER_LENGTH if field == "signer_name" else OFFICE_TEXT_LENGTH
        if typed is not None:
            boxes.append(Box(field, str(typed.get(field) or ""), False, most))
        elif stored.get(field) or field not in SUGGESTED or not hints:
            boxes.append(Box(field, stored.get(field) or "", False, most))
        else:
            boxes.append(Box(field, "\n".join(f"- {hint}" for hint in hints), True, most))
    return boxes


def _show(request: Request, ctx: Ctx, wanted: str, typed: FormData | None = None, problem: str = "", saved: bool = False) -> Response:
    try:
        choice = periods.choose(ctx, wanted)
    except RuleError as error:
        return refusal(request, error.key, 404, ctx.lang)
    row = office_report(ctx.session, choice.chosen.row.id)
    stored = {field: getattr(row, field) for field in FIELDS} if row is not None else {}
    hints = suggestions(ctx, choice.chosen)
    return render(
        request,
        "office_assessment.html",
        ctx.lang,
        status_code=400 if problem else 200,
        choice=choice,
        boxes=_boxes(stored, hints, typed),
        hints=hints,
        can_edit=may(ctx, "assess"),
        problem=problem,
        saved=saved,
    )


def _form(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    return _show(request, ctx, request.query_params.get("period", ""))


def _save(request: Request, ctx: Ctx, form: FormData | None) -> Response:
    assert form is not None
    wanted = str(form.get("period") or "")
    try:
        choice = periods.choose(ctx, wanted)
        save_office_texts(
            ctx.session, choice.chosen.row.id, {field: str(form.get(field) or "") for field in FIELDS}, ctx.person.id if ctx.person else None, ctx.now
        )
    except RuleError as error:
        return _show(request, ctx, wanted, form, ctx.error(error))
    return _show(request, ctx, choice.value, saved=True)


ROUTES: list[BaseRoute] = [
    Route("/assess", page("export")(_form), methods=["GET"]),
    Route("/assess", page("assess")(_save), methods=["POST"]),
]

NAV = (NavLink("/assess", "webviews.nav_assess"),)
