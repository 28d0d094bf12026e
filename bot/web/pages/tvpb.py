"""Social critique (TVPB&GĐXH) on the web, read as the chat's /tvpb reads it (`handlers.tvpb`:
who sees which task, late ones first, the counts) and moved on as `/tvpb N ACTION` moves it
(`handlers.tvpb.move`: the same services, the same outbox notices), by the office only.
`/tvpb/{id}/parts/{part}` opens a dossier file for who may read the task (its kept bytes,
`models/downloads/kept`; else a link, or the file fetched again from the messenger that
received it, `bot/web/file_fetch`); `/experts` is
the expert bank by field, for the office and the oversight viewers (as /chuyengia)."""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.web.file_fetch import FileFetcher, FileUnavailable
from bot.web.pages import tvpb_record
from bot.web.pages.common import NavLink, page, refusal, render
from handlers.context import Ctx
from handlers.tvpb import agency_names, late_first, may_read, move, small_number, visible
from models.tvpb.files import LINK_PREFIXES
from locales.catalogue import localised, t
from models.activities.tables import Attachment
from models.downloads import kept
from locales.formats import format_date
from models.errors import RuleError
from models.people.tables import Role
from models.programme.wording import countdown
from models.tvpb import experts, services
from models.tvpb.counts import by_stage_and_agency
from models.tvpb.stages import OPEN
from models.tvpb.tables import SeatStatus, Stage, TvpbTask

NOT_KEPT = {"Cache-Control": "private, no-store"}


def _due(ctx: Ctx, task: TvpbTask) -> tuple[str, bool]:
    """The next deadline in words ('15/03/2027 (còn 3 ngày)'), and whether it has passed."""
    due = services.next_deadline(task)
    if due is None:
        return ctx.t("tvpb.no_deadline"), False
    return f"{format_date(due, ctx.lang)} ({countdown(due, ctx.today, ctx.lang)})", due < ctx.today


def _fields(ctx: Ctx) -> dict[str, str]:
    return {f.code: localised(f.name, f.name_en, ctx.lang) for f in services.rule(ctx.programme).fields}


def _list(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    if ctx.programme.tvpb is None:
        return refusal(request, "tvpb.not_in_programme", 404, ctx.lang)
    agencies = agency_names(ctx)
    rows = [(task, agencies.get(task.agency_id, "?"), *_due(ctx, task)) for task in sorted(visible(ctx), key=late_first)]
    office = ctx.role in (Role.ADMIN, Role.VIEWER)
    stages, by_agency = by_stage_and_agency(ctx.session, ctx.programme_id) if office else (Counter(), Counter())
    return render(
        request,
        "tvpb_list.html",
        ctx.lang,
        rows=rows,
        office=office,
        stages=sorted(stages.items()),
        by_agency=[(agencies.get(a, "?"), n) for a, n in by_agency.most_common()],
        today=format_date(ctx.today, ctx.lang),
    )


def _task(request: Request, ctx: Ctx) -> TvpbTask | None:
    """The task of the path, if this person may read it (else it does not exist for them)."""
    if ctx.programme.tvpb is None:
        return None
    number = small_number(str(request.path_params["id"]))
    task = ctx.session.get(TvpbTask, number) if number is not None else None
    return task if task is not None and task.programme_id == ctx.programme_id and may_read(ctx, task) else None


def _record(request: Request, ctx: Ctx, _form: FormData | None, status_code: int = 200, problem: str = "") -> Response:
    task = _task(request, ctx)
    if task is None:
        return refusal(request, "webviews.no_task", 404, ctx.lang)
    rule, zone = services.rule(ctx.programme), ctx.programme.zone
    current, older = tvpb_record.parts(ctx.session, rule, task, zone, ctx.lang)
    log = tvpb_record.log(ctx.session, task, zone)
    seats = tvpb_record.council(ctx.session, task)
    office = ctx.role is Role.ADMIN and task.stage in OPEN
    received = tvpb_record.response_day(log)
    fields = _fields(ctx)
    return render(
        request,
        "tvpb_task.html",
        ctx.lang,
        status_code=status_code,
        problem=problem,
        task=task,
        agency=agency_names(ctx).get(task.agency_id, "?"),
        fields=[fields.get(code, code) for code in task.fields],
        due=_due(ctx, task),
        current=current,
        older=older,
        log=log,
        seats=seats,
        accepted=sum(line.seat.status is SeatStatus.ACCEPTED for line in seats),
        response_received=received,
        response_late=received is not None and task.response_due is not None and received > task.response_due,
        office=office,
        next_verb=tvpb_record.NEXT_VERB.get(task.stage) if office else None,
        forming=office and task.stage is Stage.DOSSIER,
        inviting=office and task.stage in tvpb_record.INVITING,
        invitable=tvpb_record.invitable(ctx.session, task, seats) if office else [],
        fmt=lambda day: format_date(day, ctx.lang) if day else "—",
        day_of=lambda moment: tvpb_record.local_day(moment, zone),
    )


def _action(form: FormData) -> str:
    """The chat's words for what the form asks: 'hoidong 2027-03-31', 'moi 4', 'huy LÝ DO'."""
    verb = str(form.get("verb") or "").strip().lower()
    argument = {"hoidong": "workshop_on", "moi": "expert", "huy": "reason"}.get(verb)
    return f"{verb} {' '.join(str(form.get(argument) or '').split())}" if argument else verb


def _move(request: Request, ctx: Ctx, form: FormData | None) -> Response:
    assert form is not None
    task = _task(request, ctx)
    if task is None:
        return refusal(request, "webviews.no_task", 404, ctx.lang)
    if ctx.role is not Role.ADMIN:
        return refusal(request, "tvpb.office_only", 403, ctx.lang)
    try:
        reply = move(ctx, task, _action(form))  # a refusal is raised before anything changes
    except RuleError as error:
        return _record(request, ctx, None, 400, ctx.error(error))
    return render(request, "message.html", ctx.lang, message=reply.text, back=f"/tvpb/{task.id}")


class Fetching(Response):
    """`_part_file`'s answer for a file a messenger holds: `part_file` fetches it from there."""

    def __init__(self, attachment: Attachment, lang: str, back: str) -> None:
        super().__init__(status_code=204)
        self.attachment, self.lang, self.back = attachment, lang, back


def _part_file(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    """A dossier file, for who may read the task: its kept bytes if they are there; else a
    link (how Zalo sends one) opens, and a file a messenger holds is fetched from it (`part_file`)."""
    task = _task(request, ctx)
    found = None
    if task is not None:
        current, older = tvpb_record.parts(ctx.session, services.rule(ctx.programme), task, ctx.programme.zone, ctx.lang)
        found = next((line for line in (*current, *older) if line.row is not None and line.row.id == request.path_params["part"]), None)
    if task is None or found is None or found.attachment is None:
        return refusal(request, "webviews.no_task", 404, ctx.lang)
    held = kept.kept_bytes(ctx.session, found.attachment.id)
    if held is not None and held.content is not None:
        return _download(held.content, held.mime, found.attachment.name or ctx.t("attach.unnamed"))
    if found.attachment.file_ref.startswith(LINK_PREFIXES):
        return RedirectResponse(found.attachment.file_ref, status_code=303, headers=NOT_KEPT)
    return Fetching(found.attachment, ctx.lang, f"/tvpb/{task.id}")


checked_part_file = page("tvpb")(_part_file)


async def part_file(request: Request) -> Response:
    answer: Response = await checked_part_file(request)
    if not isinstance(answer, Fetching):
        return answer
    attachment, lang = answer.attachment, answer.lang
    name = attachment.name or t("attach.unnamed", lang)
    fetch: FileFetcher | None = request.app.state.file_fetchers.get(attachment.channel)
    if fetch is None:
        return render(request, "message.html", lang, status_code=404, message=t("webviews.file_on_channel", lang, file=name), back=answer.back)
    try:
        content = await fetch(attachment.file_ref)
    except FileUnavailable:
        return render(request, "message.html", lang, status_code=502, message=t("webviews.file_unavailable", lang, file=name), back=answer.back)
    return _download(content, attachment.mime, name)


def _download(content: bytes, mime: str | None, name: str) -> Response:
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}", **NOT_KEPT}
    return Response(content, media_type=mime or "application/octet-stream", headers=headers)


NOT_THE_BANKS = frozenset({Role.EXPERT})
"""/chuyengia serves experts their own profile and seats; the bank itself is the office's."""


def _bank(request: Request, ctx: Ctx, _form: FormData | None) -> Response:
    if ctx.role in NOT_THE_BANKS:
        return refusal(request, "web.not_allowed", 403, ctx.lang)
    if ctx.programme.tvpb is None:
        return refusal(request, "tvpb.not_in_programme", 404, ctx.lang)
    fields = _fields(ctx)
    wanted = request.query_params.get("field", "")
    if wanted and wanted not in fields:
        return refusal(request, "web.not_found", 404, ctx.lang)
    found = experts.search(ctx.session, ctx.programme_id, wanted or None)
    rows = [(expert, [fields.get(code, code) for code in expert.fields], experts.history(ctx.session, expert.id)) for expert in found]
    return render(
        request,
        "tvpb_experts.html",
        ctx.lang,
        fields=fields,
        field=wanted,
        rows=rows,
        fmt=lambda day: format_date(day, ctx.lang),
    )


ROUTES: list[BaseRoute] = [
    Route("/tvpb", page("tvpb")(_list), methods=["GET"]),
    Route("/tvpb/{id:int}", page("tvpb")(_record), methods=["GET"]),
    Route("/tvpb/{id:int}/move", page("tvpb")(_move), methods=["POST"]),
    Route("/tvpb/{id:int}/parts/{part:int}", part_file, methods=["GET"]),
    Route("/experts", page("chuyengia")(_bank), methods=["GET"]),
]

NAV = (NavLink("/tvpb", "webviews.nav_tvpb"), NavLink("/experts", "webviews.nav_experts", NOT_THE_BANKS))
