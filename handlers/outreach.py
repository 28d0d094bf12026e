"""/chase and /broadcast: the office reaching out through the outbox (the sender's rate
limits apply, and the keys stop a repeated command from sending twice)."""

from __future__ import annotations

import secrets
from functools import partial

from sqlmodel import select

from handlers import forms
from handlers.commands import ADMINS, Command
from handlers.context import Ctx
from handlers.forms import Answer, Done, Flow, Outcome, Stay, Step
from handlers.office import period_title
from handlers.types import Button, Reply
from locales.catalogue import localised, t
from locales.formats import format_date
from models.errors import RuleError
from models.office.board import board, choose_period
from models.office.outreach import EVERYONE_WORDS, audience_for, audience_of, check_broadcast_text, send_broadcast, send_chase
from models.outbox.notify import message
from models.programme.tables import Agency


def chase(ctx: Ctx, args: str) -> list[Reply]:
    target, _, period_text = args.strip().partition(" ")
    if not target:
        return [ctx.say("outreach.chase_usage")]
    try:
        chosen = choose_period(ctx.session, ctx.programme, ctx.programme_id, period_text, ctx.now)
    except RuleError as error:
        return [Reply(ctx.error(error))]
    missing = board(ctx.session, ctx.programme, ctx.programme_id, chosen).missing
    if target.lower() != "all":
        missing = [row for row in missing if row.agency.code == target.upper()]
        if not missing:
            return [ctx.say("outreach.chase_nothing", agency=target.upper(), name=period_title(ctx, chosen))]
    name, due = period_title(ctx, chosen), partial(format_date, chosen.info.due)
    messages = {row.agency.id: message("outreach.chase_text", agency=row.agency.name, name=name, due=due) for row in missing}
    sent = send_chase(ctx.session, ctx.programme_id, chosen.row.id, messages, ctx.now, ctx.programme.reminders.policy())
    written = sum(sent.values())
    reached = [row.agency.code for row in missing if sent[row.agency.id]]
    unreachable = [row.agency.name for row in missing if not sent[row.agency.id]]
    text = ctx.t("outreach.chased", count=written, agencies=len(reached), name=period_title(ctx, chosen))
    if unreachable:
        text += "\n" + ctx.t("outreach.chase_skipped", codes=", ".join(unreachable))
    return [Reply(text)]


def broadcast(ctx: Ctx, args: str) -> list[Reply]:
    target, _, text = args.strip().partition(" ")
    if not target or not text.strip():
        return [ctx.say("outreach.broadcast_usage", kinds=_kinds(ctx))]
    try:
        audience = audience_of(ctx.session, ctx.programme_id, target)
        message = check_broadcast_text(text)
    except RuleError as error:
        if error.key == "outreach.unknown_target":
            return [ctx.say("outreach.unknown_target", target=target, kinds=_kinds(ctx))]
        return [Reply(ctx.error(error))]
    values = {
        "target": target,
        "audience": _audience_name(ctx, target),
        "agency_ids": audience.agency_ids,
        "everyone": audience.everyone,
        "text": message,
        "token": secrets.token_hex(6),
        "people": len(audience.people),
        "groups": len(audience.groups),
    }
    return forms.begin(ctx, "broadcast", values)


def _kinds(ctx: Ctx) -> str:
    """The kinds /broadcast understands, each code with its name: 'hoi (Hội), so (Sở)'."""
    return ", ".join(f"{kind.code} ({localised(kind.name, kind.name_en, ctx.lang)})" for kind in ctx.programme.agency_kinds)


def _audience_name(ctx: Ctx, target: str) -> str:
    """Whom the target names, in words: every agency, a kind's name or an agency's name."""
    wanted = target.strip()
    if wanted.lower() in EVERYONE_WORDS:
        return ctx.t("outreach.everyone")
    agency = ctx.session.exec(select(Agency).where(Agency.programme_id == ctx.programme_id, Agency.code == wanted.upper())).first()
    if agency is not None:
        return agency.name
    kind = next((kind for kind in ctx.programme.agency_kinds if kind.code == wanted.lower()), None)
    return ctx.t("outreach.of_kind", kind=localised(kind.name, kind.name_en, ctx.lang)) if kind else wanted


def _confirm_prompt(ctx: Ctx) -> Reply:
    values = forms.data(ctx)
    audience = values.get("audience") or values["target"]
    text = ctx.t("outreach.broadcast_confirm", people=values["people"], groups=values["groups"], target=audience, text=values["text"])
    return Reply(text, ((Button(ctx.t("outreach.broadcast_send"), "send"),),))


def _confirm_accept(ctx: Ctx, answer: Answer) -> Outcome:
    if answer.choice != "send":
        return Stay(ctx.t("form.pick_a_button"))
    values = forms.data(ctx)
    if "agency_ids" in values:  # else a form begun before the agencies were kept in it
        audience = audience_for(ctx.session, ctx.programme_id, values["agency_ids"], values["everyone"])
    else:
        audience = audience_of(ctx.session, ctx.programme_id, values["target"])
    body = t("outreach.broadcast_text", ctx.programme.programme.language, sender=ctx.programme.coordinator.short_name, text=values["text"])
    written = send_broadcast(ctx.session, ctx.programme_id, audience, body, values["token"], ctx.now, ctx.programme.reminders.policy())
    return Done([ctx.say("outreach.broadcast_queued", count=written)])


BROADCAST_FORM = Flow(name="broadcast", first="confirm", steps={"confirm": Step(_confirm_prompt, _confirm_accept, back=False)})

COMMANDS = (
    Command("chase", chase, ADMINS, "help.chase"),
    Command("broadcast", broadcast, ADMINS, "help.broadcast", forms=(BROADCAST_FORM,)),
)
