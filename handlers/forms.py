"""Step-by-step forms whose state lives in the database.

A flow is a set of named steps. Each step asks (`prompt`) and takes an answer (`accept`):
a pressed button, a typed text, or a number or label standing for a button on channels
without inline keyboards. Back and Cancel come with every step. Button data carries a
nonce that changes with every prompt, so a button from an older message is recognised as
stale, and a payload the step did not offer is refused rather than trusted.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from handlers.context import Ctx
from handlers.types import Button, FileRef, Reply
from models.programme.due_phrases import fold

BACK = "back"
CANCEL = "cancel"
NONCE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class Answer:
    text: str | None = None
    choice: str | None = None
    file: FileRef | None = None


@dataclass(frozen=True)
class Go:
    step: str


@dataclass(frozen=True)
class Redo:
    """Ask the same step again (a page turned, a box ticked)."""


@dataclass(frozen=True)
class Stay:
    problem: str


@dataclass(frozen=True)
class Done:
    replies: list[Reply]


@dataclass(frozen=True)
class Switched:
    """The step started another flow (its state is already in place): just reply."""

    replies: list[Reply]


Outcome = Go | Redo | Stay | Done | Switched


@dataclass(frozen=True)
class Step:
    prompt: Callable[[Ctx], Reply]
    accept: Callable[[Ctx, Answer], Outcome]
    free_text: bool = False
    back: bool = True


@dataclass(frozen=True)
class Flow:
    """A form. A step named 'base:arg' runs the step 'base' with `step_arg` = 'arg', so a
    form can repeat one step over a list (an indicator each) and Back still works."""

    name: str
    first: str
    steps: dict[str, Step]
    passive: bool = False
    cancel: bool = True
    cancelled_key: str = "form.cancelled"
    replaced_key: str = "form.abandoned"
    """What is said when a command opens another form in its place."""

    def step(self, name: str) -> Step:
        return self.steps[name.partition(":")[0]]


def step_arg(ctx: Ctx) -> str:
    """The 'arg' of the current step 'base:arg' ('' for a plain step)."""
    return (ctx.state().step or "").partition(":")[2]


def data(ctx: Ctx) -> dict[str, Any]:
    return ctx.state().data


CONTINUED = "forms:continued"


def continued(ctx: Ctx) -> None:
    """Say that the command being handled took up its own form where it was (/report in the
    middle of the report), so the engine does not call the form replaced."""
    ctx.memo[CONTINUED] = True


def begin(ctx: Ctx, flow_name: str, values: dict[str, Any] | None = None, first: str | None = None) -> list[Reply]:
    flow = ctx.wiring.flow(flow_name)
    convo = ctx.state()
    convo.flow, convo.step = flow.name, first or flow.first
    convo.data = {"_trail": [], **(values or {})}
    return [render(ctx)]


def hold(ctx: Ctx) -> None:
    """Keep the chat's conversation row out of the unit of work while the update is handled,
    so that no query a handler runs writes it early: `settle` writes it once, at the end."""
    if ctx.convo is not None and ctx.convo in ctx.session:
        ctx.session.expunge(ctx.convo)


def settle(ctx: Ctx) -> None:
    """As the update ends: save the conversation row (new or changed), or delete the row of
    a flow that ended and that no new flow took over."""
    if ctx.ended is not None:
        ctx.session.delete(ctx.ended)
        ctx.ended = None
    if ctx.convo is not None:
        if ctx.convo.flow:
            ctx.convo.updated_at = ctx.now
        ctx.session.add(ctx.convo)


def finish(ctx: Ctx) -> None:
    """Forget the flow; drop the row unless it still holds a stranger's language (a saved
    row is deleted as the update ends, unless a flow begun meanwhile takes it over)."""
    convo = ctx.convo
    if convo is None:
        return
    dropped = convo.language is None or ctx.person is not None
    if dropped:
        ctx.ended = convo if convo.id is not None else None
        ctx.convo = None
        return
    convo.flow = convo.step = None
    convo.data, convo.nonce = {}, ""


def _nav(ctx: Ctx, flow: Flow, step: Step) -> tuple[Button, ...]:
    buttons = []
    if step.back and data(ctx)["_trail"]:
        buttons.append(Button(ctx.t("form.back"), BACK))
    if flow.cancel:
        buttons.append(Button(ctx.t("form.cancel"), CANCEL))
    return tuple(buttons)


def render(ctx: Ctx, problem: str | None = None) -> Reply:
    """The current step's question, with Back/Cancel and fresh button data."""
    convo = ctx.state()
    flow = ctx.wiring.flow(convo.flow or "")
    step = flow.step(convo.step or "")
    asked = step.prompt(ctx)
    rows = [row for row in asked.buttons if row]
    nav = _nav(ctx, flow, step)
    if nav:
        rows.append(nav)
    nonce = "".join(secrets.choice(NONCE_ALPHABET) for _ in range(4))
    convo.nonce = nonce
    values = dict(convo.data)
    values["_choices"] = [[button.label, button.data] for row in rows for button in row if not button.keyboard_only]
    shortcuts = [[button.label, button.data] for row in rows for button in row if button.keyboard_only]
    if shortcuts or "_shortcuts" in values:
        values["_shortcuts"] = shortcuts
    values["_free"] = step.free_text
    values["_waits"] = not flow.passive
    convo.data = values
    signed = tuple(tuple(replace(b, data=f"{nonce}:{b.data}") for b in row) for row in rows)
    text = f"{problem}\n\n{asked.text}" if problem else asked.text
    if flow.passive and not rows:
        finish(ctx)
    return replace(asked, text=text, buttons=signed, expects_text=step.free_text)


def _plain(text: str) -> str:
    return re.sub(r"[^\w ]", "", fold(text)).strip()


def _number(text: str, most: int) -> int | None:
    """A choice's number, 1 to `most`; not '①' (a digit to `isdigit`, not to `int`), nor
    thousands of digits (too long for `int` to read)."""
    if not text.isdecimal() or len(text) > len(str(most)):
        return None
    number = int(text)
    return number if 1 <= number <= most else None


def typed_choice(convo_data: dict[str, Any], text: str) -> str | None:
    """The button a typed answer stands for: its number (on choice steps; "2", "2." or "2)",
    not "-2") or its label."""
    choices = convo_data.get("_choices", [])
    wanted = _plain(text)
    numeral = re.fullmatch(r"(\d+)[.)]?", text.strip())
    number = _number(numeral.group(1), len(choices)) if numeral and not convo_data.get("_free") else None
    if number is not None:
        return str(choices[number - 1][1])
    for label, payload in [*choices, *convo_data.get("_shortcuts", [])]:
        if wanted and _plain(label) == wanted:
            return str(payload)
    return None


def unsign(ctx: Ctx, button_data: str) -> str | None:
    """The payload of pressed button data, or None when it is stale or forged."""
    convo = ctx.convo
    nonce, _, payload = button_data.partition(":")
    if convo is None or not convo.flow or not convo.nonce or nonce != convo.nonce:
        return None
    offered = {str(choice[1]) for choice in [*convo.data.get("_choices", []), *convo.data.get("_shortcuts", [])]}
    return payload if payload in offered else None


def resume(ctx: Ctx, answer: Answer) -> list[Reply]:
    convo = ctx.state()
    flow = ctx.wiring.flow(convo.flow or "")
    if answer.choice == CANCEL:
        finish(ctx)
        return [ctx.say(flow.cancelled_key)]
    if answer.choice == BACK:
        trail = list(data(ctx)["_trail"])
        if trail:
            convo.step = trail.pop()
            convo.data = {**convo.data, "_trail": trail}
        return [render(ctx)]
    outcome = flow.step(convo.step or "").accept(ctx, answer)
    return apply(ctx, outcome)


def apply(ctx: Ctx, outcome: Outcome) -> list[Reply]:
    convo = ctx.state()
    if isinstance(outcome, Done):
        finish(ctx)
        return outcome.replies
    if isinstance(outcome, Switched):
        return outcome.replies
    if isinstance(outcome, Stay):
        return [render(ctx, problem=outcome.problem)]
    if isinstance(outcome, Go):
        trail = [*convo.data["_trail"], convo.step]
        convo.step = outcome.step
        convo.data = {**convo.data, "_trail": trail}
    return [render(ctx)]


def remember(ctx: Ctx, **values: Any) -> None:
    """Store answers in the form (a new dict, so the JSON column sees the change)."""
    convo = ctx.state()
    convo.data = {**convo.data, **values}


@dataclass(frozen=True)
class Choice:
    label: str
    payload: str


def choice_rows(choices: list[Choice], per_row: int = 1) -> tuple[tuple[Button, ...], ...]:
    buttons = [Button(choice.label, choice.payload) for choice in choices]
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


@dataclass
class Pager:
    """Which slice of a long list a page shows."""

    total: int
    per_page: int
    page: int = 0
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // self.per_page))
        self.page = min(max(self.page, 0), self.pages - 1)

    def slice(self, items: list[Any]) -> list[Any]:
        return items[self.page * self.per_page : (self.page + 1) * self.per_page]

    def buttons(self, ctx: Ctx) -> tuple[Button, ...]:
        """Previous/next buttons; `turn_page` reads them back."""
        row = []
        if self.page > 0:
            row.append(Button(ctx.t("form.previous_page"), f"pg:{self.page - 1}"))
        if self.page < self.pages - 1:
            row.append(Button(ctx.t("form.next_page"), f"pg:{self.page + 1}"))
        return tuple(row)


def turn_page(ctx: Ctx, answer: Answer, field: str = "page") -> Redo | None:
    """A press of a Pager button: remember the page in `field` and ask again; else None."""
    choice = answer.choice or ""
    if not choice.startswith("pg:"):
        return None
    remember(ctx, **{field: int(choice[3:])})
    return Redo()


def paging_only(ctx: Ctx, answer: Answer) -> Outcome:
    """The accept of a list whose only buttons turn its pages."""
    return turn_page(ctx, answer) or Stay(ctx.t("form.pick_a_button"))
