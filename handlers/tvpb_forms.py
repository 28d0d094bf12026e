"""/tvpbmoi: open a TVPB task (the office) or request one (a focal point, for their own
agency); /hoso N: send the dossier's parts one at a time — a file on Telegram, a photo or a
link on Zalo (its Bot API delivers no other files) — or mark a part missing. Every choice
is a numbered line on Zalo."""

from __future__ import annotations

from datetime import date
from functools import partial

from sqlmodel import select

from handlers import forms
from handlers.commands import FOCAL_AND_ADMIN, Command
from handlers.context import Ctx
from handlers.forms import Answer, Choice, Done, Flow, Go, Outcome, Stay, Step, choice_rows
from handlers.tvpb import picked_fields, small_number
from handlers.types import Reply
from locales.catalogue import localised, t
from locales.formats import format_date
from models.activities.files import stated_size_valid, too_big
from models.activities.tables import Attachment
from models.downloads import kept
from models.errors import RuleError
from models.hidden_characters import has_hidden
from models.outbox.notify import message, tell_office
from models.people.tables import Role
from models.programme.typed_days import read_day
from models.programme.tables import Agency
from models.tvpb import files, services
from models.tvpb.tables import SchemeKind, Stage, TvpbTask

MISSING = "missing"
MISSING_WORDS = frozenset({"thieu", "thiếu", "missing"})


def start_open(ctx: Ctx, _args: str) -> list[Reply]:
    if ctx.programme.tvpb is None:
        return [ctx.say("tvpb.not_in_programme")]
    return forms.begin(ctx, "tvpb_open")


def _title_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("tvpb.ask_title"))


def _title_accept(ctx: Ctx, answer: Answer) -> Outcome:
    title = " ".join((answer.text or "").split())
    if len(title) < 5 or len(title) > 500:
        return Stay(ctx.t("tvpb.title_too_short"))
    forms.remember(ctx, title=title)
    return Go("kind")


def _kind_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("tvpb.ask_kind"), choice_rows([Choice(ctx.t(f"tvpb.kind.{kind}"), kind.value) for kind in SchemeKind]))


def _kind_accept(ctx: Ctx, answer: Answer) -> Outcome:
    if answer.choice not in {kind.value for kind in SchemeKind}:
        return Stay(ctx.t("tvpb.choose_kind"))
    forms.remember(ctx, kind=answer.choice)
    return Go("agency" if ctx.role is Role.ADMIN else "date")


def _agency_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("tvpb.ask_agency"))


def _agency_of(ctx: Ctx, code: str) -> Agency | None:
    query = select(Agency).where(Agency.programme_id == ctx.programme_id, Agency.code == code.strip().upper(), Agency.active == True)
    agency = ctx.session.exec(query).first()
    return None if agency is None or agency.is_coordinator else agency


def _agency_accept(ctx: Ctx, answer: Answer) -> Outcome:
    agency = _agency_of(ctx, answer.text or "")
    if agency is None:
        return Stay(ctx.t("tvpb.unknown_agency", code=(answer.text or "").strip()[:20]))
    forms.remember(ctx, agency=agency.code)
    return Go("date")


def _date_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("tvpb.ask_submission", example=format_date(ctx.today, "vi")))


def _date_accept(ctx: Ctx, answer: Answer) -> Outcome:
    try:
        day = read_day(answer.text or "", ctx.today, future=True)
    except RuleError as error:
        return Stay(ctx.error(error))
    forms.remember(ctx, submission=day.isoformat())
    return Go("fields")


def _field_list(ctx: Ctx) -> str:
    return "\n".join(f"{n}. {localised(f.name, f.name_en, ctx.lang)}" for n, f in enumerate(services.rule(ctx.programme).fields, 1))


def _fields_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("tvpb.ask_fields", choices=_field_list(ctx)))


def _fields_accept(ctx: Ctx, answer: Answer) -> Outcome:
    codes = picked_fields(ctx.programme, answer.text or "")
    if codes is None:
        return Stay(ctx.t("tvpb.bad_fields"))
    values = forms.data(ctx)
    agency = _agency_of(ctx, values["agency"]) if "agency" in values else ctx.agency
    if agency is None or ctx.person is None:
        return Done([ctx.say("tvpb.unknown_agency", code=values.get("agency", "?"))])
    submission = date.fromisoformat(values["submission"])
    try:
        opened = services.open_task(
            ctx.session,
            ctx.programme,
            ctx.programme_id,
            agency,
            values["title"],
            SchemeKind(values["kind"]),
            codes,
            submission,
            ctx.person.id,
            ctx.now,
        )
    except RuleError as error:
        return Done([Reply(ctx.error(error))])
    task = opened.task
    if ctx.role is not Role.ADMIN:
        notice = message("tvpb.office_requested", task=task.id, title=task.title, agency=agency.name)
        tell_office(ctx.session, ctx.programme_id, f"{services.key_prefix(task.id)}requested", notice, ctx.now)
    replies = [ctx.say("tvpb.opened", task=task.id, title=task.title, agency=agency.name, due=format_date(task.dossier_due, ctx.lang))]
    if task.late_at_opening:
        replies.append(ctx.say("tvpb.late_at_opening"))
    return Done(replies)


OPEN_FORM = Flow(
    name="tvpb_open",
    first="title",
    steps={
        "title": Step(_title_prompt, _title_accept, free_text=True, back=False),
        "kind": Step(_kind_prompt, _kind_accept),
        "agency": Step(_agency_prompt, _agency_accept, free_text=True),
        "date": Step(_date_prompt, _date_accept, free_text=True),
        "fields": Step(_fields_prompt, _fields_accept, free_text=True),
    },
)


def _dossier_task(ctx: Ctx, number: str) -> TvpbTask:
    """The task whose dossier the speaker may send: their agency's, or any for the office."""
    wanted = small_number(number)
    task = ctx.session.get(TvpbTask, wanted) if wanted is not None else None
    if task is None or task.programme_id != ctx.programme_id:
        raise RuleError("tvpb.no_such_task", task=number[:20])
    if ctx.role is not Role.ADMIN and (ctx.agency is None or ctx.agency.id != task.agency_id):
        raise RuleError("tvpb.no_such_task", task=number[:20])
    if task.stage not in services.DOSSIER_OPEN:
        raise RuleError("tvpb.dossier_closed")
    return task


def start_dossier(ctx: Ctx, args: str) -> list[Reply]:
    if ctx.programme.tvpb is None:
        return [ctx.say("tvpb.not_in_programme")]
    if not args.strip():
        return [ctx.say("tvpb.dossier_usage")]
    try:
        task = _dossier_task(ctx, args.strip())
    except RuleError as error:
        return [Reply(ctx.error(error))]
    return forms.begin(ctx, "tvpb_dossier", {"task": task.id})


def _part_prompt(ctx: Ctx) -> Reply:
    task_id = int(forms.data(ctx)["task"])
    have = services.current_parts(ctx.session, task_id)
    choices = []
    for part in services.rule(ctx.programme).parts:
        row = have.get(part.code)
        state = "tvpb.part_waiting" if row is None else "tvpb.part_missing" if row.missing else "tvpb.part_received"
        choices.append(Choice(ctx.t(state, part=localised(part.name, part.name_en, ctx.lang)).lstrip("– "), part.code))
    return Reply(ctx.t("tvpb.ask_part", task=task_id), choice_rows(choices))


def _part_accept(ctx: Ctx, answer: Answer) -> Outcome:
    names = {part.code: localised(part.name, part.name_en, ctx.lang) for part in services.rule(ctx.programme).parts}
    if answer.choice not in names:
        return Stay(ctx.t("tvpb.choose_part"))
    forms.remember(ctx, part=answer.choice, part_name=names[answer.choice])
    return Go("file")


def _file_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("tvpb.ask_file", part=forms.data(ctx)["part_name"]), choice_rows([Choice(ctx.t("tvpb.mark_missing"), MISSING)]))


def _stored(ctx: Ctx, answer: Answer) -> Attachment | str | None:
    """The attachment the answer carries (a file, or a link), a problem, or None for 'missing'."""
    text = (answer.text or "").strip()
    if answer.choice == MISSING or (answer.file is None and text.lower() in MISSING_WORDS):
        return None
    assert ctx.person is not None
    if answer.file is not None:
        file = answer.file
        if file.name and has_hidden(file.name):
            return ctx.t("attach.hidden_name")
        if not stated_size_valid(file.size) or too_big(file.size, ctx.policy.file_limit):
            return ctx.t("attach.bad_size")
        ref, unique, name, mime, size = file.ref, file.unique_ref, file.name, file.mime, file.size
    elif text.startswith(files.LINK_PREFIXES) and " " not in text and len(text) <= 255 and not has_hidden(text):
        ref, unique, name, mime, size = text, None, text.rsplit("/", 1)[-1][:255] or text[:255], None, None
    else:
        return ctx.t("tvpb.need_file")
    row = Attachment(
        programme_id=ctx.programme_id,
        person_id=ctx.person.id,
        channel=ctx.incoming.channel,
        file_ref=ref,
        file_unique_ref=unique,
        name=name[:255] if name else None,
        mime=mime[:100] if mime else None,
        size=size,
        created_at=ctx.now,
    )
    ctx.session.add(row)
    ctx.session.flush()
    return row


def _file_accept(ctx: Ctx, answer: Answer) -> Outcome:
    values = forms.data(ctx)
    stored = _stored(ctx, answer)
    if isinstance(stored, str):
        return Stay(stored)
    try:
        task = _dossier_task(ctx, str(values["task"]))
        before = task.stage
        part = services.record_part(
            ctx.session,
            ctx.programme,
            task,
            values["part"],
            None if stored is None else stored.id,
            ctx.person.id if ctx.person else None,
            ctx.now,
        )
    except RuleError as error:
        return Done([Reply(ctx.error(error))])
    if stored is not None and answer.file is not None:
        kept.want(ctx.session, stored.id, ctx.now)
    members = len(files.on_part(ctx.session, ctx.programme, task, part, ctx.now))
    if before is Stage.DOSSIER:
        return Done([ctx.say("tvpb.part_added", task=task.id, part=values["part_name"], count=members)])
    if task.stage is Stage.REQUESTED:
        return Go("part")
    return Done([_received(ctx, task)])


def _flag_words(keys: list[str], language: str) -> str:
    return ", ".join(t(key, language) for key in keys) or t("tvpb.flag_on_time", language)


def _received(ctx: Ctx, task: TvpbTask) -> Reply:
    """The dossier is in: say so, and tell the office (late, incomplete, the council's days)."""
    flags = [key for key, on in (("tvpb.flag_late", task.dossier_late), ("tvpb.flag_incomplete", task.dossier_incomplete)) if on]
    notice = message("tvpb.office_dossier_in", task=task.id, title=task.title, days=task.council_days, flags=partial(_flag_words, flags))
    tell_office(ctx.session, ctx.programme_id, f"{services.key_prefix(task.id)}dossier-in", notice, ctx.now)
    return ctx.say("tvpb.dossier_done", task=task.id, flags=_flag_words(flags, ctx.lang), days=task.council_days)


DOSSIER_FORM = Flow(
    name="tvpb_dossier",
    first="part",
    steps={
        "part": Step(_part_prompt, _part_accept, back=False),
        "file": Step(_file_prompt, _file_accept, free_text=True),
    },
)

COMMANDS = (
    Command("tvpbmoi", start_open, FOCAL_AND_ADMIN, "help.tvpbmoi", forms=(OPEN_FORM,)),
    Command("hoso", start_dossier, FOCAL_AND_ADMIN, "help.hoso", forms=(DOSSIER_FORM,)),
)
