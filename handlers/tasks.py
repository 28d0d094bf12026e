"""/done: report an assigned task as done, with an optional note. The office is told."""

from __future__ import annotations

from handlers import forms
from handlers.commands import FOCAL_AND_ADMIN, Command
from handlers.context import Ctx
from handlers.forms import (
    Answer,
    Choice,
    Done,
    Flow,
    Go,
    Outcome,
    Stay,
    Step,
    choice_rows,
    step_arg,
)
from handlers.types import Button, Reply
from models.errors import RuleError
from models.outbox.notify import message, tell_office
from models.programme.wording import deadline
from models.reporting.obligations import tasks_due
from models.reporting.tables import AssignedTask
from models.reporting.tasks import NOTE_LENGTH, report_done

SHOWN_TITLE = 50


def start_done(ctx: Ctx, _args: str) -> list[Reply]:
    assert ctx.agency is not None and ctx.agency.id is not None
    if not tasks_due(ctx.session, ctx.agency.id, ctx.programme.live_from):
        return [ctx.say("tasks.none", agency=ctx.agency.name)]
    return forms.begin(ctx, "done")


def _pick_prompt(ctx: Ctx) -> Reply:
    assert ctx.agency is not None and ctx.agency.id is not None
    tasks = tasks_due(ctx.session, ctx.agency.id, ctx.programme.live_from)
    choices = [Choice(f"[{task.code}] {task.title[:SHOWN_TITLE]}", f"t:{task.id}") for task in tasks]
    return Reply(ctx.t("tasks.pick"), choice_rows(choices))


def _pick_accept(ctx: Ctx, answer: Answer) -> Outcome:
    assert ctx.agency is not None and ctx.agency.id is not None
    choice = answer.choice or ""
    owned = {str(task.id) for task in tasks_due(ctx.session, ctx.agency.id, ctx.programme.live_from)}
    if not choice.startswith("t:") or choice[2:] not in owned:
        return Stay(ctx.t("form.pick_a_button"))
    return Go(f"note:{choice[2:]}")


def _task(ctx: Ctx) -> AssignedTask:
    task = ctx.session.get(AssignedTask, int(step_arg(ctx)))
    assert task is not None
    return task


def _note_prompt(ctx: Ctx) -> Reply:
    task = _task(ctx)
    text = ctx.t("tasks.ask_note", code=task.code, title=task.title, due=deadline(task.due_date, ctx.programme.task_times().get(task.code), ctx.lang), most=NOTE_LENGTH)
    return Reply(text, ((Button(ctx.t("register.skip"), "skip"),),))


def _note_accept(ctx: Ctx, answer: Answer) -> Outcome:
    assert ctx.agency is not None and ctx.agency.id is not None and ctx.person is not None and ctx.person.id is not None
    note = None if answer.choice == "skip" else " ".join((answer.text or "").split()) or None
    task = _task(ctx)
    try:
        report_done(ctx.session, task.id, ctx.agency.id, ctx.person.id, note, ctx.now)
    except RuleError as error:
        return Stay(ctx.error(error)) if error.key == "tasks.note_length" else Done([Reply(ctx.error(error))])
    notice = message("tasks.office_notice", agency=ctx.agency.name, code=task.code, title=task.title, note=note or "—")
    tell_office(ctx.session, ctx.programme_id, f"task-done:{task.id}:{ctx.agency.id}", notice, ctx.now)
    return Done([ctx.say("tasks.done", code=task.code, title=task.title)])


DONE_FORM = Flow(
    name="done",
    first="pick",
    steps={"pick": Step(_pick_prompt, _pick_accept, back=False), "note": Step(_note_prompt, _note_accept, free_text=True)},
)

COMMANDS = (
    Command("done", start_done, FOCAL_AND_ADMIN, "help.done", forms=(DONE_FORM,)),
)
