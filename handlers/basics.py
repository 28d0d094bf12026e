"""/help and /lang."""

from __future__ import annotations

from handlers import forms
from handlers.commands import EVERYONE, Command
from handlers.context import Ctx
from handlers.forms import Answer, Done, Flow, Outcome, Stay, Step
from handlers.types import Button, Reply

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def help_reply(ctx: Ctx) -> Reply:
    lines = [f"/{cmd.name} — {ctx.t(cmd.help_key)}" for cmd in ctx.wiring.listed({ctx.role}, ctx.private)]
    head = ctx.t("help.title_member" if ctx.person else "help.title_stranger")
    return Reply(head + "\n\n" + "\n".join(lines))


def show_help(ctx: Ctx, _args: str) -> list[Reply]:
    return [help_reply(ctx)]


def set_language(ctx: Ctx, language: str) -> Reply:
    if ctx.person is not None:
        ctx.person.language = language
    else:
        ctx.state().language = language
    ctx.lang = language
    return ctx.say("lang.set", language=LANGUAGE_NAMES[language])


def choose_language(ctx: Ctx, args: str) -> list[Reply]:
    wanted = args.strip().lower()
    if wanted in LANGUAGE_NAMES:
        return [set_language(ctx, wanted)]
    return forms.begin(ctx, "lang")


def _prompt(ctx: Ctx) -> Reply:
    buttons = tuple(Button(name, code) for code, name in LANGUAGE_NAMES.items())
    return Reply(ctx.t("lang.choose"), (buttons,))


def _accept(ctx: Ctx, answer: Answer) -> Outcome:
    if answer.choice in LANGUAGE_NAMES:
        return Done([set_language(ctx, answer.choice)])
    return Stay(ctx.t("form.pick_a_button"))


LANG_FORM = Flow(name="lang", first="choose", steps={"choose": Step(_prompt, _accept, back=False)})

COMMANDS = (
    Command("help", show_help, EVERYONE, "help.help", private_only=False),
    Command("lang", choose_language, EVERYONE, "help.lang", forms=(LANG_FORM,)),
)
