"""/tvpb: social critique tasks (TVPB&GĐXH) — the open ones with their stage and the days
to the next deadline, late ones first, with counts by stage and drafting agency; `/tvpb N`
one task's full record. The office and oversight viewers read every task; a focal point or
an agency viewer only their agency's; an expert only the councils they sit on.

/chuyengia: for an expert, the council seats offered and `/chuyengia nhan N` or
`/chuyengia tuchoi N` to answer (plain text, so it works on Zalo); for the office, the
expert bank by field (`/chuyengia 2`: the second field of the programme's list)."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from handlers.commands import MEMBERS, Command
from handlers.context import Ctx
from handlers.office import OVERSIGHT
from handlers.types import Reply
from locales.catalogue import localised
from locales.formats import format_date
from models.activities.tables import Attachment
from models.errors import RuleError
from models.people.tables import Person, Role
from models.programme.due_phrases import parse_day
from models.programme.typed_days import read_day
from models.programme.schema import Programme
from models.programme.tables import Agency
from models.programme.wording import countdown
from models.tvpb import experts, files, services
from models.tvpb.counts import by_stage_and_agency
from models.tvpb.tables import Expert, SeatStatus, Stage, TvpbPart, TvpbTask

EXPERT_ROLES: frozenset[Role | None] = OVERSIGHT | {Role.EXPERT}
ANSWERED = {
    SeatStatus.ACCEPTED: "tvpb.answered_accepted",
    SeatStatus.DECLINED: "tvpb.answered_declined",
    SeatStatus.INVITED: "tvpb.seat.invited",
}


def small_number(text: str) -> int | None:
    """A typed number that can name a row: decimal digits only ('²' is a digit to
    `isdigit`, not to `int`), at most 9 of them (a database integer)."""
    text = text.strip().lstrip("#")
    return int(text) if text.isdecimal() and len(text) <= 9 else None


def picked_fields(programme: Programme, text: str) -> list[str] | None:
    """The field codes '2,5' names by their numbers in the programme's list, or None."""
    fields = services.rule(programme).fields
    numbers = [small_number(part) for part in text.split(",") if part.strip()]
    if not numbers or any(n is None or not 1 <= n <= len(fields) for n in numbers):
        return None
    return [fields[n - 1].code for n in numbers if n is not None]


def _expert(ctx: Ctx) -> Expert | None:
    return experts.expert_of(ctx.session, ctx.person.id) if ctx.person is not None else None


def visible(ctx: Ctx) -> list[TvpbTask]:
    """The open tasks this speaker may read."""
    if ctx.role in (Role.ADMIN, Role.VIEWER):
        return services.open_tasks(ctx.session, ctx.programme_id)
    if ctx.role is Role.EXPERT:
        expert = _expert(ctx)
        seats = set() if expert is None else {served.task.id for served in experts.history(ctx.session, expert.id)}
        return [task for task in services.open_tasks(ctx.session, ctx.programme_id) if task.id in seats]
    agency = ctx.agency
    return [] if agency is None else services.open_tasks(ctx.session, ctx.programme_id, agency.id)


def may_read(ctx: Ctx, task: TvpbTask) -> bool:
    if ctx.role in (Role.ADMIN, Role.VIEWER):
        return True
    if ctx.role is Role.EXPERT:
        expert = _expert(ctx)
        return expert is not None and any(served.task.id == task.id for served in experts.history(ctx.session, expert.id))
    return ctx.agency is not None and ctx.agency.id == task.agency_id


def agency_names(ctx: Ctx) -> dict[int, str]:
    return {a.id: a.name for a in ctx.session.exec(select(Agency).where(Agency.programme_id == ctx.programme_id))}


def _line(ctx: Ctx, task: TvpbTask, agencies: dict[int, str]) -> str:
    due = services.next_deadline(task)
    when = ctx.t("tvpb.no_deadline") if due is None else f"{format_date(due, ctx.lang)} ({countdown(due, ctx.today, ctx.lang)})"
    return ctx.t(
        "tvpb.line",
        task=task.id,
        title=task.title,
        agency=agencies.get(task.agency_id, "?"),
        stage=ctx.t(f"tvpb.stage.{task.stage}"),
        when=when,
    )


def late_first(task: TvpbTask) -> tuple[date, int]:
    return (services.next_deadline(task) or date.max, task.id)


def show_tvpb(ctx: Ctx, args: str) -> list[Reply]:
    if ctx.programme.tvpb is None:
        return [ctx.say("tvpb.not_in_programme")]
    wanted, _, action = args.strip().partition(" ")
    if action.strip():
        return [_act(ctx, wanted, action.strip())]
    if wanted:
        return [_record(ctx, wanted)]
    tasks = sorted(visible(ctx), key=late_first)
    if not tasks:
        return [ctx.say("tvpb.none_open")]
    agencies = agency_names(ctx)
    lines = [ctx.t("tvpb.title", count=len(tasks), today=format_date(ctx.today, ctx.lang))]
    lines += [_line(ctx, task, agencies) for task in tasks]
    if ctx.role in (Role.ADMIN, Role.VIEWER):
        stages, by_agency = by_stage_and_agency(ctx.session, ctx.programme_id)
        lines.append(ctx.t("tvpb.by_stage", counts="; ".join(f"{ctx.t(f'tvpb.stage.{s}')}: {n}" for s, n in sorted(stages.items()))))
        lines.append(ctx.t("tvpb.by_agency", counts="; ".join(f"{agencies.get(a, '?')}: {n}" for a, n in by_agency.most_common())))
    lines.append(ctx.t("tvpb.open_one"))
    return [Reply("\n\n".join(lines))]


def _record(ctx: Ctx, wanted: str) -> Reply:
    number = small_number(wanted)
    task = ctx.session.get(TvpbTask, number) if number is not None else None
    if task is None or task.programme_id != ctx.programme_id or not may_read(ctx, task):
        return ctx.say("tvpb.no_such_task", task=wanted[:20])
    tvpb = services.rule(ctx.programme)
    lines = [_line(ctx, task, agency_names(ctx))]
    lines.append(ctx.t("tvpb.dates", submission=format_date(task.submission_on, ctx.lang), dossier=format_date(task.dossier_due, ctx.lang)))
    if task.late_at_opening:
        lines.append(ctx.t("tvpb.late_at_opening"))
    if task.dossier_complete_at is not None:
        flags = [ctx.t("tvpb.flag_late")] if task.dossier_late else []
        flags += [ctx.t("tvpb.flag_incomplete")] if task.dossier_incomplete else []
        lines.append(ctx.t("tvpb.dossier_received", days=task.council_days, flags=", ".join(flags) or ctx.t("tvpb.flag_on_time")))
    parts = services.current_parts(ctx.session, task.id)
    for part in tvpb.parts:
        row = parts.get(part.code)
        state = "tvpb.part_waiting" if row is None else "tvpb.part_missing" if row.missing else "tvpb.part_received"
        lines.append(ctx.t(state, part=localised(part.name, part.name_en, ctx.lang)) + _file_of(ctx, row))
    for entry in services.stage_log(ctx.session, task.id):
        lines.append(
            ctx.t(
                "tvpb.log_line",
                at=format_date(entry.at.astimezone(ctx.programme.zone).date(), ctx.lang),
                stage=ctx.t(f"tvpb.stage.{entry.stage}"),
            )
        )
    return Reply("\n".join(lines))


def expert_profile(ctx: Ctx, person: Person) -> str:
    """What /mydata adds for a member of the expert bank: the profile and the seats."""
    expert = experts.expert_of(ctx.session, person.id)
    if expert is None:
        return ""
    fields = {f.code: localised(f.name, f.name_en, ctx.lang) for f in ctx.programme.tvpb.fields} if ctx.programme.tvpb else {}
    return "\n\n" + ctx.t(
        "tvpb.mydata",
        name=expert.full_name,
        title=expert.title or "—",
        fields=", ".join(fields.get(code, code) for code in expert.fields) or "—",
        affiliation=expert.affiliation or "—",
        contact=expert.contact or "—",
        seats=len(experts.history(ctx.session, expert.id)),
    )


ACTIONS = {"hoithao": Stage.WORKSHOP, "gui": Stage.CRITIQUE_SENT, "tiepthu": Stage.RESPONSE, "dong": Stage.CLOSED}


def _act(ctx: Ctx, wanted: str, action: str) -> Reply:
    if ctx.role is not Role.ADMIN:
        return ctx.say("tvpb.office_only")
    number = small_number(wanted)
    task = ctx.session.get(TvpbTask, number) if number is not None else None
    if task is None or task.programme_id != ctx.programme_id:
        return ctx.say("tvpb.no_such_task", task=wanted[:20])
    try:
        return move(ctx, task, action)
    except RuleError as error:
        return Reply(ctx.error(error))


def move(ctx: Ctx, task: TvpbTask, action: str) -> Reply:
    """The office moves a task on (the chat's `/tvpb N ACTION` and the web's buttons):
    `moi E` (invite expert E), `hoidong DD/MM/YYYY` (council formed, the workshop's day),
    `hoithao`, `gui`, `tiepthu`, `dong`, `huy LÝ DO`; and `hoatdong A`, the coordination
    activity A registered for the same critique. A RuleError says why not."""
    verb, _, rest = action.strip().partition(" ")
    verb, person_id = verb.lower(), ctx.person.id if ctx.person else None
    if verb == "moi" and small_number(rest) is not None:
        expert = ctx.session.get(Expert, small_number(rest))
        if expert is None:
            raise RuleError("tvpb.expert_unknown")
        experts.invite(ctx.session, task, expert, ctx.now)
        return ctx.say("tvpb.expert_invited_done", name=expert.full_name, task=task.id)
    if verb == "hoatdong" and small_number(rest) is not None:
        activity = services.link_activity(ctx.session, ctx.programme, task, small_number(rest) or 0)
        return ctx.say("tvpb.activity_linked", activity=activity.id, title=activity.title, task=task.id)
    if verb == "hoidong":
        services.council_formed(ctx.session, task, read_day(rest, ctx.today, nearest=True), person_id, ctx.now)
        files.on_council_formed(ctx.session, ctx.programme, task, ctx.now)
    elif verb == "huy":
        services.cancel(ctx.session, task, rest, person_id, ctx.now)
    elif verb in ACTIONS and not rest.strip():
        services.advance(ctx.session, ctx.programme, task, ACTIONS[verb], person_id, ctx.now)
    else:
        raise RuleError("tvpb.actions_usage")
    return ctx.say("tvpb.moved", task=task.id, stage=ctx.t(f"tvpb.stage.{task.stage}"))


def _file_of(ctx: Ctx, row: TvpbPart | None) -> str:
    """The received file's name, or the link itself (what a Zalo reader can open)."""
    attachment = ctx.session.get(Attachment, row.attachment_id) if row is not None and row.attachment_id is not None else None
    if attachment is None:
        return ""
    return f" — {attachment.file_ref}" if attachment.file_ref.startswith(("https://", "http://")) else f" — {attachment.name or ''}"


def experts_command(ctx: Ctx, args: str) -> list[Reply]:
    if ctx.programme.tvpb is None:
        return [ctx.say("tvpb.not_in_programme")]
    verb, _, rest = args.strip().partition(" ")
    if ctx.role is Role.EXPERT:
        own = _expert(ctx)
        if own is not None and verb.lower() in PROFILE_VERBS:
            return [_edit(ctx, own, verb.lower(), rest)]
        return [_answer_or_list(ctx, args.split())]
    if verb.lower() == "them":
        return [_record_on_paper(ctx, rest)]
    if verb.lower() == "sua":
        return [_office_edit(ctx, rest)]
    return [_search(ctx, args.strip())]


PROFILE_VERBS = {
    "hocham": "title",
    "title": "title",
    "donvi": "affiliation",
    "affiliation": "affiliation",
    "lienhe": "contact",
    "contact": "contact",
    "linhvuc": "fields",
    "fields": "fields",
}
EXAMPLES = {"title": "PGS.TS. Kinh tế", "affiliation": "Trường Đại học Lào Cai", "contact": "0912.345.678", "fields": "2,5"}


def _edit(ctx: Ctx, expert: Expert, verb: str, text: str) -> Reply:
    """One detail of an expert's profile, by the expert or the office, on one line."""
    what = PROFILE_VERBS[verb]
    if what == "fields":
        return _set_fields(ctx, expert, text.strip())
    try:
        value = experts.set_detail(ctx.session, expert, what, text)
    except RuleError as error:
        if error.key == "tvpb.profile_value_needed":
            return ctx.say(error.key, verb=verb, example=EXAMPLES[what])
        params = {**error.params, "what": ctx.t(f"tvpb.profile_what.{what}")} if "what" in error.params else error.params
        return Reply(ctx.t(error.key, **params))
    return ctx.say("tvpb.profile_saved", what=ctx.t(f"tvpb.profile_what.{what}"), name=expert.full_name, value=value)


def _office_edit(ctx: Ctx, text: str) -> Reply:
    """`/chuyengia sua E hocham|donvi|lienhe|linhvuc …`: the office edits expert E's profile."""
    if ctx.role is not Role.ADMIN:
        return ctx.say("tvpb.office_only_bank")
    number, _, rest = text.strip().partition(" ")
    verb, _, value = rest.strip().partition(" ")
    if small_number(number) is None or verb.lower() not in PROFILE_VERBS:
        return ctx.say("tvpb.office_edit_usage")
    expert = ctx.session.get(Expert, small_number(number))
    if expert is None or expert.programme_id != ctx.programme_id or expert.erased_at is not None:
        return ctx.say("tvpb.expert_unknown")
    return _edit(ctx, expert, verb.lower(), value)


def _record_on_paper(ctx: Ctx, text: str) -> Reply:
    """`/chuyengia them Họ tên | ngày đồng ý | 2,5`: the office records an expert who does not
    use the bot, with consent confirmed on paper on that day."""
    if ctx.role is not Role.ADMIN:
        return ctx.say("tvpb.office_only_bank")
    parts = [part.strip() for part in text.split("|")]
    codes = picked_fields(ctx.programme, parts[2]) if len(parts) == 3 else None
    if codes is None:
        return ctx.say("tvpb.paper_usage")
    try:
        consent_on = parse_day(parts[1], ctx.today.year)
        expert = experts.record_on_paper(ctx.session, ctx.programme_id, parts[0], consent_on, codes, ctx.now)
    except RuleError as error:
        return Reply(ctx.error(error))
    return ctx.say("tvpb.paper_recorded", number=expert.id, name=expert.full_name, day=format_date(consent_on, ctx.lang))


def _search(ctx: Ctx, wanted: str) -> Reply:
    fields = services.rule(ctx.programme).fields
    number = small_number(wanted)
    if number is None or not 1 <= number <= len(fields):
        choices = "\n".join(f"{n}. {localised(f.name, f.name_en, ctx.lang)}" for n, f in enumerate(fields, 1))
        return ctx.say("tvpb.choose_field", choices=choices)
    field = fields[number - 1]
    found = experts.search(ctx.session, ctx.programme_id, field.code)
    if not found:
        return ctx.say("tvpb.no_expert", field=localised(field.name, field.name_en, ctx.lang))
    lines = [ctx.t("tvpb.experts_title", field=localised(field.name, field.name_en, ctx.lang), count=len(found))]
    for expert in found:
        served = experts.history(ctx.session, expert.id)
        paper = ctx.t("tvpb.paper_consent", day=format_date(expert.paper_consent_on, ctx.lang)) if expert.paper_consent_on else ""
        sat = sum(s.seat.status is SeatStatus.ACCEPTED for s in served)
        lines.append(
            ctx.t(
                "tvpb.expert_line",
                number=expert.id,
                name=expert.full_name,
                title=expert.title or "—",
                affiliation=expert.affiliation or "—",
                councils=sat,
                paper=paper,
            )
        )
    return Reply("\n".join(lines))


def _answer_or_list(ctx: Ctx, words: list[str]) -> Reply:
    expert = _expert(ctx)
    if expert is None:
        return ctx.say("tvpb.not_in_bank")
    served = experts.history(ctx.session, expert.id)
    if (
        len(words) == 2
        and words[0].lower() in ("nhan", "nhận", "tuchoi", "từchối", "accept", "decline")
        and small_number(words[1]) is not None
    ):
        seat = next((s.seat for s in served if s.task.id == small_number(words[1])), None)
        if seat is None:
            return ctx.say("tvpb.no_such_task", task=words[1])
        try:
            experts.answer(ctx.session, seat, words[0].lower() in ("nhan", "nhận", "accept"), ctx.now)
        except RuleError as error:
            return Reply(ctx.error(error))
        if seat.status is SeatStatus.ACCEPTED and ctx.person is not None:
            files.on_accept(ctx.session, ctx.programme, next(s.task for s in served if s.seat is seat), ctx.person.id, ctx.now)
        return ctx.say(ANSWERED[seat.status], task=words[1])
    if words:
        return ctx.say("tvpb.expert_usage")
    if not served:
        return ctx.say("tvpb.no_seat")
    lines = [ctx.t("tvpb.seats_title")]
    lines += [ctx.t("tvpb.seat_line", task=s.task.id, title=s.task.title, status=ctx.t(f"tvpb.seat.{s.seat.status}")) for s in served]
    lines.append(ctx.t("tvpb.expert_usage"))
    return Reply("\n".join(lines))


def _set_fields(ctx: Ctx, expert: Expert, numbers: str) -> Reply:
    """`/chuyengia linhvuc 2,5`: the expert's fields, by their numbers in the programme's list."""
    fields = services.rule(ctx.programme).fields
    codes = picked_fields(ctx.programme, numbers)
    if codes is None:
        choices = "\n".join(f"{n}. {localised(f.name, f.name_en, ctx.lang)}" for n, f in enumerate(fields, 1))
        return ctx.say("tvpb.fields_usage", choices=choices)
    experts.set_profile(ctx.session, expert, codes, {f.code for f in fields})
    chosen = ", ".join(localised(f.name, f.name_en, ctx.lang) for f in fields if f.code in codes)
    if ctx.role is Role.EXPERT:
        return ctx.say("tvpb.fields_set", fields=chosen)
    return ctx.say("tvpb.profile_saved", what=ctx.t("tvpb.profile_what.fields"), name=expert.full_name, value=chosen)


COMMANDS = (
    Command("tvpb", show_tvpb, MEMBERS, "help.tvpb"),
    Command("chuyengia", experts_command, EXPERT_ROLES, "help.chuyengia"),
)
