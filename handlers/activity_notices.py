"""/notices: how a person hears of activities that name their agency — a notice each
time, or one daily digest."""

from __future__ import annotations

from handlers import forms
from handlers.commands import FOCAL_AND_ADMIN, Command
from handlers.context import Ctx
from handlers.forms import Answer, Choice, Done, Flow, Outcome, Stay, Step, choice_rows
from handlers.types import Reply
from models.activities.life import choose_digest, wants_digest

CHOICES = ("each", "digest")


def start_notices(ctx: Ctx, _args: str) -> list[Reply]:
    return forms.begin(ctx, "notices")


def _prompt(ctx: Ctx) -> Reply:
    assert ctx.person is not None and ctx.person.id is not None
    current = "digest" if wants_digest(ctx.session, ctx.person) else "each"
    choices = [Choice(ctx.t(f"notices.{key}"), key) for key in CHOICES]
    return Reply(ctx.t("notices.ask", current=ctx.t(f"notices.{current}")), choice_rows(choices))


def _accept(ctx: Ctx, answer: Answer) -> Outcome:
    if answer.choice not in CHOICES:
        return Stay(ctx.t("form.pick_a_button"))
    assert ctx.person is not None and ctx.person.id is not None
    choose_digest(ctx.session, ctx.person.id, answer.choice == "digest")
    return Done([ctx.say(f"notices.saved_{answer.choice}")])


NOTICES_FORM = Flow(name="notices", first="choose", steps={"choose": Step(_prompt, _accept, back=False)})

COMMANDS = (
    Command("notices", start_notices, FOCAL_AND_ADMIN, "help.notices", forms=(NOTICES_FORM,)),
)
