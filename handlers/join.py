"""/start: joining with an invite.

Nothing about the person is stored until they have read the personal-data notice and
agreed (Law on Personal Data Protection 91/2025/QH15: consent is free, informed, recorded;
silence is not consent). Until then the form holds only the invite code, keyed by chat.
Codes that match no invite are counted per account (`handlers/throttle`, shared with /link);
too many close the door for a while, during which no code, right or wrong, is looked up.
"""

from __future__ import annotations

from dataclasses import replace

from handlers import forms
from handlers.basics import LANGUAGE_NAMES, help_reply, set_language
from handlers.commands import EVERYONE, STRANGER, Command
from handlers.context import Ctx
from handlers.forms import Answer, Done, Flow, Go, Outcome, Redo, Stay, Step, Switched
from handlers.throttle import counted, refused_for_now
from handlers.types import Button, Reply
from models.errors import RuleError
from models.people.invites import find_usable
from models.people.roster import join, validate_full_name
from models.people.seats import tell_seat_taken
from models.people.tables import Role
from models.programme.due_phrases import fold
from models.programme.tables import Agency
from models.tvpb.experts import join_bank

YES_WORDS = frozenset({"co", "dong y", "toi dong y", "ok", "oke", "vang", "yes", "agree", "i agree", "y"})
NO_WORDS = frozenset({"khong", "khong dong y", "toi khong dong y", "no", "n", "i do not agree", "disagree"})
GUESSED_WRONG = "invite.unknown"
"""Only a code that matches no invite counts: a used or expired one is a real code."""


def start(ctx: Ctx, args: str) -> list[Reply]:
    if ctx.person is not None and ctx.agency is not None:
        key = "join.already_member" if args else "join.welcome_back"
        role = ctx.t(f"role.{ctx.person.role}")
        return [ctx.say(key, name=ctx.person.full_name, role=role, agency=ctx.agency.name), help_reply(ctx)]
    if not args:
        return [ctx.say("join.need_invite")]
    if (refused := refused_for_now(ctx)) is not None:
        return [refused]
    try:
        invite = find_usable(ctx.session, ctx.programme_id, args, ctx.now)
    except RuleError as error:
        return [counted(ctx, error, GUESSED_WRONG, Reply(ctx.error(error)))]
    agency = ctx.session.get(Agency, invite.agency_id)
    assert agency is not None
    return forms.begin(ctx, "join", {"code": invite.code, "agency": agency.name, "role": invite.role.value})


def _consent_prompt(ctx: Ctx) -> Reply:
    values = forms.data(ctx)
    text = ctx.t(
        "join.notice",
        agency=values["agency"],
        role=ctx.t(f"role.{values['role']}"),
        controller=ctx.programme.coordinator.name,
    )
    other = "en" if ctx.lang == "vi" else "vi"
    choices = (Button(ctx.t("join.agree"), "yes"), Button(ctx.t("join.decline"), "no"))
    return Reply(text, (choices, (Button(LANGUAGE_NAMES[other], f"lang:{other}"),)))


def _consent_accept(ctx: Ctx, answer: Answer) -> Outcome:
    """Another stranger with the same code may have joined meanwhile: they are told now,
    not after typing their name (their form is theirs to end, not the other joiner's)."""
    choice = answer.choice or _consent_word(answer.text or "")
    if choice == "yes":
        try:
            find_usable(ctx.session, ctx.programme_id, forms.data(ctx)["code"], ctx.now)
        except RuleError as error:
            return Done([Reply(ctx.error(_meanwhile(error)))])
        return Go("name")
    if choice == "no":
        return Done([ctx.say("join.declined", code=forms.data(ctx)["code"])])
    if (wanted := (answer.choice or "").removeprefix("lang:")) != answer.choice and wanted in LANGUAGE_NAMES:
        set_language(ctx, wanted)
        return Redo()
    return Switched([ctx.say("forms.consent_short")])


def _consent_word(text: str) -> str | None:
    """A typed yes or no ('có', 'đồng ý', 'ok'; 'không'), in either language."""
    word = " ".join(fold(text).strip(" .!").split())
    if word in YES_WORDS:
        return "yes"
    return "no" if word in NO_WORDS else None


def _meanwhile(error: RuleError) -> RuleError:
    """The code was unused when the form opened: used now means used by someone else."""
    return RuleError("invite.just_used") if error.key == "invite.used" else error


def _name_prompt(ctx: Ctx) -> Reply:
    return Reply(ctx.t("join.ask_name"))


def _name_accept(ctx: Ctx, answer: Answer) -> Outcome:
    try:
        name = validate_full_name(answer.text or "")
    except RuleError as error:
        return Stay(ctx.error(error))
    incoming = ctx.incoming
    identity = (incoming.channel, incoming.user_ref, incoming.chat_ref)
    try:
        person, replaced = join(
            ctx.session, ctx.programme_id, forms.data(ctx)["code"], identity, name, ctx.lang, ctx.now, ctx.programme.focal_points
        )
    except RuleError as error:
        return Done([Reply(ctx.error(_meanwhile(error)))])
    agency = ctx.session.get(Agency, person.agency_id)
    assert agency is not None
    ctx.speaker.person, ctx.speaker.agency = person, agency
    if person.role is Role.EXPERT:
        join_bank(ctx.session, person, ctx.now)
    welcome = ctx.say("join.welcome", name=person.full_name, role=ctx.t(f"role.{person.role}"), agency=agency.name)
    replies = [replace(welcome, menu_changed=True, language=ctx.lang)]
    if replaced:
        replies.append(ctx.say("join.replaced", names=", ".join(old.full_name for old in replaced)))
        tell_seat_taken(ctx.session, person, agency, replaced, ctx.now)
    return Done(replies + [help_reply(ctx)])


JOIN_FORM = Flow(
    name="join",
    first="consent",
    steps={
        "consent": Step(_consent_prompt, _consent_accept, back=False),
        "name": Step(_name_prompt, _name_accept, free_text=True),
    },
)

COMMANDS = (
    Command("start", start, EVERYONE, "help.start", help_for=frozenset({STRANGER}), forms=(JOIN_FORM,)),
)
