"""/assess [KỲ]: what only the office can write in a period's consolidated report (đánh giá
chung, tồn tại hạn chế, nguyên nhân, phương hướng nhiệm vụ, kiến nghị, the signer's name),
a field at a time, in plain text (Zalo as well as Telegram); the agencies' difficulties are
offered as suggestions, marked as such. /sent KỲ SỐ [NGÀY]: the office's own report to an
outside body (Sở Nội vụ, UBND tỉnh) was sent, with its number and date."""

from __future__ import annotations

from sqlmodel import select

from handlers import forms
from handlers.commands import ADMINS, Command
from handlers.context import Ctx
from handlers.forms import Answer, Done, Flow, Go, Outcome, Stay, Step, step_arg
from handlers.office import period_title
from handlers.types import Button, Reply
from locales.formats import format_date
from models.errors import RuleError
from models.office.board import choose_period, period_by_id
from models.office.period_report import FIELDS, difficulty_texts, mark_report_sent, office_report, parse_sent, save_office_text
from models.programme.tables import Agency
from models.reporting.period_book import LivePeriod

SUGGESTED = ("shortcomings", "proposals")
SHOWN_SUGGESTIONS = 5
KEEP, CLEAR = "keep", "clear"


def start_assess(ctx: Ctx, args: str) -> list[Reply]:
    try:
        chosen = choose_period(ctx.session, ctx.programme, ctx.programme_id, args, ctx.now)
    except RuleError as error:
        return [Reply(ctx.error(error))]
    return forms.begin(ctx, "assess", {"period_id": chosen.row.id})


def _period(ctx: Ctx) -> LivePeriod:
    found = period_by_id(ctx.session, ctx.programme, forms.data(ctx)["period_id"])
    assert found is not None
    return found


def suggestions(ctx: Ctx, period: LivePeriod) -> list[str]:
    """The agencies' difficulties, offered (as suggestions) for the fields of SUGGESTED."""
    area = next((a for a in ctx.programme.content_areas if a.difficulties), None)
    return difficulty_texts(ctx.session, period.row.id, area.code)[:SHOWN_SUGGESTIONS] if area else []


def _field_prompt(ctx: Ctx) -> Reply:
    field = step_arg(ctx) or FIELDS[0]
    period = _period(ctx)
    row = office_report(ctx.session, period.row.id)
    current = getattr(row, field) if row else None
    lines = [
        ctx.t("assess.step", n=FIELDS.index(field) + 1, of=len(FIELDS), name=period_title(ctx, period)),
        ctx.t(f"assess.ask_{field}"),
        ctx.t("assess.current", text=current) if current else ctx.t("assess.nothing_yet"),
    ]
    offered = suggestions(ctx, period) if field in SUGGESTED else []
    if offered:
        lines.append(ctx.t("assess.suggestions") + "\n" + "\n".join(f"- {text}" for text in offered))
    lines.append(ctx.t("assess.how"))
    return Reply("\n\n".join(lines), ((Button(ctx.t("assess.keep"), KEEP), Button(ctx.t("assess.clear"), CLEAR)),))


def _field_accept(ctx: Ctx, answer: Answer) -> Outcome:
    field = step_arg(ctx) or FIELDS[0]
    period = _period(ctx)
    person = ctx.person.id if ctx.person else None
    if answer.choice == CLEAR:
        save_office_text(ctx.session, period.row.id, field, None, person, ctx.now)
    elif answer.choice != KEEP:
        if not (answer.text or "").strip():
            return Stay(ctx.t("assess.type_text"))
        try:
            save_office_text(ctx.session, period.row.id, field, answer.text, person, ctx.now)
        except RuleError as error:
            return Stay(ctx.error(error))
    following = FIELDS.index(field) + 1
    if following < len(FIELDS):
        return Go(f"field:{FIELDS[following]}")
    code = f"{period.cycle.code}/{period.info.code}"
    return Done([ctx.say("assess.saved", name=period_title(ctx, period), period=code)])


ASSESS_FORM = Flow(name="assess", first="field", steps={"field": Step(_field_prompt, _field_accept, free_text=True)})


def mark_sent_outside(ctx: Ctx, args: str) -> list[Reply]:
    """/sent lhh-6-thang/2027-H1 45/BC-LHH 25/06/2027."""
    wanted, _, rest = args.strip().partition(" ")
    if not wanted or not rest.strip():
        return [ctx.say("sent.usage")]
    try:
        chosen = choose_period(ctx.session, ctx.programme, ctx.programme_id, wanted, ctx.now)
        if not ctx.programme.reports_outside(chosen.cycle):
            raise RuleError("sent.not_outside", name=period_title(ctx, chosen))
        number, day = parse_sent(rest, ctx.today)
    except RuleError as error:
        return [Reply(ctx.error(error))]
    assert ctx.person is not None and ctx.person.id is not None
    coordinator = select(Agency.id).where(Agency.programme_id == ctx.programme_id, Agency.code == ctx.programme.coordinator.code)
    mark_report_sent(ctx.session, chosen, ctx.session.exec(coordinator).one(), number, day, ctx.person.id, ctx.now)
    name = period_title(ctx, chosen)
    return [ctx.say("sent.done", name=name, recipient=chosen.cycle.recipient, number=number, day=format_date(day, ctx.lang))]


COMMANDS = (
    Command("assess", start_assess, ADMINS, "help.assess", forms=(ASSESS_FORM,)),
    Command("sent", mark_sent_outside, ADMINS, "help.sent"),
)
