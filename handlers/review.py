"""/review: the office's queue of submitted reports; accept, or return with a reason.
The agency's focal points are told through the outbox either way."""

from __future__ import annotations

import re
from functools import partial

from handlers import forms
from handlers.commands import ADMINS, Command
from handlers.context import Ctx
from handlers.forms import (
    Answer,
    Choice,
    Done,
    Flow,
    Go,
    Outcome,
    Pager,
    Redo,
    Stay,
    Step,
    choice_rows,
    step_arg,
)
from handlers.report import flagged_line, item_names, period_name, summary
from handlers.signed_file import signed_lines
from handlers.types import Button, Reply
from locales.formats import format_moment
from models.errors import RuleError
from models.outbox.notify import NOW, Letter, focal_points, message, notify, to_people
from models.people.privacy import shown_name
from models.people.tables import Person
from models.programme.tables import Agency
from models.reporting.report_plan import entries
from models.reporting.submissions import review, waiting_for_review
from models.reporting.tables import Period, Submission

PER_PAGE = 8
REASON_LENGTH = (5, 1000)


def start_review(ctx: Ctx, _args: str) -> list[Reply]:
    if not waiting_for_review(ctx.session, ctx.programme_id):
        return [ctx.say("review.empty")]
    return forms.begin(ctx, "review", {"page": 0})


def _queue_prompt(ctx: Ctx) -> Reply:
    waiting = waiting_for_review(ctx.session, ctx.programme_id)
    pager = Pager(len(waiting), PER_PAGE, forms.data(ctx).get("page", 0))
    choices = [
        Choice(f"{agency.code} · {period_name(ctx, period)}" + (" ⚠" if submission.late else ""), f"s:{submission.id}")
        for submission, period, agency in pager.slice(waiting)
    ]
    return Reply(
        ctx.t("review.queue", count=len(waiting), page=pager.page + 1, pages=pager.pages), choice_rows(choices) + (pager.buttons(ctx),)
    )


def _queue_accept(ctx: Ctx, answer: Answer) -> Outcome:
    choice = answer.choice or ""
    if turned := forms.turn_page(ctx, answer):
        return turned
    if choice.startswith("s:"):
        return Go(f"detail:{choice[2:]}")
    return Stay(ctx.t("form.pick_a_button"))


def _loaded(ctx: Ctx) -> tuple[Submission, Period, Agency]:
    submission = ctx.session.get(Submission, int(step_arg(ctx)))
    assert submission is not None
    period, agency = ctx.session.get(Period, submission.period_id), ctx.session.get(Agency, submission.agency_id)
    assert period is not None and agency is not None
    return submission, period, agency


def _detail_prompt(ctx: Ctx) -> Reply:
    submission, period, agency = _loaded(ctx)
    sender = ctx.session.get(Person, submission.submitted_by_person_id) if submission.submitted_by_person_id else None
    head = ctx.t(
        "review.detail",
        agency=agency.name,
        name=period_name(ctx, period),
        when=format_moment(submission.submitted_at.astimezone(ctx.now.tzinfo), ctx.lang) if submission.submitted_at else "",
        person=shown_name(sender, agency, ctx.lang) if sender else ctx.t("register.none"),
    )
    if submission.late:
        head += "\n" + ctx.t("review.late")
    forms.remember(ctx, shown=submission.round)
    buttons = (Button(ctx.t("review.accept"), "accept"), Button(ctx.t("review.return"), "return"))
    signed = "".join(f"\n{line}" for line in signed_lines(ctx, submission.id))
    return Reply(head + "\n\n" + summary(ctx, submission.id) + signed, (buttons,))


def _detail_accept(ctx: Ctx, answer: Answer) -> Outcome:
    if answer.choice == "return":
        forms.remember(ctx, flags=[])
        return Go(f"reason:{step_arg(ctx)}")
    if answer.choice != "accept":
        return Stay(ctx.t("form.pick_a_button"))
    return _decide(ctx, accept=True, reason=None)


def _flag_prompt(ctx: Ctx) -> Reply:
    """Returning: the report's items numbered as its summary numbers them, to tick those
    the focal point must fix (they are asked only those; numbers may be typed together,
    "3 9"), and the reason, typed."""
    _, period, agency = _loaded(ctx)
    flags, names = set(forms.data(ctx).get("flags", [])), item_names(ctx)
    choices = [
        Choice(("✓ " if entry.code in flags else "") + entry.label(names[entry.code])[:60], f"f:{entry.number}")
        for entry in entries(ctx.programme)
    ]
    lines = [ctx.t("report3.ask_flags", agency=agency.name, count=len(flags))]
    flagged = flagged_line(ctx, sorted(flags))
    lines += [flagged] if flagged else []
    lines.append(ctx.t("review.ask_reason", agency=agency.name, name=period_name(ctx, period), least=REASON_LENGTH[0], most=REASON_LENGTH[1]))
    return Reply("\n".join(lines), choice_rows(choices))


def _flag_accept(ctx: Ctx, answer: Answer) -> Outcome:
    """A ticked item (a button, or numbers typed), or the reason, which returns the report."""
    listed = entries(ctx.programme)
    choice, text = answer.choice or "", answer.text or ""
    words = [word for word in re.split(r"[\s,;]+", text) if word]
    if choice.startswith("f:"):
        numbers = [int(choice[2:])]
    elif words and all(word.isdecimal() for word in words):
        numbers = sorted({int(word) for word in words if len(word) <= 3})
        wrong = [word for word in words if len(word) > 3 or not 1 <= int(word) <= len(listed)]
        if wrong:
            return Stay(ctx.t("report3.no_such_flag", number=wrong[0][:12], most=len(listed)))
    else:
        return _reason_accept(ctx, answer)
    flags = set(forms.data(ctx).get("flags", [])) ^ {listed[n - 1].code for n in numbers}
    forms.remember(ctx, flags=[entry.code for entry in listed if entry.code in flags])
    return Redo()


def _reason_accept(ctx: Ctx, answer: Answer) -> Outcome:
    reason = " ".join((answer.text or "").split())
    if not REASON_LENGTH[0] <= len(reason) <= REASON_LENGTH[1]:
        return Stay(ctx.t("review.reason_length", least=REASON_LENGTH[0], most=REASON_LENGTH[1]))
    return _decide(ctx, accept=False, reason=reason)


def _decide(ctx: Ctx, accept: bool, reason: str | None) -> Outcome:
    submission, period, agency = _loaded(ctx)
    values = forms.data(ctx)
    return Done(decide(ctx, submission, period, agency, accept, reason, values.get("shown"), values.get("flags")))


def decide(
    ctx: Ctx,
    submission: Submission,
    period: Period,
    agency: Agency,
    accept: bool,
    reason: str | None,
    shown: int | None,
    flagged: list[str] | None = None,
) -> list[Reply]:
    """Accept or return `submission` (as of round `shown`; a return naming the items
    `flagged`), the focal points told through the outbox; the chat's form and the web's
    review page both decide here."""
    assert ctx.person is not None and ctx.person.id is not None
    try:
        review(ctx.session, submission, ctx.person.id, accept, reason, ctx.now, shown, flagged)
    except RuleError as error:
        return [Reply(ctx.error(error))]
    notice = message(
        "review.accepted_notice" if accept else "review.returned_notice",
        name=partial(period_name, ctx, period),
        agency=agency.name,
        reason=reason or "",
    )
    readers = to_people(focal_points(ctx.session, agency.id))
    letter = Letter(f"review:{submission.id}:r{submission.round}", notice, readers)
    notify(ctx.session, [letter], NOW, ctx.now, ctx.programme_id)
    done = "review.accepted" if accept else "review.returned"
    return [ctx.say(done, agency=agency.name, name=period_name(ctx, period))]


REVIEW_FORM = Flow(
    name="review",
    first="queue",
    steps={
        "queue": Step(_queue_prompt, _queue_accept, back=False),
        "detail": Step(_detail_prompt, _detail_accept),
        "reason": Step(_flag_prompt, _flag_accept, free_text=True),
    },
)

COMMANDS = (
    Command("review", start_review, ADMINS, "help.review", forms=(REVIEW_FORM,)),
)
